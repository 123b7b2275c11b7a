"""Layer A (OCH v1) mentor endpoints: queue, work queue, capstones, mission detail, decision, mentees,
assignments and the dashboard SSE stream, with OCH's quirks (see och-v1-reference §2, §7)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from mentor_desk.sandbox import events
from mentor_desk.sandbox.auth import User, bearer_user, mentor_user
from mentor_desk.sandbox.catalog import stable_uuid
from mentor_desk.sandbox.errors import NotAMentor, detail, error, field_errors
from mentor_desk.sandbox.state import SandboxState, emit, iso, json_body, now, parse_iso, sandbox
from mentor_desk.sandbox.views import (
    active_claim,
    is_assigned,
    legacy_score,
    legacy_status,
    missions,
    require_own_path,
    watchers,
)

router = APIRouter()
Mentor = Annotated[User, Depends(mentor_user)]
State = Annotated[SandboxState, Depends(sandbox)]
Body = Annotated[dict[str, Any], Depends(json_body)]

PENDING_FILTER = ("submitted", "ai_reviewed")  # OCH's pending_review misses in_mentor_review (contract 21)
REVIEWED_FILTER = ("approved", "rejected", "needs_revision")
SLA_HOURS = 48


def _my_items(conn: sqlite3.Connection, mentor_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT r.* FROM reviews r JOIN assignments a ON a.mentee_id = r.learner_id "
        "WHERE a.mentor_id = ? AND a.status = 'active'", (mentor_id,)).fetchall()


def _people(conn: sqlite3.Connection, ids: set[int]) -> dict[int, sqlite3.Row]:
    rows = conn.execute(f"SELECT id, first_name, last_name, email FROM users WHERE id IN "
                        f"({','.join('?' * len(ids))})", sorted(ids)).fetchall()
    return {row["id"]: row for row in rows}


@router.get("/mentors/{mentor_id}/missions/submissions")
def mentor_submissions(mentor_id: int, user: Mentor, state: State, status: str = "all", limit: int = 50,
                       offset: int = 0) -> dict[str, Any]:
    require_own_path(user, mentor_id, "mission submissions")
    with state.db.tx() as conn:
        rows = [(row, legacy_status(row)) for row in _my_items(conn, user.id)]
        if status == "pending_review":
            rows = [r for r in rows if r[1] in PENDING_FILTER]
        elif status == "in_review":
            rows = [r for r in rows if r[1] == "in_review"]
        elif status == "reviewed":
            rows = [r for r in rows if r[1] in REVIEWED_FILTER]
        if status == "reviewed":
            rows.sort(key=lambda r: r[0]["reviewed_at"] or "", reverse=True)
        else:
            rows.sort(key=lambda r: r[0]["submitted_at"] or "", reverse=True)
        page = rows[max(offset, 0): max(offset, 0) + max(limit, 0)]
        people = _people(conn, {r[0]["learner_id"] for r in page}) if page else {}
        catalogue = missions(conn)
        results = []
        for row, shown in page:
            person = people[row["learner_id"]]
            score = legacy_score(row)
            item = {"id": row["id"], "mission_id": row["mission_id"],
                    "mission_title": catalogue[row["mission_id"]]["title"], "mentee_id": str(person["id"]),
                    "mentee_name": f"{person['first_name']} {person['last_name']}",
                    "mentee_email": person["email"], "status": shown, "submitted_at": row["submitted_at"],
                    "ai_score": score, "mentor_score": score}
            if shown in REVIEWED_FILTER:
                item["reviewed_at"] = row["reviewed_at"]
                item["feedback"] = (row["legacy_feedback"] or "")[:500]
            results.append(item)
    return {"results": results, "count": len(rows)}


def _work_item(row: sqlite3.Row, person: sqlite3.Row, mentor_id: int, title: str) -> dict[str, Any]:
    submitted = parse_iso(row["submitted_at"])
    due = submitted + timedelta(hours=SLA_HOURS)
    shown = legacy_status(row)
    if shown in ("approved", "rejected", "needs_revision"):
        state, remaining, completed = "completed", None, row["reviewed_at"]
    else:
        left = due - now()
        completed = None
        state = "overdue" if left.total_seconds() < 0 else ("in_progress" if active_claim(row) else "pending")
        remaining = "OVERDUE" if state == "overdue" else \
            f"{int(left.total_seconds() // 3600)}h {int(left.total_seconds() % 3600 // 60)}m"
    return {
        "id": stable_uuid("workqueue", row["id"], row["attempt"]), "mentor": mentor_id, "mentee": person["id"],
        "mentee_name": f"{person['first_name']} {person['last_name']}", "mentee_email": person["email"],
        "type": "mission_review", "priority": "high" if row["kind"] == "capstone" or row["attempt"] > 1
        else "normal", "title": f"Review: {title}", "description": f"Attempt {row['attempt']} submitted",
        "reference_id": row["id"], "sla_hours": SLA_HOURS, "due_at": iso(due), "completed_at": completed,
        "status": state, "sla_remaining": remaining, "created_at": row["submitted_at"],
        "reference_url": f"/missions/{row['id']}/review",
    }


@router.get("/mentor/workqueue")
def workqueue(user: Mentor, state: State, status: str = "pending", priority: str | None = None
              ) -> list[dict[str, Any]]:
    with state.db.tx() as conn:
        rows = [r for r in _my_items(conn, user.id) if r["status"] != "submitted"]
        people = _people(conn, {r["learner_id"] for r in rows}) if rows else {}
        catalogue = missions(conn)
        items = [_work_item(r, people[r["learner_id"]], user.id, catalogue[r["mission_id"]]["title"])
                 for r in rows]
    items = [i for i in items if (not status or i["status"] == status) and (not priority or
                                                                           i["priority"] == priority)]
    # OCH orders by -priority, due_at as strings ("normal" > "high"): reproduce that.
    items.sort(key=lambda i: i["due_at"])
    items.sort(key=lambda i: i["priority"], reverse=True)
    return items


def work_counts(conn: sqlite3.Connection, mentor_id: int) -> dict[str, int]:
    """The dashboard's ``work_queue`` numbers."""
    rows = [r for r in _my_items(conn, mentor_id) if r["status"] in ("ai_reviewed", "mentor_review")]
    today, overdue = now().date(), 0
    due_today = 0
    for row in rows:
        due = parse_iso(row["submitted_at"]) + timedelta(hours=SLA_HOURS)
        overdue += due < now()
        due_today += due.date() == today
    return {"overdue": overdue, "today": due_today, "total_pending": len(rows)}


@router.get("/mentors/{mentor_id}/capstones")
def mentor_capstones(mentor_id: int, user: Mentor, state: State, status: str = "pending_scoring"
                     ) -> list[dict[str, Any]]:
    require_own_path(user, mentor_id, "capstones")
    with state.db.tx() as conn:
        rows = [r for r in _my_items(conn, user.id) if r["kind"] == "capstone" and legacy_status(r) == "submitted"]
        if status == "pending_scoring":
            rows = [r for r in rows if r["reviewed_at"] is None]
        rows = sorted(rows, key=lambda r: r["submitted_at"], reverse=True)[:100]
        people = _people(conn, {r["learner_id"] for r in rows}) if rows else {}
        catalogue = missions(conn)
        return [{"id": r["id"], "title": catalogue[r["mission_id"]]["title"],
                 "mentee_name": f"{people[r['learner_id']]['first_name']} {people[r['learner_id']]['last_name']}",
                 "submitted_at": r["submitted_at"], "rubric_id": r["mission_id"]} for r in rows]


@router.get("/missions/{mission_id}/")
def mission_detail(mission_id: str, request: Request, state: State) -> dict[str, Any]:
    bearer_user(request)
    with state.db.tx() as conn:
        mission = missions(conn).get(mission_id)
        created = conn.execute("SELECT created_at FROM missions WHERE id = ?", (mission_id,)).fetchone()
    if mission is None:
        raise detail(404, "No Mission matches the given query.")
    subtasks = [{k: v for k, v in s.items() if k not in ("weight", "rubric_id")} for s in mission["subtasks"]]
    return {
        "id": mission["id"], "track_id": None, "module_id": None, "title": mission["title"],
        "description": mission["description"], "difficulty": mission["difficulty"],
        "mission_type": mission["mission_type"], "requires_mentor_review": True,
        "requires_lab_integration": False, "estimated_duration_min": mission["estimated_duration_min"],
        "skills_tags": mission["skills_tags"], "subtasks": subtasks, "is_active": True, "created_by": None,
        "created_by_email": None, "created_at": created[0], "updated_at": created[0], "assigned_cohorts": [],
        "requires_points": False, "points_required": 0,
        "submission_requirements": {"notes_required": True, "notes_min_chars": 20, "files_required": False,
                                    "github_required": False, "notebook_required": False,
                                    "video_required": False},
    }


_DECISIONS = {"pass": ("approved", 100, "approved", "pass"), "fail": ("rejected", 0, "failed", "fail"),
              "needs_revision": ("rejected", 50, "revision_requested", None)}


def _parse_review(body: dict[str, Any]) -> tuple[str, float, str]:
    """(overall_status, score, feedback) from either body shape OCH accepts (och-v1-reference §2.3)."""
    if "overall_status" in body:
        overall = body["overall_status"]
        if overall not in _DECISIONS:
            raise field_errors(overall_status=f'"{overall}" is not a valid choice.')
        feedback = body.get("feedback")
        text = feedback.get("written", "") if isinstance(feedback, dict) else feedback
        if not isinstance(text, str) or not text.strip():
            raise field_errors(feedback="This field may not be blank.")
        return overall, _DECISIONS[overall][1], text
    feedback, score = body.get("feedback"), body.get("score")
    problems = {}
    if not isinstance(feedback, str):
        problems["feedback"] = "This field is required."
    elif not feedback.strip():
        problems["feedback"] = "This field may not be blank."
    if isinstance(score, bool) or not isinstance(score, int):
        problems["score"] = "A valid integer is required."
    elif not 0 <= score <= 100:
        problems["score"] = "Ensure this value is between 0 and 100."
    if problems or not isinstance(feedback, str) or not isinstance(score, int):
        raise field_errors(**problems)
    # OCH stores a raw rejection as "rejected", as it does a revision request, and the learner may submit again
    return ("pass" if body.get("approved") else "needs_revision"), float(score), feedback


@router.post("/mentor/missions/{submission_id}/review")
def review_submission(submission_id: str, body: Body, user: Mentor, state: State) -> dict[str, Any]:
    overall, score, feedback = _parse_review(body)
    stored, _, new_status, final = _DECISIONS[overall]
    with state.db.tx() as conn:
        row = conn.execute("SELECT * FROM reviews WHERE id = ?", (submission_id,)).fetchone()
        if row is None:
            raise error(404, "Mission submission not found")
        if not is_assigned(conn, user.id, row["learner_id"]):
            raise error(403, "Mentee not assigned to this mentor")
        stamp = iso()
        conn.execute(
            "UPDATE reviews SET legacy_status = ?, legacy_score = ?, legacy_feedback = ?, reviewed_at = ?, "
            "status = ?, final_status = ?, mentor_score = ?, claimed_by = NULL, claimed_at = NULL, "
            "claim_expires_at = NULL, version = version + 1, updated_at = ? WHERE id = ?",
            (stored, score, feedback, stamp, new_status, final if final else "pending", score, stamp,
             submission_id))
        version = row["version"] + 1
        emit(conn, watchers(conn, row["learner_id"]), "review.updated", {"id": submission_id, "version": version})
    return {"status": "success", "submission_id": submission_id, "approved": stored == "approved"}


@router.get("/mentors/{mentor_id}/mentees")
def mentees(mentor_id: int, user: Mentor, state: State) -> list[dict[str, Any]]:
    require_own_path(user, mentor_id, "mentees")
    with state.db.tx() as conn:
        rows = conn.execute(
            "SELECT u.*, a.track_code AS a_track, "
            "(SELECT COUNT(*) FROM reviews r WHERE r.learner_id = u.id AND r.status = 'approved') AS done "
            "FROM assignments a JOIN users u ON u.id = a.mentee_id WHERE a.mentor_id = ? AND a.status = 'active' "
            "ORDER BY u.id", (user.id,)).fetchall()
    result = []
    for row in rows:
        readiness = min(100.0, 35.0 + 9.5 * row["done"])
        label = ("Advanced Ready" if readiness >= 80 else "Ready for Intermediate" if readiness >= 70
                 else "Needs Support" if readiness >= 40 else "At Risk")
        result.append({"id": str(row["id"]), "name": f"{row['first_name']} {row['last_name']}",
                       "email": row["email"], "track": row["a_track"].split("_")[0].lower(),
                       "cohort": row["cohort_id"], "readiness_score": readiness, "readiness_label": label,
                       "last_activity_at": row["updated_at"], "risk_level": "low" if readiness >= 40 else "high",
                       "missions_completed": row["done"]})
    return result


@router.get("/mentorship/mentors/{mentor_id}/assignments")
def assignments(mentor_id: int, user: Mentor, state: State) -> list[dict[str, Any]]:
    require_own_path(user, mentor_id, "assignments")
    with state.db.tx() as conn:
        rows = conn.execute(
            "SELECT a.*, u.first_name, u.last_name, u.email FROM assignments a JOIN users u ON u.id = a.mentee_id "
            "WHERE a.mentor_id = ? ORDER BY a.created_at, u.id", (user.id,)).fetchall()
    return [{"id": r["id"], "mentee_id": str(r["mentee_id"]), "mentee_name": f"{r['first_name']} {r['last_name']}",
             "mentee_email": r["email"], "mentor_id": str(user.id), "mentor_name": user.name,
             "status": r["status"], "assignment_type": r["assignment_type"], "cohort_id": None,
             "track_id": r["track_code"], "max_sessions": 12, "sessions_used": 2, "mentor_notes": "",
             "created_at": r["created_at"], "updated_at": r["updated_at"]} for r in rows]


@router.get("/mentor/dashboard/stream")
async def dashboard_stream(request: Request, state: State) -> StreamingResponse:
    accept = request.headers.get("accept", "*/*")
    offered = {part.split(";")[0].strip() for part in accept.split(",")}
    if offered == {"text/event-stream"}:  # DRF content negotiation finds no renderer (och-v1-reference §7)
        raise detail(406, 'Could not satisfy the request Accept header.')
    user = await asyncio.to_thread(bearer_user, request)
    if not user.is_mentor:
        raise NotAMentor

    def counts() -> dict[str, int]:
        with state.db.tx() as conn:
            return work_counts(conn, user.id)

    async def stream() -> AsyncIterator[str]:
        last: dict[str, int] | None = None
        while True:
            current = await asyncio.to_thread(counts)
            if current != last and (last is not None or current["total_pending"]):
                yield f"data: {json.dumps({'work_queue': current})}\n\n"
            last = current
            await asyncio.sleep(events.poll_interval(state))
            yield ": keepalive\n\n"

    return events.sse_response(stream())
