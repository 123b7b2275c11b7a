"""UI figures: start-up to a painted queue, and type-to-filter over a very large queue."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.figures import Figure, below, figure, median

CHILD = Path(__file__).with_name("startup_child.py")
RUNS = 5
# An installed app runs from compiled bytecode: let the children write and reuse their .pyc files.
CHILD_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _started_in(*args: str) -> float:
    """Seconds from launching a fresh interpreter to the moment it reports its first painted window."""
    start = time.time()
    result = subprocess.run(
        [sys.executable, str(CHILD), *args], capture_output=True, text=True, timeout=120, check=False, env=CHILD_ENV
    )
    if result.returncode != 0:
        raise RuntimeError(f"start-up child failed: {result.stderr[-2000:]}")
    painted_at = float(result.stdout.strip().splitlines()[-1])
    return painted_at - start


@figure("startup_ratio")
def startup_ratio() -> Figure:
    """Cold start to a painted queue of 10,000 cached rows, over a bare QMainWindow's cold start."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(CHILD), "seed", tmp, "10000"], check=True, timeout=300, env=CHILD_ENV)
        _started_in("bare"), _started_in("app", tmp)  # warm-up: bytecode compiled, files in the page cache
        app, bare = [], []
        for _ in range(RUNS):  # interleaved, so that machine load affects both alike
            bare.append(_started_in("bare"))
            app.append(_started_in("app", tmp))
    return below("startup_ratio", median(app) / median(bare), "x", 2.0, inclusive=True)


@figure("queue_filter_ms")
def queue_filter_ms() -> Figure:
    """Median time from a keystroke in the filter box to the repainted table, over 100,000 rows with badges."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from benchmarks.synthetic import badges_for, queue_items
    from mentor_desk.ui.queue.model import QueueModel
    from mentor_desk.ui.queue.table import QueueTable
    from mentor_desk.ui.queue.views import SavedViews
    from mentor_desk.ui.settings import AppSettings

    app = QApplication.instance() or QApplication([])
    items = queue_items(100_000)
    model = QueueModel()
    model.set_items(items)
    model.set_local_badges(badges_for(items))
    with tempfile.TemporaryDirectory() as tmp:
        settings = AppSettings(QSettings(str(Path(tmp) / "bench.ini"), QSettings.Format.IniFormat))
        table = QueueTable(model, SavedViews(settings))
        table.resize(1280, 760)
        table.show()
        app.processEvents()
        timings = []
        for keys in ("advanced persistent", "okafor", "gr"):
            for char in keys:
                start = time.perf_counter()
                QTest.keyClick(table.search, char)
                app.processEvents()  # handles the key, refilters and repaints the table
                timings.append((time.perf_counter() - start) * 1000)
            for _ in keys:
                start = time.perf_counter()
                QTest.keyClick(table.search, Qt.Key.Key_Backspace)
                app.processEvents()  # handles the key, refilters and repaints the table
                timings.append((time.perf_counter() - start) * 1000)
        table.close()
    return below("queue_filter_ms", median(timings), "ms", 30.0)
