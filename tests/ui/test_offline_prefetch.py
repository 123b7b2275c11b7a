"""Offline copies: the queue's waiting reviews are copied in the background within a disk budget the mentor sees
(status bar) and changes (Ctrl+Shift+B); the queue marks them; one never opened opens with the platform gone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentor_desk.ui.queue.model import Column
from tests.ui.test_queue_keys import active_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def flags(window, review_id: str) -> str:
    row = window.model.row_of(review_id)
    return window.model.index(row, Column.BADGES).data()


def shown_in_queue(window, review_id: str) -> bool:
    """Whether the queue's current view (its filter and search) shows the review, so the keyboard can reach it."""
    row = window.model.row_of(review_id)
    return row is not None and window.queue.proxy.mapFromSource(window.model.index(row, 0)).isValid()


def test_prefetched_reviews_are_marked_and_open_offline_within_a_changeable_budget(
    shell, fresh_sandbox, run, until, qtbot
) -> None:
    window = active_window(shell, run, until, fresh_sandbox.url)
    until(lambda: window._prefetching is not None and window._prefetching.done(), 120)
    status = window.status_offline_copies.text()
    assert status.startswith("Offline: ") and " of 2,048 MB" in status, status
    ready = [review_id for review_id in window._offline_ready if shown_in_queue(window, review_id)]
    assert ready  # copies are made for the reviews waiting for the mentor, which the default view shows
    review_id = ready[0]
    until(lambda: "offline ready" in flags(window, review_id))  # the badges are read again after the copies
    detail = run(window.services.reviews.load_review(review_id))
    assert detail.files  # the seed gives evidence to every review

    fresh_sandbox.stop()  # the platform is gone: nothing below can reach it
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_O, CTRL_SHIFT)  # work offline
    assert window.is_offline
    assert window.queue.select_review(review_id)
    window.queue.table.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    until(lambda: window._workspace is not None and window._workspace.review is not None)
    assert window.workspace().review.id == review_id  # never opened before, opened offline
    for file in detail.files:
        assert run(window.services.reviews.fetch_file(file)).exists()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    until(lambda: window.pages.currentWidget() is window.queue)

    window.queue.table.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_B, CTRL_SHIFT)
    until(lambda: window.budget_dialog is not None and window.budget_dialog.isVisible())
    dialog = window.budget_dialog
    assert "Now: Offline: " in dialog.labelText()
    spin = QApplication.focusWidget()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "0")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    until(lambda: window.status_offline_copies.text().endswith(" of 0 MB"))
    assert window.settings.offline_budget_mb() == 0
    assert review_id not in window._offline_ready  # its evidence went with the budget…
    until(lambda: "offline ready" not in flags(window, review_id))  # …and the queue says so
