"""The queue from the keyboard on a real sandbox: Esc keeps the saved view, the filter counts what it matches
(flags included), values read as words."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentor_desk.app import DeskApp
from tests.ui.test_main_window import open_window


def active_window(shell: DeskApp, run, until, url: str):
    window = open_window(shell, run, until, url)
    window.activateWindow()
    until(window.isActiveWindow)
    window.queue.table.setFocus()
    until(lambda: window.queue.table.hasFocus())
    return window


def label_count(text: str) -> int:
    match = re.search(r"\((\d[\d,]*)\)$", text)
    assert match, text
    return int(match.group(1).replace(",", ""))


def test_escape_clears_only_the_typed_text_and_the_view_stays_what_its_label_says(
    shell, sandbox, run, until, qtbot
) -> None:
    window = active_window(shell, run, until, sandbox.url)
    queue = window.queue
    assert queue.view_box.currentText().startswith("To review (")
    view_filter = queue.proxy.filter()
    shown = queue.proxy.rowCount()
    assert shown == label_count(queue.view_box.currentText()) < window.model.rowCount()  # some are decided
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is queue.search
    qtbot.keyClicks(queue.search, "e")
    assert queue.proxy.filter().text == "e"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert queue.search.text() == ""
    assert queue.proxy.filter() == view_filter
    assert queue.proxy.rowCount() == shown == label_count(queue.view_box.currentText())
    assert all(window.model.is_unreviewed(row) for row in queue.proxy.source_rows())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # again, from the table: still the view
    assert queue.proxy.filter() == view_filter and queue.view_box.currentText().startswith("To review (")
