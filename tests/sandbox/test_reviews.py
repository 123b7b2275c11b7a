"""Layer B review items: listing, detail, claims, stage reviews and decisions with every guard."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from mentor_desk.sandbox.runner import SandboxServer

from .conftest import sign_in
from .reviewing import expected_score, review_body, uniform_scores


def first_review(client: httpx.Client, **params: object) -> dict:
    rows = client.get("/mentor/reviews", params={"limit": 500, **params}).json()["results"]
    assert rows, params
    return client.get(f"/mentor/reviews/{rows[0]['id']}").json()


def unclaimed(client: httpx.Client, kind: str, status: str = "mentor_review") -> dict:
    rows = client.get("/mentor/reviews", params={"limit": 1000, "status": status}).json()["results"]
    row = next(r for r in rows if r["kind"] == kind and r["claimed_by"] is None and r["stage"]["index"] == 0)
    return client.get(f"/mentor/reviews/{row['id']}").json()


def test_layer_b_is_for_mentors_and_directors(sandbox: SandboxServer) -> None:
    with sign_in(sandbox.url, "student@demo.och") as student:
        assert student.get("/mentor/capabilities").status_code == 200  # discovery is open to any user
        for path in ("/mentor/reviews", "/mentor/tier5/learners", "/scoring-meetings"):
            denied = student.get(path)
            assert (denied.status_code, denied.json()) == (
                403, {"detail": "You do not have permission to perform this action."})
    with sign_in(sandbox.url, "lead@demo.och") as lead:
        assert lead.get("/mentor/reviews", params={"limit": 1}).json()["count"] >= 360


def test_capabilities(mentor: httpx.Client) -> None:
    body = mentor.get("/mentor/capabilities").json()
    assert body["api"] == "och-tier5-review" and "scoring_meetings" in body["features"]
    assert body["limits"]["media_max_bytes"] == 2 * 1024**3


def test_list_filters_and_rows(mentor: httpx.Client) -> None:
    listing = mentor.get("/mentor/reviews", params={"limit": 5}).json()
    assert listing["count"] >= 60 and len(listing["results"]) == 5
    row = listing["results"][0]
    assert {"id", "kind", "mission", "learner", "status", "stage", "attempt", "submitted_at", "ai_score",
            "claimed_by", "presentation_required", "version", "updated_at"} <= set(row)
    assert set(row["learner"]) == {"id", "uuid_id", "name", "email"}
    grc = mentor.get("/mentor/reviews", params={"track": "GRC_5", "status": "approved", "limit": 500}).json()
    assert grc["results"] and all(r["mission"]["track"] == "GRC_5" and r["status"] == "approved"
                                  for r in grc["results"])


def test_layer_a_and_b_show_the_same_items(mentor: httpx.Client) -> None:
    a = mentor.get("/mentors/1/missions/submissions", params={"limit": 5000}).json()
    b = mentor.get("/mentor/reviews", params={"limit": 1000}).json()
    assert a["count"] == b["count"]
    assert {r["id"] for r in a["results"]} == {r["id"] for r in b["results"]}


def test_updated_since_reports_unassigned_rows(mentor: httpx.Client) -> None:
    since = "2020-01-01T00:00:00Z"
    rows = mentor.get("/mentor/reviews", params={"updated_since": since, "limit": 1000}).json()["results"]
    gone = [r for r in rows if r.get("assigned") is False]
    assert gone and all(r["learner"]["id"] == 9 for r in gone)
    assert mentor.get("/mentor/reviews", params={"updated_since": "yesterday"}).status_code == 400
    unencoded = mentor.get("/mentor/reviews?updated_since=2020-01-01T00:00:00+00:00&limit=1000").json()
    assert unencoded["count"] == len(rows)
    stamps = [r["updated_at"] for r in rows if r.get("assigned") is not False]
    assert stamps == sorted(stamps)  # incremental pulls page oldest change first
    paged: list[dict] = []
    while len(paged) < len(rows):
        page = mentor.get("/mentor/reviews", params={"updated_since": since, "limit": 7, "offset": len(paged)}
                          ).json()
        assert page["count"] == len(rows) and page["results"]
        paged += page["results"]
    assert [r["id"] for r in paged] == [r["id"] for r in rows]


def test_detail(mentor: httpx.Client) -> None:
    detail = first_review(mentor, status="mentor_review")
    assert {"rubrics", "subtasks_progress", "decision_paths", "reflection", "ai_review", "files", "presentation",
            "stages", "history", "time_per_stage", "hints_used"} <= set(detail)
    subtask = detail["mission"]["subtasks"][0]
    assert {"id", "title", "description", "weight", "rubric_id", "evidence_schema"} <= set(subtask)
    assert subtask["rubric_id"] in detail["rubrics"]
    assert detail["mission"]["branching_paths"] and detail["mission"]["ideal_path"]
    assert all(len(f["sha256"]) == 64 and f["url"].startswith("http://127.0.0.1") for f in detail["files"])


def test_other_mentors_item_is_404(sandbox: SandboxServer, mentor: httpx.Client) -> None:
    with sign_in(sandbox.url, "mentor3@demo.och") as mentor3:
        theirs = {r["id"] for r in mentor3.get("/mentor/reviews", params={"limit": 1000}).json()["results"]}
    foreign = next(r for r in mentor.get("/mentor/reviews", params={"limit": 1000}).json()["results"]
                   if r["id"] not in theirs)
    with sign_in(sandbox.url, "mentor3@demo.och") as mentor3:
        assert mentor3.get(f"/mentor/reviews/{foreign['id']}").status_code == 404
        assert mentor3.post(f"/mentor/reviews/{foreign['id']}/claim").status_code == 404


def test_rubric_versions(mentor: httpx.Client) -> None:
    detail = first_review(mentor)
    rubric_id = next(iter(detail["rubrics"]))
    latest = mentor.get(f"/rubrics/{rubric_id}").json()
    assert latest == detail["rubrics"][rubric_id]
    assert mentor.get(f"/rubrics/{rubric_id}", params={"version": 1}).json()["version"] == 1
    assert mentor.get("/rubrics/nope").status_code == 404


def test_file_download_with_range(sandbox: SandboxServer, mentor: httpx.Client) -> None:
    detail = first_review(mentor)
    report = next(f for f in detail["files"] if f["filename"].endswith(".pdf"))
    whole = mentor.get(report["url"])
    assert whole.status_code == 200 and whole.content.startswith(b"%PDF")
    assert hashlib.sha256(whole.content).hexdigest() == report["sha256"]
    part = mentor.get(report["url"], headers={"Range": "bytes=0-7"})
    assert part.status_code == 206 and part.content == b"%PDF-1.4"
    assert part.headers["content-range"] == f"bytes 0-7/{report['file_size']}"
    tail = mentor.get(report["url"], headers={"Range": "bytes=-6"})
    assert tail.content == whole.content[-6:]
    assert mentor.get(report["url"], headers={"Range": "bytes=999999-"}).status_code == 416
    assert httpx.get(report["url"]).status_code == 401  # bearer auth required


def test_claims(fresh_sandbox: SandboxServer) -> None:
    with sign_in(fresh_sandbox.url, "mentor@demo.och") as maya, \
            sign_in(fresh_sandbox.url, "mentor2@demo.och") as lena:
        shared = {r["id"] for r in lena.get("/mentor/reviews", params={"limit": 1000}).json()["results"]}
        row = next(r for r in maya.get("/mentor/reviews", params={"status": "ai_reviewed", "limit": 1000}
                                       ).json()["results"] if r["id"] in shared)
        claimed = maya.post(f"/mentor/reviews/{row['id']}/claim").json()
        assert claimed["claimed_by"]["id"] == 1 and claimed["expires_at"] > claimed["claimed_at"]
        after = maya.get(f"/mentor/reviews/{row['id']}").json()
        assert after["status"] == "mentor_review" and after["version"] == row["version"] + 1
        clash = lena.post(f"/mentor/reviews/{row['id']}/claim")
        assert clash.status_code == 409 and clash.json()["claimed_by"]["id"] == 1
        assert maya.post(f"/mentor/reviews/{row['id']}/claim").status_code == 200  # renew
        assert lena.delete(f"/mentor/reviews/{row['id']}/claim").status_code == 409
        assert maya.delete(f"/mentor/reviews/{row['id']}/claim").status_code == 204
        assert lena.post(f"/mentor/reviews/{row['id']}/claim").status_code == 200
        body = review_body(lena.get(f"/mentor/reviews/{row['id']}").json(), "approve")
        if row["kind"] == "mission":
            blocked = maya.post(f"/mission-progress/{row['id']}/mentor-review/complete", json=body)
            assert blocked.status_code == 409 and blocked.json()["error"] == "claimed"


def test_decision_guards_replay_and_conflict(fresh_sandbox: SandboxServer) -> None:
    with sign_in(fresh_sandbox.url, "mentor@demo.och") as client:
        detail = unclaimed(client, "mission")
        url = f"/mission-progress/{detail['id']}/mentor-review/complete"

        def post(body: dict) -> httpx.Response:
            return client.post(url, json=body)

        wrong = post(review_body(detail, "approve", mission_score=12.0))
        assert (wrong.status_code, wrong.json()["error"]) == (422, "score_mismatch")
        off_scale = post(review_body(detail, "approve", subtask_scores=uniform_scores(detail, 5)))
        assert off_scale.json()["error"] == "invalid_scores"
        partial = post(review_body(detail, "approve", subtask_scores=uniform_scores(detail, 3, ["1"])))
        assert partial.json()["error"] == "invalid_scores"  # every subtask needed for a decision
        assert post(review_body(detail, None)).json()["error"] == "invalid_decision"
        assert post(review_body(detail, "fail", points=1, feedback_written=" ")).json()["error"] == \
            "feedback_required"
        assert post(review_body(detail, "approve", points=1)).json()["error"] == "invalid_scores"  # below 70
        bad_note = review_body(detail, "approve", decision_annotations={"nope": {"verdict": "acceptable"}})
        assert post(bad_note).json()["error"] == "invalid_annotations"

        decision_id = next(iter(detail["decision_paths"]))
        body = review_body(detail, "approve", points=3.5,
                           decision_annotations={decision_id: {"verdict": "divergent", "comment": "Narrow scope."}})
        first = post(body)
        assert first.status_code == 200, first.text
        answer = first.json()
        assert answer["status"] == "approved" and answer["final_status"] == "pass"
        assert answer["version"] == detail["version"] + 1
        assert answer["mentor_score"] == pytest.approx(body["mission_score"], abs=0.01)
        assert post(body).json() == answer  # replay: same first answer, no second write
        assert client.get(f"/mentor/reviews/{detail['id']}").json()["version"] == answer["version"]
        reused = post({**body, "feedback_written": "changed"})
        assert (reused.status_code, reused.json()["error"]) == (422, "op_id_reused")

        stale = post(review_body(detail, "approve"))
        assert stale.status_code == 409 and stale.json()["error"] == "version_conflict"
        assert stale.json()["current"]["version"] == answer["version"]
        now_final = client.get(f"/mentor/reviews/{detail['id']}").json()
        illegal = post(review_body(now_final, "fail", points=1))
        assert illegal.status_code == 409 and illegal.json() == {
            "error": "illegal_transition", "message": illegal.json()["message"], "from": "approved", "to": "failed"}
        stage = now_final["stages"][-1]
        assert stage["decision"] == "approve" and stage["decision_annotations"][decision_id]["verdict"] == "divergent"
        assert set(stage["scores"]["rubric_versions"]) <= set(now_final["rubrics"])

        legacy = {r["id"]: r for r in client.get("/mentors/1/missions/submissions", params={
            "status": "reviewed", "limit": 1000}).json()["results"]}
        assert legacy[detail["id"]]["status"] == "approved"


def test_request_revision_and_submitted_is_illegal(fresh_sandbox: SandboxServer) -> None:
    with sign_in(fresh_sandbox.url, "mentor@demo.och") as client:
        detail = unclaimed(client, "mission", status="ai_reviewed")
        result = client.post(f"/mission-progress/{detail['id']}/mentor-review/complete",
                             json=review_body(detail, "request_revision", points=2)).json()
        assert (result["status"], result["final_status"]) == ("revision_requested", "pending")
        waiting = first_review(client, status="submitted")
        early = client.post(f"/mission-progress/{waiting['id']}/mentor-review/complete",
                            json=review_body(waiting, "approve"))
        assert early.status_code == 409 and early.json()["from"] == "submitted"


def test_capstone_stages(fresh_sandbox: SandboxServer) -> None:
    with sign_in(fresh_sandbox.url, "mentor@demo.och") as client:
        detail = unclaimed(client, "capstone")
        url = f"/mission-progress/{detail['id']}/mentor-review/complete"
        assert detail["stage"] == {"index": 0, "total": 6, "name": "investigation"}
        early = client.post(url, json=review_body(detail, "approve"))
        assert early.json()["error"] == "invalid_decision"  # decision must be null before final
        wrong_stage = client.post(url, json=review_body(detail, None, stage="reporting"))
        assert wrong_stage.json()["error"] == "invalid_stage"
        for expected in ("decision_making", "design_remediation", "reporting", "presentation", "final"):
            answer = client.post(url, json=review_body(detail, None)).json()
            assert answer["stage"]["name"] == expected and answer["status"] == "mentor_review"
            detail = client.get(f"/mentor/reviews/{detail['id']}").json()
        scores = uniform_scores(detail, 4)
        final = client.post(url, json=review_body(detail, "approve", subtask_scores=scores,
                                                  mission_score=expected_score(detail, scores))).json()
        assert final == {"status": "approved", "final_status": "pass", "mentor_score": 100.0,
                         "version": detail["version"] + 1, "stage": {"index": 5, "total": 6, "name": "final"}}
        stages = client.get(f"/mentor/reviews/{detail['id']}").json()["stages"]
        assert [s["status"] for s in stages] == ["completed"] * 6


def test_concurrent_writers_one_wins(fresh_sandbox: SandboxServer) -> None:
    """Eight simultaneous decisions on one version: exactly one lands, the rest see version_conflict;
    eight simultaneous sends of one op id all get the same single answer."""
    with sign_in(fresh_sandbox.url, "mentor@demo.och") as client:
        rows = client.get("/mentor/reviews", params={"status": "ai_reviewed", "limit": 1000}).json()["results"]
        first, second = [client.get(f"/mentor/reviews/{r['id']}").json() for r in rows
                         if r["kind"] == "mission" and r["claimed_by"] is None][:2]
        headers = dict(client.headers)

        def send(detail: dict, body: dict) -> httpx.Response:
            return httpx.post(f"{fresh_sandbox.url}/api/v1/mission-progress/{detail['id']}/mentor-review/complete",
                              json=body, headers=headers, timeout=30)

        with ThreadPoolExecutor(8) as pool:
            racing = list(pool.map(lambda _: send(first, review_body(first, "approve")), range(8)))
            same_op = review_body(second, "approve")
            replays = list(pool.map(lambda _: send(second, same_op), range(8)))
        assert sorted(r.status_code for r in racing) == [200] + [409] * 7
        assert {r.json()["error"] for r in racing if r.status_code == 409} == {"version_conflict"}
        assert {r.status_code for r in replays} == {200} and len({r.text for r in replays}) == 1
        assert client.get(f"/mentor/reviews/{second['id']}").json()["version"] == second["version"] + 1


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"decision": ["approve"]}, 422, "invalid_decision"),
    ({"decision": "maybe"}, 422, "invalid_decision"),
    ({"subtask_scores": [1, 2]}, 422, "invalid_scores"),
    ({"subtask_scores": {"1": 3}}, 422, "invalid_scores"),
    ({"feedback_per_subtask": "all good"}, 422, "invalid_feedback"),
    ({"recommended_recipes": "recipe-1"}, 422, "invalid_feedback"),
    ({"mission_score": "high"}, 422, "score_mismatch"),
    ({"base_version": "1"}, 400, None),
])
def test_malformed_bodies_get_clear_errors(sandbox: SandboxServer, mentor: httpx.Client, change: dict,
                                           status: int, code: str | None) -> None:
    """Read-only: every malformed body is refused before anything is written."""
    detail = unclaimed(mentor, "mission")
    response = mentor.post(f"/mission-progress/{detail['id']}/mentor-review/complete",
                           json={**review_body(detail, "approve"), **change})
    assert response.status_code == status, response.text
    if code:
        assert response.json()["error"] == code and response.json()["message"]
    assert mentor.get(f"/mentor/reviews/{detail['id']}").json()["version"] == detail["version"]
    not_json = mentor.post(f"/mission-progress/{detail['id']}/mentor-review/complete", content=b"[1, 2]",
                           headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400
