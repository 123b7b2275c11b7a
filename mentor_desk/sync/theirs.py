"""The server's side of a conflict, read in full so the mentor can compare it field by field with theirs.

A 409 or a moved-on queue row only says *that* the review changed (status, version, attempt, time). When a
conflict is raised the engine asks :func:`read_theirs` for *what* the server now holds, shaped like a draft
payload (``subtask_scores``, ``feedback_written``, ``feedback_per_subtask``, ``decision_annotations``,
``decision``, ``mission_score``) so the conflict dialog can lay both sides out the same way:

* layer B: ``GET /mentor/reviews/{id}``: the latest review of the same stage (its scores, reviewer, time), the
  decision and status, and the earlier attempts' history when the review was decided;
* layer A: the submission's status, feedback and score from the v1 list and, where this mentor can see one,
  the mentorship interaction for that mission and learner (rubric and subtask scores, written feedback,
  per-decision notes).

If the details cannot be read (offline, forbidden...), the row the conflict came with is kept and
:attr:`~mentor_desk.store.Conflict.details_error` says why, so the dialog can tell the mentor so.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from mentor_desk.api.client import MODE_FULL, PlatformClient
from mentor_desk.api.errors import PlatformError
from mentor_desk.api.models import Interaction, InteractionRow, ReviewDetail, StageInfo
from mentor_desk.domain.outbox import DETAILS_ERROR
from mentor_desk.domain.queue import QueueItem
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
            theirs.update(await _submission_side(client, store, entry.review_id))
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


async def _submission_side(client: PlatformClient, store: Store, review_id: str) -> dict[str, Any]:
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
    item = await store.queue_item(review_id)
    interaction = await _interaction(client, found.mission_id, item)
    if interaction is not None:
        _interaction_side(interaction, side)
    return side


async def _interaction(client: PlatformClient, mission_id: str, item: QueueItem | None) -> Interaction | None:
    """The newest mentorship interaction this mentor can see for the mission and learner, if any (OCH v1 lists
    learners by uuid there and by integer id in the submission list: the name links them when no uuid is known)."""
    if not mission_id or item is None:
        return None

    def same_learner(row: InteractionRow) -> bool:
        if item.learner_uuid and row.mentee_id:
            return row.mentee_id == item.learner_uuid
        return bool(row.mentee_name) and row.mentee_name == item.learner_name

    rows = [row for row in await client.v1_interactions(mission_id=mission_id) if same_learner(row)]
    if not rows:
        return None
    newest = max(rows, key=lambda row: row.created_at.isoformat() if row.created_at else "")
    return await client.v1_interaction(newest.id)


def _interaction_side(interaction: Interaction, side: dict[str, Any]) -> None:
    """Add what the interaction holds to ``side``; the feedback the learner sees (the submission's) stays."""
    side["interaction_id"] = interaction.id
    scores = interaction.subtask_scores or interaction.rubric_scores
    if scores and all(isinstance(value, Mapping) for value in scores.values()):
        side["subtask_scores"] = scores
    if interaction.written_feedback and not side.get("feedback_written"):
        side["feedback_written"] = interaction.written_feedback
    if interaction.feedback_per_subtask:
        side["feedback_per_subtask"] = {k: str(v) for k, v in interaction.feedback_per_subtask.items()}
    side["decision_annotations"] = {
        key: dict(note) if isinstance(note, Mapping) else {"comment": str(note)}
        for key, note in interaction.feedback_per_decision.items()
    }
