"""Reading the database into the contract's JSON shapes (shared by layer A and layer B routes)."""

from __future__ import annotations

import sqlite3
from functools import cache
from typing import Any

from mentor_desk.sandbox.auth import User
from mentor_desk.sandbox.catalog import CAPSTONE_STAGES
from mentor_desk.sandbox.db import loads
from mentor_desk.sandbox.errors import detail, error
from mentor_desk.sandbox.state import now, parse_iso

REVIEWABLE = ("ai_reviewed", "mentor_review")
CLAIM_MINUTES = 30


# -- catalogue (immutable after seeding, so cached per database file) ----------------------------------
@cache
def _missions(db_path: str) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(db_path)
    try:
        return {row[0]: loads(row[1]) for row in conn.execute("SELECT id, data FROM missions")}
    finally:
        conn.close()


def missions(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    return _missions(conn.execute("PRAGMA database_list").fetchone()[2])


def current_rubrics(conn: sqlite3.Connection, ids: set[str]) -> dict[str, dict[str, Any]]:
    rows = conn.execute(
        f"SELECT r.id, r.data FROM rubrics r WHERE r.id IN ({','.join('?' * len(ids))}) AND r.version = "
        "(SELECT MAX(version) FROM rubrics x WHERE x.id = r.id)", sorted(ids)).fetchall()
    return {row[0]: loads(row[1]) for row in rows}


def mission_rubrics(conn: sqlite3.Connection, mission: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return current_rubrics(conn, {s["rubric_id"] for s in mission["subtasks"]})


# -- who may see what ---------------------------------------------------------------------------------
def mentors_of(conn: sqlite3.Connection, learner_id: int) -> list[int]:
    rows = conn.execute("SELECT mentor_id FROM assignments WHERE mentee_id = ? AND status = 'active' "
                        "ORDER BY created_at, mentor_id", (learner_id,))
    return [row[0] for row in rows]


def is_assigned(conn: sqlite3.Connection, mentor_id: int, learner_id: int) -> bool:
    return conn.execute("SELECT 1 FROM assignments WHERE mentor_id = ? AND mentee_id = ? AND status = 'active'",
                        (mentor_id, learner_id)).fetchone() is not None


def visible_review(conn: sqlite3.Connection, user: User, review_id: str, *, panel_reads: bool = False
                   ) -> sqlite3.Row:
    """A review the user may act on (their learner's, or any for a director); 404 otherwise (layer B).

    ``panel_reads`` also lets in the panel of a scoring meeting on the review: routes that only read the
    review and its files pass it; claims and decisions never do (panel members score in the meeting).
    """
    row = conn.execute("SELECT * FROM reviews WHERE id = ?", (review_id,)).fetchone()
    if row is None or not (user.is_director or is_assigned(conn, user.id, row["learner_id"])
                           or (panel_reads and on_panel(conn, user.id, review_id))):
        raise detail(404, "Not found.")
    return row


def on_panel(conn: sqlite3.Connection, user_id: int, review_id: str) -> bool:
    """Panel members of a scoring meeting on the review that is still open (not closed by its consensus)."""
    return conn.execute("SELECT 1 FROM meetings m JOIN meeting_panel p ON p.meeting_id = m.id "
                        "WHERE m.review_id = ? AND p.mentor_id = ? AND m.state != 'closed'",
                        (review_id, user_id)).fetchone() is not None


def watchers(conn: sqlite3.Connection, learner_id: int) -> list[int]:
    """Who hears about changes to a learner's items: their mentors and every director."""
    directors = [r[0] for r in conn.execute("SELECT id FROM users WHERE role IN ('program_director', 'admin')")]
    return mentors_of(conn, learner_id) + directors


# -- users --------------------------------------------------------------------------------------------
def user_brief(conn: sqlite3.Connection, user_id: int | None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    row = conn.execute("SELECT id, first_name, last_name, email FROM users WHERE id = ?", (user_id,)).fetchone()
    return {"id": row[0], "name": f"{row[1]} {row[2]}", "email": row[3]} if row else None


def learner_brief(conn: sqlite3.Connection, user_id: int) -> dict[str, Any]:
    return learner_briefs(conn, {user_id})[user_id]


def learner_briefs(conn: sqlite3.Connection, user_ids: set[int]) -> dict[int, dict[str, Any]]:
    """Id → learner brief for each of ``user_ids``, in one query."""
    rows = conn.execute(f"SELECT id, uuid_id, first_name, last_name, email FROM users "
                        f"WHERE id IN ({','.join('?' * len(user_ids))})", sorted(user_ids))
    return {row[0]: {"id": row[0], "uuid_id": row[1], "name": f"{row[2]} {row[3]}", "email": row[4]} for row in rows}


# -- review items (layer B) ---------------------------------------------------------------------------
def active_claim(row: sqlite3.Row) -> int | None:
    if row["claimed_by"] is None or row["claim_expires_at"] is None:
        return None
    return row["claimed_by"] if parse_iso(row["claim_expires_at"]) > now() else None


def claim_view(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any] | None:
    holder = active_claim(row)
    if holder is None:
        return None
    return {**(user_brief(conn, holder) or {}), "claimed_at": row["claimed_at"],
            "expires_at": row["claim_expires_at"]}


def stage_view(mission: dict[str, Any], index: int) -> dict[str, Any]:
    names = CAPSTONE_STAGES if mission["mission_type"] == "capstone" else ("final",)
    return {"index": index, "total": len(names), "name": names[min(index, len(names) - 1)]}


ROW_COLUMNS = ", ".join(
    f"r.{column}" for column in (
        "id", "kind", "mission_id", "learner_id", "status", "final_status", "stage_index", "attempt", "submitted_at",
        "ai_score", "mentor_score", "claimed_by", "claimed_at", "claim_expires_at", "version", "updated_at",
    )
)
"""The columns of ``reviews r`` that :func:`review_row` reads (listing them spares a list reading ``data``)."""


def review_row(conn: sqlite3.Connection, row: sqlite3.Row, assigned: bool = True,
               learner: dict[str, Any] | None = None) -> dict[str, Any]:
    """The list row of a review; ``learner`` is its learner's brief when the caller has read it already."""
    mission = missions(conn)[row["mission_id"]]
    result = {
        "id": row["id"], "kind": row["kind"],
        "mission": {"id": mission["id"], "code": mission["code"], "title": mission["title"], "tier": 5,
                    "track": mission["track_code"], "mission_type": mission["mission_type"]},
        "learner": learner or learner_brief(conn, row["learner_id"]), "status": row["status"],
        "final_status": row["final_status"], "stage": stage_view(mission, row["stage_index"]),
        "attempt": row["attempt"], "submitted_at": row["submitted_at"], "ai_score": row["ai_score"],
        "mentor_score": row["mentor_score"], "claimed_by": claim_view(conn, row),
        "presentation_required": mission["presentation_required"], "version": row["version"],
        "updated_at": row["updated_at"],
    }
    if not assigned:
        result["assigned"] = False
    return result


def review_detail(conn: sqlite3.Connection, row: sqlite3.Row, base_url: str) -> dict[str, Any]:
    result = review_row(conn, row)
    mission = missions(conn)[row["mission_id"]]
    data = loads(row["data"])
    result["mission"].update({
        "description": mission["description"],
        "subtasks": [{k: s[k] for k in ("id", "title", "description", "weight", "rubric_id", "evidence_schema")}
                     for s in mission["subtasks"]],
        "branching_paths": mission["branching_paths"], "ideal_path": mission["ideal_path"],
        "templates": mission["templates"],
    })
    files = conn.execute("SELECT * FROM files WHERE review_id = ? ORDER BY subtask_id IS NULL, subtask_id, "
                         "filename", (row["id"],)).fetchall()
    file_url = {f["id"]: f"{base_url}/api/v1/mentor/files/{f['id']}" for f in files}
    presentation = data["presentation"]
    result.update({
        "rubrics": mission_rubrics(conn, mission),
        "subtasks_progress": data["subtasks_progress"], "decision_paths": data["decision_paths"],
        "reflection": data["reflection"], "ai_review": data["ai_review"],
        "files": [{"id": f["id"], "subtask_id": f["subtask_id"], "file_type": f["file_type"],
                   "filename": f["filename"], "content_type": f["content_type"], "file_size": f["file_size"],
                   "sha256": f["sha256"], "url": file_url[f["id"]]} for f in files],
        "presentation": {"required": presentation["required"], "submitted": presentation["submitted"],
                         "url": file_url.get(presentation["file_id"])},
        "stages": data["stages"], "history": data["history"], "time_per_stage": data["time_per_stage"],
        "hints_used": data["hints_used"],
    })
    return result


# -- MissionSubmission rows (layer A) -----------------------------------------------------------------
def legacy_status(row: sqlite3.Row) -> str:
    """The MissionSubmission status OCH would show for this item (see README "id mapping")."""
    if row["legacy_status"]:
        return row["legacy_status"]
    status = row["status"]
    if status == "mentor_review":
        return "in_review" if active_claim(row) else "in_mentor_review"
    return {"failed": "rejected", "revision_requested": "needs_revision"}.get(status, status)


def legacy_score(row: sqlite3.Row) -> float | None:
    if row["legacy_score"] is not None:
        return row["legacy_score"]
    return row["mentor_score"] if row["mentor_score"] is not None else row["ai_score"]


def require_own_path(user: User, mentor_id: int, what: str) -> None:
    if mentor_id != user.id:
        raise error(403, f"You can only view your own {what}")
