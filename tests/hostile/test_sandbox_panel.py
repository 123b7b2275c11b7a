"""Issue 16, holes 1 and 2: a scoring-meeting panel member who is not the learner's mentor may read the
review and its files and score in the meeting, only while the meeting is open, and nothing else."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from mentor_desk.sandbox.runner import SandboxServer

from .peers import signed_in
from .tally import TALLY


def uniform_scores(detail: dict[str, Any], points: float) -> dict[str, dict[str, float]]:
    return {str(s["id"]): {c["id"]: points for c in detail["rubrics"][s["rubric_id"]]["criteria"]}
            for s in detail["mission"]["subtasks"]}


def outsider_capstone(lead: httpx.Client, outsider: httpx.Client) -> dict[str, Any]:
    """A capstone with files that the lead may review and the outsider (not the learner's mentor) cannot see."""
    seen = {r["id"] for r in outsider.get("/mentor/reviews", params={"limit": 1000}).json()["results"]}
    rows = lead.get("/mentor/reviews", params={"limit": 1000, "status": "mentor_review"}).json()["results"]
    for row in rows:
        if row["kind"] == "capstone" and row["id"] not in seen and row["claimed_by"] is None and \
                row["mission"]["track"] in ("DEFENDER_5", "OFFENSIVE_5"):
            detail = lead.get(f"/mentor/reviews/{row['id']}").json()
            if detail["files"]:
                return detail
    raise AssertionError("the seed has no capstone the outsider cannot see")


def attempts(client: httpx.Client, detail: dict[str, Any]) -> dict[str, int]:
    """What an outsider tries on a review: the status code of each attempt."""
    review_id = detail["id"]
    first = detail["mission"]["subtasks"][0]
    top = detail["rubrics"][first["rubric_id"]]["scale"]["max"]
    scores = {str(first["id"]): {c["id"]: top for c in detail["rubrics"][first["rubric_id"]]["criteria"]}}
    body = {"client_op_id": str(uuid.uuid4()), "base_version": detail["version"], "stage": detail["stage"]["name"],
            "decision": None, "subtask_scores": scores, "mission_score": 100.0, "feedback_written": "Fine."}
    return {
        "read": client.get(f"/mentor/reviews/{review_id}").status_code,
        "file": client.get(f"/mentor/files/{detail['files'][0]['id']}").status_code,
        "complete": client.post(f"/mission-progress/{review_id}/mentor-review/complete", json=body).status_code,
        "claim": client.post(f"/mentor/reviews/{review_id}/claim").status_code,
        "release": client.delete(f"/mentor/reviews/{review_id}/claim").status_code,
    }


def check(category: str, seen: dict[str, int], allowed: set[str]) -> None:
    TALLY.tried_cases(category, len(seen))
    for what, status in seen.items():
        if (status < 400) != (what in allowed):
            TALLY.bad(category, "authorisation holes", f"{what} answered {status}")
    assert {what for what, status in seen.items() if status < 400} == allowed, seen


def open_meeting(lead: httpx.Client, outsider: httpx.Client) -> tuple[dict[str, Any], dict[str, Any]]:
    detail = outsider_capstone(lead, outsider)
    check("authorisation: panel", attempts(outsider, detail), set())
    return detail, lead.post("/scoring-meetings", json={"review_id": detail["id"], "panel": [1, 4]}).json()


def test_panel_member_may_read_and_score_but_not_claim_or_decide(fresh_sandbox: SandboxServer) -> None:
    url = fresh_sandbox.url
    with signed_in(url, "mentor@demo.och") as lead, signed_in(url, "mentor3@demo.och") as outsider:
        detail, meeting = open_meeting(lead, outsider)
        check("authorisation: panel", attempts(outsider, detail), {"read", "file"})
        scored = outsider.put(f"/scoring-meetings/{meeting['id']}/my-scores",
                              json={"base_version": meeting["version"], "subtask_scores": uniform_scores(detail, 3)})
        assert scored.status_code == 200, scored.text


def test_panel_access_ends_with_the_meeting(fresh_sandbox: SandboxServer) -> None:
    url = fresh_sandbox.url
    with signed_in(url, "mentor@demo.och") as lead, signed_in(url, "mentor3@demo.och") as outsider:
        detail, meeting = open_meeting(lead, outsider)
        assert outsider.get(f"/mentor/reviews/{detail['id']}").status_code == 200
        revealed = lead.post(f"/scoring-meetings/{meeting['id']}/reveal").json()
        closed = lead.post(f"/scoring-meetings/{meeting['id']}/consensus", json={
            "base_version": revealed["version"], "subtask_scores": uniform_scores(detail, 3),
            "decision": "approve", "feedback_written": "Panel consensus."})
        assert closed.status_code == 200, closed.text
        check("authorisation: panel", attempts(outsider, lead.get(f"/mentor/reviews/{detail['id']}").json()), set())
