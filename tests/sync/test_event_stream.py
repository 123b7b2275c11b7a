"""The engine and the platform's event stream: it reconnects after trouble that passes (here: the platform killed
and restarted), and when the platform refuses the stream it stops asking for the rest of the run, logs that once,
and follows the platform by polling."""

from __future__ import annotations

import asyncio
import logging
import signal
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from mentor_desk.api.client import PlatformClient
from mentor_desk.domain.status import ReviewStatus, is_awaiting_mentor, parse_status
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.sync.events import ConnectionState

from .conftest import MENTOR, Desk, open_desk, signed_in, start_sandbox, state_is, wait_for
from .scenarios import decidable

pytestmark = pytest.mark.asyncio

STUDENT = ("student@demo.och", "student-demo")
STREAM_PATHS = ("/mentor/events", "/mentor/dashboard/stream")
REFUSED = "refused its event stream"


class StreamLog(httpx.AsyncBaseTransport):
    """Real HTTP to the platform, noting the status of every event-stream request (0: no answer at all).

    With ``refuse`` the platform seems to have no stream and answers that status to it instead (the edge here:
    the sandbox always serves a stream)."""

    def __init__(self, refuse: int | None = None) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.refuse = refuse
        self.statuses: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith(STREAM_PATHS):
            return await self._inner.handle_async_request(request)
        if self.refuse is not None:
            self.statuses.append(self.refuse)
            return httpx.Response(self.refuse, json={"detail": 'Method "GET" not allowed.'})
        try:
            response = await self._inner.handle_async_request(request)
        except httpx.RequestError:
            self.statuses.append(0)
            raise
        self.statuses.append(response.status_code)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


@asynccontextmanager
async def running(desk: Desk) -> AsyncIterator[asyncio.Task[None]]:
    """The engine's :meth:`run` in the background, stopped (and awaited) afterwards."""
    runner = asyncio.create_task(desk.engine.run())
    try:
        yield runner
    finally:
        desk.engine.stop()
        await asyncio.wait_for(runner, 10)


def holds(condition: Callable[[], bool]) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return condition()

    return check


@pytest.mark.parametrize(
    ("platform", "account", "refuse", "status"),
    [
        ("sandbox_v1", STUDENT, None, 500),  # OCH's dashboard stream to an account that is not a mentor
        ("sandbox", STUDENT, None, 403),  # layer B's stream to an account that is neither mentor nor director
        ("sandbox_v1", MENTOR, 405, 405),  # an OCH v1 server without the dashboard stream
    ],
)
async def test_a_refused_stream_is_asked_for_once_per_run(
    platform: str,
    account: tuple[str, str],
    refuse: int | None,
    status: int,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server: SandboxServer = request.getfixturevalue(platform)
    transport = StreamLog(refuse)
    desk = await open_desk(server.url, tmp_path / "desk", account, transport=transport)
    desk.engine.poll_interval = 0.2  # the old engine dialled again every poll interval
    try:
        with caplog.at_level(logging.INFO, logger="mentor_desk.sync.engine"):
            async with running(desk) as runner:
                await wait_for(holds(lambda: bool(transport.statuses)), seconds=15)
                await asyncio.sleep(2.0)  # longer than the client's first reconnection delay (0.5-1.5 s)
                assert not runner.done()
        assert transport.statuses == [status]
        refusals = [record for record in caplog.records if REFUSED in record.getMessage()]
        assert len(refusals) == 1 and f"status {status}" in refusals[0].getMessage()
    finally:
        await desk.store.close()
        await desk.client.aclose()


async def test_without_a_stream_polling_follows_the_platform(v1_platform: SandboxServer, tmp_path: Path) -> None:
    transport = StreamLog(refuse=404)
    desk = await open_desk(v1_platform.url, tmp_path / "desk", transport=transport)
    desk.engine.poll_interval = 0.3
    elsewhere = await signed_in(v1_platform.url)  # the same mentor on a second computer
    try:
        item = next(i for i in await elsewhere.fetch_queue() if is_awaiting_mentor(i.status))
        async with running(desk):
            await wait_for(holds(lambda: transport.statuses == [404]), seconds=15)
            await elsewhere.v1_review_submission(item.id, "pass", "Approved from the other computer.")

            async def approved_here() -> bool:
                cached = await desk.store.queue_item(item.id)
                return cached is not None and parse_status(cached.status) is ReviewStatus.APPROVED

            await wait_for(approved_here, seconds=15)
        assert transport.statuses == [404]
    finally:
        await elsewhere.aclose()
        await desk.store.close()
        await desk.client.aclose()


async def test_the_stream_is_opened_again_after_the_platform_restarts(
    platform_process: tuple[list[subprocess.Popen[bytes]], int, Path], tmp_path: Path
) -> None:
    processes, port, db = platform_process
    url = f"http://127.0.0.1:{port}"
    processes.append(await asyncio.to_thread(start_sandbox, port, db, profile="full"))
    transport = StreamLog()
    desk = await open_desk(url, tmp_path / "desk", transport=transport)
    desk.engine.poll_interval = 120  # only an event can explain a prompt pull
    try:
        (detail,) = await decidable(desk)
        async with running(desk):
            await wait_for(holds(lambda: transport.statuses == [200]), seconds=15)
            processes[0].send_signal(signal.SIGKILL)
            processes[0].wait()
            await wait_for(holds(lambda: 0 in transport.statuses), seconds=15)  # dialled again, nobody there
            processes.append(await asyncio.to_thread(start_sandbox, port, db, profile="full"))
            await wait_for(holds(lambda: transport.statuses[-1] == 200 and len(transport.statuses) > 2), seconds=30)
            await wait_for(lambda: state_is(desk, ConnectionState.ONLINE), seconds=15)

            other = await signed_in(url, MENTOR)
            try:
                await other.claim(detail.id)
            finally:
                await other.aclose()

            async def pulled() -> bool:
                cached = await desk.store.queue_item(detail.id)
                return cached is not None and cached.version == detail.version + 1

            await wait_for(pulled, seconds=15)
        assert set(transport.statuses) == {200, 0}
    finally:
        await desk.store.close()
        await desk.client.aclose()


async def test_a_platform_down_since_the_start_is_waited_for_not_taken_for_a_refusal(
    platform_process: tuple[list[subprocess.Popen[bytes]], int, Path],
) -> None:
    """The app started on a train: its client never learnt which API the platform speaks. The stream waits for
    the platform instead of ending as if the platform had refused it."""
    processes, port, db = platform_process
    url = f"http://127.0.0.1:{port}"
    processes.append(await asyncio.to_thread(start_sandbox, port, db, profile="full"))
    mentor = await signed_in(url)
    session = mentor.session
    await mentor.aclose()
    processes[0].send_signal(signal.SIGKILL)
    processes[0].wait()
    transport = StreamLog()
    client = PlatformClient(url, transport=transport)
    assert session is not None and client.server_info is None
    client.restore_session(session)
    try:
        stream = client.events()
        first = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(2)
        assert not first.done(), "the stream ended while nobody answered"
        processes.append(await asyncio.to_thread(start_sandbox, port, db, profile="full"))
        await wait_for(holds(lambda: transport.statuses == [200]), seconds=45)  # dialled until it answered
        other = await signed_in(url)
        try:
            awaiting = next(item for item in await other.fetch_queue() if is_awaiting_mentor(item.status))
            await other.claim(awaiting.id)
        finally:
            await other.aclose()
        event = await asyncio.wait_for(first, 30)
        assert event.event
        assert client.server_info is not None and client.server_info.full
        first.cancel()
        await stream.aclose()
    finally:
        await client.aclose()
