"""Sync fixtures: real sandboxes over loopback, real stores in temporary directories."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
import pytest_asyncio
from tenacity import wait_exponential_jitter

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import MfaRequired
from mentor_desk.sandbox.accounts import demo_totp_secret
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.store import OutboxState, Store
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.sync.events import ConnectionState, SyncEvent

MENTOR = ("mentor@demo.och", "mentor-demo")
MENTOR2 = ("mentor2@demo.och", "mentor2-demo")
MFA_MENTOR = ("mfa-mentor@demo.och", "mfa-mentor-demo")
FAST_BACKOFF = wait_exponential_jitter(multiplier=0.05, max=0.4, jitter=0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def v1_platform(tmp_path: Path) -> Iterator[SandboxServer]:
    """A private OCH v1 (layer A only) sandbox for tests that write."""
    with SandboxServer(SandboxConfig(db_path=tmp_path / "platform-v1.sqlite3", profile="och-v1")) as server:
        yield server


async def signed_in(url: str, account: tuple[str, str] = MENTOR, **options: Any) -> PlatformClient:
    """A client of ``url`` signed in as ``account`` (``options`` go to :class:`PlatformClient`), modes discovered."""
    client = PlatformClient(url, **options)
    try:
        await client.login(*account)
    except MfaRequired as needed:
        await client.complete_mfa(needed.challenge, pyotp.TOTP(demo_totp_secret()).now())
    await client.discover()
    return client


class Desk:
    """What the app wires together: a signed-in client, a store and an engine, plus the events it emitted."""

    def __init__(self, client: PlatformClient, store: Store, engine: SyncEngine) -> None:
        self.client = client
        self.store = store
        self.engine = engine
        self.events: list[SyncEvent] = []
        engine.subscribe(self.events.append)

    def of(self, kind: type) -> list:  # type: ignore[type-arg]
        return [event for event in self.events if isinstance(event, kind)]


async def open_desk(url: str, data_dir: Path, account: tuple[str, str] = MENTOR, **options: Any) -> Desk:
    client = await signed_in(url, account, **options)
    assert client.server_info is not None
    store = await Store.open(url, account[0], data_dir=data_dir)
    return Desk(client, store, SyncEngine(client, store, mode=client.server_info.mode, backoff=FAST_BACKOFF))


@pytest_asyncio.fixture
async def desk(fresh_sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[Desk]:
    """The demo mentor's desk on a platform of its own (full mode)."""
    opened = await open_desk(fresh_sandbox.url, tmp_path / "desk")
    yield opened
    await opened.store.close()
    await opened.client.aclose()


@pytest_asyncio.fixture
async def v1_desk(v1_platform: SandboxServer, tmp_path: Path) -> AsyncIterator[Desk]:
    desk = await open_desk(v1_platform.url, tmp_path / "desk")
    yield desk
    await desk.store.close()
    await desk.client.aclose()


async def wait_for(predicate: Callable[[], Awaitable[bool]], seconds: float = 30.0) -> None:
    """Poll ``predicate`` (a store or engine query) every 50 ms until it holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"condition not met within {seconds} s")


async def done_count(desk: Desk, expected: int) -> bool:
    return (await desk.store.outbox_counts())[OutboxState.DONE] >= expected


async def state_is(desk: Desk, state: ConnectionState) -> bool:
    return desk.engine.state is state


def wait_listening(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("the sandbox did not start")


@pytest.fixture
def platform_process(tmp_path: Path) -> Iterator[tuple[list[subprocess.Popen[bytes]], int, Path]]:
    """(processes to clean up, a free port, a database path) for sandboxes run as real processes."""
    processes: list[subprocess.Popen[bytes]] = []
    yield processes, free_port(), tmp_path / "platform.sqlite3"
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def start_sandbox(port: int, db: Path, *extra: str, profile: str = "och-v1") -> subprocess.Popen[bytes]:
    """``python -m mentor_desk.sandbox`` on ``port`` with ``db`` (kill it with SIGKILL, restart it on the same db)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mentor_desk.sandbox",
            "--port",
            str(port),
            "--db",
            str(db),
            "--profile",
            profile,
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    wait_listening(port)
    return process
