"""Issue 16, item 4: no id opens another mentor's learners' items (an IDOR sweep over every route).

The routes come from the running application (its OpenAPI description), so a route added later is swept
without touching this file when its path ids are ones the sweep knows, and fails the test until it is
classified otherwise. For each route that takes an id, the attacker (a mentor with no learner in common with
the victim) sends it the victim's object, then the victim's side sends the very same request, which must get
past authorisation: so the attacker's refusal (403/404) is an authorisation refusal, not a malformed request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi.openapi.utils import get_openapi

from mentor_desk.sandbox.runner import SandboxServer

from .peers import revision_body, signed_in
from .tally import TALLY
from .test_sandbox_panel import uniform_scores

CATEGORY = "authorisation: other mentors' items"
A = "/api/v1"
Route = tuple[str, str]  # (method, path as the application declares it)

UNKEYED: set[Route] = {  # no object id: sign-in, discovery, and lists of the caller's own items
    *{("POST", f"{A}/auth/{p}") for p in ("login", "login/", "login/simple", "mfa/send-challenge", "mfa/complete",
                                          "token/refresh", "token/refresh/", "logout")},
    *{("GET", f"{A}/{p}") for p in ("health/", "auth/me", "mentor/workqueue", "mentor/dashboard/stream",
                                    "mentorship-interactions/", "mentor/capabilities", "mentor/reviews",
                                    "scoring-meetings", "mentor/tier5/learners", "mentor/events")},
}
SHARED: set[Route] = {  # ids of the catalogue (the same for every caller), or routes acting on the caller's own record
    ("GET", f"{A}/missions/{{mission_id}}/"), ("GET", f"{A}/rubrics/{{rubric_id}}"),
    ("POST", f"{A}/student/missions/{{mission_id}}/submit-ai/"),
    ("POST", f"{A}/curriculum/tier5/tracks/{{code}}/complete"),
}
AS_OCH_HAS_IT: dict[Route, str] = {  # layer A behaviour kept as deployed OCH has it (och-v1-reference), listed here
    ("POST", f"{A}/mentorship-interactions/create/"): "OCH does not check that the mentee is assigned to the mentor",
    ("GET", "/media/mentorship/messages/{message_id}/{attachment_id}/{filename}"):
        "OCH serves /media/ unauthenticated: two uuid4s are the key; only the assignment's parties can list them",
}
OWN_NAMESPACE = ("PUT", f"{A}/mentor/media/{{media_id}}")  # a client_media_id names an upload of the caller's own
BODY_IDS: set[Route] = {  # routes taking the victim's ids in the query or the body (the rest take them in the path)
    ("POST", f"{A}/scoring-meetings"), ("POST", f"{A}/director/mentors/assign-direct/"),
}
DIRECTOR_ONLY = {("POST", f"{A}/director/mentors/assign-direct/")}
LAST: list[Route] = [  # writes whose control changes the victim's items: in this order, after every read
    ("POST", f"{A}/mentor/reviews/{{review_id}}/claim"), ("DELETE", f"{A}/mentor/reviews/{{review_id}}/claim"),
    ("POST", f"{A}/mission-progress/{{review_id}}/mentor-review/complete"),
    ("PUT", f"{A}/scoring-meetings/{{meeting_id}}/my-scores"), ("POST", f"{A}/scoring-meetings/{{meeting_id}}/reveal"),
    ("POST", f"{A}/scoring-meetings/{{meeting_id}}/consensus"), ("POST", f"{A}/scoring-meetings"),
    ("POST", f"{A}/director/mentors/assign-direct/"), OWN_NAMESPACE,
]
MEDIA = b"\0\0\0\x18ftypM4A victim's recorded feedback"


def declared_routes(app: Any) -> dict[Route, list[str]]:
    """Every (method, path) the application serves, with its path parameters."""
    paths = get_openapi(title="sandbox", version="1", routes=app.routes)["paths"]
    return {(method.upper(), path): [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
            for path, operations in paths.items() for method, op in operations.items()}


@dataclass
class Victim:
    """mentor@demo.och's objects that the attacker must not reach, and the clients that may reach them."""

    owner: httpx.Client
    director: httpx.Client
    ids: dict[str, str] = field(default_factory=dict)
    learner: int = 0
    capstone: dict[str, Any] = field(default_factory=dict)

    def review(self, review_id: str) -> dict[str, Any]:
        return self.owner.get(f"/mentor/reviews/{review_id}").json()

    def meeting(self) -> dict[str, Any]:
        return self.owner.get(f"/scoring-meetings/{self.ids['meeting_id']}").json()


def media_put(content: bytes) -> dict[str, Any]:
    return {"content": content, "headers": {"Content-Range": f"bytes 0-{len(content) - 1}/{len(content)}",
                                            "Content-Type": "audio/mp4",
                                            "X-Content-SHA256": hashlib.sha256(content).hexdigest()}}


REQUESTS: dict[Route, Callable[[Victim], dict[str, Any]]] = {  # what each route is sent (default: nothing)
    ("POST", f"{A}/mission-progress/{{review_id}}/mentor-review/complete"):
        lambda v: {"json": revision_body(v.review(v.ids["review_id"]))},
    ("POST", f"{A}/mentor/missions/{{submission_id}}/review"):
        lambda v: {"json": {"feedback": "Solid work, well evidenced.", "score": 80, "approved": True}},
    ("PUT", f"{A}/mentorship-interactions/{{interaction_id}}/update/"):
        lambda v: {"json": {"written_feedback": "Rewritten by someone else."}},
    ("POST", f"{A}/mentorship-interactions/{{interaction_id}}/upload-feedback/"):
        lambda v: {"json": {"media_type": "audio", "file_url": "https://elsewhere.example/a.m4a"}},
    ("POST", f"{A}/mentorship/assignments/{{assignment_id}}/messages"): lambda v: {"data": {"body": "Hello there."}},
    ("GET", f"{A}/curriculum/tier5/tracks/{{code}}/status"): lambda v: {"params": {"learner_id": v.learner}},
    ("POST", f"{A}/curriculum/tier5/tracks/{{code}}/mentor-approval"):
        lambda v: {"json": {"learner_id": v.learner, "approved": False, "comment": "Revoked by someone else."}},
    OWN_NAMESPACE: lambda v: media_put(b"\0\0\0\x18ftypM4A the attacker's bytes"),
    ("PUT", f"{A}/scoring-meetings/{{meeting_id}}/my-scores"):
        lambda v: {"json": {"base_version": v.meeting()["version"], "subtask_scores": uniform_scores(v.capstone, 3)}},
    ("POST", f"{A}/scoring-meetings/{{meeting_id}}/consensus"):
        lambda v: {"json": {"base_version": v.meeting()["version"], "subtask_scores": uniform_scores(v.capstone, 3),
                            "decision": "approve", "feedback_written": "Panel consensus."}},
    ("POST", f"{A}/scoring-meetings"): lambda v: {"json": {"review_id": v.ids["capstone_id"], "panel": [4]}},
    ("POST", f"{A}/director/mentors/assign-direct/"): lambda v: {"json": {"mentee_id": v.learner, "mentor_id": 4}},
}


def rows(client: httpx.Client, **params: str) -> list[dict[str, Any]]:
    answer = client.get("/mentor/reviews", params={"limit": "1000", **params}).json()
    assert answer["count"] <= 1000
    return list(answer["results"])


def victim_of(owner: httpx.Client, director: httpx.Client, attacker: httpx.Client) -> Victim:
    """Picks and makes the victim's objects: none of them belongs to a learner the attacker mentors."""
    theirs = {r["learner"]["id"] for r in rows(attacker)}
    mine = [r for r in rows(owner, status="mentor_review") if r["learner"]["id"] not in theirs
            and r["claimed_by"] is None]
    missions = [r for r in mine if r["kind"] == "mission"]
    capstones = [r for r in mine if r["kind"] == "capstone" and r["mission"]["track"] in ("DEFENDER_5", "OFFENSIVE_5")]
    victim = Victim(owner, director, learner=missions[0]["learner"]["id"])
    victim.capstone = victim.review(capstones[0]["id"])
    with_files = next(r for r in missions if victim.review(r["id"])["files"])
    victim.ids.update(review_id=missions[0]["id"], submission_id=missions[1]["id"], capstone_id=capstones[1]["id"],
                      file_id=victim.review(with_files["id"])["files"][0]["id"], mentor_id="1", media_id="victim-take")
    assignments = owner.get("/mentorship/mentors/1/assignments").json()
    victim.ids["assignment_id"] = next(a["id"] for a in assignments if a["mentee_id"] == str(victim.learner)
                                       and a["status"] == "active")
    victim.ids["interaction_id"] = owner.get("/mentorship-interactions/").json()["results"][0]["id"]
    victim.ids["code"] = next(r["track_code"] for r in owner.get("/mentor/tier5/learners").json()["results"]
                              if r["learner"]["id"] == victim.learner)
    assert owner.put(f"/mentor/media/{victim.ids['media_id']}", **media_put(MEDIA)).status_code == 201
    meeting = owner.post("/scoring-meetings", json={"review_id": victim.capstone["id"], "panel": [1, 3]})
    assert meeting.status_code == 201, meeting.text
    victim.ids["meeting_id"] = meeting.json()["id"]
    return victim


def sweep_order(routes: list[Route]) -> list[Route]:
    return sorted(routes, key=lambda r: LAST.index(r) + 1 if r in LAST else 0)


def test_no_route_opens_another_mentors_items(fresh_sandbox: SandboxServer) -> None:
    origin = fresh_sandbox.url
    declared = declared_routes(fresh_sandbox.app)
    with signed_in(origin, "mentor@demo.och") as owner, signed_in(origin, "lead@demo.och") as director, \
            signed_in(origin, "mentor3@demo.och") as attacker:
        victim = victim_of(owner, director, attacker)
        exempt = UNKEYED | SHARED | set(AS_OCH_HAS_IT)
        swept = [r for r, names in declared.items() if r not in exempt and (r in BODY_IDS or names)]
        unknown = [r for r in swept if any(name not in victim.ids for name in declared[r])]
        unkeyed = [r for r, names in declared.items() if r not in exempt and r not in BODY_IDS and not names]
        assert not unknown and not unkeyed, f"routes the sweep cannot classify (add them above): {unknown + unkeyed}"
        holes, controls = [], []
        for method, path in sweep_order(swept):
            request = REQUESTS.get((method, path), lambda _: {})(victim)
            url = origin + path.format(**victim.ids)
            refused = attacker.request(method, url, **request).status_code
            allowed = (director if (method, path) in DIRECTOR_ONLY else owner).request(method, url, **request)
            TALLY.tried_cases(CATEGORY)
            if (method, path) == OWN_NAMESPACE:
                kept = owner.get(url).content == MEDIA
                refused = 404 if kept else refused
            if refused not in (403, 404):
                TALLY.bad(CATEGORY, "authorisation holes", f"{method} {path} answered the attacker {refused}")
                holes.append((method, path, refused))
            if allowed.status_code in (401, 403, 404):
                controls.append((method, path, allowed.status_code, allowed.text[:200]))
    assert not holes, holes
    assert not controls, f"the victim's own requests were refused, so the sweep proves nothing there: {controls}"
    assert len(swept) >= 25, swept

