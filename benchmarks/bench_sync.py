"""Sync figures: pushing the outbox, a first pull, the UI's responsiveness meanwhile, and crash safety.

Every figure runs the real parts against a sandbox platform in another process over loopback: the
:class:`~mentor_desk.api.client.PlatformClient`, a :class:`~mentor_desk.store.Store` in a fresh SQLite file and
the :class:`~mentor_desk.sync.engine.SyncEngine`. Only the operation named by the figure is timed.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.bench_sync_setup import PULL_ROWS, PUSH_COUNT, landed, queue_reviews, seeded_platform, sync_parts
from benchmarks.crash_harness import crash_run
from benchmarks.figures import Figure, below, figure, median
from mentor_desk.store import OutboxState

CI_KILLS = 50
RUNS = 3
UI_RUNS = 1  # a UI run takes minutes (seed copy, two phases, 1,000 detail reads): one is what CI affords
REPO = Path(__file__).resolve().parent.parent


async def _push_once(url: str) -> float:
    """Seconds to push :data:`PUSH_COUNT` queued reviews; checks that each landed once."""
    async with sync_parts(url, "push-store") as (client, store, engine):
        await engine.pull()
        sent = await queue_reviews(client, store, engine, PUSH_COUNT)
        start = time.perf_counter()
        pushed = await engine.push()
        seconds = time.perf_counter() - start
        counts = await store.outbox_counts()
        if pushed != PUSH_COUNT or counts[OutboxState.DONE] != PUSH_COUNT:
            raise RuntimeError(f"pushed {pushed}, outbox {dict(counts)}: not every review was sent")
        problems = await landed(client, sent)
        if problems:
            raise RuntimeError(f"{len(problems)} reviews did not land as sent, e.g. {problems[:3]}")
        return seconds


@figure("sync_push_1000_s")
def sync_push_1000_s() -> Figure:
    samples = []
    for _ in range(RUNS):
        with seeded_platform() as url:  # each run writes: a fresh copy of the platform
            samples.append(asyncio.run(_push_once(url)))
    return below("sync_push_1000_s", median(samples), "s", 5.0)


async def _pull_once(url: str) -> tuple[float, int]:
    """Seconds for a first pull into an empty store, and how many rows it stored."""
    async with sync_parts(url, "pull-store") as (_client, store, engine):
        start = time.perf_counter()
        await engine.pull()
        seconds = time.perf_counter() - start
        return seconds, len(await store.queue())


@figure("sync_pull_10000_s")
def sync_pull_10000_s() -> Figure:
    samples = []
    with seeded_platform() as url:  # a pull writes nothing on the platform: one copy serves every run
        for _ in range(RUNS):
            seconds, rows = asyncio.run(_pull_once(url))
            if rows < PULL_ROWS:
                raise RuntimeError(f"the pull stored {rows} rows, fewer than {PULL_ROWS}")
            samples.append(seconds)
    return below("sync_pull_10000_s", median(samples), "s", 3.0)


def _ui_stall_once(url: str) -> float:
    """The worst event-loop stall (ms) of the app's window during a first pull and a 1,000-review push."""
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_sync_ui", url],
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [""]
        reason = next((line for line in lines if line.startswith("Fatal Python error")), lines[-1])
        raise RuntimeError(f"the UI process failed (exit code {proc.returncode}): {reason}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"ui_stall_ms: {result}", file=sys.stderr)
    if result["problems"] or result["rows_shown"] < PULL_ROWS:
        raise RuntimeError(f"the UI run did not pull and push everything: {result}")
    return max(result["pull_stall_ms"], result["push_stall_ms"])


@figure("ui_stall_ms")
def ui_stall_ms() -> Figure:
    samples = []
    for _ in range(UI_RUNS):
        with seeded_platform() as url:
            samples.append(_ui_stall_once(url))
    return below("ui_stall_ms", median(samples), "ms", 50.0)


@figure("crash_kills_lost")
def crash_kills_lost() -> Figure:
    """Edits lost (or reviews applied twice, or a damaged store) over a CI-sized run of random SIGKILLs."""
    result = crash_run(CI_KILLS)
    for problem in result.problems:
        print(f"crash_kills_lost: {problem}", file=sys.stderr)
    return below("crash_kills_lost", len(result.problems), "problems", 0, inclusive=True)
