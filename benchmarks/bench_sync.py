"""Sync figures: pushing the outbox, a first pull, the UI's responsiveness meanwhile, and crash safety.

Every figure runs the real parts against a sandbox platform in another process over loopback: the
:class:`~mentor_desk.api.client.PlatformClient`, a :class:`~mentor_desk.store.Store` in a fresh SQLite file and
the :class:`~mentor_desk.sync.engine.SyncEngine`. Only the operation named by the figure is timed.

Baselines, interleaved with the app's runs against the same platform: a bare ``httpx`` client posting the same
request bodies with the same concurrency (push), or paging through the same rows with ``json.loads`` (pull).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.bench_sync_setup import (
    EMAIL,
    PASSWORD,
    PULL_ROWS,
    PUSH_COUNT,
    landed,
    queue_reviews,
    seeded_platform,
    sync_parts,
    work_dir,
)
from benchmarks.crash_harness import crash_run
from benchmarks.figures import Figure, absolute_figure, figure, interleaved, ratio_figure
from mentor_desk.api.client import REVIEWS_PAGE_MAX, PlatformClient
from mentor_desk.store import OutboxState, Store
from mentor_desk.sync.engine import PUSH_IN_FLIGHT, SyncEngine
from mentor_desk.sync.senders import stage_review_request

CI_KILLS = 50
UI_RUNS = 1  # a UI run takes minutes (seed copy, two phases, 1,000 detail reads): one is what CI affords
REPO = Path(__file__).resolve().parent.parent


def _prepared_outbox() -> tuple[Path, list[tuple[str, dict[str, Any]]]]:
    """A store holding the pulled queue and :data:`PUSH_COUNT` submitted reviews (made once, copied per run), and
    the request bodies its entries become: what the app sends and the baseline sends the same way."""

    async def prepare(url: str) -> tuple[Path, list[tuple[str, dict[str, Any]]]]:
        async with sync_parts(url, "push-template") as (client, store, engine):
            await engine.pull()
            await queue_reviews(client, store, engine, PUSH_COUNT)
            entries = await store.ready_entries()
            bodies = [(e.review_id, stage_review_request(e, e.stage).model_dump(mode="json")) for e in entries]
            return Path(store.path), bodies

    with seeded_platform() as url:
        return asyncio.run(prepare(url))


async def _app_push(url: str, template: Path, bodies: list[tuple[str, dict[str, Any]]]) -> float:
    """Seconds for the engine to push the copied outbox of :data:`PUSH_COUNT` reviews; checks each landed once."""
    path = work_dir("push-store") / template.name
    shutil.copyfile(template, path)
    async with PlatformClient(url) as client:
        await client.login(EMAIL, PASSWORD)
        info = await client.discover()
        async with await Store.open_path(path) as store:
            engine = SyncEngine(client, store, mode=info.mode)
            start = time.perf_counter()
            pushed = await engine.push()
            seconds = time.perf_counter() - start
            counts = await store.outbox_counts()
            if pushed != PUSH_COUNT or counts[OutboxState.DONE] != PUSH_COUNT:
                raise RuntimeError(f"pushed {pushed}, outbox {dict(counts)}: not every review was sent")
            problems = await landed(client, {review_id: body["base_version"] for review_id, body in bodies})
            if problems:
                raise RuntimeError(f"{len(problems)} reviews did not land as sent, e.g. {problems[:3]}")
    return seconds


async def _bare_push(url: str, bodies: list[tuple[str, dict[str, Any]]]) -> float:
    """Seconds for a bare httpx client to POST the same bodies, :data:`PUSH_IN_FLIGHT` at a time."""
    async with httpx.AsyncClient(base_url=f"{url}/api/v1", timeout=30) as http:
        await _bare_login(http)
        gate = asyncio.Semaphore(PUSH_IN_FLIGHT)

        async def send(review_id: str, body: dict[str, Any]) -> None:
            async with gate:
                response = await http.post(f"mission-progress/{review_id}/mentor-review/complete", json=body)
                response.raise_for_status()

        start = time.perf_counter()
        await asyncio.gather(*(send(review_id, body) for review_id, body in bodies))
        return time.perf_counter() - start


async def _bare_login(http: httpx.AsyncClient) -> None:
    answer = await http.post("auth/login", json={"email": EMAIL, "password": PASSWORD})
    answer.raise_for_status()
    http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"


@figure("sync_push_1000_s")
def sync_push_1000_s() -> Figure:
    """The engine pushing 1,000 reviews from the outbox, against a bare client posting the same bodies (each run
    on a fresh copy of the platform: a push writes)."""
    template, bodies = _prepared_outbox()

    def app() -> float:
        with seeded_platform() as url:
            return asyncio.run(_app_push(url, template, bodies))

    def bare() -> float:
        with seeded_platform() as url:
            return asyncio.run(_bare_push(url, bodies))

    app_samples, bare_samples = interleaved(app, bare)
    return ratio_figure("sync_push_1000_s", "s", app_samples, bare_samples, 1.3)


async def _app_pull(url: str) -> float:
    """Seconds for a first pull into an empty store; checks that it stored every row."""
    async with sync_parts(url, "pull-store") as (_client, store, engine):
        start = time.perf_counter()
        await engine.pull()
        seconds = time.perf_counter() - start
        rows = len(await store.queue())
    if rows < PULL_ROWS:
        raise RuntimeError(f"the pull stored {rows} rows, fewer than {PULL_ROWS}")
    return seconds


async def _bare_pull(url: str) -> float:
    """Seconds for a bare httpx client to page through the same review list with ``json.loads``."""
    async with httpx.AsyncClient(base_url=f"{url}/api/v1", timeout=30) as http:
        await _bare_login(http)
        start = time.perf_counter()
        rows, offset = 0, 0
        while True:
            answer = await http.get("mentor/reviews", params={"limit": REVIEWS_PAGE_MAX, "offset": offset})
            answer.raise_for_status()
            page = json.loads(answer.content)
            offset += len(page["results"])
            if not page["results"] or offset >= page["count"]:
                break
        seconds = time.perf_counter() - start
    if offset < PULL_ROWS:
        raise RuntimeError(f"the bare pull read {rows} rows, fewer than {PULL_ROWS}")
    return seconds


@figure("sync_pull_10000_s")
def sync_pull_10000_s() -> Figure:
    """A first pull of 10,000+ rows into an empty store, against a bare client paging through the same rows."""
    with seeded_platform() as url:  # a pull writes nothing on the platform: one copy serves every run
        asyncio.run(_bare_pull(url))  # warm-up: the platform's caches and pages
        app, bare = interleaved(lambda: asyncio.run(_app_pull(url)), lambda: asyncio.run(_bare_pull(url)))
    return ratio_figure("sync_pull_10000_s", "s", app, bare, 1.5)


STALL_LIMIT_MS = 50.0
"""No single freeze of the window this long (a person sees it, on any machine)."""
STALL_P99_LIMIT_MS = 20.0
"""The 99th percentile of the 5 ms timer's lateness during a phase stays under this."""


def _ui_stall_once(url: str) -> dict[str, Any]:
    """The event-loop lateness (ms) of the app's window during a first pull and a 1,000-review push, and while
    idle (see :mod:`benchmarks.bench_sync_ui`)."""
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
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"ui_stall_ms: {result}", file=sys.stderr)
    if result["problems"] or result["rows_shown"] < PULL_ROWS:
        raise RuntimeError(f"the UI run did not pull and push everything: {result}")
    return result


@figure("ui_stall_ms")
def ui_stall_ms() -> Figure:
    """The longest freeze of the app's window during the pull and the push (absolute target), beside the same
    timer's longest lateness while the window idles in the same process (the machine's own share)."""
    runs = []
    for _ in range(UI_RUNS):
        with seeded_platform() as url:
            runs.append(_ui_stall_once(url))
    worst = max(runs, key=lambda run: max(run["pull"]["max"], run["push"]["max"]))
    phases = ("pull", "push")
    value = max(worst[phase]["max"] for phase in phases)
    ok = value < STALL_LIMIT_MS and all(worst[phase]["p99"] < STALL_P99_LIMIT_MS for phase in phases)
    detail = {f"{phase}_{stat}": worst[phase][stat] for phase in (*phases, "idle") for stat in ("max", "p99")}
    target = f"max < {STALL_LIMIT_MS} ms and p99 < {STALL_P99_LIMIT_MS} ms in each phase"
    return absolute_figure("ui_stall_ms", "ms", value, worst["idle"]["max"], STALL_LIMIT_MS, ok=ok, target=target,
                           detail=detail)


@figure("crash_kills_lost")
def crash_kills_lost() -> Figure:
    """Edits lost (or reviews applied twice, or a damaged store) over a CI-sized run of random SIGKILLs, beside
    the number of edits and submits the killed process had acknowledged (what could have been lost)."""
    result = crash_run(CI_KILLS)
    for problem in result.problems:
        print(f"crash_kills_lost: {problem}", file=sys.stderr)
    lost = len(result.problems)
    return absolute_figure("crash_kills_lost", "problems", lost, result.edits + result.submits, 1, ok=lost == 0,
                           target="value == 0", detail={"kills": result.kills})
