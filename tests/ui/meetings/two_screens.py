"""Run by test_presenter.py in a process of its own whose Qt platform has two screens (a laptop and a projector):
present a revealed meeting on the projector, step through it with real keys, print what happened as JSON.

``python two_screens.py OUT.png`` also saves the projector's picture there.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mentor_desk.domain.agreement import panel_agreement
from mentor_desk.domain.scoring import Criterion, Level, Rubric, SubtaskSpec
from mentor_desk.ui.meetings.presenter import PresenterWindow

LEVELS = tuple(Level(f"L{p}", p) for p in range(5))
RUBRIC = Rubric("r", 1, "Investigation", 0, 4, criteria=(
    Criterion("scope", "Scoping", levels=LEVELS), Criterion("evidence", "Evidence handling", levels=LEVELS),
    Criterion("timeline", "Timeline", levels=LEVELS)))
SUBTASKS = [SubtaskSpec("s1", "Initial Threat Assessment", 2, "r"), SubtaskSpec("s2", "Attack Timeline", 1, "r")]
PANEL = {
    "Maya Okafor": {"s1": {"scope": 4, "evidence": 3, "timeline": 3}, "s2": {"scope": 3, "evidence": 3, "timeline": 2}},
    "Lena Fischer": {"s1": {"scope": 3, "evidence": 3, "timeline": 2},
                     "s2": {"scope": 3, "evidence": 2, "timeline": 2}},
    "Arjun Patel": {"s1": {"scope": 1, "evidence": 3, "timeline": 3}, "s2": {"scope": 2, "evidence": 3, "timeline": 2}},
}


def main() -> None:
    app = QApplication(sys.argv[:1])
    laptop, projector = app.screens()
    report = panel_agreement(SUBTASKS, {"r": RUBRIC}, PANEL)
    window = PresenterWindow(report, "Learner 7F3A21 · Zero-Day Vulnerability Response", {"r": (0.0, 4.0)},
                             {s.id: s.title for s in SUBTASKS})
    window.present_on(projector)
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    QTest.qWait(50)
    seen = [window.heading.text()]
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_End, Qt.Key.Key_Right):
        QTest.keyClick(window, key)
        seen.append(window.heading.text())
    QTest.keyClick(window, Qt.Key.Key_Home)
    QTest.qWait(50)
    picture = window.grab().toImage()
    texts = " ".join(label.text() for label in (window.title, window.heading, window.figures, window.overall))
    background = QColor(picture.pixel(5, 5))
    if len(sys.argv) > 1:
        picture.save(sys.argv[1])
    result = {
        "screen": window.screen().name(),
        "geometry": [window.geometry().x(), window.geometry().y(), window.width(), window.height()],
        "full_screen": window.isFullScreen(),
        "projector": [projector.geometry().x(), projector.geometry().y(), projector.geometry().width(),
                      projector.geometry().height()],
        "laptop": laptop.name(),
        "headings": seen,
        "texts": texts,
        "heading_px": window.heading.font().pixelSize(),
        "background": background.name(),
        "chart_yellow": any(QColor(picture.pixel(x, y)).name() == "#ffd400"
                            for x in range(0, picture.width(), 4) for y in range(0, picture.height(), 4)),
    }
    window.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
