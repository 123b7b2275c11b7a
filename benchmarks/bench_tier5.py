"""``tier5_board``: the Tier-5 board for 500 learners × 5 tracks, from its rows to the first paint of the table
sorted closest first, over a bare ``QTableView`` (a ``QStandardItemModel`` of the same rows' text) to its first
paint, in the same run. Target: ratio ≤ 2.0.
"""

from __future__ import annotations

import random
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from benchmarks.figures import RUNS, Figure, figure, interleaved, ratio_figure

LEARNERS, TRACKS = 500, ("DEFENDER_5", "OFFENSIVE_5", "GRC_5", "INNOVATION_5", "LEADERSHIP_5")
SIZE = (1380, 820)


def board_rows() -> list[Any]:
    """2,500 board rows (deterministic), spread over every readiness state."""
    from mentor_desk.domain.tier5 import Tier5Counts, closeness, readiness
    from mentor_desk.services.tier5 import BlockingReview, BoardRow, MissingItem

    rng = random.Random(5)
    rows = []
    for learner in range(LEARNERS):
        for track in TRACKS:
            missions, capstone, modules = rng.randint(0, 2), rng.randint(0, 1), rng.randint(1, 3)
            approved = missions == 2 and capstone == 1 and rng.random() < 0.3
            counts = Tier5Counts(3, modules, 2, missions, 1, capstone, 3, 3, True, approved, True)
            missing = ["Complete and get approval for all 2 Mastery mission(s)"] if missions < 2 else []
            if capstone < 1:
                missing.append("Complete and get approval for Capstone project (1 required)")
            status_missing = missing + ([] if approved else ["Mentor approval required"])
            rows.append(
                BoardRow(
                    learner_id=learner,
                    learner_name=f"Learner {learner:04d}",
                    learner_email=f"learner{learner}@learners.och",
                    track_code=track,
                    track_name=track,
                    counts=counts,
                    completion=round(modules / 3 * 100, 1),
                    readiness=readiness(counts, status_missing),
                    missing=tuple(
                        MissingItem(text, (BlockingReview(f"r{learner}-{track}", "Mission", "mentor_review"),))
                        for text in missing
                    ),
                    closeness=closeness(counts),
                    approved=approved,
                    approved_by="Maya Okafor" if approved else "",
                )
            )
    return rows


class _Painted(QObject):
    """Notes the first paint of one widget."""

    def __init__(self, watched: QWidget) -> None:
        super().__init__()
        self.done = False
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.done = True
        return False


def _until_painted(app: QApplication, watched: QWidget) -> None:
    painted = _Painted(watched)
    deadline = time.perf_counter() + 30
    while not painted.done and time.perf_counter() < deadline:
        app.processEvents()
    watched.removeEventFilter(painted)


class _NoServices:
    """The board's services are not called while it paints rows it is given."""


def board_ms(app: QApplication, rows: list[Any]) -> float:
    from mentor_desk.services.tier5 import Board
    from mentor_desk.ui.tier5.board import Tier5Board

    start = time.perf_counter()
    board = Tier5Board(_NoServices())  # type: ignore[arg-type]
    board.resize(*SIZE)
    board.show_board(Board(tuple(rows), "2026-12-03T20:00:00+00:00", True))
    board.show()
    _until_painted(app, board.table.viewport())
    elapsed = (time.perf_counter() - start) * 1000
    assert board.proxy.board_row(0).closeness == max(row.closeness for row in rows)
    board.close()
    board.deleteLater()
    app.processEvents()
    return elapsed


def bare_ms(app: QApplication, texts: list[list[str]]) -> float:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    start = time.perf_counter()
    model = QStandardItemModel(len(texts), len(texts[0]))
    for r, cells in enumerate(texts):
        for c, text in enumerate(cells):
            model.setItem(r, c, QStandardItem(text))
    view = QTableView()
    view.setModel(model)
    view.resize(*SIZE)
    view.show()
    _until_painted(app, view.viewport())
    elapsed = (time.perf_counter() - start) * 1000
    view.close()
    view.deleteLater()
    app.processEvents()
    return elapsed


@figure("tier5_board")
def tier5_board() -> Figure:
    from mentor_desk.ui.tier5.model import BoardModel, Column

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    rows = board_rows()
    model = BoardModel()
    model.set_rows(rows)
    texts = [[str(model.index(r, c).data() or "") for c in Column] for r in range(len(rows))]
    board_ms(app, rows), bare_ms(app, texts)  # warm-up: imports, fonts, the first window
    app_ms, base_ms = interleaved(lambda: board_ms(app, rows), lambda: bare_ms(app, texts), RUNS)
    return ratio_figure("tier5_board", "ms", app_ms, base_ms, 2.0, detail={"rows": len(rows)})
