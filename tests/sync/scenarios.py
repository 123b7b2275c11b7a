"""Reviews and conflicts built on a real sandbox, shared by the sync tests and the conflict dialog's UI tests.

A conflict here is real: the mentor's review waits in the outbox while the same mentor, on a second computer,
reviews the same item differently first; the desk's next sync round then meets the platform's newer state.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, replace
from typing import Any

import httpx

from mentor_desk.api.models import ReviewDetail, RubricModel, StageReviewRequest, V1SubmissionRow
from mentor_desk.domain.draft import DecisionNote, ReviewDraft
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.scoring import mission_score
from mentor_desk.domain.status import can_decide, is_awaiting_mentor
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.store import Conflict

from .conftest import MENTOR, Desk, signed_in

ScoreOf = Callable[[RubricModel], float]


def scores(detail: ReviewDetail, score_of: ScoreOf) -> dict[str, dict[str, float]]:
    """Every criterion of every subtask scored ``score_of(rubric)``."""
    return {
        str(subtask.id): {
            c.id: score_of(detail.rubrics[subtask.rubric_id]) for c in detail.rubrics[subtask.rubric_id].criteria
        }
        for subtask in detail.mission.subtasks
        if subtask.rubric_id
    }


def full_draft(detail: ReviewDetail, decision: str = "approve", feedback: str = "Solid work.") -> ReviewDraft:
    """A complete review giving every criterion full marks (mission score 100)."""
    return ReviewDraft(
        base_version=detail.version,
        attempt=detail.attempt,
        subtask_scores=scores(detail, lambda rubric: rubric.scale.max),
        mission_score=100.0,
        feedback_written=feedback,
        decision=decision,
        server_status=detail.status,
        server_updated_at=detail.updated_at.isoformat() if detail.updated_at else None,
    )


async def decidable(desk: Desk, count: int = 1) -> list[ReviewDetail]:
    """Single-stage reviews awaiting a decision that nobody else has claimed."""
    await desk.engine.pull()
    items = [
        item
        for item in await desk.store.queue()
        if can_decide(item.status) and item.stage_total == 1 and (item.claimed_by is None or item.claimed_by_me)
    ]
    assert len(items) >= count
    return [await desk.client.get_review(item.id) for item in items[:count]]


@dataclass(frozen=True, slots=True)
class ReviewedTwice:
    """What each computer sent: ``mine`` waits in the desk's outbox, ``theirs`` reached the platform first."""

    review_id: str
    mine: ReviewDraft
    theirs: dict[str, Any]
    subtask: str  # the first subtask's id, commented on by both
    reviewer: str  # who the platform says reviewed it


async def decided_on_another_computer(desk: Desk, url: str) -> ReviewedTwice:
    """Layer B: mine approves with full marks; the other computer asked for a revision with low marks first."""
    (detail,) = await decidable(desk)
    subtask = str(detail.mission.subtasks[0].id)
    mine = replace(
        full_draft(detail, "approve", "Mine: a clear <b>timeline</b>."), feedback_per_subtask={subtask: "Mine."}
    )
    await desk.engine.submit(detail.id, "", mine)
    low = scores(detail, lambda rubric: rubric.scale.min + 1)
    theirs: dict[str, Any] = {
        "subtask_scores": low,
        "mission_score": mission_score(detail.subtask_specs(), detail.domain_rubrics(), low),
        "feedback_written": "Theirs: redo the timeline.",
        "feedback_per_subtask": {subtask: "Theirs."},
        "decision": "request_revision",
    }
    other = await signed_in(url, MENTOR)
    try:
        await other.submit_stage_review(
            detail.id,
            StageReviewRequest(client_op_id="other-computer", base_version=detail.version, stage="final", **theirs),
        )
        reviewer = (await other.me()).name
    finally:
        await other.aclose()
    return ReviewedTwice(detail.id, mine, theirs, subtask, reviewer)


def v1_draft(item: QueueItem, decision: str | None = "approve", **extra: Any) -> ReviewDraft:
    """A layer A review of ``item`` as the review workspace saves it."""
    draft = ReviewDraft(
        decision=decision,
        feedback_written="Clear containment plan; next time document the timeline.",
        subtask_scores={"st-1": {"evidence": 4, "reasoning": 3}},
        mission_score=82.5,
        feedback_per_subtask={"st-1": "Good triage."},
        decision_annotations={"d1": DecisionNote("divergent", "Isolate first.")},
        server_status=item.status,
        server_updated_at=item.updated_at.isoformat() if item.updated_at else None,
    )
    return replace(draft, **extra)


async def awaiting(desk: Desk, count: int = 1) -> list[QueueItem]:
    """Layer A submissions awaiting a mentor."""
    await desk.engine.pull()
    items = [item for item in await desk.store.queue() if is_awaiting_mentor(item.status)]
    assert len(items) >= count
    return items[:count]


def learner_uuid(platform: SandboxServer, learner_id: int | None) -> str:
    """The learner's uuid, which OCH's web app knows (OCH v1 lists only integer ids to a mentor's client)."""
    with closing(sqlite3.connect(platform.config.db_path)) as db:
        (uuid,) = db.execute("SELECT uuid_id FROM users WHERE id = ?", (learner_id,)).fetchone()
    return str(uuid)


async def reviewed_on_the_web(desk: Desk, platform: SandboxServer) -> ReviewedTwice:
    """Layer A: mine asks for a revision; the same mentor, in OCH's web app, first recorded an interaction with
    rubric scores and notes for this mission and learner, then passed the submission."""
    (item,) = await awaiting(desk)
    mine = v1_draft(item, "request_revision")
    await desk.engine.submit(item.id, "", mine)
    theirs = {
        "subtask_scores": {"st-1": {"evidence": 2, "reasoning": 3}, "st-2": {"evidence": 1}},
        "feedback_written": "Passed: the containment plan holds.",
        "feedback_per_subtask": {"st-1": "Triage was fine."},
        "feedback_per_decision": {"d1": {"verdict": "acceptable", "comment": "Isolating later was defensible."}},
    }
    other = await signed_in(platform.url, MENTOR)
    try:
        me = await other.me()
        created = await other.v1_create_interaction(
            learner_uuid(platform, item.learner_id), "mission_review", mission_id=item.mission_id
        )
        await other.v1_update_interaction(created.id, {**theirs, "written_feedback": theirs["feedback_written"]})
        await other.v1_review_submission(item.id, "pass", str(theirs["feedback_written"]))
    finally:
        await other.aclose()
    return ReviewedTwice(item.id, mine, theirs, "st-1", me.name)


async def server_row(desk: Desk, review_id: str) -> V1SubmissionRow:
    """The submission as OCH v1 lists it to the desk's mentor."""
    mentor_id = (await desk.client.me()).id
    offset = 0
    while True:
        rows, count = await desk.client.v1_submissions(mentor_id, limit=100, offset=offset)
        for row in rows:
            if row.id == review_id:
                return row
        offset += len(rows)
        if not rows or offset >= (count or 0):
            raise AssertionError(f"{review_id} not on the server")


def gone_after_a_conflict(desk: Desk, platform: SandboxServer) -> None:
    """Stop ``platform`` as soon as it answers the desk with a 409: the desk cannot read the details after it.
    (httpx's response hook is the edge here; the platform really stops listening.)"""

    async def stop(response: httpx.Response) -> None:
        if response.status_code == 409:
            platform.stop()

    desk.client._http.event_hooks["response"].append(stop)


def only(conflicts: list[Conflict]) -> Conflict:
    (conflict,) = conflicts
    return conflict
