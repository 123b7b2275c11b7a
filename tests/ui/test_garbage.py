"""The GUI-thread garbage collector keeps each collection short: young generations often, the whole heap
only once it has grown."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from mentor_desk.ui.garbage import MainThreadGarbageCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of every collection made meanwhile."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)


def test_short_lived_garbage_never_triggers_a_full_collection(collections: list[int]) -> None:
    collector = MainThreadGarbageCollector()
    try:
        gc.collect()
        collector._long_lived = len(gc.get_objects(2))  # as after the collector's own full collection
        collections.clear()
        for _ in range(300):  # cycles that die young, checked as often as the timer does
            garbage = [Cycle() for _ in range(1_000)]
            del garbage
            collector.check()
        assert 0 in collections and 1 in collections
        assert 2 not in collections  # the old generation did not grow: no scan of the whole heap
    finally:
        collector.stop()
        collector.deleteLater()


def test_a_grown_heap_is_collected_in_full(collections: list[int]) -> None:
    collector = MainThreadGarbageCollector()
    kept: list[object] = []
    try:
        gc.collect()
        collector._long_lived = len(gc.get_objects(2))
        collections.clear()
        for _ in range(300):  # objects that survive: the old generation grows past a quarter
            kept.extend(Cycle() for _ in range(1_000))
            collector.check()
        assert 2 in collections
    finally:
        del kept
        collector.stop()
        collector.deleteLater()
