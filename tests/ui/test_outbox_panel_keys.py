"""The outbox panel from the keyboard: Ctrl+Shift+S toggles it, Esc closes it and gives the keyboard back, and
it never squeezes the review it is opened over."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.test_queue_keys import active_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def focused():
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_ctrl_shift_s_toggles_the_outbox_and_esc_closes_it_without_squeezing_the_review(
    shell, fresh_sandbox, run, until, qtbot
) -> None:
    window = active_window(shell, run, until, fresh_sandbox.url)
    qtbot.keyClick(focused(), Qt.Key.Key_J)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    until(lambda: window._workspace is not None and window.pages.currentWidget() is window._workspace)
    workspace = window.workspace()
    until(lambda: workspace.review is not None)
    until(lambda: workspace.isAncestorOf(QApplication.focusWidget()))
    before = focused()
    size = workspace.size()

    qtbot.keyClick(before, Qt.Key.Key_S, CTRL_SHIFT)
    panel = window.sync_panel
    assert panel.isVisible() and panel.isAncestorOf(focused())
    assert workspace.size() == size  # drawn over the review, not beside it
    assert panel.geometry().bottom() == window.centralWidget().rect().bottom()
    assert "Esc" in panel.title.text()

    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert not panel.isVisible()
    assert focused() is before  # the keyboard is back where it was…
    assert window.pages.currentWidget() is workspace  # …and Esc closed only the panel, not the review

    qtbot.keyClick(focused(), Qt.Key.Key_S, CTRL_SHIFT)
    assert panel.isVisible()
    qtbot.keyClick(focused(), Qt.Key.Key_S, CTRL_SHIFT)  # the same keys close it
    assert not panel.isVisible() and focused() is before
    assert workspace.size() == size
