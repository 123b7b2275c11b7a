"""Outbox lifecycle, ordering per review, conflicts and their resolution, and queue badges."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.outbox import DETAILS_ERROR
from mentor_desk.domain.queue import QueueItem
from mentor_desk.store import Badges, OutboxState, Store

pytestmark = pytest.mark.asyncio


def _later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="microseconds")


async def test_submit_marks_draft_and_queues(store: Store) -> None:
    await store.save_draft("r1", "", ReviewDraft(feedback_written="draft"))
    entry = await store.submit_draft("r1", "", "stage_review", ReviewDraft(base_version=3, feedback_written="final"))
    assert entry.state is OutboxState.PENDING and entry.base_version == 3 and entry.attempts == 0
    draft = await store.draft("r1", "")
    assert draft is not None and draft.state == "submitted" and draft.draft.feedback_written == "final"
    assert [e.id for e in await store.ready_entries()] == [entry.id]


async def test_resubmit_before_sending_updates_in_place(store: Store) -> None:
    first = await store.submit_draft("r1", "", "stage_review", ReviewDraft(base_version=3, feedback_written="1"))
    second = await store.submit_draft("r1", "", "stage_review", ReviewDraft(base_version=3, feedback_written="2"))
    assert second.id == first.id and second.client_op_id == first.client_op_id
    assert second.draft.feedback_written == "2"
    await store.mark_sending(first.id)
    await store.mark_retry(first.id, "timed out", _later(-1))
    third = await store.submit_draft("r1", "", "stage_review", ReviewDraft(base_version=3, feedback_written="3"))
    assert third.id != first.id  # an attempted entry's body must never change under its op id
    assert (await store.outbox_entry(first.id)).draft.feedback_written == "2"


async def test_lifecycle_to_done_drops_submitted_draft(store: Store) -> None:
    entry = await store.submit_draft("r1", "", "stage_review", ReviewDraft(base_version=1))
    sending = await store.mark_sending(entry.id)
    assert sending.state is OutboxState.SENDING and sending.attempts == 1
    retry = await store.mark_retry(entry.id, "server unreachable", _later(60))
    assert retry.state is OutboxState.PENDING and retry.last_error == "server unreachable"
    assert await store.ready_entries() == []  # not due yet
    assert await store.next_attempt_at() == retry.next_attempt_at
    await store.retry_entry(entry.id)
    assert [e.id for e in await store.ready_entries()] == [entry.id]
    await store.mark_sending(entry.id)
    done = await store.mark_done(entry.id)
    assert done.state is OutboxState.DONE and done.attempts == 2
    assert await store.draft("r1", "") is None
    assert (await store.outbox_counts())[OutboxState.DONE] == 1
    assert await store.outbox() == []


async def test_done_keeps_a_draft_edited_after_submitting(store: Store) -> None:
    entry = await store.submit_draft("r1", "", "stage_review", ReviewDraft(base_version=1, feedback_written="1"))
    await store.save_draft("r1", "", ReviewDraft(base_version=1, feedback_written="2"))
    await store.mark_done(entry.id)
    draft = await store.draft("r1", "")
    assert draft is not None and draft.draft.feedback_written == "2"


async def test_one_entry_per_review_in_order(store: Store) -> None:
    a1 = await store.submit_draft("a", "investigation", "stage_review", ReviewDraft(base_version=1))
    b1 = await store.submit_draft("b", "", "stage_review", ReviewDraft(base_version=1))
    a2 = await store.submit_draft("a", "reporting", "stage_review", ReviewDraft(base_version=2))
    assert [e.id for e in await store.ready_entries()] == [a1.id, b1.id]
    await store.mark_failed(a1.id, "rejected")  # a failed entry still blocks what follows for its review
    assert [e.id for e in await store.ready_entries()] == [b1.id]
    await store.discard_entry(a1.id)
    assert [e.id for e in await store.ready_entries()] == [b1.id, a2.id]


async def test_conflict_keep_mine_requeues_with_new_op_id(store: Store) -> None:
    entry = await store.submit_draft("r1", "", "stage_review", ReviewDraft(base_version=3, feedback_written="mine"))
    await store.mark_sending(entry.id)
    conflict = await store.raise_conflict(entry.id, {"version": 5, "status": "mentor_review"}, "version conflict")
    assert conflict.mine == ReviewDraft(base_version=3, feedback_written="mine").to_json()
    assert conflict.theirs["version"] == 5
    assert (await store.outbox_entry(entry.id)).state is OutboxState.CONFLICT
    assert await store.ready_entries() == []
    assert [c.id for c in await store.conflicts()] == [conflict.id]
    requeued = await store.requeue_conflict(conflict.id, "mine", ReviewDraft(base_version=5, feedback_written="mine"))
    assert requeued.state is OutboxState.PENDING and requeued.base_version == 5
    assert requeued.client_op_id != entry.client_op_id and requeued.attempts == 0
    assert await store.conflicts() == []
    resolved = await store.conflict(conflict.id)
    assert resolved.resolution == "mine" and resolved.resolved_at is not None
    with pytest.raises(ValueError, match="already resolved"):
        await store.requeue_conflict(conflict.id, "mine", ReviewDraft(base_version=5))


async def test_unread_server_side_is_said_and_can_be_completed(store: Store) -> None:
    entry = await store.submit_draft("r1", "", "stage_review", ReviewDraft(base_version=3, decision="approve"))
    conflict = await store.raise_conflict(entry.id, {"version": 5, DETAILS_ERROR: "offline"}, "version conflict")
    assert conflict.details_error == "offline"
    completed = await store.update_theirs(conflict.id, {"version": 6, "decision": "fail"})
    assert completed.details_error is None and completed.theirs == {"version": 6, "decision": "fail"}
    assert (await store.conflict(conflict.id)).theirs["version"] == 6
    await store.requeue_conflict(conflict.id, "mine", ReviewDraft.from_json({**completed.mine, "base_version": 6}))
    with pytest.raises(ValueError, match="already resolved"):
        await store.update_theirs(conflict.id, {})


async def test_conflict_take_theirs_exports_mine(store: Store) -> None:
    entry = await store.submit_draft(
        "r1", "", "stage_review", ReviewDraft(base_version=3, feedback_written="keep a copy")
    )
    conflict = await store.raise_conflict(entry.id, {"version": 5}, "version conflict")
    export = await store.take_theirs(conflict.id)
    assert json.loads(export.read_text(encoding="utf-8"))["mine"]["feedback_written"] == "keep a copy"
    assert (await store.outbox_entry(entry.id)).state is OutboxState.DISCARDED
    assert await store.draft("r1", "") is None
    assert await store.badges() == {}


async def test_badges(store: Store) -> None:
    await store.save_draft("editing", "", ReviewDraft())
    await store.submit_draft("waiting", "", "stage_review", ReviewDraft(base_version=1))
    conflicted = await store.submit_draft("conflicted", "", "stage_review", ReviewDraft(base_version=1))
    await store.raise_conflict(conflicted.id, {}, "409")
    failed = await store.submit_draft("failed", "", "stage_review", ReviewDraft(base_version=1))
    await store.mark_failed(failed.id, "422")
    assert await store.badges() == {
        "editing": Badges(has_draft=True),
        "waiting": Badges(waiting_to_sync=True),
        "conflicted": Badges(conflict=True),
        "failed": Badges(failed=True),
    }


async def test_badges_stay_cheap_with_a_huge_queue(store: Store) -> None:
    items = [
        QueueItem(id=f"r{i}", kind="mission", mission_id="m", mission_title="T", status="submitted", learner_name="L")
        for i in range(100_000)
    ]
    await store.replace_queue(items)
    for i in range(0, 100_000, 100):
        await store.save_draft(f"r{i}", "", ReviewDraft())
    start = time.perf_counter()
    badges = await store.badges()
    assert time.perf_counter() - start < 0.25
    assert len(badges) == 1000


async def test_prune_forgets_only_old_finished_entries(store: Store) -> None:
    done = await store.submit_draft("a", "", "stage_review", ReviewDraft(base_version=1))
    await store.mark_done(done.id)
    dropped = await store.submit_draft("b", "", "stage_review", ReviewDraft(base_version=1))
    conflict = await store.raise_conflict(dropped.id, {}, "409")
    await store.take_theirs(conflict.id)
    waiting = await store.submit_draft("c", "", "stage_review", ReviewDraft(base_version=1))
    assert await store.prune_outbox(_later(-60)) == 0  # nothing that old yet
    assert await store.prune_outbox(_later(1)) == 2
    assert [e.id for e in await store.outbox(tuple(OutboxState))] == [waiting.id]
    assert await store.conflicts(unresolved_only=False) == []
