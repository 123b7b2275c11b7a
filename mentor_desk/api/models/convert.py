"""Wire rows of either layer turned into the domain's :class:`QueueItem`."""

from __future__ import annotations

from mentor_desk.api.models.layer_a import V1SubmissionRow
from mentor_desk.api.models.layer_b import ReviewRow
from mentor_desk.domain.queue import QueueItem


def review_row_to_queue_item(row: ReviewRow, *, my_user_id: int | None = None) -> QueueItem:
    holder = row.claimed_by
    return QueueItem(
        id=row.id,
        kind=row.kind,
        mission_id=row.mission.id,
        mission_title=row.mission.title,
        status=row.status,
        learner_name=row.learner.name,
        mission_code=row.mission.code,
        track=row.mission.track,
        tier="" if row.mission.tier is None else str(row.mission.tier),
        mission_type=row.mission.mission_type,
        learner_id=row.learner.id,
        learner_uuid=row.learner.uuid_id,
        learner_email=row.learner.email,
        stage_index=row.stage.index + 1,  # the wire counts stages from 0, the queue shows "k/n" from 1
        stage_total=row.stage.total,
        stage_name=row.stage.name,
        attempt=row.attempt,
        submitted_at=row.submitted_at,
        ai_score=row.ai_score,
        claimed_by=(holder.name or holder.email or None) if holder else None,
        claimed_by_me=bool(holder and my_user_id is not None and holder.id == my_user_id),
        presentation_required=row.presentation_required,
        version=row.version,
        updated_at=row.updated_at,
        assigned=row.assigned,
    )


def v1_row_to_queue_item(row: V1SubmissionRow, *, kind: str = "mission") -> QueueItem:
    extra = {"mentor_score": str(row.mentor_score)} if row.mentor_score is not None else {}
    return QueueItem(
        id=row.id,
        kind=kind,
        mission_id=row.mission_id,
        mission_title=row.mission_title,
        status=row.status,
        learner_name=row.mentee_name or row.mentee_email,
        learner_id=row.mentee_id,
        learner_email=row.mentee_email,
        submitted_at=row.submitted_at,
        ai_score=row.ai_score,
        updated_at=row.reviewed_at or row.submitted_at,
        extra=extra,
    )


def to_queue_item(row: ReviewRow | V1SubmissionRow, *, my_user_id: int | None = None) -> QueueItem:
    """Either layer's queue row as the app's :class:`QueueItem`."""
    if isinstance(row, ReviewRow):
        return review_row_to_queue_item(row, my_user_id=my_user_id)
    return v1_row_to_queue_item(row)
