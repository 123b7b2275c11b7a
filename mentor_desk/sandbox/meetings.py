"""Blind scoring meetings for capstones (layer B): panel members score alone, the lead reveals, then
records the consensus, which becomes the review's final stage.

Blindness is enforced on the server: until the meeting is revealed, nobody (the lead included) receives
anyone else's scores.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from mentor_desk.sandbox import scoring
from mentor_desk.sandbox.auth import User, reviewer_user
from mentor_desk.sandbox.db import dumps, loads
from mentor_desk.sandbox.errors import detail, error, field_errors
from mentor_desk.sandbox.reviews import apply_review
from mentor_desk.sandbox.state import SandboxState, emit, iso, json_body, sandbox
from mentor_desk.sandbox.views import mission_rubrics, missions, user_brief, visible_review

router = APIRouter()
Caller = Annotated[User, Depends(reviewer_user)]
State = Annotated[SandboxState, Depends(sandbox)]
Body = Annotated[dict[str, Any], Depends(json_body)]


def _panel(conn: sqlite3.Connection, meeting_id: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM meeting_panel WHERE meeting_id = ? ORDER BY mentor_id", (meeting_id,)).fetchall()


def _view(conn: sqlite3.Connection, meeting: sqlite3.Row, user: User) -> dict[str, Any]:
    panel = _panel(conn, meeting["id"])
    review = conn.execute("SELECT mission_id FROM reviews WHERE id = ?", (meeting["review_id"],)).fetchone()
    mine = next((p for p in panel if p["mentor_id"] == user.id), None)
    open_book = meeting["state"] != "scoring" or not meeting["blind"]

    def scores_of(row: sqlite3.Row) -> dict[str, Any]:
        return {"subtask_scores": loads(row["scores"]), "comment": row["comment"], "submitted_at": row["submitted_at"]}

    return {
        "id": meeting["id"], "review_id": meeting["review_id"], "lead": user_brief(conn, meeting["lead_id"]),
        "blind": bool(meeting["blind"]), "state": meeting["state"], "version": meeting["version"],
        "panel": [{"mentor": user_brief(conn, p["mentor_id"]), "submitted_at": p["submitted_at"]} for p in panel],
        "rubric": mission_rubrics(conn, missions(conn)[review["mission_id"]]),
        "my_scores": scores_of(mine) if mine and mine["submitted_at"] else None,
        "scores": [{"mentor": user_brief(conn, p["mentor_id"]), **scores_of(p)} for p in panel
                   if p["submitted_at"]] if open_book else None,
        "consensus": loads(meeting["consensus"]), "created_at": meeting["created_at"],
        "updated_at": meeting["updated_at"],
    }


def _meeting(conn: sqlite3.Connection, user: User, meeting_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
    members = {p["mentor_id"] for p in _panel(conn, meeting_id)} if row else set()
    if row is None or not (user.is_director or user.id == row["lead_id"] or user.id in members):
        raise detail(404, "Not found.")
    return row


def _bump(conn: sqlite3.Connection, meeting: sqlite3.Row, **changes: Any) -> None:
    sets = "".join(f"{column} = ?, " for column in changes)
    conn.execute(f"UPDATE meetings SET {sets}version = version + 1, updated_at = ? WHERE id = ?",
                 (*changes.values(), iso(), meeting["id"]))
    audience = [meeting["lead_id"], *(p["mentor_id"] for p in _panel(conn, meeting["id"]))]
    emit(conn, audience, "meeting.updated", {"id": meeting["id"], "version": meeting["version"] + 1})


def _check_version(conn: sqlite3.Connection, meeting: sqlite3.Row, user: User, body: dict[str, Any]) -> None:
    if body.get("base_version") != meeting["version"]:
        raise error(409, "version_conflict", "The meeting changed since you loaded it",
                    current=_view(conn, meeting, user))


def _require_state(meeting: sqlite3.Row, expected: str, target: str) -> None:
    if meeting["state"] != expected:
        raise error(409, "illegal_transition", f"the meeting is {meeting['state']}",
                    **{"from": meeting["state"], "to": target})


def _require_lead(meeting: sqlite3.Row, user: User) -> None:
    if meeting["lead_id"] != user.id:
        raise error(403, "Only the meeting's lead can do this")


def _scores(conn: sqlite3.Connection, review_id: str, raw: Any, *, complete: bool) -> float:
    mission = missions(conn)[conn.execute("SELECT mission_id FROM reviews WHERE id = ?",
                                          (review_id,)).fetchone()[0]]
    try:
        return scoring.mission_score(mission["subtasks"], mission_rubrics(conn, mission), raw or {},
                                     complete=complete)[0]
    except scoring.ScoreError as exc:
        raise error(422, "invalid_scores", str(exc)) from None


@router.post("/scoring-meetings", status_code=201)
def create(body: Body, user: Caller, state: State) -> dict[str, Any]:
    panel = body.get("panel")
    if not isinstance(panel, list) or not panel or not all(isinstance(p, int) and not isinstance(p, bool)
                                                          for p in panel):
        raise field_errors(panel="A non-empty list of mentor user ids is required.")
    with state.db.tx() as conn:
        review = visible_review(conn, user, str(body.get("review_id")))
        track = missions(conn)[review["mission_id"]]["track_code"]
        primary = conn.execute("SELECT primary_mentor_id FROM tracks WHERE code = ?", (track,)).fetchone()[0]
        if not (user.is_director or primary == user.id):
            raise error(403, "Only the track's primary mentor, a program director or an admin can lead a meeting")
        for mentor_id in panel:
            if not conn.execute("SELECT 1 FROM users WHERE id = ? AND is_mentor = 1", (mentor_id,)).fetchone():
                raise field_errors(panel=f"User {mentor_id} is not a mentor.")
        meeting_id, stamp = str(uuid.uuid4()), iso()
        conn.execute("INSERT INTO meetings VALUES (?,?,?,?,'scoring',1,NULL,?,?)",
                     (meeting_id, review["id"], user.id, int(body.get("blind", True) is not False), stamp, stamp))
        conn.executemany("INSERT INTO meeting_panel VALUES (?,?,NULL,NULL,NULL)",
                         [(meeting_id, m) for m in sorted(set(panel))])
        meeting = conn.execute("SELECT * FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        emit(conn, [user.id, *panel], "meeting.updated", {"id": meeting_id, "version": 1})
        return _view(conn, meeting, user)


@router.get("/scoring-meetings")
def list_meetings(user: Caller, state: State, request: Request) -> dict[str, Any]:
    wanted = request.query_params.get("state")
    with state.db.tx() as conn:
        rows = conn.execute(
            "SELECT * FROM meetings m WHERE (m.lead_id = ? OR EXISTS (SELECT 1 FROM meeting_panel p WHERE "
            "p.meeting_id = m.id AND p.mentor_id = ?)) ORDER BY m.created_at DESC", (user.id, user.id)).fetchall()
        results = [_view(conn, row, user) for row in rows if not wanted or row["state"] == wanted]
    return {"results": results, "count": len(results)}


@router.get("/scoring-meetings/{meeting_id}")
def get_meeting(meeting_id: str, user: Caller, state: State) -> dict[str, Any]:
    with state.db.tx() as conn:
        return _view(conn, _meeting(conn, user, meeting_id), user)


@router.put("/scoring-meetings/{meeting_id}/my-scores")
def my_scores(meeting_id: str, body: Body, user: Caller, state: State) -> dict[str, Any]:
    with state.db.tx() as conn:
        meeting = _meeting(conn, user, meeting_id)
        if user.id not in {p["mentor_id"] for p in _panel(conn, meeting_id)}:
            raise error(403, "Only panel members can submit scores")
        _require_state(meeting, "scoring", "scoring")
        _check_version(conn, meeting, user, body)
        _scores(conn, meeting["review_id"], body.get("subtask_scores"), complete=False)
        conn.execute("UPDATE meeting_panel SET scores = ?, comment = ?, submitted_at = ? WHERE meeting_id = ? "
                     "AND mentor_id = ?", (dumps(body["subtask_scores"]), str(body.get("comment") or ""), iso(),
                                           meeting_id, user.id))
        _bump(conn, meeting)
        return _view(conn, _meeting(conn, user, meeting_id), user)


@router.post("/scoring-meetings/{meeting_id}/reveal")
def reveal(meeting_id: str, user: Caller, state: State) -> dict[str, Any]:
    with state.db.tx() as conn:
        meeting = _meeting(conn, user, meeting_id)
        _require_lead(meeting, user)
        _require_state(meeting, "scoring", "revealed")
        _bump(conn, meeting, state="revealed")
        return _view(conn, _meeting(conn, user, meeting_id), user)


@router.post("/scoring-meetings/{meeting_id}/consensus")
def consensus(meeting_id: str, body: Body, user: Caller, state: State) -> dict[str, Any]:
    with state.db.tx() as conn:
        meeting = _meeting(conn, user, meeting_id)
        _require_lead(meeting, user)
        _require_state(meeting, "revealed", "closed")
        _check_version(conn, meeting, user, body)
        review = conn.execute("SELECT * FROM reviews WHERE id = ?", (meeting["review_id"],)).fetchone()
        score = _scores(conn, review["id"], body.get("subtask_scores"), complete=True)
        result = apply_review(conn, user, review, {
            "base_version": review["version"], "stage": "final", "decision": body.get("decision"),
            "subtask_scores": body.get("subtask_scores"), "mission_score": score,
            "feedback_written": body.get("feedback_written") or ""}, stage_name="final")
        record = {"subtask_scores": body.get("subtask_scores"), "mission_score": score,
                  "decision": body.get("decision"), "feedback_written": body.get("feedback_written") or "",
                  "notes": str(body.get("notes") or ""), "decided_at": iso(), "review": result}
        _bump(conn, meeting, state="closed", consensus=dumps(record))
        return _view(conn, _meeting(conn, user, meeting_id), user)
