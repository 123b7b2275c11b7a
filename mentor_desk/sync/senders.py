"""How each kind of outbox entry reaches the platform, safely repeatable (one sender per operation).

A sender marks the entry ``sending`` just before its request leaves and ``done`` once the platform has it;
it raises :class:`ServerMovedOn` when the platform's state no longer matches what the mentor reviewed (the
engine turns that into a conflict) and lets the client's typed errors through for the engine's retry policy.

* :class:`StageReviewSender` (layer B, ``stage_review``): the request carries the entry's ``client_op_id`` and
  ``base_version``, so a repeat after an unknown outcome gets the platform's first answer. A 409 whose newer
  version differs from the draft's basis only by a claim (opening a review claims it, which bumps the version)
  is re-sent once against that version, under a new op id.
* :class:`V1ReviewSender` (layer A, ``v1_review``): OCH v1 has neither versions nor op ids, so the submission
  is re-read before every send: our decision already there after an attempt of ours → done; moved on since the
  draft started (decided by someone else, resubmitted, gone from the queue) → :class:`ServerMovedOn`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

import pydantic

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import IllegalTransition, VersionConflict
from mentor_desk.api.models import ReviewDetail, RubricModel, StageReviewRequest
from mentor_desk.domain.decision_path import annotations_to_send
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.review_rules import v1_record
from mentor_desk.domain.status import Decision, ReviewStatus, is_awaiting_mentor, parse_status, resulting_status
from mentor_desk.store import DocumentKind, OutboxEntry, Store
from mentor_desk.sync.media_upload import with_recordings
from mentor_desk.sync.v1_feedback import OVERALL_STATUS, RubricSheet, render_written_feedback

log = logging.getLogger(__name__)

OP_STAGE_REVIEW = "stage_review"
OP_V1_REVIEW = "v1_review"

_ROW_FIELDS = {"id", "status", "version", "updated_at", "attempt", "stage", "claimed_by"}
_QUEUE_ITEM = pydantic.TypeAdapter(QueueItem)


class ServerMovedOn(Exception):
    """The platform's item changed under the entry; ``theirs`` is its current state (JSON)."""

    def __init__(self, message: str, theirs: Mapping[str, Any]) -> None:
        super().__init__(message)
        self.theirs = theirs


class Sender(Protocol):
    operation: str
    concurrent: bool
    """Whether entries of different reviews may be sent at the same time."""

    def start_round(self) -> None:
        """Forget what was read from the platform in an earlier round."""

    async def send(self, entry: OutboxEntry) -> None:
        """Deliver the entry and mark it done (see the module docstring)."""


class StageReviewSender:
    operation = OP_STAGE_REVIEW
    concurrent = True  # each request stands alone: its op id and base version make it safe to repeat

    def __init__(self, client: PlatformClient, store: Store) -> None:
        self._client = client
        self._store = store

    def start_round(self) -> None:
        pass

    async def send(self, entry: OutboxEntry) -> None:
        try:
            await self._send(entry)
        except VersionConflict as error:
            current = error.current if isinstance(error.current, dict) else {}
            if not _only_claims_moved(entry, current):
                raise
            log.info("Review %s: only a claim changed since the draft; re-sending", entry.review_id)
            await self._send(await self._store.rebase_entry(entry.id, current["version"]))

    async def _send(self, entry: OutboxEntry) -> None:
        stage = entry.stage or await self._current_stage(entry.review_id)
        payload = await with_recordings(self._store, entry.payload, media_fields=True)
        body = stage_review_request(dataclasses.replace(entry, payload=payload), stage)
        await self._store.mark_sending(entry.id)
        try:
            await self._client.submit_stage_review(entry.review_id, body)
        except IllegalTransition as error:
            theirs = (await self._client.get_review(entry.review_id)).model_dump(mode="json", include=_ROW_FIELDS)
            raise ServerMovedOn(error.user_message, theirs) from error
        await self._store.mark_done(entry.id)

    async def _current_stage(self, review_id: str) -> str:
        """The stage a draft saved without one (a single-stage mission) is for: the review's current stage."""
        item = await self._store.queue_item(review_id)
        if item is not None and item.stage_name:
            return item.stage_name
        return (await self._client.get_review(review_id)).stage.name


def stage_review_request(entry: OutboxEntry, stage: str) -> StageReviewRequest:
    """The request body for a ``stage_review`` entry: the draft's review plus op id, base version and stage.

    Annotations go out only with a verdict (the contract requires one): blank ones are left out, and a comment
    without a verdict raises ``ValueError`` (the entry then waits for the mentor, the comment is not lost).
    The entry's payload has its recordings worked in (:func:`~mentor_desk.sync.media_upload.with_recordings`):
    the whole review's audio and video media ids go out with it.
    """
    if entry.base_version is None:
        raise ValueError("the draft does not say which version of the review it started from")
    draft = entry.draft
    return StageReviewRequest.model_validate(
        {
            "client_op_id": entry.client_op_id,
            "base_version": entry.base_version,
            "stage": stage,
            "decision": draft.decision,
            "subtask_scores": draft.subtask_scores,
            "mission_score": draft.mission_score,
            "feedback_written": draft.feedback_written,
            "feedback_per_subtask": draft.feedback_per_subtask,
            "decision_annotations": annotations_to_send(draft.decision_annotations),
            "audio_media_id": entry.payload.get("audio_media_id"),
            "video_media_id": entry.payload.get("video_media_id"),
        }
    )


class V1ReviewSender:
    operation = OP_V1_REVIEW
    concurrent = False  # every send reads and then drops the round's shared copy of the queue

    def __init__(self, client: PlatformClient, store: Store) -> None:
        self._client = client
        self._store = store
        self._rows: dict[str, QueueItem] | None = None

    def start_round(self) -> None:
        self._rows = None

    def take_rows(self) -> list[QueueItem] | None:
        """The queue as this round read it, if nothing was sent since (saves the pull a second read)."""
        rows, self._rows = self._rows, None
        return None if rows is None else list(rows.values())

    async def send(self, entry: OutboxEntry) -> None:
        draft = entry.draft
        decision = draft.decision
        if decision not in OVERALL_STATUS:
            raise ValueError("OCH v1 records only a final decision (approve, request revision or fail)")
        if self._rows is None:
            self._rows = {item.id: item for item in await self._client.fetch_queue()}
        row = self._rows.get(entry.review_id)
        if row is None:
            raise ServerMovedOn(
                "This submission is no longer in your queue on the platform.",
                {"id": entry.review_id, "assigned": False, "status": ""},
            )
        same_status = not draft.server_status or draft.server_status == row.status
        same_time = not draft.server_updated_at or _same_time(draft.server_updated_at, row.updated_at)
        if not (same_status and same_time):
            if entry.attempts > 0 and parse_status(row.status) in _V1_RESULTS[Decision(decision)]:
                await self._store.mark_done(entry.id)  # an earlier attempt of ours got through
                return
            if not same_time or not is_awaiting_mentor(row.status):
                raise ServerMovedOn(
                    "This submission changed on the platform since you started reviewing it "
                    f"(now: {row.status or 'unknown'}).",
                    _QUEUE_ITEM.dump_python(row, mode="json"),
                )
        sheet = await self._sheet(entry.review_id, draft)
        recorded = ReviewDraft.from_json(await with_recordings(self._store, entry.payload, media_fields=False))
        await self._store.mark_sending(entry.id)
        record = v1_record(recorded)
        await self._client.v1_review_submission(
            entry.review_id,
            OVERALL_STATUS[decision],
            render_written_feedback(recorded, sheet),
            score=record.score if record is not None else None,
        )
        self._rows = None
        await self._store.mark_done(entry.id)

    async def _sheet(self, review_id: str, draft: ReviewDraft) -> RubricSheet | None:
        """The subtasks and rubrics the review was scored on: the mission's subtasks from the review detail the
        desk cached when it was opened; a subtask without a rubric of the platform's (OCH v1 has none) is scored
        on the desk's own rubric, which the draft names and the store keeps (None when the detail is gone)."""
        cached = await self._store.document(DocumentKind.REVIEW_DETAIL, review_id)
        try:
            detail = ReviewDetail.model_validate(cached.data) if cached is not None else None
        except pydantic.ValidationError:
            detail = None
        if detail is None:
            return None
        rubrics = detail.domain_rubrics()
        for rubric_id, version in draft.rubric_versions.items():
            data = None if rubric_id in rubrics else await self._store.rubric(rubric_id, version)
            if data is not None:
                rubrics[rubric_id] = RubricModel.model_validate(data).to_domain()
        own = [rubric_id for rubric_id in draft.rubric_versions if rubric_id not in detail.domain_rubrics()]
        subtasks = [
            s if s.rubric_id in rubrics or len(own) != 1 else dataclasses.replace(s, rubric_id=own[0])
            for s in detail.subtask_specs()
        ]
        return RubricSheet(subtasks, rubrics)


_V1_RESULTS: dict[Decision, frozenset[ReviewStatus]] = {
    decision: frozenset({resulting_status(decision)})
    if decision is Decision.APPROVE
    else frozenset({resulting_status(decision), ReviewStatus.REJECTED})
    for decision in Decision
}
"""Statuses OCH v1 shows once a decision is recorded (it stores revision and fail both as ``rejected``)."""


def _same_time(a: str, b: datetime | None) -> bool:
    try:
        return b is not None and datetime.fromisoformat(a) == b
    except ValueError:
        return False


def _only_claims_moved(entry: OutboxEntry, current: Mapping[str, Any]) -> bool:
    """Whether the server's newer review row leaves the draft's basis intact: same attempt, same stage and still
    awaiting a mentor (a decision would have made it final, a resubmission bumped the attempt, a stage review
    moved the stage). Moving from ``ai_reviewed`` to ``mentor_review`` (claiming does that) is no change."""
    stage = current.get("stage")
    stage_name = stage.get("name") if isinstance(stage, Mapping) else None
    return (
        isinstance(current.get("version"), int)
        and entry.draft.attempt == current.get("attempt")
        and (not entry.stage or entry.stage == stage_name)
        and is_awaiting_mentor(current.get("status"))
    )
