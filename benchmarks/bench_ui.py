"""UI figures: start-up to a painted queue, and type-to-filter over a very large queue.

Baselines: a bare ``QMainWindow``'s cold start to its first paint; for a filter keystroke, a plain Python scan
for the typed text over the same rows' text plus the repaint of one screenful of a bare ``QTableView``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from benchmarks.figures import RUNS, Figure, figure, interleaved, ratio_figure

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel, QSize

    from mentor_desk.domain.queue import QueueItem

CHILD = Path(__file__).with_name("startup_child.py")
# An installed app runs from compiled bytecode: let the children write and reuse their .pyc files.
SCREENFUL = 40
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
        app, bare = interleaved(lambda: _started_in("app", tmp), lambda: _started_in("bare"), RUNS)
    return ratio_figure("startup_ratio", "s", app, bare, 2.0)


class BareFilter:
    """The baseline of a filter keystroke: a list comprehension finding the typed text in each row's text, and the
    repaint of a bare ``QTableView`` showing one screenful of the same rows (as plain strings)."""

    def __init__(self, items: list[QueueItem], model: QAbstractItemModel, size: QSize) -> None:
        from PySide6.QtGui import QStandardItem, QStandardItemModel
        from PySide6.QtWidgets import QTableView

        self.texts = [
            " ".join((item.mission_code, item.mission_title, item.learner_name, item.learner_email, item.track,
                      item.tier, item.status, item.stage_name)).casefold()
            for item in items
        ]
        self.screen = QStandardItemModel(SCREENFUL, model.columnCount())
        for row in range(SCREENFUL):
            for column in range(model.columnCount()):
                self.screen.setItem(row, column, QStandardItem(str(model.index(row, column).data() or "")))
        self.view = QTableView()
        self.view.setModel(self.screen)
        self.view.resize(size)
        self.view.show()
        self.matched = 0

    def keystroke(self, typed: str) -> float:
        start = time.perf_counter()
        needle = typed.casefold()
        self.matched = len([row for row, text in enumerate(self.texts) if needle in text])
        self.view.viewport().update()
        QApplication.processEvents()  # repaints the view
        return (time.perf_counter() - start) * 1000

    def close(self) -> None:
        self.view.close()


@figure("queue_filter_ms")
def queue_filter_ms() -> Figure:
    """Median time from a keystroke in the filter box to the repainted table, over 100,000 rows with badges,
    against the bare scan and repaint of the same text after each keystroke."""
    from PySide6.QtCore import QSettings, QSize, Qt
    from PySide6.QtTest import QTest

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
        bare = BareFilter(items, model, QSize(1280, 760))
        table.activateWindow()
        app.processEvents()
        timings: list[float] = []
        baseline: list[float] = []

        def key(key: str | Qt.Key, typed: str) -> None:
            start = time.perf_counter()
            QTest.keyClick(table.search, key)
            app.processEvents()  # handles the key, refilters and repaints the table
            timings.append((time.perf_counter() - start) * 1000)
            baseline.append(bare.keystroke(typed))

        for keys in ("advanced persistent", "okafor", "gr"):
            for n, char in enumerate(keys):
                key(char, keys[: n + 1])
            for n in range(len(keys)):
                key(Qt.Key.Key_Backspace, keys[: len(keys) - n - 1])
        bare.close()
        table.close()
    return ratio_figure("queue_filter_ms", "ms", timings, baseline, 2.0)
