"""The engine against an OCH v1 (layer A) sandbox: decisions with rendered feedback, conflicts when the
submission moved on, and settling an unknown outcome by re-reading the server instead of re-sending."""

from __future__ import annotations

import pytest

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import Unreachable
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.status import is_awaiting_mentor
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.store import OutboxState
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.sync.events import ConflictRaised, ConnectionState, OutboxChanged, PullDone, StateChanged
from mentor_desk.sync.senders import OP_V1_REVIEW

from .conftest import FAST_BACKOFF, MENTOR2, Desk, free_port, signed_in
from .scenarios import awaiting, server_row, v1_draft

pytestmark = pytest.mark.asyncio


async def _shared_with_mentor2(desk: Desk, url: str) -> tuple[QueueItem, PlatformClient]:
    """An awaiting item whose learner is also assigned to mentor2 (so mentor2 may review it too)."""
    other = await signed_in(url, MENTOR2)
    theirs = {item.id for item in await other.fetch_queue()}
    for item in await awaiting(desk, 1) and await desk.store.queue():
        if item.id in theirs and is_awaiting_mentor(item.status):
            return item, other
    await other.aclose()
    raise AssertionError("the sandbox seeds no learner shared by mentor and mentor2")


async def test_submit_reaches_the_server_with_the_whole_review(v1_desk: Desk) -> None:
    (item,) = await awaiting(v1_desk)
    await v1_desk.store.save_draft(item.id, "", v1_draft(item))
    entry = await v1_desk.engine.submit(item.id, "", v1_draft(item))
    assert entry.operation == OP_V1_REVIEW
    assert (await v1_desk.store.badges())[item.id].waiting_to_sync

    report = await v1_desk.engine.sync_once()

    assert (report.pushed, report.pending, report.conflicts, report.failed) == (1, 0, 0, 0)
    assert report.all_sent and item.id in report.changed_ids
    row = await server_row(v1_desk, item.id)
    assert row.status == "approved"
    assert "Clear containment plan" in row.feedback
    assert "Mission score: 82.5 / 100" in row.feedback and "divergent — Isolate first." in row.feedback
    assert await v1_desk.store.draft(item.id, "") is None
    assert (await v1_desk.store.queue_item(item.id)).status == "approved"  # type: ignore[union-attr]
    assert await v1_desk.store.badges() == {}
    states = [e.state for e in v1_desk.of(StateChanged)]
    assert states[-2:] == [ConnectionState.SYNCING, ConnectionState.ONLINE]
    assert v1_desk.of(OutboxChanged)[-1].counts[OutboxState.DONE] == 1
    assert item.id in v1_desk.of(PullDone)[-1].changed_ids


async def test_another_mentor_reviewed_first_is_a_conflict(v1_desk: Desk, v1_platform: SandboxServer) -> None:
    item, other = await _shared_with_mentor2(v1_desk, v1_platform.url)
    entry = await v1_desk.engine.submit(item.id, "", v1_draft(item, "request_revision"))
    try:
        await other.v1_review_submission(item.id, "pass", "Approved by the second mentor.")
    finally:
        await other.aclose()

    report = await v1_desk.engine.sync_once()

    assert (report.pushed, report.conflicts) == (0, 1)
    (raised,) = v1_desk.of(ConflictRaised)
    assert raised.conflict.outbox_id == entry.id
    assert raised.conflict.theirs["status"] == "approved"
    assert raised.conflict.mine["decision"] == "request_revision"
    assert (await v1_desk.store.badges())[item.id].conflict
    assert (await server_row(v1_desk, item.id)).feedback == "Approved by the second mentor."

    # Keeping mine overwrites, now that the mentor has seen the other review.
    await v1_desk.engine.resolve_conflict(raised.conflict.id, "mine")
    report = await v1_desk.engine.sync_once()
    assert (report.pushed, report.conflicts, report.pending) == (1, 0, 0)
    row = await server_row(v1_desk, item.id)
    assert row.status == "rejected" and "Clear containment plan" in row.feedback


async def test_take_theirs_keeps_an_export(v1_desk: Desk, v1_platform: SandboxServer) -> None:
    item, other = await _shared_with_mentor2(v1_desk, v1_platform.url)
    await v1_desk.engine.submit(item.id, "", v1_draft(item, "fail"))
    try:
        await other.v1_review_submission(item.id, "pass", "Fine by me.")
    finally:
        await other.aclose()
    await v1_desk.engine.sync_once()
    (conflict,) = await v1_desk.store.conflicts()
    export = await v1_desk.engine.resolve_conflict(conflict.id, "theirs")
    assert "Clear containment plan" in export.read_text(encoding="utf-8")  # type: ignore[union-attr]
    report = await v1_desk.engine.sync_once()
    assert report.all_sent
    assert (await server_row(v1_desk, item.id)).feedback == "Fine by me."


async def test_resubmission_after_the_draft_started_is_a_conflict(v1_desk: Desk) -> None:
    (item,) = await awaiting(v1_desk)
    stale = v1_draft(item, server_updated_at="2020-01-01T00:00:00+00:00")
    await v1_desk.engine.submit(item.id, "", stale)
    report = await v1_desk.engine.sync_once()
    assert report.conflicts == 1
    assert is_awaiting_mentor((await server_row(v1_desk, item.id)).status)  # nothing was sent


async def test_unknown_outcome_is_settled_by_reading_not_resending(v1_desk: Desk) -> None:
    """The decision reached the server but the app died before recording it: no second post."""
    (item,) = await awaiting(v1_desk)
    entry = await v1_desk.engine.submit(item.id, "", v1_draft(item))
    await v1_desk.store.mark_sending(entry.id)  # as the engine does just before the request leaves
    await v1_desk.client.v1_review_submission(item.id, "pass", "the request that got through")
    landed = await server_row(v1_desk, item.id)

    report = await v1_desk.engine.sync_once()

    assert (report.pushed, report.pending, report.conflicts) == (1, 0, 0)
    again = await server_row(v1_desk, item.id)
    assert (again.feedback, again.reviewed_at) == (landed.feedback, landed.reviewed_at)


async def test_a_stage_without_a_decision_cannot_go_to_och_v1(v1_desk: Desk) -> None:
    (item,) = await awaiting(v1_desk)
    await v1_desk.engine.submit(item.id, "investigation", v1_draft(item, decision=None))
    report = await v1_desk.engine.sync_once()
    assert report.failed == 1
    (failed,) = await v1_desk.store.outbox((OutboxState.FAILED,))
    assert "only a final decision" in (failed.last_error or "")


async def test_unreachable_platform_goes_offline_and_keeps_the_entry(v1_desk: Desk) -> None:
    (item,) = await awaiting(v1_desk)
    assert v1_desk.client.session is not None
    dead = PlatformClient(f"http://127.0.0.1:{free_port()}")
    dead.restore_session(v1_desk.client.session)
    engine = SyncEngine(dead, v1_desk.store, mode="och-v1", backoff=FAST_BACKOFF)
    await engine.submit(item.id, "", v1_draft(item))
    with pytest.raises(Unreachable):
        await engine.sync_once()
    await dead.aclose()
    assert engine.state is ConnectionState.OFFLINE
    (entry,) = await v1_desk.store.outbox()
    assert entry.state is OutboxState.PENDING and entry.attempts == 0
    assert "cannot be reached" in (entry.last_error or "")
    # Back online, the entry goes out at once.
    report = await v1_desk.engine.sync_once()
    assert report.pushed == 1 and report.all_sent


async def test_a_broken_observer_does_not_stop_sync(v1_desk: Desk) -> None:
    def broken(event: object) -> None:
        raise RuntimeError("observer bug")

    unsubscribe = v1_desk.engine.subscribe(broken)
    (item,) = await awaiting(v1_desk)
    await v1_desk.engine.submit(item.id, "", v1_draft(item))
    assert (await v1_desk.engine.sync_once()).pushed == 1
    unsubscribe()


async def test_failed_entries_can_be_retried_or_discarded(v1_desk: Desk) -> None:
    first, second = await awaiting(v1_desk, 2)
    await v1_desk.engine.submit(first.id, "", v1_draft(first, decision="maybe"))
    await v1_desk.engine.submit(second.id, "", v1_draft(second, decision="maybe"))
    report = await v1_desk.engine.sync_once()
    assert report.failed == 2
    failed = await v1_desk.store.outbox((OutboxState.FAILED,))
    assert (await v1_desk.store.badges())[first.id].failed

    # The mentor fixes nothing and retries: it fails again, visibly.
    await v1_desk.engine.retry(failed[0].id)
    assert (await v1_desk.engine.sync_once()).failed == 2
    export = await v1_desk.engine.discard(failed[1].id)
    assert '"decision": "maybe"' in export.read_text(encoding="utf-8")
    assert (await v1_desk.engine.sync_once()).failed == 1


async def test_a_draft_without_a_known_time_is_still_checked_by_status(v1_desk: Desk) -> None:
    """Drafts built from a detail without ``updated_at`` fall back to the status check alone."""
    first, second = await awaiting(v1_desk, 2)
    await v1_desk.engine.submit(first.id, "", v1_draft(first, server_updated_at=None))
    assert (await v1_desk.engine.sync_once()).pushed == 1
    await v1_desk.client.v1_review_submission(second.id, "fail", "Decided elsewhere.")
    await v1_desk.engine.submit(second.id, "", v1_draft(second, server_updated_at=None))
    report = await v1_desk.engine.sync_once()
    assert (report.pushed, report.conflicts) == (0, 1)
