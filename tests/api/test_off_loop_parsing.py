"""A pull's pages are decoded off the event loop: the wire rows and the queue items are made in worker threads,
so that a big pull does not stall the GUI thread (which runs the loop in the app)."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from mentor_desk.api import base
from mentor_desk.api import client as client_module
from mentor_desk.sandbox.runner import SandboxServer

from .sandbox_clients import sign_in

Threads = dict[str, set[int]]


@pytest.fixture
def decoding_threads(monkeypatch: pytest.MonkeyPatch) -> Threads:
    """The threads on which the client decoded list rows and made queue items (the real functions still run)."""
    seen: Threads = defaultdict(set)

    def record(module: ModuleType, name: str) -> None:
        real: Callable[..., Any] = getattr(module, name)

        def recording(*args: Any, **kwargs: Any) -> Any:
            seen[name].add(threading.get_ident())
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, recording)

    record(base, "parse_list")
    record(client_module, "review_row_to_queue_item")
    record(client_module, "v1_row_to_queue_item")
    return seen


@pytest.mark.asyncio
async def test_layer_b_pages_are_decoded_in_worker_threads(
    sandbox: SandboxServer, decoding_threads: Threads, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "REVIEWS_PAGE_MAX", 40)  # several pages from the small seed
    async with await sign_in(sandbox.url) as client:
        await client.discover()
        queue = await client.fetch_queue()
        total = (await client.list_reviews(limit=1)).count
    assert total is not None and total > 40 and len(queue) == total == len({item.id for item in queue})
    loop_thread = threading.get_ident()
    assert decoding_threads.keys() == {"parse_list", "review_row_to_queue_item"}
    assert loop_thread not in set().union(*decoding_threads.values())


@pytest.mark.asyncio
async def test_och_v1_pages_are_decoded_in_worker_threads(sandbox_v1: SandboxServer, decoding_threads: Threads) -> None:
    async with await sign_in(sandbox_v1.url) as client:
        await client.discover()
        queue = await client.fetch_queue()
        _, total = await client.v1_submissions((await client.me()).id, limit=1)
    assert total is not None and total > 100 and len(queue) == total  # OCH pages by 100: several pages
    assert {item.kind for item in queue} == {"mission", "capstone"}
    loop_thread = threading.get_ident()
    assert decoding_threads.keys() == {"parse_list", "v1_row_to_queue_item"}
    assert loop_thread not in set().union(*decoding_threads.values())
