"""Blind scoring meetings: who may lead, blindness until reveal, consensus writing the final stage."""

from __future__ import annotations

import httpx

from mentor_desk.sandbox.runner import SandboxServer

from .conftest import sign_in
from .reviewing import uniform_scores


def capstone_shared_by(lead: httpx.Client, panel: httpx.Client) -> dict:
    visible = {r["id"] for r in panel.get("/mentor/reviews", params={"limit": 1000}).json()["results"]}
    rows = lead.get("/mentor/reviews", params={"limit": 1000, "status": "mentor_review"}).json()["results"]
    row = next(r for r in rows if r["kind"] == "capstone" and r["mission"]["track"] in ("DEFENDER_5", "OFFENSIVE_5")
               and r["id"] in visible)
    return lead.get(f"/mentor/reviews/{row['id']}").json()


def test_blind_meeting_end_to_end(fresh_sandbox: SandboxServer) -> None:
    url = fresh_sandbox.url
    with sign_in(url, "mentor@demo.och") as maya, sign_in(url, "mentor2@demo.och") as lena, \
            sign_in(url, "mentor3@demo.och") as arjun, sign_in(url, "student@demo.och") as student:
        detail = capstone_shared_by(maya, lena)
        assert student.post("/scoring-meetings", json={"review_id": detail["id"], "panel": [3]}).status_code == 403
        not_lead = lena.post("/scoring-meetings", json={"review_id": detail["id"], "panel": [1, 3]})
        assert not_lead.status_code == 403  # mentor2 is not DEFENDER_5/OFFENSIVE_5's primary mentor
        assert maya.post("/scoring-meetings", json={"review_id": detail["id"], "panel": [6]}).status_code == 400
        created = maya.post("/scoring-meetings", json={"review_id": detail["id"], "panel": [1, 3, 4], "blind": True})
        assert created.status_code == 201
        meeting = created.json()
        mid = meeting["id"]
        assert meeting["state"] == "scoring" and meeting["scores"] is None and meeting["rubric"]
        assert arjun.get(f"/mentor/reviews/{detail['id']}").status_code == 200  # panel may read the review

        lena_scores = uniform_scores(detail, 2)
        put = lena.put(f"/scoring-meetings/{mid}/my-scores",
                       json={"base_version": 1, "subtask_scores": lena_scores, "comment": "Weak remediation"})
        assert put.status_code == 200 and put.json()["my_scores"]["subtask_scores"] == lena_scores
        stale = maya.put(f"/scoring-meetings/{mid}/my-scores", json={"base_version": 1, "subtask_scores": {}})
        assert stale.status_code == 409 and stale.json()["error"] == "version_conflict"
        maya.put(f"/scoring-meetings/{mid}/my-scores",
                 json={"base_version": 2, "subtask_scores": uniform_scores(detail, 4), "comment": "Strong"})
        # blind: nobody sees another's scores before the reveal, not even the lead
        for client in (maya, lena, arjun):
            view = client.get(f"/scoring-meetings/{mid}").json()
            assert view["scores"] is None
            assert "Weak remediation" not in str(view) or client is lena
        assert [p["submitted_at"] is not None for p in maya.get(f"/scoring-meetings/{mid}").json()["panel"]] == \
            [True, True, False]
        bad = arjun.put(f"/scoring-meetings/{mid}/my-scores",
                        json={"base_version": 3, "subtask_scores": {"1": {"nope": 1}}})
        assert bad.status_code == 422 and bad.json()["error"] == "invalid_scores"

        assert lena.post(f"/scoring-meetings/{mid}/reveal").status_code == 403
        early = maya.post(f"/scoring-meetings/{mid}/consensus", json={"base_version": 3})
        assert early.status_code == 409 and early.json()["error"] == "illegal_transition"
        revealed = maya.post(f"/scoring-meetings/{mid}/reveal").json()
        assert revealed["state"] == "revealed" and len(revealed["scores"]) == 2
        assert lena.get(f"/scoring-meetings/{mid}").json()["scores"][0]["comment"] in ("Strong", "Weak remediation")
        assert arjun.put(f"/scoring-meetings/{mid}/my-scores", json={"base_version": 4, "subtask_scores": {}}
                         ).status_code == 409

        consensus = maya.post(f"/scoring-meetings/{mid}/consensus", json={
            "base_version": revealed["version"], "subtask_scores": uniform_scores(detail, 3), "decision": "approve",
            "feedback_written": "Panel consensus: solid capstone.", "notes": "Spread of 2 points on remediation."})
        assert consensus.status_code == 200, consensus.text
        closed = consensus.json()
        assert closed["state"] == "closed" and closed["consensus"]["mission_score"] == 75.0
        review = maya.get(f"/mentor/reviews/{detail['id']}").json()
        assert (review["status"], review["final_status"], review["stage"]["name"]) == ("approved", "pass", "final")
        assert review["stages"][-1]["feedback_written"] == "Panel consensus: solid capstone."
        listed = lena.get("/scoring-meetings", params={"state": "closed"}).json()
        assert [m["id"] for m in listed["results"]] == [mid]


def test_director_may_lead(fresh_sandbox: SandboxServer) -> None:
    with sign_in(fresh_sandbox.url, "lead@demo.och") as lead, sign_in(fresh_sandbox.url, "mentor@demo.och") as maya:
        detail = capstone_shared_by(maya, maya)
        created = lead.post("/scoring-meetings", json={"review_id": detail["id"], "panel": [1, 3]})
        assert created.status_code == 201 and created.json()["lead"]["id"] == 2
