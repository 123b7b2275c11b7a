"""The ``ui_stall_ms`` measurement, run in a process of its own: ``python -m benchmarks.bench_sync_ui URL``.

It runs the app as the app runs itself: one QApplication, the qasync loop in the main thread, and
:class:`~mentor_desk.app.AppShell` opening its real main window over the client, store and sync engine (whose
background loop it starts). A 5 ms precise QTimer measures how late the event loop serves it, during

1. the first pull of the whole queue (10,000+ rows) into an empty store, until the window shows every row;
2. the push of 1,000 reviews written while the app was switched to "work offline", from switching back
   online until every one has reached the platform and the window has reloaded.

Preparing the 1,000 reviews (reading their details, scoring, submitting them to the outbox) is not measured.
Between the phases the same timer measures :data:`IDLE_S` of the window idling (offline, every row shown): the
baseline, what the machine and the toolkit cost the loop when the app does nothing.
Prints one JSON object: the worst lateness and the 99th percentile of each phase in milliseconds, and what was
pulled and pushed.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, QSettings, Qt, QTimer

from benchmarks.bench_sync_setup import EMAIL, PASSWORD, PULL_ROWS, PUSH_COUNT, landed, queue_reviews, work_dir
from benchmarks.figures import percentile
from mentor_desk.app import AppShell
from mentor_desk.launch import create_application
from mentor_desk.paths import AppPaths
from mentor_desk.store import OutboxState
from mentor_desk.sync.events import ConnectionState
from mentor_desk.ui.crash import CrashHandler
from mentor_desk.ui.garbage import MainThreadGarbageCollector
from mentor_desk.ui.settings import AppSettings

TICK_MS = 5
SETTLE_S = 0.5  # keep measuring this long after a phase looks done (late reloads, repaints)
PHASE_TIMEOUT_S = 300.0
IDLE_S = 2.0


class StallMeter(QObject):
    """How late the event loop serves a repeating ``TICK_MS`` timer: every lateness of one phase."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.lateness: list[float] = []

    def start(self) -> None:
        self.lateness = []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> dict[str, float]:
        """Stop; the worst and the 99th-percentile lateness (ms) of the phase."""
        self._timer.stop()
        late = self.lateness or [0.0]
        return {"max": round(max(late), 2), "p99": round(percentile(late, 99), 2), "ticks": len(self.lateness)}

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now


async def _until(done: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait (without blocking the loop) until ``await done()`` is true, then ``SETTLE_S`` more."""
    deadline = time.monotonic() + PHASE_TIMEOUT_S
    while not await done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
    await asyncio.sleep(SETTLE_S)


async def measure(url: str) -> dict[str, object]:
    data_dir = work_dir("ui-stall")
    settings = AppSettings(QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat))
    shell = AppShell(settings, AppPaths(data_dir, data_dir / "logs"), CrashHandler(lambda: shell.window))
    client = shell.connect(url, False)
    await client.login(EMAIL, PASSWORD)
    me = await client.me()
    meter = StallMeter()
    try:
        # 1. Opening the desk shows the (empty) cached queue and starts the first sync in the background.
        await shell.open_account(client, EMAIL, me)
        assert shell.window is not None and shell.account is not None and shell.engine is not None
        window, store, engine = shell.window, shell.account.store, shell.engine

        async def all_shown() -> bool:
            return window.model.rowCount() >= PULL_ROWS

        async def stopped() -> bool:
            return engine.state is not ConnectionState.SYNCING

        async def all_sent() -> bool:
            counts = await store.outbox_counts()
            return counts[OutboxState.DONE] == PUSH_COUNT and engine.state is ConnectionState.ONLINE

        meter.start()
        await _until(all_shown, f"the window to show {PULL_ROWS} rows")
        pull = meter.stop()
        rows = window.model.rowCount()

        # 2. Offline, the mentor submits 1,000 reviews; back online, the engine sends them.
        offline = window.actions_by_name["offline"]
        offline.setChecked(True)
        await _until(stopped, "the engine to stop")
        sent = await queue_reviews(client, store, engine, PUSH_COUNT)
        await asyncio.sleep(SETTLE_S)
        meter.start()
        await asyncio.sleep(IDLE_S)
        idle = meter.stop()
        meter.start()
        offline.setChecked(False)
        await _until(all_sent, f"{PUSH_COUNT} reviews to reach the platform")
        push = meter.stop()
        problems = await landed(client, sent)
    finally:
        await shell.shutdown()
    return {"pull": pull, "push": push, "idle": idle, "rows_shown": rows, "pushed": PUSH_COUNT - len(problems),
            "problems": problems[:5]}


def main(argv: list[str]) -> int:
    import qasync

    app = create_application([sys.argv[0]])
    collector = MainThreadGarbageCollector(app)  # as run_gui does
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(measure(argv[0]))
    collector.stop()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
