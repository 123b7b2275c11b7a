"""Layer A director action seen in the captures (contract 05): assign a mentor to a learner directly.

Assigning also announces the learner's items to the mentor over layer B's event stream (``review.assigned``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from mentor_desk.sandbox.auth import User, bearer_user
from mentor_desk.sandbox.catalog import stable_uuid
from mentor_desk.sandbox.errors import error
from mentor_desk.sandbox.state import SandboxState, emit, iso, json_body, sandbox

router = APIRouter()


@router.post("/director/mentors/assign-direct/")
def assign_direct(body: Annotated[dict[str, Any], Depends(json_body)],
                  user: Annotated[User, Depends(bearer_user)],
                  state: Annotated[SandboxState, Depends(sandbox)]) -> JSONResponse:
    if not user.is_director:
        raise error(403, "Only program directors can assign mentors")
    try:
        mentee_id, mentor_id = int(str(body.get("mentee_id"))), int(str(body.get("mentor_id")))
    except (TypeError, ValueError):
        raise error(400, "mentee_id and mentor_id are required") from None
    with state.db.tx() as conn:
        mentee = conn.execute("SELECT track_code FROM users WHERE id = ? AND role = 'student'", (mentee_id,)).fetchone()
        mentor = conn.execute("SELECT 1 FROM users WHERE id = ? AND is_mentor = 1", (mentor_id,)).fetchone()
        if mentee is None or mentor is None:
            raise error(404, "Mentee or mentor not found")
        assignment_id = stable_uuid("assignment", mentor_id, mentee_id)
        existing = conn.execute("SELECT status FROM assignments WHERE id = ?", (assignment_id,)).fetchone()
        stamp = iso()
        if existing is None:
            conn.execute("INSERT INTO assignments VALUES (?,?,?,'active','direct',?,?,?)",
                         (assignment_id, mentor_id, mentee_id, mentee["track_code"], stamp, stamp))
        elif existing["status"] != "active":
            conn.execute("UPDATE assignments SET status = 'active', updated_at = ? WHERE id = ?",
                         (stamp, assignment_id))
        newly = existing is None or existing["status"] != "active"
        if newly:
            items = conn.execute("SELECT id, version FROM reviews WHERE learner_id = ?", (mentee_id,)).fetchall()
            for review_id, version in items:
                emit(conn, [mentor_id], "review.assigned", {"id": review_id, "version": version})
    return JSONResponse({"id": assignment_id, "mentee_id": str(mentee_id), "mentor_id": str(mentor_id),
                         "created": existing is None}, status_code=201 if existing is None else 200)
