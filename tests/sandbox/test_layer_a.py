"""Layer A (OCH v1) as a client meets it: shapes like the real captures, quirks, slashes, authorisation."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from mentor_desk.sandbox.runner import SandboxServer

from .conftest import sign_in

CONTRACT = Path(__file__).resolve().parents[1] / "contract"  # copies of shared/contract


def captured(name: str) -> object:
    return json.loads((CONTRACT / name).read_text())["response"]


def item_keys(body: object) -> set[str]:
    rows = body["results"] if isinstance(body, dict) else body
    return set(rows[0])


@pytest.mark.skipif(not CONTRACT.exists(), reason="contract captures not available")
class TestShapesMatchCaptures:
    def test_queue(self, mentor: httpx.Client) -> None:
        body = mentor.get("/mentors/1/missions/submissions", params={"status": "all"}).json()
        real = captured("20-mentor-queue-all.json")
        assert set(body) == set(real) and item_keys(body) >= item_keys(real)
        pending_row = next(r for r in body["results"] if r["status"] == "in_mentor_review")
        assert set(pending_row) == item_keys(real)

    def test_reviewed_queue(self, mentor: httpx.Client) -> None:
        body = mentor.get("/mentors/1/missions/submissions", params={"status": "reviewed"}).json()
        assert item_keys(body) == item_keys(captured("35-mentor-queue-reviewed.json"))

    def test_me_and_login(self, sandbox: SandboxServer, mentor: httpx.Client) -> None:
        me, real = mentor.get("/auth/me").json(), captured("03-me-mentor.json")
        assert set(me) == set(real) and set(me["user"]) == set(real["user"])
        assert set(me["roles"][0]) == set(real["roles"][0])
        login = httpx.post(f"{sandbox.url}/api/v1/auth/login",
                           json={"email": "mentor@demo.och", "password": "mentor-demo"}).json()
        real_login = captured("01-login-mentor.json")
        assert set(login) == set(real_login) and set(login["user"]) == set(real_login["user"])
        assert set(login["user"]["roles"][0]) == set(real_login["user"]["roles"][0])

    def test_tier5_status(self, mentor: httpx.Client) -> None:
        body, real = mentor.get("/curriculum/tier5/tracks/DEFENDER_5/status").json(), captured(
            "52-mentor-tier5-status.json")
        assert set(body) == set(real) and set(body["requirements"]) == set(real["requirements"])
        not_tier5 = mentor.get("/curriculum/tier5/tracks/DEFENDER_4/status")
        assert (not_tier5.status_code, not_tier5.json()) == (400, captured(
            "53-student-tier5-status-nontier5-400.json"))

    def test_interactions(self, mentor: httpx.Client) -> None:
        listing = mentor.get("/mentorship-interactions/", params={"role": "mentor"}).json()
        real = captured("31-mentor-interactions-list.json")
        assert set(listing) == set(real) and item_keys(listing) == item_keys(real)
        detail = mentor.get(f"/mentorship-interactions/{listing['results'][0]['id']}/").json()
        assert set(detail) == set(captured("30-mentor-interaction-detail.json"))


@pytest.mark.skipif(not CONTRACT.exists(), reason="contract captures not available")
def test_write_answers_match_captures(fresh_sandbox: SandboxServer) -> None:
    """The answers of layer A writes and errors carry the captured key sets (or bodies) exactly."""
    origin = fresh_sandbox.url
    with sign_in(origin, "mentor@demo.och") as client:
        row = next(r for r in client.get("/mentors/1/missions/submissions", params={"limit": 1000}).json()[
            "results"] if r["status"] == "in_mentor_review")
        review = f"/mentor/missions/{row['id']}/review"
        assert client.post(review, json={"score": 80, "feedback": "", "approved": True}).json() == captured(
            "32-mentor-review-empty-feedback-400.json")
        decided = client.post(review, json={"overall_status": "pass", "feedback": {"written": "Great work."}})
        assert set(decided.json()) == set(captured("33-mentor-review-submission.json"))
        mentee = client.get("/mentorship-interactions/").json()["results"][0]["mentee_id"]
        created = client.post("/mentorship-interactions/create/", json={
            "mentee_id": mentee, "mission_id": row["mission_id"], "interaction_type": "mission_review"}).json()
        path = f"/mentorship-interactions/{created['id']}"
        updated = client.put(f"{path}/update/", json={"status": "in_progress", "overall_score": 79.6})
        assert set(updated.json()) == set(captured("26-mentor-interaction-update-scores.json"))
        uploaded = client.post(f"{path}/upload-feedback/", json={
            "media_type": "audio", "file_url": f"{origin}/media/feedback/review-1.m4a", "duration_seconds": 42})
        assert set(uploaded.json()) == set(captured("27-mentor-interaction-upload-audio-url.json"))
        multipart = client.post(f"{path}/upload-feedback/", data={"media_type": "audio", "duration_seconds": "42"},
                                files={"file": ("fb.m4a", b"\x00", "audio/mp4")})
        assert multipart.status_code == 400
    anon = httpx.Client(base_url=f"{origin}/api/v1")
    wrong = anon.post("/auth/login", json={"email": "mentor@demo.och", "password": "wrong"})
    assert wrong.json() == captured("19-login-wrong-password.json")
    refresh = anon.post("/auth/login", json={"email": "mentor@demo.och", "password": "mentor-demo"}).json()
    assert anon.post("/auth/token/refresh", json={"refresh_token": refresh["refresh_token"],
                                                  "device_fingerprint": "desk-001"}).json() == captured(
        "02-refresh-mentor.json")
    simple = anon.post("/auth/login/simple", json={"email": "mentor@demo.och", "password": "mentor-demo"}).json()
    assert set(simple) == set(captured("17-login-simple.json"))
    assert set(simple["user"]) == set(captured("17-login-simple.json")["user"])


def test_pending_filter_misses_in_mentor_review(mentor: httpx.Client) -> None:
    """OCH's pending_review looks for submitted/ai_reviewed only (contract 21)."""
    every = mentor.get("/mentors/1/missions/submissions", params={"limit": 1000}).json()["results"]
    pending = mentor.get("/mentors/1/missions/submissions",
                         params={"status": "pending_review", "limit": 1000}).json()["results"]
    assert any(r["status"] == "in_mentor_review" for r in every)
    assert pending and {r["status"] for r in pending} <= {"submitted", "ai_reviewed"}


def test_queue_pages_and_counts(mentor: httpx.Client) -> None:
    first = mentor.get("/mentors/1/missions/submissions", params={"limit": 10}).json()
    second = mentor.get("/mentors/1/missions/submissions", params={"limit": 10, "offset": 10}).json()
    assert first["count"] == second["count"] >= 60
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_workqueue_capstones_mentees_assignments(mentor: httpx.Client) -> None:
    work = mentor.get("/mentor/workqueue", params={"status": "overdue"}).json()
    assert isinstance(work, list) and work and {w["type"] for w in work} == {"mission_review"}
    assert all(w["sla_remaining"] == "OVERDUE" for w in work)
    capstones = mentor.get("/mentors/1/capstones", params={"status": "all"}).json()
    assert capstones and set(capstones[0]) == {"id", "title", "mentee_name", "submitted_at", "rubric_id"}
    mentees = mentor.get("/mentors/1/mentees").json()
    assert any(m["email"] == "student@demo.och" for m in mentees) and "uuid_id" not in mentees[0]
    assignments = mentor.get("/mentorship/mentors/1/assignments").json()
    assert {"id", "mentee_id", "mentee_name"} <= set(assignments[0])


def test_mission_detail_hides_rubric_and_needs_slash(mentor: httpx.Client) -> None:
    row = mentor.get("/mentors/1/missions/submissions").json()["results"][0]
    mission = mentor.get(f"/missions/{row['mission_id']}/").json()
    assert mission["title"] == row["mission_title"]
    assert not {"rubric_id", "branching_paths", "ideal_path", "code", "tier"} & set(mission)
    assert mentor.get(f"/missions/{row['mission_id']}").status_code == 404


@pytest.mark.parametrize("path", ["/mentor/workqueue/", "/mentors/1/missions/submissions/", "/auth/me/",
                                  "/mentorship-interactions", "/curriculum/tier5/tracks/GRC_5/status/",
                                  "/health"])
def test_wrong_trailing_slash_is_404_not_redirect(mentor: httpx.Client, path: str) -> None:
    response = mentor.get(path, follow_redirects=False)
    assert response.status_code == 404


def test_authorisation(sandbox: SandboxServer, mentor: httpx.Client) -> None:
    other = mentor.get("/mentors/3/missions/submissions")
    assert (other.status_code, other.json()) == (403, {"error": "You can only view your own mission submissions"})
    with sign_in(sandbox.url, "student@demo.och") as student:
        assert student.get("/mentor/workqueue").status_code == 500  # OCH: bare Exception for non-mentors
        assert student.get("/mentors/6/missions/submissions").status_code == 500
    with sign_in(sandbox.url, "mentor3@demo.och") as mentor3:
        mine = {r["id"] for r in mentor3.get("/mentors/4/missions/submissions",
                                             params={"limit": 1000}).json()["results"]}
    foreign = next(r for r in mentor.get("/mentors/1/missions/submissions", params={"limit": 1000}
                                         ).json()["results"] if r["id"] not in mine)
    with sign_in(sandbox.url, "mentor3@demo.och") as mentor3:
        denied = mentor3.post(f"/mentor/missions/{foreign['id']}/review",
                              json={"overall_status": "pass", "feedback": {"written": "ok"}})
    assert (denied.status_code, denied.json()) == (403, {"error": "Mentee not assigned to this mentor"})


def test_review_decision_both_shapes(fresh_sandbox: SandboxServer) -> None:
    with sign_in(fresh_sandbox.url, "mentor@demo.och") as client:
        rows = client.get("/mentors/1/missions/submissions", params={"limit": 1000}).json()["results"]
        first, second = [r for r in rows if r["status"] == "in_mentor_review"][:2]
        empty = client.post(f"/mentor/missions/{first['id']}/review",
                            json={"score": 80, "feedback": "", "approved": True})
        assert (empty.status_code, empty.json()) == (400, {"feedback": ["This field may not be blank."]})
        ok = client.post(f"/mentor/missions/{first['id']}/review",
                         json={"overall_status": "needs_revision", "feedback": {"written": "Redo the timeline."}})
        assert ok.json() == {"status": "success", "submission_id": first["id"], "approved": False}
        raw = client.post(f"/mentor/missions/{second['id']}/review",
                          json={"score": 91, "feedback": "Excellent.", "approved": True})
        assert raw.json()["approved"] is True
        reviewed = {r["id"]: r for r in client.get("/mentors/1/missions/submissions",
                                                     params={"status": "reviewed", "limit": 1000}).json()["results"]}
        assert reviewed[first["id"]]["status"] == "rejected" and reviewed[first["id"]]["mentor_score"] == 50
        assert reviewed[second["id"]]["status"] == "approved" and reviewed[second["id"]]["feedback"] == "Excellent."
        assert client.post("/mentor/missions/00000000-0000-0000-0000-000000000000/review",
                           json={"score": 1, "feedback": "x"}).status_code == 404


def test_interactions_lifecycle_and_complete_phase_bug(fresh_sandbox: SandboxServer) -> None:
    with sign_in(fresh_sandbox.url, "mentor@demo.och") as client:
        mentee = client.get("/mentorship-interactions/").json()["results"][0]["mentee_id"]
        created = client.post("/mentorship-interactions/create/", json={
            "mentee_id": mentee, "interaction_type": "mission_review", "total_phases": 2}).json()
        assert set(created) == set(captured("25-mentor-interaction-create.json"))
        path = f"/mentorship-interactions/{created['id']}"
        client.put(f"{path}/update/", json={"subtask_scores": {"1": 90, "2": 70}, "rubric_scores": {"a": 1}})
        client.put(f"{path}/update/", json={"subtask_scores": {"3": 60}, "status": "in_progress"})
        detail = client.get(f"{path}/").json()
        assert detail["subtask_scores"] == {"3": 60} and detail["rubric_scores"] == {"a": 1}  # replaced whole
        assert detail["started_at"] and detail["status"] == "in_progress"
        assert client.post(f"{path}/upload-feedback/", json={"media_type": "audio"}).json() == {
            "error": "file_url is required"}
        assert client.post(f"{path}/complete-phase/").status_code == 500
        assert client.post("/mentorship-interactions/", json={}).status_code == 405


def test_messages_with_attachment_cap(fresh_sandbox: SandboxServer) -> None:
    with sign_in(fresh_sandbox.url, "mentor@demo.och") as client:
        assignment = client.get("/mentorship/mentors/1/assignments").json()[0]["id"]
        url = f"/mentorship/assignments/{assignment}/messages"
        sent = client.post(url, data={"body": "Feedback recording attached."},
                           files={"attachments": ("fb.m4a", b"\x00" * 2048, "audio/mp4")})
        assert sent.status_code == 201
        attachment = sent.json()["attachments"][0]
        assert attachment["file_size"] == 2048 and attachment["file"].startswith("http://127.0.0.1")
        assert httpx.get(attachment["file"]).content == b"\x00" * 2048
        too_big = client.post(url, data={"body": "big"},
                              files={"attachments": ("long.mp4", b"\x00" * (10 * 1024 * 1024 + 1), "video/mp4")})
        assert (too_big.status_code, too_big.json()) == (400, {"error": "File long.mp4 exceeds 10MB limit"})
        assert [m["body"] for m in client.get(url).json()] == ["Feedback recording attached."]


def test_dashboard_stream(sandbox: SandboxServer, mentor: httpx.Client) -> None:
    only_sse = mentor.get("/mentor/dashboard/stream", headers={"Accept": "text/event-stream"})
    assert only_sse.status_code == 406
    with mentor.stream("GET", "/mentor/dashboard/stream", headers={"Accept": "*/*"}) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        first = next(line for line in stream.iter_lines() if line)
    assert first.startswith("data: ") and "work_queue" in json.loads(first[6:])


def test_och_v1_profile_has_no_layer_b(sandbox_v1: SandboxServer) -> None:
    with sign_in(sandbox_v1.url, "mentor@demo.och") as client:
        assert client.get("/mentor/capabilities").status_code == 404
        assert client.get("/mentor/reviews").status_code == 404
        assert client.get("/mentors/1/missions/submissions").status_code == 200
        # the learner_id extension is layer B: OCH v1 answers with the caller's own status
        own = client.get("/curriculum/tier5/tracks/DEFENDER_5/status", params={"learner_id": 6}).json()
        assert own["requirements"]["mastery_missions_approved"] == 0
