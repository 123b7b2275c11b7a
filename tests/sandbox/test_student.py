"""The learner's resubmission (OCH's student submit-ai) and a director moving a learner between mentors."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import httpx

from mentor_desk.sandbox.runner import SandboxServer

from .conftest import Serve, sign_in
from .reviewing import review_body
from .test_events import events

STUDENT_ID = 6
# MissionSubmissionSerializer as captured (contract 15).
SUBMISSION_KEYS = {"id", "mission_title", "student_email", "content", "attachments", "status", "score", "feedback",
                   "reviewed_at", "submitted_at", "created_at", "updated_at", "assignment", "student", "reviewed_by"}
NOTES = "Added the missing timeline entries and named an owner for every remediation step."


def _submit(client: httpx.Client, mission_id: str, **kwargs: object) -> httpx.Response:
    return client.post(f"/student/missions/{mission_id}/submit-ai/", **kwargs)  # type: ignore[arg-type]


def _send_back(mentor: httpx.Client) -> dict:
    """The demo mentor asks for a revision of one of student@demo.och's missions; returns its detail."""
    rows = mentor.get("/mentor/reviews", params={"status": "mentor_review", "limit": 1000}).json()["results"]
    row = next(r for r in rows if r["learner"]["id"] == STUDENT_ID and r["kind"] == "mission"
               and r["claimed_by"] is None)
    detail = mentor.get(f"/mentor/reviews/{row['id']}").json()
    body = review_body(detail, "request_revision", points=2,
                       feedback_per_subtask={str(detail["mission"]["subtasks"][0]["id"]): "Timeline gaps."})
    decided = mentor.post(f"/mission-progress/{row['id']}/mentor-review/complete", json=body)
    assert decided.status_code == 200 and decided.json()["status"] == "revision_requested", decided.text
    return mentor.get(f"/mentor/reviews/{row['id']}").json()


def test_learner_resubmits_after_a_revision_request(serve: Serve) -> None:
    server = serve(events_keepalive_s=0.3)
    with sign_in(server.url, "mentor@demo.och") as maya, sign_in(server.url, "student@demo.och") as student:
        before = _send_back(maya)
        mission_id = before["mission"]["id"]
        evidence = b"2026-11-20T10:00:00Z host42 beacon blocked\n" * 50
        sent = _submit(student, mission_id, data={"notes": NOTES, "github_url": "https://example.org/fix"},
                       files=[("files", ("timeline-v2.log", evidence, "text/plain"))])
        assert sent.status_code == 201, sent.text
        body = sent.json()
        assert set(body) == SUBMISSION_KEYS
        assert (body["id"], body["status"], body["content"], body["score"]) == (before["id"], "submitted", NOTES,
                                                                                None)
        assert body["student_email"] == "student@demo.och" and body["mission_title"] == before["mission"]["title"]

        after = maya.get(f"/mentor/reviews/{before['id']}").json()
        assert (after["status"], after["attempt"], after["version"]) == (
            "submitted", before["attempt"] + 1, before["version"] + 1)
        assert after["final_status"] is None and after["mentor_score"] is None and after["ai_review"] is None
        assert after["submitted_at"] == body["submitted_at"]
        assert datetime.fromisoformat(after["submitted_at"].replace("Z", "+00:00")) <= datetime.now(UTC)
        earlier = after["history"][-1]
        assert earlier["attempt"] == before["attempt"] and earlier["decision"] == "request_revision"
        assert earlier["feedback_written"] == before["stages"][-1]["feedback_written"]
        assert earlier["mentor_score"] == before["mentor_score"]
        assert earlier["scores"]["subtask_scores"] == before["stages"][-1]["scores"]["subtask_scores"]
        assert earlier["reviewer"]["id"] == 1 and earlier["feedback_per_subtask"]
        assert [s["status"] for s in after["stages"]] == ["current"]
        uploaded = next(f for f in after["files"] if f["filename"] == "timeline-v2.log")
        assert uploaded["subtask_id"] is None and uploaded["file_type"] == "log"
        assert uploaded["sha256"] == hashlib.sha256(evidence).hexdigest()
        assert maya.get(uploaded["url"]).content == evidence

        heard = [e for e in events(maya, {"Last-Event-ID": "0"}, want=2) if e["event"] == "review.updated"]
        assert json.loads(heard[-1]["data"]) == {"id": before["id"], "version": after["version"]}
        queue = maya.get("/mentors/1/missions/submissions", params={"status": "pending_review", "limit": 1000})
        assert before["id"] in {r["id"] for r in queue.json()["results"]}

        again = _submit(student, mission_id, json={"notes": NOTES})
        assert again.status_code == 409 and again.json() == {
            "error": "illegal_transition", "from": "submitted", "to": "submitted",
            "message": "Only a submission a mentor sent back for revision can be resubmitted"}
        # the mentor can take the new attempt through review again
        assert maya.post(f"/mentor/reviews/{before['id']}/claim").status_code == 200


def test_layer_a_revision_can_be_resubmitted_as_json(serve: Serve) -> None:
    server = serve()
    with sign_in(server.url, "mentor@demo.och") as maya, sign_in(server.url, "student@demo.och") as student:
        row = next(r for r in maya.get("/mentors/1/missions/submissions", params={"limit": 1000}).json()["results"]
                   if r["mentee_id"] == str(STUDENT_ID) and r["status"] == "in_mentor_review")
        decided = maya.post(f"/mentor/missions/{row['id']}/review",
                            json={"overall_status": "needs_revision", "feedback": "Redo the containment plan."})
        assert decided.status_code == 200
        sent = _submit(student, row["mission_id"], json={"notes": NOTES})
        assert sent.status_code == 201, sent.text
        detail = maya.get(f"/mentor/reviews/{row['id']}").json()
        assert detail["status"] == "submitted"
        assert detail["history"][-1]["feedback_written"] == "Redo the containment plan."
        assert detail["history"][-1]["reviewer"] is None  # a layer A decision names no stage reviewer
        listed = maya.get("/mentors/1/missions/submissions", params={"limit": 1000}).json()["results"]
        assert next(r for r in listed if r["id"] == row["id"])["status"] == "submitted"


def test_resubmission_rules(sandbox: SandboxServer) -> None:
    """Every refusal is OCH-shaped and changes nothing (so this runs on the shared sandbox)."""
    with sign_in(sandbox.url, "lead@demo.och") as lead:
        rows = lead.get("/mentor/reviews", params={"limit": 1000, "status": "mentor_review,approved"}
                        ).json()["results"]
    item = next(r for r in rows if r["learner"]["id"] == STUDENT_ID)
    mission_id = item["mission"]["id"]
    assert httpx.post(f"{sandbox.url}/api/v1/student/missions/{mission_id}/submit-ai/",
                      data={"notes": NOTES}).status_code == 401
    with sign_in(sandbox.url, "student@demo.och") as student:
        short = _submit(student, mission_id, data={"notes": "fixed it"})
        assert (short.status_code, short.json()) == (
            400, {"error": "Missing required submission items: notes (at least 20 characters)"})
        assert _submit(student, mission_id, json={"notes": None}).status_code == 400
        blocked = _submit(student, mission_id, data={"notes": NOTES}, files=[("files", ("run.exe", b"MZ", None))])
        assert (blocked.status_code, blocked.json()) == (400, {"error": "File type not allowed: .exe"})
        huge = _submit(student, mission_id, data={"notes": NOTES},
                       files=[("files", ("capture.log", b"x" * (10 * 1024 * 1024 + 1), "text/plain"))])
        assert (huge.status_code, huge.json()) == (400, {"error": "File exceeds 10MB limit"})
        assert _submit(student, "00000000-0000-0000-0000-000000000000", json={"notes": NOTES}).status_code == 404
        not_sent_back = _submit(student, mission_id, json={"notes": NOTES})
        assert not_sent_back.status_code == 409
        assert (not_sent_back.json()["from"], not_sent_back.json()["to"]) == (item["status"], "submitted")
    with sign_in(sandbox.url, "mentor@demo.och") as maya:
        assert _submit(maya, mission_id, json={"notes": NOTES}).json() == {
            "error": "You have no submission for this mission"}
        assert maya.get(f"/mentor/reviews/{item['id']}").json()["version"] == item["version"]


def test_director_moves_a_learner_to_another_mentor(serve: Serve) -> None:
    server = serve(events_keepalive_s=0.3)
    with sign_in(server.url, "lead@demo.och") as lead, sign_in(server.url, "mentor@demo.och") as maya, \
            sign_in(server.url, "mentor3@demo.och") as arjun:
        theirs = {r["learner"]["id"] for r in arjun.get("/mentor/reviews", params={"limit": 1000}).json()["results"]}
        mine = [r for r in maya.get("/mentor/reviews", params={"limit": 1000, "status": "ai_reviewed"}
                                    ).json()["results"] if r["learner"]["id"] not in theirs]
        learner = mine[0]["learner"]["id"]
        assert maya.post(f"/mentor/reviews/{mine[0]['id']}/claim").status_code == 200
        since = maya.get(f"/mentor/reviews/{mine[0]['id']}").json()["updated_at"]
        items = {r["id"]: r for r in lead.get("/mentor/reviews", params={"limit": 1000}).json()["results"]
                 if r["learner"]["id"] == learner}

        moved = lead.post("/director/mentors/assign-direct/",
                          json={"mentee_id": learner, "mentor_id": 4, "from_mentor_id": 1})
        assert moved.status_code == 201 and moved.json()["created"] is True

        pulled = maya.get("/mentor/reviews", params={"updated_since": since, "limit": 1000}).json()["results"]
        gone = [r for r in pulled if r["learner"]["id"] == learner]
        assert {r["id"] for r in gone} == set(items) and all(r["assigned"] is False for r in gone)
        assert maya.get(f"/mentor/reviews/{mine[0]['id']}").status_code == 404
        released = lead.get(f"/mentor/reviews/{mine[0]['id']}").json()
        assert released["claimed_by"] is None and released["version"] == items[mine[0]["id"]]["version"] + 1

        unassigned = [e for e in events(maya, {"Last-Event-ID": "0"}, want=len(items) + 1)
                      if e["event"] == "review.unassigned"]
        assert {json.loads(e["data"])["id"] for e in unassigned} == set(items)
        assert {json.loads(e["data"])["id"]: json.loads(e["data"])["version"] for e in unassigned} == {
            item_id: released["version"] if item_id == released["id"] else row["version"]
            for item_id, row in items.items()}
        assert learner in {r["learner"]["id"] for r in arjun.get("/mentor/reviews", params={"limit": 1000}
                                                                 ).json()["results"]}
        assert arjun.post(f"/mentor/reviews/{released['id']}/claim").status_code == 200

        repeat = lead.post("/director/mentors/assign-direct/",
                           json={"mentee_id": learner, "mentor_id": 4, "from_mentor_id": 1})
        assert repeat.status_code == 200 and repeat.json()["created"] is False
        for bad in ({"from_mentor_id": 4}, {"from_mentor_id": 5}, {"from_mentor_id": "someone"}):
            refused = lead.post("/director/mentors/assign-direct/", json={"mentee_id": learner, "mentor_id": 4, **bad})
            assert refused.status_code == 400 and "error" in refused.json()
