"""The Tier-5 board and sign-off through the store and the sync engine, on a real sandbox.

A sign-off waits in the outbox as "pending confirmation" and counts only once the platform confirms it; a
sign-off the platform refuses (or that this app already knows it would refuse) says which requirement failed.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import Unreachable
from mentor_desk.domain.tier5 import APPROVAL_REQUIREMENT
from mentor_desk.domain.words import track_title
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.services.tier5 import NO_SIGN_OFF_ON_V1, Board, BoardRow, SignOffRefused, Tier5Service
from mentor_desk.store import OutboxState
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.sync.events import Tier5Pulled

from .conftest import FAST_BACKOFF, Desk, free_port, wait_for


def service(desk: Desk, *, engine: SyncEngine | None = None) -> Tier5Service:
    running = engine or desk.engine
    return Tier5Service(desk.store, lambda: running.mode, lambda: running)


def ready(board: Board) -> BoardRow:
    return next(row for row in board.rows if row.ready_for_sign_off)


def row_of(board: Board, row: BoardRow) -> BoardRow:
    return next(r for r in board.rows if r.key == row.key)


async def server_status(desk: Desk, row: BoardRow) -> tuple[bool, list[str]]:
    status = await desk.client.tier5_status(row.track_code, row.learner_id)
    return status.mastery_complete, status.missing_requirements


@pytest.mark.asyncio
async def test_the_board_is_pulled_and_read_offline(desk: Desk) -> None:
    tier5 = service(desk)
    assert (await tier5.cached_board()).fetched_at is None  # never pulled here
    board = await tier5.refresh_board()
    assert board.fetched_at and board.sign_off_offered and not board.note
    states = {("approved" if r.approved else "ready" if r.ready_for_sign_off else "not ready") for r in board.rows}
    assert states == {"approved", "ready", "not ready"}
    await desk.engine.pull()  # the queue: what links a missing requirement to its reviews
    board = await tier5.cached_board()
    not_ready = next(r for r in board.rows if r.readiness.blocking)
    assert not_ready.missing and all(m.text != APPROVAL_REQUIREMENT for m in not_ready.missing)
    linked = [m for m in not_ready.missing if m.reviews]
    assert linked, "a missing mission or capstone links to the review that blocks it"
    queued = {item.id: item for item in await desk.store.queue()}
    for review in linked[0].reviews:
        assert queued[review.review_id].learner_id == not_ready.learner_id
        assert queued[review.review_id].status != "approved"
    assert all(0 <= r.closeness <= 1 for r in board.rows)
    assert max(r.closeness for r in board.rows if r.approved) == 1.0

    await desk.client.aclose()  # no platform any more: the board still reads from the store
    assert (await tier5.cached_board()).rows == board.rows


@pytest.mark.asyncio
async def test_signing_off_the_last_missing_item_completes_mastery(desk: Desk) -> None:
    tier5 = service(desk)
    row = ready(await tier5.refresh_board())
    assert (await server_status(desk, row)) == (False, [APPROVAL_REQUIREMENT])

    with pytest.raises(SignOffRefused, match="comment"):
        await tier5.sign_off(row, approved=True, comment="   ")
    await tier5.sign_off(row, approved=True, comment="Capstone panel agreed: mastery shown.")
    waiting = row_of(await tier5.cached_board(), row)
    assert waiting.pending is True and not waiting.approved  # pending confirmation, never shown as done
    assert not waiting.ready_for_sign_off

    await desk.engine.sync_once()
    confirmed = row_of(await tier5.cached_board(), row)
    assert confirmed.approved and confirmed.pending is None and confirmed.mastery_complete
    assert confirmed.approved_by and confirmed.approved_at
    assert (await server_status(desk, row)) == (True, [])
    with pytest.raises(SignOffRefused) as again:  # the track by its name, as the board shows it
        await tier5.sign_off(confirmed, approved=True, comment="Twice.")
    assert again.value.user_message == f"{row.learner_name} is already signed off on {track_title(row.track_code)}."


@pytest.mark.asyncio
async def test_a_sign_off_is_refused_here_when_more_than_the_approval_is_missing(desk: Desk) -> None:
    tier5 = service(desk)
    board = await tier5.refresh_board()
    not_ready = next(r for r in board.rows if r.readiness.blocking and not r.approved)
    with pytest.raises(SignOffRefused) as refused:
        await tier5.sign_off(not_ready, approved=True, comment="Looks fine to me.")
    assert refused.value.missing == not_ready.readiness.blocking
    assert all(text in refused.value.user_message for text in not_ready.readiness.blocking)
    assert not await desk.store.outbox()  # nothing was queued


@pytest.mark.asyncio
async def test_the_platform_refuses_a_sign_off_that_no_longer_holds(desk: Desk, fresh_sandbox: SandboxServer) -> None:
    tier5 = service(desk)
    row = ready(await tier5.refresh_board())
    await tier5.sign_off(row, approved=True, comment="Ready.")
    with sqlite3.connect(fresh_sandbox.config.db_path, timeout=10) as db:  # meanwhile a mission is reopened
        db.execute(
            "UPDATE reviews SET status = 'revision_requested', final_status = NULL WHERE learner_id = ? AND "
            "mission_id = (SELECT id FROM missions WHERE track_code = ? AND mission_type != 'capstone' LIMIT 1)",
            (row.learner_id, row.track_code),
        )

    report = await desk.engine.sync_once()
    assert report.failed == 1
    (entry,) = await desk.store.outbox((OutboxState.FAILED,))
    assert "Mastery mission" in (entry.last_error or "")
    after = row_of(await tier5.cached_board(), row)
    assert not after.approved and after.pending is None and "Mastery mission" in after.refused
    assert after.readiness.blocking, "the board was pulled again after the refusal"
    assert desk.of(Tier5Pulled)


@pytest.mark.asyncio
async def test_an_offline_sign_off_is_sent_and_confirmed_later(
    desk: Desk, fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    online = service(desk)
    row = ready(await online.refresh_board())
    assert desk.client.session is not None
    dead = PlatformClient(f"http://127.0.0.1:{free_port()}")  # the platform cannot be reached
    dead.restore_session(desk.client.session)
    offline_engine = SyncEngine(dead, desk.store, mode="full", backoff=FAST_BACKOFF)
    offline = service(desk, engine=offline_engine)

    await offline.sign_off(row, approved=True, comment="Signed off on the train.")
    with pytest.raises(Unreachable):
        await offline_engine.sync_once()
    assert row_of(await offline.cached_board(), row).pending is True
    await dead.aclose()

    await desk.engine.sync_once()  # back online
    confirmed = row_of(await online.cached_board(), row)
    assert confirmed.approved and confirmed.pending is None
    assert (await server_status(desk, row))[0]


@pytest.mark.asyncio
async def test_revoking_needs_a_comment_and_takes_the_approval_back(desk: Desk) -> None:
    tier5 = service(desk)
    approved = next(r for r in (await tier5.refresh_board()).rows if r.approved)
    with pytest.raises(SignOffRefused, match="comment"):
        await tier5.sign_off(approved, approved=False, comment="")
    await tier5.sign_off(approved, approved=False, comment="Plagiarism found in the capstone report.")
    assert row_of(await tier5.cached_board(), approved).pending is False
    await desk.engine.sync_once()
    revoked = row_of(await tier5.cached_board(), approved)
    assert not revoked.approved and not revoked.mastery_complete and revoked.ready_for_sign_off
    assert (await server_status(desk, approved)) == (False, [APPROVAL_REQUIREMENT])


@pytest.mark.asyncio
async def test_the_board_follows_tier5_updated_events(desk: Desk, fresh_sandbox: SandboxServer) -> None:
    tier5 = service(desk)
    row = ready(await tier5.refresh_board())
    running = asyncio.create_task(desk.engine.run())
    try:
        await asyncio.sleep(0.5)  # the engine's first round and its event stream
        lead = PlatformClient(fresh_sandbox.url)
        await lead.login("lead@demo.och", "lead-demo")
        await lead.set_mentor_approval(row.track_code, row.learner_id, True, "Director's sign-off.", "op-lead-1")
        await lead.aclose()

        async def approved_here() -> bool:
            return row_of(await tier5.cached_board(), row).approved

        await wait_for(approved_here)
    finally:
        desk.engine.stop()
        await running


@pytest.mark.asyncio
async def test_compatibility_mode_shows_the_mentors_own_status_and_offers_no_sign_off(v1_desk: Desk) -> None:
    tier5 = service(v1_desk)
    board = await tier5.refresh_board()
    assert not board.sign_off_offered and "only their own" in board.note and NO_SIGN_OFF_ON_V1 in board.note
    assert board.rows and {r.learner_id for r in board.rows} == {1}  # the mentor's own rows
    with pytest.raises(SignOffRefused, match="OCH v1"):
        await tier5.sign_off(board.rows[0], approved=True, comment="x")
