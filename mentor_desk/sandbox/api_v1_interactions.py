"""Layer A mentorship interactions and assignment messages (och-v1-reference §2.5, §5), bugs included:
create is not idempotent, maps are replaced whole, and ``complete-phase`` answers 500 whenever a phase
could advance."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from mentor_desk.sandbox.auth import User, bearer_user
from mentor_desk.sandbox.db import dumps, loads
from mentor_desk.sandbox.errors import error
from mentor_desk.sandbox.state import SandboxState, iso, json_body, sandbox

router = APIRouter()
media_router = APIRouter()  # mounted at the origin: OCH serves /media/ without auth (DEBUG)
Caller = Annotated[User, Depends(bearer_user)]
State = Annotated[SandboxState, Depends(sandbox)]
Body = Annotated[dict[str, Any], Depends(json_body)]

UPDATABLE = ("written_feedback", "feedback_per_subtask", "feedback_per_decision", "audio_feedback_url",
             "video_feedback_url", "audio_duration_seconds", "video_duration_seconds", "rubric_scores",
             "subtask_scores", "overall_score", "is_scoring_meeting", "meeting_notes", "meeting_duration_minutes",
             "recommended_next_steps", "recommended_recipes", "status")
LIST_FIELDS = ("id", "mentor_id", "mentor_name", "mentee_id", "mentee_name", "mission_id", "capstone_project_id",
               "interaction_type", "phase", "status", "review_phase", "total_phases", "overall_score",
               "has_audio_feedback", "has_video_feedback", "is_scoring_meeting", "created_at", "completed_at")
ATTACHMENT_LIMIT = 10 * 1024 * 1024


def _names(conn: sqlite3.Connection, *user_ids: int) -> list[str]:
    return [" ".join(conn.execute("SELECT first_name, last_name FROM users WHERE id = ?", (uid,)).fetchone())
            for uid in user_ids]


def _full(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    data = loads(row["data"])
    mentor_name, mentee_name = _names(conn, row["mentor_id"], row["mentee_id"])
    return {"id": row["id"], "mentor_id": data["mentor_id"], "mentor_name": mentor_name,
            "mentee_id": data["mentee_id"], "mentee_name": mentee_name, "mission_id": data["mission_id"],
            "capstone_project_id": data["capstone_project_id"], "interaction_type": data["interaction_type"],
            "phase": data["phase"], "status": data["status"], "review_phase": data["review_phase"],
            "total_phases": data["total_phases"], "is_multi_phase": data["total_phases"] > 1,
            **{k: data[k] for k in UPDATABLE if k != "status"},
            "has_audio_feedback": bool(data["audio_feedback_url"]),
            "has_video_feedback": bool(data["video_feedback_url"]),
            "scheduled_at": data["scheduled_at"], "started_at": data["started_at"],
            "completed_at": data["completed_at"], "created_at": row["created_at"]}


def _is_mentor_role(user: User) -> bool:
    return user.role == "mentor"


def _own(conn: sqlite3.Connection, user: User, interaction_id: str, *, mentor_only: bool) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM interactions WHERE id = ?", (interaction_id,)).fetchone()
    if row is None:
        raise error(404, "Interaction not found")
    allowed = row["mentor_id"] == user.id or (not mentor_only and row["mentee_id"] == user.id)
    if not allowed:
        raise error(403, "Permission denied")
    return row


@router.get("/mentorship-interactions/")
def list_interactions(user: Caller, state: State, request: Request) -> dict[str, Any]:
    params = request.query_params
    role = params.get("role") or ("mentor" if _is_mentor_role(user) else "mentee")
    column = "mentor_id" if role == "mentor" else "mentee_id"
    with state.db.tx() as conn:
        rows = conn.execute(f"SELECT * FROM interactions WHERE {column} = ? ORDER BY created_at DESC",
                            (user.id,)).fetchall()
        items = [_full(conn, row) for row in rows]
    for key in ("mission_id", "capstone_project_id", "interaction_type", "status"):
        if params.get(key):
            items = [i for i in items if str(i[key]) == params[key]]
    return {"results": [{k: i[k] for k in LIST_FIELDS} for i in items]}


@router.post("/mentorship-interactions/create/", status_code=201)
def create_interaction(body: Body, user: Caller, state: State) -> dict[str, Any]:
    if not _is_mentor_role(user):
        raise error(403, "Only mentors can create interactions")
    if not body.get("mentee_id") or not body.get("interaction_type"):
        raise error(400, "mentee_id and interaction_type are required")
    with state.db.tx() as conn:
        mentee = conn.execute("SELECT id, uuid_id FROM users WHERE uuid_id = ?", (str(body["mentee_id"]),)).fetchone()
        if mentee is None:
            raise error(404, "Mentee not found")
        stamp = iso()
        data = {"mentor_id": user.uuid_id, "mentee_id": mentee["uuid_id"], "mission_id": body.get("mission_id"),
                "capstone_project_id": body.get("capstone_project_id"),
                "interaction_type": str(body["interaction_type"]), "phase": body.get("phase"),
                "status": "scheduled", "review_phase": int(body.get("review_phase") or 1),
                "total_phases": int(body.get("total_phases") or 1), "written_feedback": "",
                "feedback_per_subtask": {}, "feedback_per_decision": {}, "audio_feedback_url": None,
                "video_feedback_url": None, "audio_duration_seconds": None, "video_duration_seconds": None,
                "rubric_scores": {}, "subtask_scores": {}, "overall_score": None, "is_scoring_meeting": False,
                "meeting_notes": "", "meeting_duration_minutes": None, "recommended_next_steps": [],
                "recommended_recipes": [], "scheduled_at": stamp if body.get("scheduled_at") else None,
                "started_at": None, "completed_at": None}
        interaction_id = str(uuid.uuid4())
        conn.execute("INSERT INTO interactions VALUES (?,?,?,?,?)",
                     (interaction_id, user.id, mentee["id"], dumps(data), stamp))
    return {"id": interaction_id, "mentor_id": data["mentor_id"], "mentee_id": data["mentee_id"],
            "interaction_type": data["interaction_type"], "phase": data["phase"], "status": "scheduled",
            "created_at": stamp}


@router.get("/mentorship-interactions/{interaction_id}/")
def interaction_detail(interaction_id: str, user: Caller, state: State) -> dict[str, Any]:
    with state.db.tx() as conn:
        result = _full(conn, _own(conn, user, interaction_id, mentor_only=False))
    for key in ("has_audio_feedback", "has_video_feedback"):
        del result[key]
    return result


def _save(conn: sqlite3.Connection, row: sqlite3.Row, data: dict[str, Any]) -> None:
    conn.execute("UPDATE interactions SET data = ? WHERE id = ?", (dumps(data), row["id"]))


@router.put("/mentorship-interactions/{interaction_id}/update/")
def update_interaction(interaction_id: str, body: Body, user: Caller, state: State) -> dict[str, Any]:
    with state.db.tx() as conn:
        row = _own(conn, user, interaction_id, mentor_only=True)
        data = loads(row["data"])
        for key in UPDATABLE:
            if key in body:
                data[key] = body[key]  # JSON maps are replaced whole, as on OCH
        if body.get("status") == "completed":
            data["completed_at"] = iso()
        if body.get("status") == "in_progress" and not data["started_at"]:
            data["started_at"] = iso()
        _save(conn, row, data)
    return {"id": interaction_id, "status": data["status"], "message": "Mentorship interaction updated successfully"}


@router.post("/mentorship-interactions/{interaction_id}/upload-feedback/")
def upload_feedback(interaction_id: str, body: Body, user: Caller, state: State) -> dict[str, Any]:
    media_type, file_url = body.get("media_type"), body.get("file_url")
    with state.db.tx() as conn:
        row = _own(conn, user, interaction_id, mentor_only=True)
        if media_type not in ("audio", "video"):
            raise error(400, "media_type must be 'audio' or 'video'")
        if not file_url:
            raise error(400, "file_url is required")
        data = loads(row["data"])
        data[f"{media_type}_feedback_url"] = file_url
        data[f"{media_type}_duration_seconds"] = body.get("duration_seconds")
        _save(conn, row, data)
    return {"id": interaction_id, "media_type": media_type, "file_url": file_url,
            "duration_seconds": body.get("duration_seconds"),
            "message": f"{media_type.capitalize()} feedback uploaded successfully"}


@router.post("/mentorship-interactions/{interaction_id}/complete-phase/", response_model=None)
def complete_phase(interaction_id: str, user: Caller, state: State) -> dict[str, Any] | HTMLResponse:
    with state.db.tx() as conn:
        data = loads(_own(conn, user, interaction_id, mentor_only=True)["data"])
    if data["total_phases"] <= 1:
        raise error(400, "This is not a multi-phase review")
    if data["review_phase"] >= data["total_phases"]:
        raise error(400, "All phases are already complete")
    # OCH appends to a ``mentor_review_phases`` attribute the model lacks: AttributeError → 500 (contract 29).
    return HTMLResponse("<!DOCTYPE html><html><head><title>AttributeError at /api/v1/mentorship-interactions/"
                        "</title></head><body><pre>'MentorshipInteraction' object has no attribute "
                        "'mentor_review_phases'</pre></body></html>", status_code=500)


# -- messages -----------------------------------------------------------------------------------------
def _assignment(conn: sqlite3.Connection, user: User, assignment_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM assignments WHERE id = ?", (assignment_id,)).fetchone()
    if row is None:
        raise error(404, "Assignment not found")
    if user.id not in (row["mentor_id"], row["mentee_id"]):
        raise error(403, "You do not have permission to view these messages")
    return row


def _message_view(data: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {**data, "attachments": [{**a, "file": f"{base_url}/media/mentorship/messages/{data['id']}/"
                                                  f"{a['id']}/{a['filename']}"} for a in data["attachments"]]}


@router.get("/mentorship/assignments/{assignment_id}/messages")
def list_messages(assignment_id: str, user: Caller, state: State, request: Request) -> list[dict[str, Any]]:
    with state.db.tx() as conn:
        _assignment(conn, user, assignment_id)
        rows = conn.execute("SELECT data FROM messages WHERE assignment_id = ? ORDER BY created_at",
                            (assignment_id,)).fetchall()
    base = str(request.base_url).rstrip("/")
    return [_message_view(loads(r[0]), base) for r in rows]


@router.post("/mentorship/assignments/{assignment_id}/messages", status_code=201)
async def send_message(assignment_id: str, request: Request, state: State) -> dict[str, Any]:
    user = await asyncio.to_thread(bearer_user, request)
    form = await request.form(max_part_size=64 * 1024 * 1024)
    body = form.get("body")
    if not isinstance(body, str) or not body.strip():
        raise error(400, "Message body is required")
    uploads = [f for f in form.getlist("attachments") if isinstance(f, UploadFile)]
    files = []
    for upload in uploads:
        content = await upload.read()
        if len(content) > ATTACHMENT_LIMIT:
            raise error(400, f"File {upload.filename} exceeds 10MB limit")
        files.append((upload, content))
    subject = form.get("subject")
    return await asyncio.to_thread(_store_message, state, user, assignment_id, body,
                                   subject if isinstance(subject, str) else "", files,
                                   str(request.base_url).rstrip("/"))


def _store_message(state: SandboxState, user: User, assignment_id: str, body: str, subject: str,
                   files: list[tuple[UploadFile, bytes]], base_url: str) -> dict[str, Any]:
    with state.db.tx() as conn:
        assignment = _assignment(conn, user, assignment_id)
        stamp = iso()
        message_id = str(uuid.uuid4())
        attachments = []
        for upload, content in files:
            digest = hashlib.sha256(content).hexdigest()
            conn.execute("INSERT OR IGNORE INTO blobs VALUES (?, ?)", (digest, content))
            attachments.append({"id": str(uuid.uuid4()), "filename": upload.filename or "attachment",
                                "file_size": len(content),
                                "content_type": upload.content_type or "application/octet-stream",
                                "sha256": digest, "created_at": stamp})
        recipient = assignment["mentee_id"] if user.id == assignment["mentor_id"] else assignment["mentor_id"]
        data = {"id": message_id, "assignment": assignment_id, "sender": str(user.id), "sender_name": user.name,
                "recipient": str(recipient), "subject": subject, "body": body, "is_read": False,
                "read_at": None, "attachments": attachments, "created_at": stamp}
        conn.execute("INSERT INTO messages VALUES (?,?,?,?,?)",
                     (message_id, assignment_id, user.id, dumps(data), stamp))
    return _message_view(data, base_url)


@media_router.get("/media/mentorship/messages/{message_id}/{attachment_id}/{filename}")
def attachment_file(message_id: str, attachment_id: str, filename: str, state: State) -> Response:
    with state.db.tx() as conn:
        row = conn.execute("SELECT data FROM messages WHERE id = ?", (message_id,)).fetchone()
        found = [a for a in loads(row[0])["attachments"] if a["id"] == attachment_id] if row else []
        if not found or found[0]["filename"] != filename:
            raise error(404, "Not found")
        content = conn.execute("SELECT content FROM blobs WHERE sha256 = ?", (found[0]["sha256"],)).fetchone()[0]
    return Response(content, media_type=found[0]["content_type"])
