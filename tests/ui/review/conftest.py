"""Fixtures for the review workspace tests: a signed-in client on the shared sandbox, a real Store per test, and
the workspace itself (the qasync loop and ``run`` are tests/ui/conftest.py's)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from review_helpers import SandboxServices, signed_in

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import ReviewDetail
from mentor_desk.store.store import Store
from mentor_desk.ui.review.workspace import ReviewWorkspace

Runner = Callable[..., Any]


@pytest.fixture
def settle(run: Runner) -> Callable[[float], None]:
    """Let spawned tasks and timers run for ``seconds``."""
    return lambda seconds=0.05: run(asyncio.sleep(seconds))


@pytest.fixture(scope="module")
def client(sandbox: Any, run: Runner) -> Iterator[PlatformClient]:
    platform = run(signed_in(sandbox.url))
    yield platform
    run(platform.aclose())


@pytest.fixture(scope="module")
def client_v1(sandbox_v1: Any, run: Runner) -> Iterator[PlatformClient]:
    platform = run(signed_in(sandbox_v1.url))
    yield platform
    run(platform.aclose())


_details_by_server: dict[str, list[ReviewDetail]] = {}


@pytest.fixture(scope="module")
def details(sandbox: Any, client: PlatformClient, run: Runner) -> list[ReviewDetail]:
    """Review details of the demo mentor's queue, fetched once per session (these tests never write to the
    shared sandbox: submitting only queues an outbox entry in the test's own store)."""

    async def fetch() -> list[ReviewDetail]:
        page = await client.list_reviews(limit=500)
        return list(await asyncio.gather(*(client.get_review(row.id) for row in page.results[:120])))

    if sandbox.url not in _details_by_server:
        _details_by_server[sandbox.url] = run(fetch(), timeout=60)
    return _details_by_server[sandbox.url]


def _open_store(run: Runner, path: Path) -> Store:
    return run(Store.open_path(path / "store.sqlite3"))


@pytest.fixture
def services(client: PlatformClient, run: Runner, tmp_path: Path) -> Iterator[SandboxServices]:
    store = _open_store(run, tmp_path)
    yield SandboxServices(client, store, "full", tmp_path / "remarks.json")
    run(store.close())


@pytest.fixture
def services_v1(client_v1: PlatformClient, run: Runner, tmp_path: Path) -> Iterator[SandboxServices]:
    store = _open_store(run, tmp_path)
    yield SandboxServices(client_v1, store, "och-v1", tmp_path / "remarks.json")
    run(store.close())


def _shown_workspace(services: SandboxServices, qtbot: Any) -> ReviewWorkspace:
    widget = ReviewWorkspace(services)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    return widget


@pytest.fixture
def workspace(services: SandboxServices, qtbot: Any) -> ReviewWorkspace:
    return _shown_workspace(services, qtbot)


@pytest.fixture
def workspace_v1(services_v1: SandboxServices, qtbot: Any) -> ReviewWorkspace:
    """The workspace in compatibility mode, on the shared OCH v1 sandbox."""
    return _shown_workspace(services_v1, qtbot)
