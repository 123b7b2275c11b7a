"""Tier-5 over layer B: learner list, status of a learner, mentor sign-off rules."""

from __future__ import annotations

import httpx

from mentor_desk.sandbox.runner import SandboxServer

from .conftest import sign_in


def learners(client: httpx.Client, **params: str) -> list[dict]:
    return client.get("/mentor/tier5/learners", params=params).json()["results"]


def test_learner_list_and_status(sandbox: SandboxServer, mentor: httpx.Client) -> None:
    rows = learners(mentor, track="DEFENDER_5")
    assert rows and {r["track_code"] for r in rows} == {"DEFENDER_5"}
    assert {"learner", "track_code", "status", "tier5_mentor_approval", "approved_by", "approved_at"} <= set(rows[0])
    learner_id = rows[0]["learner"]["id"]
    status = mentor.get("/curriculum/tier5/tracks/DEFENDER_5/status", params={"learner_id": learner_id}).json()
    assert status == rows[0]["status"]
    assert mentor.get("/mentor/tier5/learners", params={"track": "DEFENDER_4"}).status_code == 400
    with sign_in(sandbox.url, "mentor3@demo.och") as other:
        theirs = {r["learner"]["id"] for r in learners(other)}
    stranger = next(r["learner"]["id"] for r in learners(mentor) if r["learner"]["id"] not in theirs)
    with sign_in(sandbox.url, "mentor3@demo.och") as other:
        assert other.get("/curriculum/tier5/tracks/DEFENDER_5/status",
                         params={"learner_id": stranger}).status_code == 403
    with sign_in(sandbox.url, "lead@demo.och") as lead:
        assert lead.get("/curriculum/tier5/tracks/DEFENDER_5/status",
                        params={"learner_id": stranger}).status_code == 200


def test_sign_off_rules(fresh_sandbox: SandboxServer) -> None:
    with sign_in(fresh_sandbox.url, "mentor@demo.och") as client:
        rows = learners(client)
        ready = next(r for r in rows if r["status"]["missing_requirements"] == ["Mentor approval required"])
        not_ready = next(r for r in rows if len(r["status"]["missing_requirements"]) > 1)
        url = "/curriculum/tier5/tracks/{}/mentor-approval"

        refused = client.post(url.format(not_ready["track_code"]), json={
            "learner_id": not_ready["learner"]["id"], "approved": True, "comment": "", "client_op_id": "op-1"})
        assert refused.status_code == 409 and refused.json()["error"] == "requirements_not_met"
        assert "Mentor approval required" not in refused.json()["missing_requirements"]

        body = {"learner_id": ready["learner"]["id"], "approved": True, "comment": "Excellent capstone.",
                "client_op_id": "op-2"}
        approved = client.post(url.format(ready["track_code"]), json=body)
        assert approved.status_code == 200, approved.text
        assert approved.json()["tier5_mentor_approval"] is True and approved.json()["approved_by"]["id"] == 1
        assert client.post(url.format(ready["track_code"]), json=body).json() == approved.json()
        status = client.get(f"/curriculum/tier5/tracks/{ready['track_code']}/status",
                            params={"learner_id": ready["learner"]["id"]}).json()
        assert status["tier5_completion_requirements_met"] is True and status["missing_requirements"] == []

        revoke = {"learner_id": ready["learner"]["id"], "approved": False, "client_op_id": "op-3"}
        assert client.post(url.format(ready["track_code"]), json=revoke).status_code == 400  # comment required
        revoked = client.post(url.format(ready["track_code"]), json={**revoke, "comment": "Plagiarism found."})
        assert revoked.json()["tier5_mentor_approval"] is False
        assert client.post(url.format("DEFENDER_4"), json={**body, "client_op_id": "op-4"}).status_code == 400
    with sign_in(fresh_sandbox.url, "mentor3@demo.och") as other:
        theirs = {r["learner"]["id"] for r in learners(other)}
        if ready["learner"]["id"] not in theirs:
            denied = other.post(url.format(ready["track_code"]), json={**body, "client_op_id": "op-5"})
            assert denied.status_code == 403
