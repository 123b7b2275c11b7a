"""Tier-5: layer B's learner list, status of a learner and mentor sign-off rules; layer A's completion; the seed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from mentor_desk.sandbox import tier5
from mentor_desk.sandbox.db import SCHEMA
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.sandbox.seed import seed_database

from .conftest import sign_in
from .test_layer_a import captured


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


@pytest.mark.parametrize("seed", [1, 5, 42])
def test_every_seed_has_learners_in_each_state(tmp_path: Path, seed: int) -> None:
    """Not ready, ready for sign-off (only the approval missing) and approved: for the demo mentor, any seed."""
    conn = sqlite3.connect(tmp_path / "seed.sqlite3")
    conn.row_factory = sqlite3.Row
    conn.executescript(SCHEMA)
    seed_database(conn, seed=seed, scale=1, now=datetime(2026, 3, 1, tzinfo=UTC))
    conn.commit()
    tracks = {row["code"]: row for row in conn.execute("SELECT * FROM tracks WHERE tier = 5")}
    states = set()
    for learner_id, code in conn.execute(
            "SELECT u.id, u.track_code FROM assignments a JOIN users u ON u.id = a.mentee_id "
            "WHERE a.mentor_id = 1 AND a.status = 'active'").fetchall():
        missing = tier5.track_status(conn, learner_id, tracks[code])["missing_requirements"]
        states.add("approved" if not missing else "ready" if missing == [tier5.APPROVAL_MISSING] else "not ready")
    assert states == {"not ready", "ready", "approved"}


def test_a_learner_completes_their_track_once_everything_holds(fresh_sandbox: SandboxServer) -> None:
    """Layer A's ``POST .../complete`` (contract 51, 55, 56): refused with the missing list until every requirement
    (the mentor's approval included) holds, then completed: 100 % and ``is_complete``; the mentors hear of it."""
    url = "/curriculum/tier5/tracks/{}/complete"
    with sign_in(fresh_sandbox.url, "student@demo.och") as student:
        status = student.get("/curriculum/tier5/tracks/DEFENDER_5/status").json()
        refused = student.post(url.format("DEFENDER_5"))
        assert refused.status_code == 400
        assert refused.json() == {**captured("51-student-tier5-complete.json"),
                                  "missing_requirements": status["missing_requirements"]}
        assert student.post(url.format("DEFENDER_4")).json()["error"] == "not_tier5"
        assert student.post(url.format("NOPE_5")).status_code == 404

        with sqlite3.connect(fresh_sandbox.config.db_path, timeout=10) as db:  # the learner's missions all pass
            db.execute("UPDATE reviews SET status = 'approved', final_status = 'pass', mentor_score = 82 "
                       "WHERE learner_id = 6 AND mission_id IN (SELECT id FROM missions WHERE track_code = ?)",
                       ("DEFENDER_5",))
        status = student.get("/curriculum/tier5/tracks/DEFENDER_5/status").json()
        assert status["missing_requirements"] == [tier5.APPROVAL_MISSING]
        assert student.post(url.format("DEFENDER_5")).json()["missing_requirements"] == [tier5.APPROVAL_MISSING]
        with sign_in(fresh_sandbox.url, "mentor@demo.och") as mentor:
            signed = mentor.post("/curriculum/tier5/tracks/DEFENDER_5/mentor-approval", json={
                "learner_id": 6, "approved": True, "comment": "Ready.", "client_op_id": "op-complete"})
            assert signed.status_code == 200, signed.text

        done = student.post(url.format("DEFENDER_5"))
        assert done.status_code == 200, done.text
        expected = captured("55-student-tier5-complete-after-pass.json")
        assert done.json() == {**expected, "completed_at": done.json()["completed_at"]}
        after = student.get("/curriculum/tier5/tracks/DEFENDER_5/status").json()
        assert after["completion_percentage"] == 100.0 and after["is_complete"] and after["mastery_complete"]
    with sqlite3.connect(fresh_sandbox.config.db_path) as db:
        heard = {row[0] for row in db.execute(
            "SELECT user_id FROM events WHERE event = 'tier5.updated' AND data LIKE '%completed_at%'")}
    assert 1 in heard  # the learner's mentor
