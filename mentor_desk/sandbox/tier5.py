"""Tier-5 (mastery) status, as OCH computes it, plus layer B's learner list and mentor sign-off."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from mentor_desk.sandbox import ops
from mentor_desk.sandbox.auth import User, bearer_user, reviewer_user
from mentor_desk.sandbox.db import loads
from mentor_desk.sandbox.errors import detail, error, field_errors
from mentor_desk.sandbox.state import SandboxState, emit, iso, json_body, sandbox
from mentor_desk.sandbox.views import is_assigned, learner_brief, missions, user_brief, watchers

router = APIRouter()
b_router = APIRouter()
Caller = Annotated[User, Depends(bearer_user)]
Reviewer = Annotated[User, Depends(reviewer_user)]
State = Annotated[SandboxState, Depends(sandbox)]
Body = Annotated[dict[str, Any], Depends(json_body)]
MODULES_TOTAL = 3
APPROVAL_MISSING = "Mentor approval required"
NOT_MET_MESSAGE = (
    "All Mastery level requirements must be met before completion (all mastery missions approved, capstone "
    "approved, reflections complete, mastery completion rubric passed, mentor approval if required).")
COMPLETED_MESSAGE = "Mastery Track completed successfully. You have achieved Mastery level in this track."


def _track(conn: sqlite3.Connection, code: str) -> sqlite3.Row:
    track = conn.execute("SELECT * FROM tracks WHERE code = ?", (code,)).fetchone()
    if track is None:
        raise detail(404, "Track not found")
    if track["tier"] != 5:
        raise error(400, "not_tier5", "This endpoint is only for Mastery level tracks")
    return track


def _progress(conn: sqlite3.Connection, user_id: int, code: str) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM track_progress WHERE user_id = ? AND track_code = ?",
                       (user_id, code)).fetchone()
    if row is None:
        return {"modules_completed": 0, "mentor_approval": 0, "approved_by": None, "approved_at": None,
                "comment": None, "completed_at": None}
    return dict(row)


def track_status(conn: sqlite3.Connection, user_id: int, track: sqlite3.Row) -> dict[str, Any]:
    """The body of ``GET /curriculum/tier5/tracks/{code}/status`` for one user (contract 50–56)."""
    track_missions = {m["id"]: m for m in missions(conn).values() if m["track_code"] == track["code"]}
    reviews = conn.execute(
        f"SELECT mission_id, status, final_status, mentor_score, data FROM reviews WHERE learner_id = ? AND "
        f"mission_id IN ({','.join('?' * len(track_missions))})", (user_id, *track_missions)).fetchall()
    mastery_total = sum(m["mission_type"] != "capstone" for m in track_missions.values())
    capstone_total = len(track_missions) - mastery_total
    approved = [r for r in reviews if r["status"] == "approved" and r["final_status"] == "pass"]
    capstone_approved = sum(track_missions[r["mission_id"]]["mission_type"] == "capstone" for r in approved)
    flags = [loads(r["data"]) for r in reviews]
    reflections_required = sum(bool(f["reflection_required"]) for f in flags)
    reflections_submitted = sum(bool(f["reflection_required"] and f["reflection_submitted"]) for f in flags)
    rubric_passed = all((r["mentor_score"] or 0) >= 70 for r in approved)
    progress = _progress(conn, user_id, track["code"])
    missing = []
    if len(approved) - capstone_approved < mastery_total:
        missing.append(f"Complete and get approval for all {mastery_total} Mastery mission(s)")
    if reflections_submitted < reflections_required:
        missing.append("Submit all required reflection(s) for Mastery missions")
    if capstone_approved < capstone_total:
        missing.append(f"Complete and get approval for Capstone project ({capstone_total} required)")
    if not rubric_passed:
        missing.append("Meet Mastery Completion Rubric requirements (minimum 70% score on all missions)")
    if track["require_mentor_approval"] and not progress["mentor_approval"]:
        missing.append(APPROVAL_MISSING)
    met = not missing
    percentage = 100.0 if progress["completed_at"] else \
        round(progress["modules_completed"] / MODULES_TOTAL * 100, 1)
    return {
        "track_code": track["code"], "track_name": track["name"], "progression_mode": track["progression_mode"],
        "completion_percentage": percentage, "is_complete": met, "tier5_completion_requirements_met": met,
        "requirements": {
            "mandatory_modules_total": MODULES_TOTAL, "mandatory_modules_completed": progress["modules_completed"],
            "mastery_missions_total": mastery_total, "mastery_missions_approved": len(approved) - capstone_approved,
            "capstone_total": capstone_total, "capstone_approved": capstone_approved,
            "reflections_required": reflections_required, "reflections_submitted": reflections_submitted,
            "rubric_passed": rubric_passed, "mentor_approval": bool(progress["mentor_approval"]),
            "mentor_approval_required": bool(track["require_mentor_approval"]),
        },
        "missing_requirements": missing, "mastery_complete": met,
    }


def _may_read(conn: sqlite3.Connection, user: User, learner_id: int) -> None:
    if not (user.is_director or (user.is_mentor and is_assigned(conn, user.id, learner_id))):
        raise error(403, "You can only view the Tier-5 status of your own learners")


@router.get("/curriculum/tier5/tracks/{code}/status")
def status(code: str, user: Caller, state: State, learner_id: int | None = None) -> dict[str, Any]:
    with state.db.tx() as conn:
        track = _track(conn, code)
        subject = user.id
        if learner_id is not None and state.config.profile == "full":  # layer B extension
            _may_read(conn, user, learner_id)
            subject = learner_id
        return track_status(conn, subject, track)


@router.post("/curriculum/tier5/tracks/{code}/complete")
def complete(code: str, user: Caller, state: State) -> dict[str, Any]:
    """The caller completes their own track (OCH's ``Tier5CompleteView``; no body). Like OCH, a repeat is not
    refused: it completes again, with a new ``completed_at``."""
    with state.db.tx() as conn:
        track = _track(conn, code)
        missing = track_status(conn, user.id, track)["missing_requirements"]
        if missing:
            raise error(400, "requirements_not_met", NOT_MET_MESSAGE, missing_requirements=missing)
        progress = _progress(conn, user.id, code)
        completed_at = iso()
        conn.execute("INSERT OR REPLACE INTO track_progress VALUES (?,?,?,?,?,?,?,?)",
                     (user.id, code, progress["modules_completed"], progress["mentor_approval"],
                      progress["approved_by"], progress["approved_at"], progress["comment"], completed_at))
        emit(conn, watchers(conn, user.id), "tier5.updated",
             {"learner_id": user.id, "track_code": code, "completed_at": completed_at})
    return {"success": True, "message": COMPLETED_MESSAGE, "completed_at": completed_at, "mastery_achieved": True}


def _approval_view(conn: sqlite3.Connection, learner_id: int, code: str) -> dict[str, Any]:
    progress = _progress(conn, learner_id, code)
    return {"learner_id": learner_id, "track_code": code, "tier5_mentor_approval": bool(progress["mentor_approval"]),
            "approved_by": user_brief(conn, progress["approved_by"]), "approved_at": progress["approved_at"],
            "comment": progress["comment"]}


@b_router.get("/mentor/tier5/learners")
def learners(user: Reviewer, state: State, track: str | None = None) -> dict[str, Any]:
    with state.db.tx() as conn:
        if track is not None:
            _track(conn, track)
        if user.is_director:
            rows = conn.execute("SELECT id, track_code FROM users WHERE role = 'student' ORDER BY id").fetchall()
        else:
            rows = conn.execute("SELECT u.id, u.track_code FROM assignments a JOIN users u ON u.id = a.mentee_id "
                                "WHERE a.mentor_id = ? AND a.status = 'active' ORDER BY u.id", (user.id,)).fetchall()
        tracks = {r["code"]: r for r in conn.execute("SELECT * FROM tracks WHERE tier = 5")}
        results = []
        for learner_id, code in rows:
            if code not in tracks or (track and code != track):
                continue
            approval = _approval_view(conn, learner_id, code)
            results.append({"learner": learner_brief(conn, learner_id), "track_code": code,
                            "status": track_status(conn, learner_id, tracks[code]),
                            **{k: approval[k] for k in ("tier5_mentor_approval", "approved_by", "approved_at")}})
    return {"results": results, "count": len(results)}


@b_router.post("/curriculum/tier5/tracks/{code}/mentor-approval")
def mentor_approval(code: str, body: Body, user: Reviewer, state: State) -> dict[str, Any]:
    learner_id, approved, comment = body.get("learner_id"), body.get("approved"), body.get("comment") or ""
    if isinstance(learner_id, bool) or not isinstance(learner_id, int):
        raise field_errors(learner_id="A valid integer is required.")
    if not isinstance(approved, bool):
        raise field_errors(approved="Must be a valid boolean.")
    if not approved and not str(comment).strip():
        raise field_errors(comment="A comment is required to revoke an approval.")
    with state.db.tx() as conn:
        stored = ops.replay(conn, user.id, body)
        if stored is not None:
            return stored
        track = _track(conn, code)
        if conn.execute("SELECT 1 FROM users WHERE id = ? AND role = 'student'", (learner_id,)).fetchone() is None:
            raise detail(404, "Learner not found")
        if not (user.is_director or (user.is_mentor and is_assigned(conn, user.id, learner_id))):
            raise error(403, "Only the learner's mentor or a director can sign off Tier-5")
        if approved:
            missing = [m for m in track_status(conn, learner_id, track)["missing_requirements"]
                       if m != APPROVAL_MISSING]
            if missing:
                raise error(409, "requirements_not_met", "Everything except the mentor approval must be met first",
                            missing_requirements=missing)
        progress = _progress(conn, learner_id, code)
        conn.execute("INSERT OR REPLACE INTO track_progress VALUES (?,?,?,?,?,?,?,?)",
                     (learner_id, code, progress["modules_completed"], int(approved), user.id, iso(), comment,
                      progress["completed_at"]))
        result = _approval_view(conn, learner_id, code)
        emit(conn, watchers(conn, learner_id), "tier5.updated",
             {"learner_id": learner_id, "track_code": code, "tier5_mentor_approval": approved})
        ops.record(conn, user.id, body, result)
    return result
