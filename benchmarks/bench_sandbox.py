"""Sandbox figures: how fast a fresh, seeded platform is ready to answer."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.bench_sync_setup import platform_process
from benchmarks.figures import Figure, below, figure, median


def _boot_once() -> float:
    """Seconds from launching ``python -m mentor_desk.sandbox`` on an empty db to its first answered request."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with platform_process(Path(tmp) / "platform.sqlite3") as url:
            httpx.get(f"{url}/api/v1/health/", timeout=10).raise_for_status()
            return time.perf_counter() - start


@figure("sandbox_boot_s")
def sandbox_boot_s() -> Figure:
    return below("sandbox_boot_s", median([_boot_once() for _ in range(3)]), "s", 2.0)
