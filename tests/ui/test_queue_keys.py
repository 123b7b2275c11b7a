"""The queue from the keyboard on a real sandbox: Esc keeps the saved view, the filter counts what it matches
(flags included), values read as words."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentor_desk.app import AppShell
from mentor_desk.ui.queue.model import Column, QueueModel
from mentor_desk.ui.queue.table import QueueTable
from mentor_desk.ui.queue.views import SavedViews
from tests.ui.queue_items import make_item
from tests.ui.test_main_window import open_window


def active_window(shell: AppShell, run, until, url: str):
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


def test_the_filter_matches_flags_and_counts_its_rows_in_and_outside_the_view(qtbot, settings) -> None:
    model = QueueModel()
    model.set_items(
        [make_item(n, status="submitted") for n in range(5)]
        + [make_item(9, status="submitted", claimed_by="Ana Lopez")]
    )
    queue = QueueTable(model, SavedViews(settings))
    qtbot.addWidget(queue)
    queue.show()
    queue.activateWindow()
    qtbot.waitUntil(queue.isActiveWindow)
    assert not queue.match_count.isVisible()  # the view's label counts its rows
    queue.search.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "claimed by ana")
    assert queue.proxy.rowCount() == 0  # "To review" leaves out reviews another mentor holds…
    qtbot.waitUntil(lambda: "elsewhere" in queue.match_count.text())
    assert queue.match_count.isVisible()
    assert queue.match_count.text() == "0 of 5 match · 1 more elsewhere in the queue"  # …and says so
    queue.view_box.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_End)  # the last view: "Everything"
    assert queue.view_box.currentData() == "Everything"
    queue.search.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "claimed by ana")
    assert queue.proxy.rowCount() == 1
    assert model.item(queue.proxy.source_rows()[0]).claimed_by == "Ana Lopez"
    assert queue.match_count.text() == "1 of 6 match"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace)
    qtbot.keyClicks(QApplication.focusWidget(), "x")  # no row is claimed by "anx"
    assert queue.match_count.text().startswith("0 of 6 match")


def test_tracks_stages_and_times_read_as_words_and_fit_their_columns(shell, sandbox, run, until) -> None:
    window = active_window(shell, run, until, sandbox.url)
    queue = window.queue
    everything = queue.view_box.findData("Everything")
    queue.view_box.setCurrentIndex(everything)
    queue.view_box.activated.emit(everything)
    table = queue.table
    metrics = table.fontMetrics()
    seen_stage = False
    for row in range(queue.proxy.rowCount()):
        track = queue.proxy.index(row, Column.TRACK).data()
        stage = queue.proxy.index(row, Column.STAGE).data()
        submitted = queue.proxy.index(row, Column.SUBMITTED).data()
        assert not re.fullmatch(r"[A-Z]+_\d", track), track  # "Defender" (tier 5), not DEFENDER_5
        assert "_" not in stage, stage  # "3/6 Design & remediation", not design_remediation
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}( \d{4})? \d\d:\d\d|—", submitted), submitted  # "27 Nov 19:54"
        seen_stage = seen_stage or stage != "—"
        for column, text in ((Column.TRACK, track), (Column.STAGE, stage), (Column.SUBMITTED, submitted)):
            assert metrics.horizontalAdvance(text) <= table.columnWidth(column) - 8, (column, text)  # not elided
    assert seen_stage  # the seed has multi-stage capstones
    tracks = {queue.proxy.index(r, Column.TRACK).data(): r for r in range(queue.proxy.rowCount())}
    assert "Defender" in tracks
    tooltip = queue.proxy.index(tracks["Defender"], Column.TRACK).data(Qt.ItemDataRole.ToolTipRole)
    assert "Cyber Defender — Mastery" in tooltip
    queue.search.setText("defender_5")  # the code still finds its rows
    assert queue.proxy.rowCount() > 0
