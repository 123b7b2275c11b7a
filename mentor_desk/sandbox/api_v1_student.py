"""Layer A student side: resubmitting a mission after a mentor asked for a revision.

``POST /student/missions/{mission_uuid}/submit-ai/`` as OCH has it (och-v1-reference §5, contract 15): notes
(at least 20 characters) plus optional repeated ``files`` parts and links, as multipart, form or JSON; 201 with
a MissionSubmissionSerializer body. The sandbox only simulates the resubmission: the caller's item for that
mission must be ``revision_requested``. It then becomes ``submitted`` with ``attempt + 1``, the earlier
decision moves to ``history``, the stages start over, and the item's mentors hear ``review.updated``.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import UploadFile

from mentor_desk.sandbox.auth import User, bearer_user
from mentor_desk.sandbox.catalog import stable_uuid
from mentor_desk.sandbox.db import dumps, loads
from mentor_desk.sandbox.errors import error
from mentor_desk.sandbox.reviews import touch
from mentor_desk.sandbox.state import SandboxState, iso, json_body, sandbox
from mentor_desk.sandbox.views import missions

router = APIRouter()
State = Annotated[SandboxState, Depends(sandbox)]

NOTES_MIN_CHARS = 20
FILE_LIMIT = 10 * 1024 * 1024
BLOCKED_EXTENSIONS = {".exe", ".bat", ".cmd", ".sh", ".ps1", ".msi", ".js"}
BLOCKED_TYPES = {"application/x-msdownload", "application/x-executable", "application/x-sh",
                 "application/javascript", "text/javascript"}
LINKS = ("github_url", "notebook_url", "video_url")
# MissionFile.file_type by extension (och-v1-reference §2.4).
FILE_TYPES = {".log": "log", ".txt": "log", ".png": "screenshot", ".jpg": "screenshot", ".jpeg": "screenshot",
              ".pdf": "report", ".docx": "report", ".md": "report", ".py": "code", ".yml": "code",
              ".yaml": "code", ".json": "code", ".yar": "code", ".mp4": "video", ".mov": "video",
              ".webm": "video"}


@dataclass
class Submission:
    """What the learner sent: notes, links and evidence files (name, content type, bytes)."""

    notes: str
    links: dict[str, str] = field(default_factory=dict)
    files: list[tuple[str, str, bytes]] = field(default_factory=list)


async def _read_submission(request: Request) -> Submission:
    """Parse a multipart, form or JSON body and apply OCH's submission rules (400s in its shapes)."""
    if request.headers.get("content-type", "").startswith(("multipart/form-data",
                                                           "application/x-www-form-urlencoded")):
        form = await request.form(max_part_size=FILE_LIMIT + 1024 * 1024)
        values: dict[str, Any] = {key: form.get(key) for key in ("notes", *LINKS)}
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    else:
        values, uploads = await json_body(request), []
    notes = values.get("notes")
    if not isinstance(notes, str) or len(notes.strip()) < NOTES_MIN_CHARS:
        raise error(400, f"Missing required submission items: notes (at least {NOTES_MIN_CHARS} characters)")
    submission = Submission(notes, {k: v for k in LINKS if isinstance(v := values.get(k), str) and v.strip()})
    for upload in uploads:
        name = PurePath(upload.filename or "evidence").name
        content_type = upload.content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        suffix = PurePath(name).suffix.lower()
        if suffix in BLOCKED_EXTENSIONS or content_type in BLOCKED_TYPES:
            raise error(400, f"File type not allowed: {suffix or content_type}")
        content = await upload.read()
        if len(content) > FILE_LIMIT:
            raise error(400, "File exceeds 10MB limit")
        submission.files.append((name, content_type, content))
    return submission


@router.post("/student/missions/{mission_id}/submit-ai/", status_code=201)
async def submit_ai(mission_id: str, request: Request, state: State) -> dict[str, Any]:
    user = await asyncio.to_thread(bearer_user, request)
    submission = await _read_submission(request)
    return await asyncio.to_thread(_resubmit, state, user, mission_id, submission)


def _resubmit(state: SandboxState, user: User, mission_id: str, submission: Submission) -> dict[str, Any]:
    with state.db.tx() as conn:
        mission = missions(conn).get(mission_id)
        if mission is None:
            raise error(404, "Mission not found")
        row = conn.execute("SELECT * FROM reviews WHERE mission_id = ? AND learner_id = ?",
                           (mission_id, user.id)).fetchone()
        if row is None:
            raise error(404, "You have no submission for this mission")
        if row["status"] != "revision_requested":
            raise error(409, "illegal_transition", "Only a submission a mentor sent back for revision can be "
                        "resubmitted", **{"from": row["status"], "to": "submitted"})
        stamp = iso()
        data = _next_attempt(loads(row["data"]), row, submission)
        _store_files(conn, row["id"], submission.files)
        touch(conn, row, "review.updated", status="submitted", final_status=None, stage_index=0,
              attempt=row["attempt"] + 1, submitted_at=stamp, ai_score=None, mentor_score=None, claimed_by=None,
              claimed_at=None, claim_expires_at=None, legacy_status=None, legacy_score=None,
              legacy_feedback=None, reviewed_at=None, data=dumps(data))
        fresh = conn.execute("SELECT updated_at FROM reviews WHERE id = ?", (row["id"],)).fetchone()
    return {"id": row["id"], "mission_title": mission["title"], "student_email": user.email,
            "content": submission.notes, "attachments": [], "status": "submitted", "score": None,
            "feedback": "", "reviewed_at": None, "submitted_at": stamp, "created_at": row["submitted_at"],
            "updated_at": fresh[0], "assignment": stable_uuid("mission-assignment", row["id"]),
            "student": user.uuid_id, "reviewed_by": None}


def _next_attempt(data: dict[str, Any], row: sqlite3.Row, submission: Submission) -> dict[str, Any]:
    """The item's document for the new attempt: the decision joins ``history``; the review starts over."""
    final = data["stages"][-1]
    decided_here = final["status"] == "completed"  # False when the decision came through layer A
    data["history"].append({
        "attempt": row["attempt"], "status": row["status"], "decision": "request_revision",
        "final_status": row["final_status"], "mentor_score": row["mentor_score"],
        "reviewer": final["reviewer"] if decided_here else None,
        "feedback_written": row["legacy_feedback"] or "",
        "feedback_per_subtask": (final.get("feedback_per_subtask") or {}) if decided_here else {},
        "scores": final["scores"] if decided_here else None, "decided_at": row["reviewed_at"],
    })
    data["stages"] = [{"name": stage["name"], "status": "current" if index == 0 else "pending",
                       "reviewer": None, "completed_at": None, "scores": None, "decision": None,
                       "feedback_written": ""} for index, stage in enumerate(data["stages"])]
    data.update(ai_review=None, decision_annotations={}, feedback_per_subtask={}, audio_media_id=None,
                video_media_id=None, recommended_recipes=[],
                submission={"notes": submission.notes, "links": submission.links})
    return data


def _store_files(conn: sqlite3.Connection, review_id: str, files: list[tuple[str, str, bytes]]) -> None:
    for name, content_type, content in files:
        digest = hashlib.sha256(content).hexdigest()
        conn.execute("INSERT OR IGNORE INTO blobs VALUES (?, ?)", (digest, content))
        conn.execute("INSERT INTO files VALUES (?,?,?,?,?,?,?,?)",
                     (str(uuid.uuid4()), review_id, None, FILE_TYPES.get(PurePath(name).suffix.lower(), "other"),
                      name, content_type, digest, len(content)))
