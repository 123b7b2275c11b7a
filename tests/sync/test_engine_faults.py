"""The engine under faults, in compatibility mode (layer A): lost sessions, expiring tokens, a flaky network,
a platform killed in the middle of a push, and the background loop."""

from __future__ import annotations

import asyncio
import dataclasses
import signal
import subprocess
from pathlib import Path

import pytest

from mentor_desk.api.errors import SessionExpired
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.status import is_awaiting_mentor
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.store import OutboxState
from mentor_desk.sync.events import ConnectionState, NeedsSignIn

from .conftest import MENTOR, MFA_MENTOR, Desk, done_count, open_desk, start_sandbox, state_is, wait_for
from .scenarios import server_row, v1_draft

pytestmark = pytest.mark.asyncio


async def _queue_reviews(desk: Desk, count: int) -> list[str]:
    await desk.engine.pull()
    items = [item for item in await desk.store.queue() if is_awaiting_mentor(item.status)][:count]
    for item in items:
        await desk.engine.submit(item.id, "", v1_draft(item))
    return [item.id for item in items]


async def _approved_on_server(desk: Desk, ids: list[str]) -> None:
    for review_id in ids:
        assert (await server_row(desk, review_id)).status == "approved"


async def test_refused_refresh_pauses_until_signed_in_again(v1_desk: Desk) -> None:
    (review_id,) = await _queue_reviews(v1_desk, 1)
    session = v1_desk.client.session
    assert session is not None
    v1_desk.client.restore_session(dataclasses.replace(session, access_token="expired", refresh_token="revoked"))

    with pytest.raises(SessionExpired):
        await v1_desk.engine.sync_once()

    assert v1_desk.engine.state is ConnectionState.SIGNED_OUT
    (needs,) = v1_desk.of(NeedsSignIn)
    assert "sign in" in needs.message.lower()
    (entry,) = await v1_desk.store.outbox()
    assert entry.state is OutboxState.PENDING  # nothing lost, nothing failed
    await v1_desk.store.save_draft("other", "", ReviewDraft(feedback_written="edit 1"))  # work continues offline

    await v1_desk.client.login(*MENTOR)
    v1_desk.engine.resume()
    report = await v1_desk.engine.sync_once()
    assert report.pushed == 1 and report.all_sent
    await _approved_on_server(v1_desk, [review_id])


async def test_access_token_expiring_mid_sync_is_refreshed(tmp_path: Path) -> None:
    """An MFA-verified session refreshes transparently (token rotation) and the push carries on."""
    config = SandboxConfig(db_path=tmp_path / "platform.sqlite3", profile="och-v1", access_ttl=1)
    with SandboxServer(config) as server:
        desk = await open_desk(server.url, tmp_path / "desk", MFA_MENTOR)
        try:
            ids = await _queue_reviews(desk, 3)
            first_refresh = desk.client.session.refresh_token  # type: ignore[union-attr]
            await asyncio.sleep(1.5)
            report = await desk.engine.sync_once()
            assert report.pushed == 3 and report.all_sent
            assert desk.client.session.refresh_token != first_refresh  # type: ignore[union-attr]
            assert not desk.of(NeedsSignIn)
            await _approved_on_server(desk, ids)
        finally:
            await desk.store.close()
            await desk.client.aclose()


async def test_expiry_of_a_session_that_cannot_refresh_asks_for_sign_in(tmp_path: Path) -> None:
    """OCH refuses to refresh sessions that never passed MFA (403 mfa_required): sign in again, lose nothing."""
    config = SandboxConfig(db_path=tmp_path / "platform.sqlite3", profile="och-v1", access_ttl=3)
    with SandboxServer(config) as server:
        desk = await open_desk(server.url, tmp_path / "desk")
        try:
            ids = await _queue_reviews(desk, 2)
            await asyncio.sleep(3.2)
            with pytest.raises(SessionExpired):
                await desk.engine.sync_once()
            assert desk.engine.state is ConnectionState.SIGNED_OUT and desk.of(NeedsSignIn)
            assert (await desk.store.outbox_counts())[OutboxState.PENDING] == 2
            await desk.client.login(*MENTOR)
            desk.engine.resume()
            report = await desk.engine.sync_once()
            assert report.pushed == 2 and report.all_sent
            await _approved_on_server(desk, ids)
        finally:
            await desk.store.close()
            await desk.client.aclose()


async def test_flaky_network_eventually_delivers_everything_once(tmp_path: Path) -> None:
    config = SandboxConfig(
        db_path=tmp_path / "platform.sqlite3", profile="och-v1", latency_ms=10, error_rate=0.15, drop_rate=0.1
    )
    with SandboxServer(config) as server:
        desk = await open_desk(server.url, tmp_path / "desk")
        try:
            for _ in range(20):  # pulling the queue must get through the faults too
                try:
                    ids = await _queue_reviews(desk, 6)
                    break
                except Exception as error:  # any injected fault: try again
                    last = error
            else:
                raise AssertionError(f"could not pull through the faults: {last!r}")
            runner = asyncio.create_task(desk.engine.run())
            try:
                await wait_for(
                    lambda: done_count(desk, 6),
                    seconds=60,
                )
            finally:
                desk.engine.stop()
                await runner
            counts = await desk.store.outbox_counts()
            assert counts[OutboxState.FAILED] == counts[OutboxState.CONFLICT] == 0
        finally:
            await desk.store.close()
            await desk.client.aclose()
    with SandboxServer(dataclasses.replace(config, error_rate=0.0, drop_rate=0.0, latency_ms=0)) as server:
        checker = await open_desk(server.url, tmp_path / "checker")
        try:
            await _approved_on_server(checker, ids)
        finally:
            await checker.store.close()
            await checker.client.aclose()


async def test_platform_killed_mid_push_and_restarted(
    platform_process: tuple[list[subprocess.Popen[bytes]], int, Path], tmp_path: Path
) -> None:
    processes, port, db = platform_process
    processes.append(await asyncio.to_thread(start_sandbox, port, db, "--latency-ms", "150"))
    desk = await open_desk(f"http://127.0.0.1:{port}", tmp_path / "desk")
    try:
        ids = await _queue_reviews(desk, 5)
        states: list[ConnectionState] = []
        desk.engine.subscribe(lambda event: states.append(event.state) if hasattr(event, "state") else None)
        runner = asyncio.create_task(desk.engine.run())
        await wait_for(lambda: done_count(desk, 1), seconds=30)
        processes[0].send_signal(signal.SIGKILL)
        processes[0].wait()
        await wait_for(lambda: state_is(desk, ConnectionState.OFFLINE), seconds=30)
        assert (await desk.store.outbox_counts())[OutboxState.DONE] < 5
        processes.append(await asyncio.to_thread(start_sandbox, port, db))
        await wait_for(lambda: done_count(desk, 5), seconds=30)
        desk.engine.stop()
        await runner
        assert ConnectionState.OFFLINE in states
        await _approved_on_server(desk, ids)
    finally:
        await desk.store.close()
        await desk.client.aclose()


async def test_run_sends_a_submission_promptly_and_stops(v1_desk: Desk) -> None:
    await v1_desk.engine.pull()
    runner = asyncio.create_task(v1_desk.engine.run())
    await wait_for(lambda: state_is(v1_desk, ConnectionState.ONLINE), seconds=10)
    (review_id,) = await _queue_reviews(v1_desk, 1)
    await wait_for(lambda: done_count(v1_desk, 1), seconds=5)  # woken at once, not after poll_interval
    v1_desk.engine.stop()
    await asyncio.wait_for(runner, timeout=5)
    await _approved_on_server(v1_desk, [review_id])


async def test_run_pauses_when_signed_out_and_resumes_after_sign_in(v1_desk: Desk) -> None:
    (review_id,) = await _queue_reviews(v1_desk, 1)
    session = v1_desk.client.session
    assert session is not None
    v1_desk.client.restore_session(dataclasses.replace(session, access_token="expired", refresh_token="revoked"))
    v1_desk.engine.listen_events = False
    runner = asyncio.create_task(v1_desk.engine.run())
    try:
        await wait_for(lambda: state_is(v1_desk, ConnectionState.SIGNED_OUT), seconds=10)
        assert len(v1_desk.of(NeedsSignIn)) == 1  # asked once, not on every poll
        assert not runner.done()
        await v1_desk.client.login(*MENTOR)
        v1_desk.engine.resume()
        await wait_for(lambda: done_count(v1_desk, 1), seconds=10)
    finally:
        v1_desk.engine.stop()
        await asyncio.wait_for(runner, 5)
    await _approved_on_server(v1_desk, [review_id])
