"""The server's side of a conflict, read in full so the mentor can compare it field by field with theirs.

A 409 or a moved-on queue row only says *that* the review changed (status, version, attempt, time). When a
conflict is raised the engine asks :func:`read_theirs` for *what* the server now holds, shaped like a draft
payload (``subtask_scores``, ``feedback_written``, ``feedback_per_subtask``, ``decision_annotations``,
``decision``, ``mission_score``) so the conflict dialog can lay both sides out the same way:

* layer B: ``GET /mentor/reviews/{id}``: the latest review of the same stage (its scores, reviewer, time), the
  decision and status, and the earlier attempts' history when the review was decided;
* layer A: the submission's status, feedback, score and review time from the v1 list: only what belongs to the
  submission itself. OCH v1's mentorship interactions name a mission and a learner, never a submission, so an
  interaction found by mission and learner may belong to another attempt, submission or learner of the same
  name; it is not shown as the other side of this review.

If the details cannot be read (offline, forbidden...), the row the conflict came with is kept and
:attr:`~mentor_desk.store.Conflict.details_error` says why, so the dialog can tell the mentor so.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from mentor_desk.api.client import MODE_FULL, PlatformClient
from mentor_desk.api.errors import PlatformError
from mentor_desk.api.models import ReviewDetail, StageInfo
from mentor_desk.domain.outbox import DETAILS_ERROR
from mentor_desk.domain.status import is_awaiting_mentor
from mentor_desk.store import DocumentKind, OutboxEntry, Store
from mentor_desk.sync.meeting_scores import OP_MEETING_SCORES

log = logging.getLogger(__name__)

_V1_DECISIONS = {"approved": "approve", "needs_revision": "request_revision", "revision_requested": "request_revision"}


async def read_theirs(
    client: PlatformClient, store: Store, entry: OutboxEntry, row: Mapping[str, Any], *, mode: str
) -> dict[str, Any]:
    """``row`` (what the conflict came with) completed with what the server holds now (see the module doc)."""
    theirs = dict(row)
    if entry.operation == OP_MEETING_SCORES:  # the sender read the meeting already
        return theirs
    try:
        if mode == MODE_FULL:
            theirs.update(await _review_side(client, store, entry))
        else:
            theirs.update(await _submission_side(client, entry.review_id))
    except PlatformError as error:
        log.info("Review %s: the server's side of the conflict could not be read: %s", entry.review_id, error)
        theirs[DETAILS_ERROR] = error.user_message
    return theirs


# -- layer B ---------------------------------------------------------------------------------------------------


async def _review_side(client: PlatformClient, store: Store, entry: OutboxEntry) -> dict[str, Any]:
    detail = await client.get_review(entry.review_id)
    # Keep the fresh detail: resolving needs its rubrics (a merged payload's mission score) and the workspace
    # should show the server's new state.
    await store.put_document(DocumentKind.REVIEW_DETAIL, detail.id, detail.model_dump(mode="json"), detail.version)
    side: dict[str, Any] = {
        "id": detail.id,
        "status": detail.status,
        "final_status": detail.final_status,
        "version": detail.version,
        "attempt": detail.attempt,
        "updated_at": detail.updated_at.isoformat() if detail.updated_at else None,
        "stage": detail.stage.model_dump(mode="json"),
        "mentor_score": detail.mentor_score,
        "subtask_scores": {},
        "feedback_written": "",
        "feedback_per_subtask": {},
        "decision_annotations": {},
        "decision": None,
        "reviewer": None,
        "completed_at": None,
    }
    stage = _stage_review(detail, entry.stage)
    if stage is not None:
        scores = stage.scores or {}
        side.update(
            subtask_scores=scores.get("subtask_scores") or {},
            mission_score=scores.get("mission_score"),
            feedback_written=stage.feedback_written or "",
            feedback_per_subtask=stage.feedback_per_subtask or {},
            decision_annotations=stage.decision_annotations or {},
            decision=stage.decision,
            reviewer=(stage.reviewer.name or stage.reviewer.email) if stage.reviewer else None,
            completed_at=stage.completed_at.isoformat() if stage.completed_at else None,
        )
    if not is_awaiting_mentor(detail.status):  # decided: what was decided on the earlier attempts too
        side["history"] = [entry.model_dump(mode="json") for entry in detail.history]
    return side


def _stage_review(detail: ReviewDetail, stage: str) -> StageInfo | None:
    """The latest completed review of ``stage`` (of the last completed stage when the draft names none)."""
    done = [s for s in detail.stages if s.completed_at is not None and (not stage or s.name == stage)]
    return done[-1] if done else None


# -- layer A ---------------------------------------------------------------------------------------------------


async def _submission_side(client: PlatformClient, review_id: str) -> dict[str, Any]:
    mentor_id = (await client.me()).id
    offset = 0
    while True:
        rows, count = await client.v1_submissions(mentor_id, limit=100, offset=offset)
        found = next((row for row in rows if row.id == review_id), None)
        if found is not None:
            break
        offset += len(rows)
        if not rows or count is None or offset >= count:
            return {}  # gone from the list: the moved-on row already says so
    side: dict[str, Any] = {
        "status": found.status,
        "feedback_written": found.feedback or "",
        "mentor_score": found.mentor_score,
        "decision": _V1_DECISIONS.get(found.status),
        "completed_at": found.reviewed_at.isoformat() if found.reviewed_at else None,
    }
    return side
