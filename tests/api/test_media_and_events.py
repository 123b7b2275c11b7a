"""Resumable media upload and the event streams (Last-Event-ID replay, reconnecting, refusals)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from mentor_desk.api import errors
from mentor_desk.api.client import MODE_FULL, PlatformClient, ServerInfo, stream_may_reconnect
from mentor_desk.api.session import Session
from mentor_desk.domain.status import is_awaiting_mentor
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer

from .sandbox_clients import MENTOR, sign_in

CHUNK = 256 * 1024


class Interrupted(Exception):
    pass


@pytest.fixture
def small_media_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(db_path=tmp_path / "p.sqlite3", media_max_bytes=100_000)) as server:
        yield server


@pytest.mark.asyncio
async def test_resumable_upload(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    recording = tmp_path / "feedback.m4a"
    recording.write_bytes(os.urandom(CHUNK * 2 + 1234))
    size = recording.stat().st_size

    def stop_after_first_chunk(done: int, total: int | None) -> None:
        raise Interrupted

    async with await sign_in(fresh_sandbox.url) as client:
        with pytest.raises(Interrupted):  # e.g. the app quit mid-upload
            await client.upload_media(
                recording,
                client_media_id="rec-1",
                content_type="audio/mp4",
                chunk_size=CHUNK,
                progress=stop_after_first_chunk,
            )
        seen: list[int] = []
        result = await client.upload_media(
            recording,
            client_media_id="rec-1",
            content_type="audio/mp4",
            chunk_size=CHUNK,
            progress=lambda done, total: seen.append(done),
        )
        assert seen == [2 * CHUNK, size]  # resumed after the first chunk, not from zero
        assert result.size == size and result.sha256 == hashlib.sha256(recording.read_bytes()).hexdigest()
        again = await client.upload_media(recording, client_media_id="rec-1", content_type="audio/mp4")
        assert again == result  # a finished upload is confirmed, not repeated
        copy = await client.download_file(result.url, tmp_path / "copy.m4a", expected_sha256=result.sha256)
    assert copy.read_bytes() == recording.read_bytes()


@pytest.mark.asyncio
async def test_upload_limits(small_media_sandbox: SandboxServer, tmp_path: Path) -> None:
    big, empty = tmp_path / "long.mp4", tmp_path / "empty.m4a"
    big.write_bytes(b"\0" * 100_001)
    empty.write_bytes(b"")
    async with await sign_in(small_media_sandbox.url) as client:
        with pytest.raises(errors.PayloadTooLarge) as too_big:
            await client.upload_media(big, client_media_id="big", content_type="video/mp4")
        with pytest.raises(errors.ValidationFailed):
            await client.upload_media(empty, client_media_id="empty", content_type="audio/mp4")
    assert "0.1 MB" in too_big.value.user_message


@pytest.mark.asyncio
async def test_events_and_replay(fresh_sandbox: SandboxServer) -> None:
    async with await sign_in(fresh_sandbox.url) as listener, await sign_in(fresh_sandbox.url) as actor:
        item = next(i for i in await actor.fetch_queue() if is_awaiting_mentor(i.status) and not i.claimed_by)
        stream = listener.events()
        pending = asyncio.create_task(anext(stream))
        await asyncio.sleep(0.5)  # let the stream connect before anything happens
        await actor.claim(item.id)
        first = await asyncio.wait_for(pending, timeout=15)
        await stream.aclose()
        assert first.event == "claim.changed" and first.data["id"] == item.id and first.id

        await actor.release_claim(item.id)  # happens while nobody listens
        replay = listener.events(last_event_id=first.id)
        try:
            missed = await asyncio.wait_for(anext(replay), timeout=15)
        finally:
            await replay.aclose()
    assert missed.event == "claim.changed" and missed.data["id"] == item.id
    assert int(missed.id or 0) > int(first.id) and missed.data["claimed_by"] is None


@pytest.mark.asyncio
async def test_event_stream_ends_when_the_session_is_gone(sandbox: SandboxServer) -> None:
    async with PlatformClient(sandbox.url) as client:
        client.restore_session(Session("not-a-token", "not-a-token"))
        stream = client.events()
        with pytest.raises(errors.SessionExpired):
            await asyncio.wait_for(anext(stream), timeout=15)


class _FlakyEventServer(BaseHTTPRequestHandler):
    """Answers 503 first, then one event per connection, closing the stream after each (like a proxy would)."""

    last_event_ids: ClassVar[list[str | None]] = []
    frames: ClassVar[list[bytes]] = [
        b'retry: 10\n\nid: 1\nevent: review.updated\ndata: {"id": "a", "version": 2}\n\n',
        b'id: 2\nevent: review.assigned\ndata: {"id": "b"}\n\n',
    ]

    def do_GET(self) -> None:
        attempt = len(self.last_event_ids)
        self.last_event_ids.append(self.headers.get("Last-Event-ID"))
        if attempt == 0:
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"detail": "Service temporarily unavailable"}')
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.write(self.frames[min(attempt - 1, len(self.frames) - 1)])

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.asyncio
async def test_event_stream_reconnects_with_last_event_id() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FlakyEventServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _FlakyEventServer.last_event_ids.clear()
    try:
        async with PlatformClient(f"http://127.0.0.1:{server.server_port}") as client:
            client.restore_session(Session("access", "refresh"))
            client.server_info = ServerInfo(MODE_FULL, frozenset({"events"}))
            stream = client.events()
            try:
                first = await asyncio.wait_for(anext(stream), timeout=10)
                second = await asyncio.wait_for(anext(stream), timeout=10)
            finally:
                await stream.aclose()
    finally:
        server.shutdown()
        server.server_close()
    assert (first.event, first.id, first.data) == ("review.updated", "1", {"id": "a", "version": 2})
    assert (second.event, second.id) == ("review.assigned", "2")
    # 503 retried with backoff, then the dropped stream resumed from the last event seen.
    assert _FlakyEventServer.last_event_ids[:3] == [None, None, "1"]


STUDENT = "student@demo.och"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("platform", "account", "claimed_mode", "refusal", "status"),
    [
        ("sandbox_v1", STUDENT, None, errors.ServerError, 500),  # OCH's dashboard stream to a non-mentor
        ("sandbox", STUDENT, None, errors.Forbidden, 403),  # layer B's stream to a non-mentor
        ("sandbox_v1", MENTOR, MODE_FULL, errors.NotFound, 404),  # a server without the stream asked for
    ],
)
async def test_a_refused_event_stream_is_not_dialled_again(
    platform: str,
    account: str,
    claimed_mode: str | None,
    refusal: type[errors.PlatformError],
    status: int,
    request: pytest.FixtureRequest,
) -> None:
    server: SandboxServer = request.getfixturevalue(platform)
    async with await sign_in(server.url, account) as client:
        await client.discover()
        if claimed_mode is not None:
            client.server_info = ServerInfo(claimed_mode)
        stream = client.events()
        with pytest.raises(refusal) as refused:  # (retried, a refusal would keep the stream waiting forever)
            await asyncio.wait_for(anext(stream), timeout=10)
    assert refused.value.status == status
    assert not stream_may_reconnect(refused.value)


@pytest.mark.parametrize(
    ("error", "reconnect"),
    [
        (errors.Unreachable(), True),
        (errors.TimedOut(), True),
        (errors.ConnectionDropped(), True),
        (errors.ServerError(status=502), True),
        (errors.ServerError(status=503), True),
        (errors.ServerError(status=504), True),
        (errors.PlatformError(status=429), True),
        (errors.ServerError(status=500), False),
        (errors.PlatformError(status=405), False),
        (errors.NotFound(status=404), False),
        (errors.Forbidden(status=403), False),
        (errors.SessionExpired(status=401), False),
    ],
)
def test_which_stream_failures_are_worth_reconnecting(error: errors.PlatformError, reconnect: bool) -> None:
    assert stream_may_reconnect(error) is reconnect
