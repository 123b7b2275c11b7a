"""Streamed downloads: integrity check, resume, and connections cut mid-answer (a faulty twin server)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from mentor_desk.api import errors
from mentor_desk.api.client import PlatformClient
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer

from .sandbox_clients import sign_in


@pytest.fixture
def twin(fresh_v1: SandboxServer) -> Iterator[SandboxServer]:
    """A second server on the same database that cuts every answer in the middle of its body."""
    config = SandboxConfig(db_path=fresh_v1.config.db_path, profile="och-v1", drop_rate=1.0)
    with SandboxServer(config) as server:
        yield server


async def _attachment(url: str, tmp_path: Path, size: int = 3 * 1024 * 1024) -> tuple[str, bytes, PlatformClient]:
    content = hashlib.sha256(b"seed").digest() * (size // 32)
    source = tmp_path / "evidence.bin"
    source.write_bytes(content)
    client = await sign_in(url)
    assignment = (await client.v1_assignments((await client.me()).id))[0]
    message = await client.v1_send_message(assignment.id, "Evidence", [source])
    file_url = message.attachments[0].file
    assert file_url
    return file_url, content, client


@pytest.mark.asyncio
async def test_download_checks_hash_and_reports_progress(fresh_v1: SandboxServer, tmp_path: Path) -> None:
    file_url, content, client = await _attachment(fresh_v1.url, tmp_path)
    seen: list[tuple[int, int | None]] = []
    async with client:
        dest = await client.download_file(
            file_url,
            tmp_path / "out" / "a.bin",
            expected_sha256=hashlib.sha256(content).hexdigest(),
            progress=lambda done, total: seen.append((done, total)),
        )
        assert dest.read_bytes() == content and not (tmp_path / "out" / "a.bin.part").exists()
        assert seen[-1] == (len(content), len(content))
        assert [d for d, _ in seen] == sorted(d for d, _ in seen)

        with pytest.raises(errors.IntegrityError) as caught:
            await client.download_file(file_url, tmp_path / "b.bin", expected_sha256="0" * 64)
    assert not (tmp_path / "b.bin").exists() and not (tmp_path / "b.bin.part").exists()
    assert "checksum" in caught.value.user_message


@pytest.mark.asyncio
async def test_connection_cut_mid_download(fresh_v1: SandboxServer, twin: SandboxServer, tmp_path: Path) -> None:
    file_url, content, client = await _attachment(fresh_v1.url, tmp_path)
    session = client.session
    await client.aclose()
    assert session is not None
    dest = tmp_path / "evidence-copy.bin"
    async with PlatformClient(twin.url) as faulty:
        faulty.restore_session(session)
        with pytest.raises(errors.ConnectionDropped) as caught:
            await faulty.download_file(file_url.replace(fresh_v1.url, twin.url), dest)
        assert "broke off" in caught.value.user_message and errors.is_transient(caught.value)
        part = dest.with_name(dest.name + ".part")
        assert not dest.exists() and 0 < part.stat().st_size < len(content)  # kept for a resumed attempt
        # A plain JSON request cut short is the same typed error, never a crash.
        with pytest.raises(errors.ConnectionDropped):
            await faulty.me()
    # The next attempt (server healthy again) completes; the partial file is reused or replaced.
    async with PlatformClient(fresh_v1.url) as healthy:
        healthy.restore_session(session)
        await healthy.download_file(file_url, dest, expected_sha256=hashlib.sha256(content).hexdigest())
    assert dest.read_bytes() == content and not dest.with_name(dest.name + ".part").exists()


class _RecordingHandler(BaseHTTPRequestHandler):
    seen: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:
        self.seen.append(self.headers.get("Authorization"))
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def other_origin() -> Iterator[str]:
    """A tiny loopback web server that is not the platform and records the Authorization header it gets."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _RecordingHandler.seen.clear()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.asyncio
async def test_bearer_token_only_goes_to_the_platform(
    sandbox_v1: SandboxServer, other_origin: str, tmp_path: Path
) -> None:
    async with await sign_in(sandbox_v1.url) as client:
        copy = await client.download_file(f"{other_origin}/files/x.txt", tmp_path / "x.txt")
    assert copy.read_bytes() == b"hello"
    assert _RecordingHandler.seen == [None]
