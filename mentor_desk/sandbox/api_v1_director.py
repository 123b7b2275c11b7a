"""Layer A director action seen in the captures (contract 05): assign a mentor to a learner directly.

Assigning announces the learner's items to the mentor over layer B's event stream (``review.assigned``).
A sandbox extension makes it a move: with ``from_mentor_id`` that mentor's assignment to the learner ends in
the same transaction, the claims they held on the learner's items are released, and they hear
``review.unassigned`` for every item (whose rows then come back with ``"assigned": false`` on their
``updated_since`` pulls). OCH ignores the extra field.
"""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from mentor_desk.sandbox.auth import User, bearer_user
from mentor_desk.sandbox.catalog import stable_uuid
from mentor_desk.sandbox.errors import error
from mentor_desk.sandbox.reviews import touch
from mentor_desk.sandbox.state import SandboxState, emit, iso, json_body, sandbox

router = APIRouter()


def _user_id(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    return int(str(value))


@router.post("/director/mentors/assign-direct/")
def assign_direct(body: Annotated[dict[str, Any], Depends(json_body)],
                  user: Annotated[User, Depends(bearer_user)],
                  state: Annotated[SandboxState, Depends(sandbox)]) -> JSONResponse:
    if not user.is_director:
        raise error(403, "Only program directors can assign mentors")
    try:
        mentee_id, mentor_id = _user_id(body.get("mentee_id")), _user_id(body.get("mentor_id"))
        previous = None if body.get("from_mentor_id") is None else _user_id(body["from_mentor_id"])
    except (TypeError, ValueError):
        raise error(400, "mentee_id and mentor_id are required (and from_mentor_id, if given, a user id)") from None
    if previous == mentor_id:
        raise error(400, "from_mentor_id must differ from mentor_id")
    with state.db.tx() as conn:
        mentee = conn.execute("SELECT track_code FROM users WHERE id = ? AND role = 'student'", (mentee_id,)).fetchone()
        mentor = conn.execute("SELECT 1 FROM users WHERE id = ? AND is_mentor = 1", (mentor_id,)).fetchone()
        if mentee is None or mentor is None:
            raise error(404, "Mentee or mentor not found")
        stamp = iso()
        if previous is not None:
            _unassign(conn, previous, mentee_id, stamp)
        assignment_id = stable_uuid("assignment", mentor_id, mentee_id)
        existing = conn.execute("SELECT status FROM assignments WHERE id = ?", (assignment_id,)).fetchone()
        if existing is None:
            conn.execute("INSERT INTO assignments VALUES (?,?,?,'active','direct',?,?,?)",
                         (assignment_id, mentor_id, mentee_id, mentee["track_code"], stamp, stamp))
        elif existing["status"] != "active":
            conn.execute("UPDATE assignments SET status = 'active', updated_at = ? WHERE id = ?",
                         (stamp, assignment_id))
        if existing is None or existing["status"] != "active":
            items = conn.execute("SELECT id, version FROM reviews WHERE learner_id = ?", (mentee_id,)).fetchall()
            for review_id, version in items:
                emit(conn, [mentor_id], "review.assigned", {"id": review_id, "version": version})
    return JSONResponse({"id": assignment_id, "mentee_id": str(mentee_id), "mentor_id": str(mentor_id),
                         "created": existing is None}, status_code=201 if existing is None else 200)


def _unassign(conn: sqlite3.Connection, mentor_id: int, mentee_id: int, stamp: str) -> None:
    """End ``mentor_id``'s assignment to the learner (a repeat is a no-op); 400 if there never was one."""
    rows = conn.execute("SELECT id, status FROM assignments WHERE mentor_id = ? AND mentee_id = ?",
                        (mentor_id, mentee_id)).fetchall()
    if not rows:
        raise error(400, f"Mentor {mentor_id} is not assigned to mentee {mentee_id}")
    active = [row["id"] for row in rows if row["status"] == "active"]
    if not active:
        return
    conn.executemany("UPDATE assignments SET status = 'cancelled', updated_at = ? WHERE id = ?",
                     [(stamp, assignment_id) for assignment_id in active])
    for row in conn.execute("SELECT * FROM reviews WHERE learner_id = ? ORDER BY id", (mentee_id,)).fetchall():
        version = row["version"]
        if row["claimed_by"] == mentor_id:
            version = touch(conn, row, "claim.changed", claimed_by=None, claimed_at=None, claim_expires_at=None)
        emit(conn, [mentor_id], "review.unassigned", {"id": row["id"], "version": version})
