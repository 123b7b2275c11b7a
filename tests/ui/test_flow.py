"""FlowLayout measures its rows once per width until something in it changes: a parent's layout asks each row its
height many times per pass (a 200-row scorer re-laid out on a keystroke spent half a second measuring)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from mentor_desk.ui.flow import FlowLayout


def test_heights_are_measured_once_per_width_until_the_items_change(qtbot: Any,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host, spacing=0)
    flow.setContentsMargins(0, 0, 0, 0)
    buttons = [QPushButton(f"level {n}", host) for n in range(4)]
    for button in buttons:
        button.setFixedSize(100, 30)
        flow.addWidget(button)
    measured: list[int] = []
    arrange = flow._arrange
    monkeypatch.setattr(flow, "_arrange", lambda rect, move: measured.append(rect.width()) or arrange(rect, move=move))
    assert [flow.heightForWidth(250) for _ in range(20)] == [60] * 20  # two per line
    assert measured == [250]
    assert flow.heightForWidth(450) == 30 and measured == [250, 450]  # another width is measured
    buttons[3].hide()
    buttons[2].hide()
    assert flow.heightForWidth(250) == 30  # hidden items change the answer
    flow.addWidget(QPushButton("level 5", host))
    assert flow.heightForWidth(250) == 30 + flow.itemAt(4).sizeHint().height()
