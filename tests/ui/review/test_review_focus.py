"""Keyboard focus in the review workspace (issue 10, items 3, 4, 7, 13 and 20), by real keys sent to whatever has
the focus: Enter opens a file into its viewer, whose keys then work; Tab follows the reading order through every
pane; digits score only in a scorer that visibly has the focus; the focus ring is always drawn; arrowing through
the file tree only selects; the viewer can have the whole workspace; PDFs zoom."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QTreeWidgetItem, QWidget
from review_helpers import pick

from mentor_desk.services.review_view import review_view
from mentor_desk.ui.review.evidence import OPEN_PAUSE_MS
from mentor_desk.ui.review.viewers.pdf_viewer import PdfViewer

NONE, CTRL, SHIFT, ALT = (
    Qt.KeyboardModifier.NoModifier,
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.AltModifier,
)


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _key(qtbot: Any, key: Qt.Key | str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    if isinstance(key, str) and len(key) > 1:
        qtbot.keyClicks(_focused(), key, modifier)
    else:
        qtbot.keyClick(_focused(), key, modifier)


def _with_pdf_and_decisions(detail: Any) -> bool:
    files = [f.filename for f in detail.files]
    return (
        any(name.endswith(".pdf") for name in files)
        and len(files) >= 3
        and bool(detail.decision_paths)
        and len(detail.mission.subtasks) >= 2
    )


@pytest.fixture
def opened(details: list[Any], workspace: Any, run: Any, qtbot: Any) -> Callable[[Callable[[Any], bool], str], Any]:
    """Open the first seeded review ``test`` accepts, in an active window with the scorer built."""

    def open_one(test: Callable[[Any], bool], what: str) -> Any:
        detail = pick(details, test, what)
        assert run(workspace.open_review(detail.id))
        workspace.activateWindow()
        qtbot.waitUntil(workspace.isActiveWindow)
        qtbot.waitUntil(lambda: workspace.scorer.fully_built and workspace.scorer.hasFocus())
        return review_view(detail)

    return open_one


def _open_with_enter(workspace: Any, qtbot: Any, suffix: str) -> Any:
    """Alt+1 to the file tree, Down to the first file named ``*suffix``, Enter: returns its viewer."""
    _key(qtbot, Qt.Key.Key_1, ALT)
    files = workspace.evidence.files
    assert _focused() is files
    item = next(i for i in workspace.evidence.file_items() if i.text(0).endswith(suffix))
    for _ in range(len(workspace.evidence.file_items()) + 5):
        if files.currentItem() is item:
            break
        _key(qtbot, Qt.Key.Key_Down)
    assert files.currentItem() is item
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workspace.evidence.viewer is not None and bool(workspace.evidence.viewer.summary))
    viewer = workspace.evidence.viewer
    qtbot.waitUntil(lambda: viewer.isAncestorOf(_focused()))
    return viewer


def test_enter_opens_a_file_into_its_viewer_where_its_keys_work(
    opened: Any, workspace: Any, qtbot: Any
) -> None:
    """Item 4: after Enter on a PDF the keyboard is in its pages; Ctrl+F, F3, Space, ←/→ act there."""
    opened(_with_pdf_and_decisions, "a PDF, other files and decisions")
    viewer = _open_with_enter(workspace, qtbot, ".pdf")
    assert isinstance(viewer, PdfViewer)
    assert _focused() is viewer.view
    qtbot.waitUntil(lambda: viewer.view.verticalScrollBar().maximum() > 0)

    bar = viewer.view.verticalScrollBar()
    _key(qtbot, Qt.Key.Key_Space)
    assert bar.value() > 0, "Space scrolls the pages a screenful"
    _key(qtbot, Qt.Key.Key_Space, SHIFT)
    assert bar.value() == 0

    _key(qtbot, Qt.Key.Key_F, CTRL)
    assert _focused() is viewer.field
    _key(qtbot, "Scope")
    qtbot.waitUntil(lambda: viewer.match_count > 0, timeout=5000)
    assert viewer.view.currentSearchResultIndex() == -1
    _key(qtbot, Qt.Key.Key_F3)
    assert viewer.view.currentSearchResultIndex() == 0
    assert workspace.document.draft.subtask_scores == {}, "nothing typed here scored"


def test_enter_on_a_log_puts_the_keys_in_its_text(opened: Any, workspace: Any, qtbot: Any) -> None:
    """Item 4: Enter on a log focuses its text; Ctrl+F goes to its find field; Enter and F3 find the next match
    (from the field or back in the text), Shift+F3 the previous one."""
    opened(lambda d: any(f.filename.endswith(".log") for f in d.files), "a log")
    viewer = _open_with_enter(workspace, qtbot, ".log")
    assert _focused() is viewer.editor
    _key(qtbot, Qt.Key.Key_F, CTRL)
    assert _focused() is viewer.find_bar.field
    text = viewer.editor.toPlainText()
    word = next(w for w in text.split() if len(w) > 3 and text.count(w) > 1)
    _key(qtbot, word)
    found = []
    for key, modifier in ((Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_F3, NONE)):
        _key(qtbot, key, modifier)
        found.append(viewer.editor.textCursor().selectionStart())
    assert viewer.editor.textCursor().selectedText() == word and found[1] != found[0]
    viewer.editor.setFocus()
    _key(qtbot, Qt.Key.Key_F3, SHIFT)
    assert viewer.editor.textCursor().selectionStart() == found[0]


def test_enter_on_a_recording_puts_its_keys_in_reach(opened: Any, workspace: Any, qtbot: Any) -> None:
    """Item 4: Enter on a video focuses its viewer, where Space plays and pauses it."""
    opened(lambda d: any(f.filename.endswith(".mp4") for f in d.files), "a recording")
    viewer = _open_with_enter(workspace, qtbot, ".mp4")
    assert _focused() is viewer
    qtbot.waitUntil(lambda: viewer.player.duration() > 0, timeout=10_000)
    _key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: viewer.player.state() == "playing", timeout=5000)
    _key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: viewer.player.state() in ("paused", "ended"), timeout=5000)
    assert workspace.document.draft.subtask_scores == {}


def _pane_of(workspace: Any, widget: QWidget) -> int:
    panes = (workspace.evidence, workspace.scorer, workspace.side_tabs, workspace.feedback)
    return next((n for n, pane in enumerate(panes) if pane is widget or pane.isAncestorOf(widget)), -1)


def _tab_cycle(qtbot: Any, start: QWidget, key: Qt.Key = Qt.Key.Key_Tab) -> list[QWidget]:
    """Tab from ``start`` until the focus comes back to it: the widgets met on the way."""
    met = []
    for _ in range(200):
        _key(qtbot, key)
        if _focused() is start:
            return met
        met.append(_focused())
    raise AssertionError("Tab never came back to where it started")


def test_tab_follows_the_reading_order_through_every_pane(opened: Any, workspace: Any, qtbot: Any) -> None:
    """Item 4 and item 7: tree → viewer → scorer → each subtask's comment → side tabs → feedback; Shift+Tab
    walks the same way back."""
    review = opened(_with_pdf_and_decisions, "a PDF, other files and decisions")
    viewer = _open_with_enter(workspace, qtbot, ".pdf")
    _key(qtbot, Qt.Key.Key_1, ALT)
    tree = _focused()
    met = _tab_cycle(qtbot, tree)

    assert viewer.isAncestorOf(met[0]), "Tab from the tree goes into the open file's viewer first"
    assert met[0] is viewer.field and viewer.view in met, "the viewer's own order: search bar, then the pages"
    panes = [_pane_of(workspace, w) for w in met]
    inside = [p for p in panes if p >= 0]
    assert inside == sorted(inside), f"panes in reading order (evidence, scorer, side tabs, feedback): {panes}"
    assert set(inside) == {0, 1, 2, 3}, "every pane is on the way"
    scorer = workspace.scorer
    comments = [scorer.subtask_comments[s.id] for s in review.subtasks]
    at = met.index(scorer)
    in_scorer = [w for w in met[at:] if _pane_of(workspace, w) == 1]
    assert [w for w in in_scorer if w in comments] == comments, "after the scorer each subtask's comment, in order"
    cards = workspace.decision_path.cards
    assert cards and met.index(cards[0].verdict) < met.index(cards[0].comment) < met.index(workspace.feedback.feedback)

    back = _tab_cycle(qtbot, tree, Qt.Key.Key_Backtab)
    assert back == list(reversed(met))

    # per-subtask comment boxes take typing and Tab leaves them (Tab is not typed into them)
    while _focused() is not comments[0]:
        _key(qtbot, Qt.Key.Key_Tab)
    _key(qtbot, "Clear scope.")
    _key(qtbot, Qt.Key.Key_Tab)
    assert _focused() is comments[1]
    assert workspace.document.get(("feedback_per_subtask", review.subtasks[0].id)) == "Clear scope."


def _ring_drawn_around(workspace: Any, widget: QWidget) -> None:
    ring = workspace.focus_ring
    assert ring.isVisible() and ring.target is widget
    where = QPoint(widget.mapTo(workspace, QPoint(0, 0)))
    assert ring.geometry().contains(where), "the ring encloses the focused widget"
    image = workspace.grab().toImage()
    colour = workspace.palette().color(QPalette.ColorRole.Highlight)
    edge = ring.geometry()
    for point in (edge.topLeft(), edge.bottomRight(), QPoint(edge.center().x(), edge.top())):
        assert image.pixelColor(point) == colour, f"the ring is drawn at {point} around {type(widget).__name__}"


def test_digits_score_only_in_a_scorer_that_shows_the_focus(opened: Any, workspace: Any, qtbot: Any) -> None:
    """Item 3: Tab from the tree, then "185.220.9": typed into the viewer's search, no score set. Only once Tab
    reaches the scorer, which then shows the focus ring and says that digits score, does a digit score."""
    opened(_with_pdf_and_decisions, "a PDF, other files and decisions")
    viewer = _open_with_enter(workspace, qtbot, ".pdf")
    _key(qtbot, Qt.Key.Key_1, ALT)
    _key(qtbot, Qt.Key.Key_Tab)
    assert _focused() is viewer.field
    _key(qtbot, "185.220.9")
    assert viewer.field.text() == "185.220.9"
    assert workspace.document.draft.subtask_scores == {}

    scorer = workspace.scorer
    assert not scorer.active and "Alt+2" in scorer.keys_hint.text()
    while _focused() is not scorer:
        _key(qtbot, Qt.Key.Key_Tab)
    assert scorer.active and scorer.keys_hint.text().startswith("Digits score here")
    assert scorer._scroll.viewport().geometry().contains(scorer.keys_hint.geometry()), "the note is whole, in view"
    _ring_drawn_around(workspace, scorer)
    row = scorer.rows[0]
    _key(qtbot, Qt.Key.Key_1)
    assert workspace.document.score(row.subtask.id, row.criterion.id) == row.level_for_digit(1)

    _key(qtbot, Qt.Key.Key_Tab)  # on to the first comment box: the scorer says it no longer takes digits
    assert not scorer.active and "Alt+2" in scorer.keys_hint.text()


def test_the_focus_ring_follows_the_focus_to_every_widget(opened: Any, workspace: Any, qtbot: Any) -> None:
    """Item 3: whatever Tab focuses, the ring in the highlight colour is drawn around it."""
    opened(_with_pdf_and_decisions, "a PDF, other files and decisions")
    _open_with_enter(workspace, qtbot, ".pdf")
    _key(qtbot, Qt.Key.Key_1, ALT)
    tree = _focused()
    _ring_drawn_around(workspace, tree)
    for _ in range(60):
        _key(qtbot, Qt.Key.Key_Tab)
        ring = workspace.focus_ring
        assert ring.target is _focused() and ring.isVisible(), type(_focused()).__name__
    for widget in (workspace.feedback.feedback, workspace.feedback.submit_button):
        while _focused() is not widget:
            _key(qtbot, Qt.Key.Key_Tab)
        _ring_drawn_around(workspace, widget)


def test_level_descriptors_show_inline(opened: Any, workspace: Any, qtbot: Any) -> None:
    """Item 7: under each criterion its description, once scored the chosen level's descriptor; D shows every
    description and descriptor."""
    opened(
        lambda d: all(
            c.description and all(lv.description for lv in c.levels)
            for r in review_view(d).rubrics.values()
            for c in r.criteria
        ),
        "rubrics whose criteria and levels are all described",
    )
    _key(qtbot, Qt.Key.Key_2, ALT)
    scorer = workspace.scorer
    assert _focused() is scorer
    row = scorer.rows[0]
    assert row.descriptor.isVisible() and row.descriptor.text() == row.criterion.description
    height = row.descriptor.height()
    _key(qtbot, Qt.Key.Key_1)
    level = next(lv for lv in row.criterion.levels if lv.points == row.level_for_digit(1))
    assert row.descriptor.isVisible() and level.description in row.descriptor.text()
    assert row.descriptor.height() == height, "room was made for every descriptor: scoring lays out nothing"

    _key(qtbot, Qt.Key.Key_D)
    for each in scorer.rows:
        assert each.details is not None and each.details.isVisible()
        text = each.details.text()
        assert each.criterion.description in text
        assert all(lv.description in text for lv in each.criterion.levels)
    _key(qtbot, Qt.Key.Key_D)
    assert not any(each.details is not None and each.details.isVisible() for each in scorer.rows)
    assert workspace.document.score(row.subtask.id, row.criterion.id) == level.points, "D scored nothing"


def _many_files(detail: Any) -> bool:
    kinds = {f.filename.rsplit(".", 1)[-1] for f in detail.files}
    return len(detail.files) >= 5 and {"log", "py"} <= kinds


def test_arrowing_selects_and_only_enter_or_a_pause_opens_without_errors(
    opened: Any, workspace: Any, services: Any, qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Item 13: arrows through the tree, at a typist's pace, fetch and open nothing; a pause opens the file the
    selection rests on (the focus stays in the tree); Enter on one file after another, faster than they load,
    logs no error (each superseded viewer went while its load still ran: "Internal C++ object already
    deleted")."""
    caplog.set_level(logging.WARNING)
    fetched: list[str] = []
    fetch = services.fetch_file

    async def counted(file: Any, progress: Any = None) -> Path:
        fetched.append(file.filename)
        return await fetch(file, progress)

    services.fetch_file = counted
    opened(_many_files, "five files with logs and code")
    evidence = workspace.evidence
    _key(qtbot, Qt.Key.Key_1, ALT)
    files = evidence.files
    count = len(evidence.file_items())
    evidence.open_pause.setInterval(60_000)  # however loaded the machine, no pause between these keys counts
    for _ in range(2):
        for key in [Qt.Key.Key_Down] * (count + 2) + [Qt.Key.Key_Up] * (count + 2):
            _key(qtbot, key)
            qtbot.wait(40)  # a typist's pace: the event loop runs between the keys
    assert evidence.viewer is None and fetched == [], "an arrow key opened a file"
    evidence.open_pause.setInterval(OPEN_PAUSE_MS)
    _key(qtbot, Qt.Key.Key_Down)
    item: QTreeWidgetItem = files.currentItem()
    resting = item.data(0, Qt.ItemDataRole.UserRole)
    qtbot.waitUntil(lambda: evidence.viewer is not None and bool(evidence.viewer.summary), timeout=10_000)
    assert evidence.viewer.filename == resting.filename and fetched == [resting.filename]
    assert _focused() is files

    for _ in range(2):
        for step in (Qt.Key.Key_Down,) * count + (Qt.Key.Key_Up,) * count:
            files.setFocus()
            _key(qtbot, step)
            _key(qtbot, Qt.Key.Key_Return)
            qtbot.wait(40)
    last = files.currentItem().data(0, Qt.ItemDataRole.UserRole)
    qtbot.waitUntil(lambda: evidence.viewer is not None and evidence.viewer.filename == last.filename)
    qtbot.waitUntil(lambda: bool(evidence.viewer.summary), timeout=10_000)
    qtbot.waitUntil(lambda: not evidence._loading)  # every superseded load has returned
    qtbot.wait(100)  # and its viewer's deletion has run
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    said = [r.getMessage() + ("".join(traceback.format_exception(*r.exc_info)) if r.exc_info else "") for r in problems]
    assert not problems, said


def test_the_viewer_takes_the_whole_workspace_and_pdfs_zoom(opened: Any, workspace: Any, qtbot: Any) -> None:
    """Item 20: Ctrl+Shift+F gives the viewer the workspace (again, or Esc, puts the panes back); in a PDF
    Ctrl++ and Ctrl+− zoom from the fitted width and Ctrl+0 fits the width again."""
    opened(_with_pdf_and_decisions, "a PDF, other files and decisions")
    viewer = _open_with_enter(workspace, qtbot, ".pdf")
    width = viewer.width()
    _key(qtbot, Qt.Key.Key_F, CTRL | SHIFT)
    qtbot.waitUntil(lambda: viewer.width() > width * 2)
    assert not workspace.scorer.isVisible() and not workspace.feedback.isVisible()
    assert not workspace.evidence.files.isVisible() and viewer.isAncestorOf(_focused())
    _key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: viewer.width() == width)
    assert workspace.scorer.isVisible() and workspace.feedback.isVisible() and workspace.evidence.files.isVisible()
    assert workspace.document is not None, "Esc restored the panes and left the review open"
    _key(qtbot, Qt.Key.Key_F, CTRL | SHIFT)
    _key(qtbot, Qt.Key.Key_F, CTRL | SHIFT)
    qtbot.waitUntil(lambda: viewer.width() == width)

    from PySide6.QtPdfWidgets import QPdfView

    fitted = viewer.shown_zoom()
    _key(qtbot, Qt.Key.Key_Plus, CTRL)
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert viewer.view.zoomFactor() == pytest.approx(fitted * 1.25, rel=0.01)
    assert viewer.zoom.text() == f"{viewer.view.zoomFactor():.0%}"
    _key(qtbot, Qt.Key.Key_Minus, CTRL)
    _key(qtbot, Qt.Key.Key_Minus, CTRL)
    assert viewer.view.zoomFactor() == pytest.approx(fitted / 1.25, rel=0.01)
    _key(qtbot, Qt.Key.Key_0, CTRL)
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitToWidth and viewer.zoom.text() == "Fit width"
