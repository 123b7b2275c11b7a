"""Signed-in httpx clients of the sandbox for the hostile tests (attackers and their victims)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from mentor_desk.sandbox.accounts import demo_account


def login(origin: str, email: str, password: str | None = None, **extra: object) -> httpx.Response:
    body = {"email": email, "password": password or demo_account(email).password,
            "device_fingerprint": "hostile-suite", **extra}
    return httpx.post(f"{origin}/api/v1/auth/login", json=body, timeout=10)


def signed_in(origin: str, email: str) -> httpx.Client:
    """An httpx client on ``{origin}/api/v1`` carrying a demo account's access token."""
    response = login(origin, email)
    assert response.status_code == 200, response.text
    return httpx.Client(base_url=f"{origin}/api/v1", timeout=10,
                        headers={"Authorization": f"Bearer {response.json()['access_token']}"})


def anonymous(origin: str) -> httpx.Client:
    return httpx.Client(base_url=f"{origin}/api/v1", timeout=10)


STUDENT_ID = 6


def revision_body(detail: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A valid final-stage ``request_revision`` of a review (every criterion at level 2)."""
    scores = {str(s["id"]): {c["id"]: 2 for c in detail["rubrics"][s["rubric_id"]]["criteria"]}
              for s in detail["mission"]["subtasks"]}
    scale = next(iter(detail["rubrics"].values()))["scale"]
    return {"client_op_id": str(uuid.uuid4()), "base_version": detail["version"], "stage": "final",
            "decision": "request_revision", "subtask_scores": scores,
            "mission_score": round((2 - scale["min"]) / (scale["max"] - scale["min"]) * 100, 2),
            "feedback_written": "Please add the timeline.", **overrides}


def waiting_mission(mentor: httpx.Client, learner_id: int | None = None) -> dict[str, Any]:
    """The detail of an unclaimed single-stage mission waiting for the mentor (of ``learner_id`` if given)."""
    rows = mentor.get("/mentor/reviews", params={"status": "mentor_review", "limit": 1000}).json()["results"]
    row = next(r for r in rows if learner_id in (None, r["learner"]["id"]) and r["kind"] == "mission"
               and r["claimed_by"] is None)
    return mentor.get(f"/mentor/reviews/{row['id']}").json()


def send_back(mentor: httpx.Client) -> dict[str, Any]:
    """The demo mentor asks for a revision of one of student@demo.och's missions; returns the review's detail."""
    detail = waiting_mission(mentor, STUDENT_ID)
    decided = mentor.post(f"/mission-progress/{detail['id']}/mentor-review/complete", json=revision_body(detail))
    assert decided.status_code == 200, decided.text
    return detail


def learner_resubmits(origin: str, mentor: httpx.Client, files: list[tuple[str, bytes]],
                      notes: str = "Added the missing timeline and an owner for every step.") -> dict[str, Any]:
    """student@demo.och resubmits a mission sent back by the mentor, with ``files`` (name, bytes) as they
    chose to name them; returns the review's new detail as the mentor sees it."""
    detail = send_back(mentor)
    with signed_in(origin, "student@demo.och") as student:
        sent = student.post(f"/student/missions/{detail['mission']['id']}/submit-ai/", data={"notes": notes},
                            files=[("files", (name, content, "application/octet-stream")) for name, content in files])
    assert sent.status_code == 201, sent.text
    return mentor.get(f"/mentor/reviews/{detail['id']}").json()
