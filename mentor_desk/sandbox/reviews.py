"""Layer B review items: list, detail, claims, rubrics, evidence files and the stage/decision write."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, Response

from mentor_desk.sandbox import ops, scoring
from mentor_desk.sandbox.auth import User, bearer_user, reviewer_user
from mentor_desk.sandbox.catalog import CAPSTONE_STAGES
from mentor_desk.sandbox.db import dumps, loads
from mentor_desk.sandbox.errors import ApiError, detail, error, field_errors
from mentor_desk.sandbox.files import ranged
from mentor_desk.sandbox.state import SandboxState, emit, iso, json_body, now, parse_iso, sandbox
from mentor_desk.sandbox.views import (
    CLAIM_MINUTES,
    REVIEWABLE,
    ROW_COLUMNS,
    active_claim,
    claim_view,
    current_rubrics,
    learner_briefs,
    mission_rubrics,
    missions,
    review_detail,
    review_row,
    stage_view,
    visible_review,
    watchers,
)

router = APIRouter()
Caller = Annotated[User, Depends(reviewer_user)]
State = Annotated[SandboxState, Depends(sandbox)]
Body = Annotated[dict[str, Any], Depends(json_body)]

DECISIONS = {"approve": ("approved", "pass"), "request_revision": ("revision_requested", "pending"),
             "fail": ("failed", "fail")}
VERDICTS = ("matches_ideal", "acceptable", "divergent")
CAPABILITIES = ["reviews", "claims", "media", "tier5_approval", "scoring_meetings", "events"]


@router.get("/mentor/capabilities")
def capabilities(_user: Annotated[User, Depends(bearer_user)], state: State) -> dict[str, Any]:
    """What this server offers; any signed-in user may ask (discovery does not depend on the role)."""
    return {"api": "och-tier5-review", "version": 1, "features": CAPABILITIES,
            "limits": {"media_max_bytes": state.config.media_max_bytes}}


@router.get("/mentor/reviews")
def list_reviews(user: Caller, state: State, request: Request) -> JSONResponse:
    params = request.query_params
    try:
        limit = max(0, min(int(params.get("limit", 50)), 1000))
        offset = max(0, int(params.get("offset", 0)))
        since = iso(parse_iso(params["updated_since"])) if params.get("updated_since") else None
    except ValueError:
        raise detail(400, "limit and offset must be integers and updated_since an ISO 8601 time") from None
    where: list[str] = ["1"]
    args: list[object] = []
    if not user.is_director:
        where.append("r.learner_id IN (SELECT mentee_id FROM assignments WHERE mentor_id = ? AND status = 'active')")
        args.append(user.id)
    if params.get("status"):
        statuses = params["status"].split(",")
        where.append(f"r.status IN ({','.join('?' * len(statuses))})")
        args += statuses
    if params.get("track"):
        where.append("m.track_code = ?")
        args.append(params["track"])
    if since:
        where.append("r.updated_at > ?")
        args.append(since)
    sql = f"FROM reviews r JOIN missions m ON m.id = r.mission_id WHERE {' AND '.join(where)}"
    with state.db.tx() as conn:
        count = conn.execute(f"SELECT COUNT(*) {sql}", args).fetchone()[0]
        # Incremental pulls page oldest-change first: an item that changes mid-pull moves to the end (seen
        # twice at worst) instead of shifting the pages under the client (skipped).
        order = "r.updated_at ASC, r.id" if since else "r.updated_at DESC, r.id"
        rows = conn.execute(f"SELECT {ROW_COLUMNS} {sql} ORDER BY {order} LIMIT ? OFFSET ?",
                            [*args, limit, offset]).fetchall()
        gone: list[sqlite3.Row] = []
        if since and not user.is_director:
            # Rows no longer assigned to me follow the assigned ones in the same paged sequence.
            gone = conn.execute(
                f"SELECT {ROW_COLUMNS} FROM reviews r JOIN assignments a "
                "ON a.mentee_id = r.learner_id AND a.mentor_id = ? "
                "WHERE a.status != 'active' AND a.updated_at > ? AND NOT EXISTS (SELECT 1 FROM assignments b "
                "WHERE b.mentee_id = r.learner_id AND b.mentor_id = ? AND b.status = 'active') ORDER BY r.id",
                (user.id, since, user.id)).fetchall()
            assigned, count = count, count + len(gone)
            start = max(0, offset - assigned)
            gone = gone[start: max(start, offset + limit - assigned)]
        learners = learner_briefs(conn, {row["learner_id"] for row in (*rows, *gone)})
        results = [review_row(conn, row, learner=learners[row["learner_id"]]) for row in rows]
        results += [review_row(conn, row, assigned=False, learner=learners[row["learner_id"]]) for row in gone]
    # A thousand rows are plain JSON already: spare them FastAPI's generic encoder.
    return JSONResponse({"results": results, "count": count})


@router.get("/mentor/reviews/{review_id}")
def get_review(review_id: str, user: Caller, state: State, request: Request) -> dict[str, Any]:
    with state.db.tx() as conn:
        row = visible_review(conn, user, review_id, panel_reads=True)
        return review_detail(conn, row, str(request.base_url).rstrip("/"))


def touch(conn: sqlite3.Connection, row: sqlite3.Row, event: str, **changes: Any) -> int:
    """Apply column changes, bump the version, and tell everyone watching the learner."""
    version = row["version"] + 1
    assignments = ", ".join(f"{column} = ?" for column in changes)
    conn.execute(f"UPDATE reviews SET {assignments}, version = ?, updated_at = ? WHERE id = ?",
                 (*changes.values(), version, iso(), row["id"]))
    fresh = conn.execute("SELECT * FROM reviews WHERE id = ?", (row["id"],)).fetchone()
    payload = {"id": row["id"], "version": version}
    if event == "claim.changed":
        payload["claimed_by"] = claim_view(conn, fresh)
    emit(conn, watchers(conn, row["learner_id"]), event, payload)
    return version


def _claimed_by_other(conn: sqlite3.Connection, row: sqlite3.Row, user: User) -> ApiError | None:
    holder = active_claim(row)
    if holder is not None and holder != user.id:
        return error(409, "claimed", "Another mentor is reviewing this item", claimed_by=claim_view(conn, row))
    return None


@router.post("/mentor/reviews/{review_id}/claim")
def claim(review_id: str, user: Caller, state: State) -> dict[str, Any]:
    with state.db.tx() as conn:
        row = visible_review(conn, user, review_id)
        conflict = _claimed_by_other(conn, row, user)
        if conflict:
            raise conflict
        if row["status"] not in ("submitted", *REVIEWABLE):
            raise error(409, "illegal_transition", "A decided item cannot be claimed", **{"from": row["status"],
                                                                                          "to": "mentor_review"})
        moment = now()
        expires = iso(moment + timedelta(minutes=CLAIM_MINUTES))
        if active_claim(row) == user.id:  # a renewal: only the expiry moves (no new version, nothing to tell)
            conn.execute("UPDATE reviews SET claim_expires_at = ? WHERE id = ?", (expires, row["id"]))
            return {"claimed_by": user.brief(), "claimed_at": row["claimed_at"], "expires_at": expires}
        status = "mentor_review" if row["status"] == "ai_reviewed" else row["status"]
        touch(conn, row, "claim.changed", claimed_by=user.id, claimed_at=iso(moment), claim_expires_at=expires,
               status=status)
    return {"claimed_by": user.brief(), "claimed_at": iso(moment), "expires_at": expires}


@router.delete("/mentor/reviews/{review_id}/claim", status_code=204)
def release(review_id: str, user: Caller, state: State) -> Response:
    with state.db.tx() as conn:
        row = visible_review(conn, user, review_id)
        conflict = _claimed_by_other(conn, row, user)
        if conflict:
            raise conflict
        if row["claimed_by"] is not None:
            touch(conn, row, "claim.changed", claimed_by=None, claimed_at=None, claim_expires_at=None)
    return Response(status_code=204)


@router.get("/rubrics/{rubric_id}")
def rubric(rubric_id: str, _user: Caller, state: State, version: int | None = None) -> dict[str, Any]:
    with state.db.tx() as conn:
        if version is None:
            found = current_rubrics(conn, {rubric_id}).get(rubric_id)
        else:
            row = conn.execute("SELECT data FROM rubrics WHERE id = ? AND version = ?", (rubric_id, version)).fetchone()
            found = loads(row[0]) if row else None
    if found is None:
        raise detail(404, "Not found.")
    return found


@router.get("/mentor/files/{file_id}")
def evidence_file(file_id: str, user: Caller, state: State, request: Request) -> Response:
    with state.db.tx() as conn:
        row = conn.execute("SELECT * FROM files WHERE id = ?", (file_id,)).fetchone()
        if row is None:
            raise detail(404, "Not found.")
        visible_review(conn, user, row["review_id"], panel_reads=True)
        content = conn.execute("SELECT content FROM blobs WHERE sha256 = ?", (row["sha256"],)).fetchone()[0]
    return ranged(content, request.headers.get("range"), row["content_type"], row["filename"])


# -- the stage review / decision write ----------------------------------------------------------------
def _stage_names(mission: dict[str, Any]) -> tuple[str, ...]:
    return CAPSTONE_STAGES if mission["mission_type"] == "capstone" else ("final",)


def _invalid(code: str, message: str) -> ApiError:
    return error(422, code, message)


def _check_media(conn: sqlite3.Connection, user: User, body: dict[str, Any]) -> None:
    for key in ("audio_media_id", "video_media_id"):
        media_id = body.get(key)
        if media_id is None:
            continue
        found = conn.execute("SELECT complete FROM media WHERE id = ? AND owner_id = ?",
                             (str(media_id), user.id)).fetchone()
        if not found or not found[0]:
            raise _invalid("invalid_media", f"{key} {media_id} is not a completed upload of yours")


def _check_annotations(mission: dict[str, Any], annotations: Any) -> None:
    if not isinstance(annotations, dict):
        raise _invalid("invalid_annotations", "decision_annotations must be an object keyed by decision id")
    known = {point["decision_id"] for point in mission["branching_paths"].values()}
    for decision_id, note in annotations.items():
        if decision_id not in known:
            raise _invalid("invalid_annotations", f"unknown decision {decision_id}")
        if not isinstance(note, dict) or note.get("verdict") not in VERDICTS:
            raise _invalid("invalid_annotations", f"decision {decision_id}: verdict must be one of "
                                                  f"{', '.join(VERDICTS)}")


def apply_review(conn: sqlite3.Connection, user: User, row: sqlite3.Row, body: dict[str, Any], *,
                 stage_name: str | None = None) -> dict[str, Any]:
    """Validate and store one stage review (or the final decision); returns the 200 body.

    ``stage_name`` forces the stage: a scoring meeting's consensus writes ``final`` directly, skipping
    any stages still open, and overrides other mentors' claims.
    """
    mission = missions(conn)[row["mission_id"]]
    names = _stage_names(mission)
    base_version = body.get("base_version")
    if isinstance(base_version, bool) or not isinstance(base_version, int):
        raise field_errors(base_version="A valid integer is required.")
    if base_version != row["version"]:
        raise error(409, "version_conflict", "The review changed since you loaded it",
                    current=review_row(conn, row))
    conflict = _claimed_by_other(conn, row, user)
    if conflict and stage_name is None:
        raise conflict
    stage = stage_name or body.get("stage")
    current = names[min(row["stage_index"], len(names) - 1)]
    final = stage == names[-1]
    decision = body.get("decision")
    if decision is not None and not (isinstance(decision, str) and decision in DECISIONS):
        raise _invalid("invalid_decision", f"decision must be one of {', '.join(DECISIONS)} or null")
    target = DECISIONS[decision][0] if final and decision else "mentor_review"
    if row["status"] not in REVIEWABLE:
        raise error(409, "illegal_transition", f"A review cannot move from {row['status']} to {target}",
                    **{"from": row["status"], "to": target})
    if stage_name is None and stage != current:
        raise _invalid("invalid_stage", f"the current stage is {current}, not {stage}")
    if final and decision not in DECISIONS:
        raise _invalid("invalid_decision", "the final stage needs decision approve, request_revision or fail")
    if not final and decision is not None:
        raise _invalid("invalid_decision", "only the final stage takes a decision; send null before it")
    feedback = body.get("feedback_written") or ""
    per_subtask_notes = body.get("feedback_per_subtask") or {}
    recipes = body.get("recommended_recipes") or []
    if not isinstance(feedback, str) or not isinstance(per_subtask_notes, dict) or \
            not all(isinstance(v, str) for v in per_subtask_notes.values()) or \
            not isinstance(recipes, list) or not all(isinstance(r, str) for r in recipes):
        raise _invalid("invalid_feedback", "feedback_written must be text, feedback_per_subtask an object of "
                                           "texts and recommended_recipes a list of texts")
    if decision in ("request_revision", "fail") and not feedback.strip():
        raise _invalid("feedback_required", "request_revision and fail need written feedback")
    rubrics = mission_rubrics(conn, mission)
    try:
        score, per_subtask = scoring.mission_score(mission["subtasks"], rubrics, body.get("subtask_scores") or {},
                                                   complete=final)
    except scoring.ScoreError as exc:
        raise _invalid("invalid_scores", str(exc)) from None
    if not scoring.matches(body.get("mission_score"), score):
        raise _invalid("score_mismatch", f"the server computes a mission score of {score:.2f}, "
                                         f"not {body.get('mission_score')}")
    threshold = min(r["pass_threshold"] for r in rubrics.values())
    if decision == "approve" and score < threshold:
        raise _invalid("invalid_scores", f"approve needs a mission score of at least {threshold}; it is {score:.2f}")
    _check_annotations(mission, body.get("decision_annotations") or {})
    _check_media(conn, user, body)

    data = loads(row["data"])
    index = names.index(stage)
    for skipped in range(row["stage_index"], index):
        data["stages"][skipped]["status"] = "skipped"
    stamp = iso()
    data["stages"][index] = {
        "name": stage, "status": "completed", "reviewer": {"id": user.id, "name": user.name},
        "completed_at": stamp, "decision": decision, "feedback_written": feedback,
        "scores": {"subtask_scores": body.get("subtask_scores"), "subtask_results": per_subtask,
                   "mission_score": score,
                   "rubric_versions": {s["rubric_id"]: rubrics[s["rubric_id"]]["version"]
                                       for s in mission["subtasks"] if str(s["id"]) in per_subtask}},
        **{key: body.get(key) for key in ("feedback_per_subtask", "decision_annotations", "audio_media_id",
                                          "video_media_id", "recommended_recipes")},
    }
    changes: dict[str, Any] = {"data": dumps(data), "legacy_status": None, "legacy_score": None}
    if final:
        status, final_status = DECISIONS[str(decision)]
        changes.update(status=status, final_status=final_status, mentor_score=score, reviewed_at=stamp,
                       legacy_feedback=feedback, claimed_by=None, claimed_at=None, claim_expires_at=None,
                       stage_index=index)
    else:
        status, final_status = "mentor_review", row["final_status"]
        data["stages"][index + 1]["status"] = "current"
        changes.update(data=dumps(data), status=status, stage_index=index + 1)
    version = touch(conn, row, "review.updated", **changes)
    return {"status": status, "final_status": final_status, "mentor_score": score, "version": version,
            "stage": stage_view(mission, changes["stage_index"])}


@router.post("/mission-progress/{review_id}/mentor-review/complete")
def complete(review_id: str, body: Body, user: Caller, state: State) -> dict[str, Any]:
    with state.db.tx() as conn:
        row = visible_review(conn, user, review_id)
        stored = ops.replay(conn, user.id, body)
        if stored is not None:
            return stored
        if not user.is_mentor:
            raise error(403, "Only mentors can review submissions")
        result = apply_review(conn, user, row, body)
        ops.record(conn, user.id, body, result)
    return result


