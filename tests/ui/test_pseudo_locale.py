"""The pseudo-locale: the translation pipeline run over the current sources (pyside6-lupdate, the accented and
40 % longer catalogue, pyside6-lrelease) and loaded as the app loads a language; then every string the
translated screens show must be the pseudo one (not through tr(): still English) and fit (not clipped)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QToolBar,
    QWidget,
)

from mentor_desk.services.session import sign_in_to
from mentor_desk.ui.main_window import WINDOW_ACTIONS
from mentor_desk.ui.preferences import PreferencesDialog
from mentor_desk.ui.signin import SignInDialog
from mentor_desk.ui.translations import install_translators
from scripts.pseudo_locale import GROWTH, pseudo, pseudo_catalogue
from tests.ui.meetings.test_in_room import desk_v1  # noqa: F401  (an OCH v1 desk: client, store and engine)
from tests.ui.meetings.test_meetings_page import seats  # noqa: F401  (a lead's and two members' desks, layer B)
from tests.ui.test_queue_keys import active_window
from tests.ui.test_queue_updates import window  # noqa: F401  (a main window over a real store)

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent
LETTERS = re.compile(r"[A-Za-z]{2}")
QT_OWN = {"OK", "&OK", "Cancel", "&Cancel", "Press shortcut"}
"""Qt's own words, translated by Qt's catalogues (qtbase_<language>.qm), which have no pseudo-locale."""


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pseudo-locale of the sources as they are now, compiled into a folder of its own."""
    folder = tmp_path_factory.mktemp("translations")
    sources = sorted(str(p) for p in (ROOT / "mentor_desk").rglob("*.py") if "sandbox" not in p.parts)
    template, pseudo_ts = folder / "mentor_desk.ts", folder / "mentor_desk_pseudo.ts"
    subprocess.run([TOOLS / "pyside6-lupdate", "-silent", *sources, "-ts", template], check=True, timeout=120)
    assert pseudo_catalogue(template, pseudo_ts) > 50
    subprocess.run([TOOLS / "pyside6-lrelease", "-silent", pseudo_ts, "-qm", folder / "mentor_desk_pseudo.qm"],
                   check=True, timeout=120)
    return folder


@pytest.fixture
def pseudo_locale(catalogue: Path) -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(app, "pseudo", catalogue)
    assert any(t.filePath().endswith("mentor_desk_pseudo.qm") for t in translators)
    yield
    for translator in translators:
        app.removeTranslator(translator)


def shown_texts(root: QWidget) -> Iterator[str]:
    """Every string a person reads on ``root``: labels, buttons, titles, placeholders, tabs, items, headers,
    tooltips and actions."""
    for widget in (root, *root.findChildren(QWidget)):
        if widget.isWindow():
            yield widget.windowTitle()
        if isinstance(widget, QLabel | QAbstractButton):
            yield widget.text()
        if isinstance(widget, QLineEdit) and not widget.isReadOnly():
            yield widget.placeholderText()
        if isinstance(widget, QAbstractSpinBox):
            yield widget.specialValueText()
        if isinstance(widget, QGroupBox):
            yield widget.title()
        if isinstance(widget, QTabWidget):
            yield from (widget.tabText(i) for i in range(widget.count()))
        if isinstance(widget, QComboBox) and not widget.isEditable():
            yield from (widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            yield from (str(model.headerData(column, Qt.Orientation.Horizontal) or "")
                        for column in range(model.columnCount()))
        yield widget.toolTip()
    for action in root.findChildren(QAction):
        yield action.text()


def untranslated(root: QWidget, *, data: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """The words on ``root`` that are not the pseudo-locale's: they did not go through tr(). ``data``: texts
    that are the mentor's data (paths, addresses), not words of the app."""
    return sorted({
        text for text in shown_texts(root)
        if LETTERS.search(text) and "[" not in text and text not in data
    })


def clipped(root: QWidget) -> list[str]:
    """Visible one-line labels and buttons narrower than their text."""
    return [
        widget.text() for widget in root.findChildren(QLabel) + root.findChildren(QAbstractButton)
        if widget.isVisible() and widget.text() and not (isinstance(widget, QLabel) and widget.wordWrap())
        and widget.width() < widget.sizeHint().width()
    ]


def test_the_pseudo_locale_is_accented_bracketed_and_longer() -> None:
    text = pseudo("&Refresh {count} reviews of %1")
    assert text.startswith("[&Ŕéƒŕéšĥ {count} ŕéṽîéŵš öƒ %1") and text.endswith("]")
    assert len(text) >= GROWTH * len("&Refresh {count} reviews of %1")


def test_the_sign_in_dialog_speaks_the_pseudo_locale(pseudo_locale, settings, qtbot) -> None:
    dialog = SignInDialog(settings, sign_in_to)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    examples = {"https://och.example.org", "you@example.org"}  # addresses, in any language
    assert untranslated(dialog, data={dialog.server_box.currentText(), *examples, *QT_OWN}) == []
    assert clipped(dialog) == []


def test_the_preferences_speak_the_pseudo_locale(pseudo_locale, qtbot, tmp_path) -> None:
    from mentor_desk.domain.preferences import Preferences

    dialog = PreferencesDialog(Preferences(), WINDOW_ACTIONS, str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert untranslated(dialog, data=QT_OWN) == []
    for page in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(page)
        assert clipped(dialog) == []


def test_the_main_windows_actions_and_status_speak_the_pseudo_locale(pseudo_locale, shell, sandbox, run, until) -> None:
    main = active_window(shell, run, until, sandbox.url)
    assert all("[" in action.text() for action in main.actions_by_name.values())
    main.set_outbox(3, 1)
    main.set_last_sync(None)
    assert untranslated(main.statusBar(), data={main.status_user.text()}) == []
    assert untranslated(main.banner) == []
    assert untranslated(main.findChild(QToolBar, "mainToolbar")) == []
    main.show_outbox()
    assert untranslated(main.sync_panel) == []


def test_the_last_sync_time_is_shown_in_the_users_locale(window) -> None:  # noqa: F811
    from datetime import datetime

    from PySide6.QtCore import QLocale

    win, _store, _reads = window
    when = datetime(2026, 12, 4, 14, 5).astimezone()
    try:
        QLocale.setDefault(QLocale("en_US"))
        win.set_last_sync(when)
        assert win.status_last_sync.text().replace("\u202f", " ") == "Last sync 2:05 PM"
        QLocale.setDefault(QLocale("de_DE"))
        win.set_last_sync(when)
        assert win.status_last_sync.text() == "Last sync 14:05"
    finally:
        QLocale.setDefault(QLocale.system())


def test_the_queue_page_speaks_the_pseudo_locale(pseudo_locale, window, qtbot) -> None:  # noqa: F811
    win, _store, _reads = window
    win.resize(1400, 800)
    win.show()
    qtbot.waitExposed(win)
    queue = win.queue
    assert untranslated(queue) == []
    assert clipped(queue) == []
    assert all("[" in queue.view_box.itemText(i) for i in range(queue.view_box.count()))
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    queue.table.setFocus()
    qtbot.waitUntil(queue.table.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is queue.search
    qtbot.keyClicks(QApplication.focusWidget(), "zzz-no-such-review")
    qtbot.waitUntil(lambda: queue.pages.currentWidget() is queue.empty)
    assert "[" in queue.empty.text() and "[" in queue.match_count.text()
    sla = queue.facet_buttons["sla"]
    sla.menu().aboutToShow.emit()
    assert untranslated(sla) == []


def test_the_conflict_dialog_speaks_the_pseudo_locale(pseudo_locale, qtbot) -> None:
    from tests.ui.test_conflict_dialog import open_dialog, unsent

    mine = {"decision": "approve", "feedback_written": "Mine.", "subtask_scores": {"s1": {"c1": 3}},
            "feedback_per_subtask": {"s1": "Mine."}, "decision_annotations": {"d1": {"verdict": "acceptable"}},
            "attempt": 2, "base_version": 2}
    theirs = {"decision": "revise", "feedback_written": "Theirs.", "subtask_scores": {"s1": {"c1": 2}},
              "status": "revision_requested", "attempt": 2, "version": 3, "reviewer": "Lee",
              "history": [{"attempt": 1, "status": "revision_requested"}]}
    dialog = open_dialog(qtbot, unsent(mine, theirs), {"s1": "Triage", "c1": "Scope", "d1": "Isolate"})
    assert untranslated(dialog, data=QT_OWN) == []
    cells = dialog.table
    fields = [cells.item(row, dialog.FIELD).text() for row in range(cells.rowCount())]
    assert len(fields) > 10 and all("[" in field for field in fields), fields
    assert all("[" in cells.item(row, dialog.SAME).text() for row in range(cells.rowCount())
               if cells.item(row, dialog.SAME).text())
    assert clipped(dialog) == []


def test_the_tier5_board_speaks_the_pseudo_locale(pseudo_locale, shell, sandbox, run, until, qtbot) -> None:
    from tests.ui.test_tier5_board import open_board

    _window, board = open_board(shell, run, until, qtbot, sandbox.url)
    tracks = {board.track_box.itemText(i) for i in range(1, board.track_box.count())}
    data = {*tracks, board.learner_title.text(), board.checklist.text(), board.note.text()}
    assert untranslated(board, data=data) == []
    assert clipped(board) == []
    from mentor_desk.ui.tier5.model import Column as BoardColumn
    from mentor_desk.ui.tier5.sign_off import SignOffDialog

    approvals = [board.model.index(row, BoardColumn.APPROVAL).data() for row in range(board.model.rowCount())]
    assert approvals and all("[" in text for text in approvals), approvals

    for row in board.model.rows()[:2]:
        dialog = SignOffDialog(row, board)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert untranslated(dialog, data=QT_OWN | {dialog.confirm.toolTip()}) == []
        lines = dialog.checklist.text().splitlines()
        readiness = len(row.readiness.lines)  # the platform's words, in its language
        assert all("[" in line for line in lines[:1] + lines[1 + readiness:]), lines
        assert clipped(dialog) == []
        dialog.close()

    board.table.setFocus()
    qtbot.keyClick(board.table, Qt.Key.Key_M)
    until(lambda: board.mastery_dialog is not None and board.mastery_dialog.isVisible())
    record = board.mastery_dialog
    heading = record.findChildren(QLabel)[0].text()  # the learner and their track
    assert untranslated(record, data={heading}) == []
    assert clipped(record) == []
    record.close()


def test_the_meetings_speak_the_pseudo_locale(pseudo_locale, shell, sandbox, run, until, qtbot) -> None:
    from mentor_desk.domain.agreement import AgreementReport, Alpha, CriterionSpread
    from mentor_desk.ui.meetings.compare import CompareView
    from mentor_desk.ui.meetings.page import MeetingsPage
    from mentor_desk.ui.meetings.setup import SetupDialog

    main = active_window(shell, run, until, sandbox.url)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, ctrl_shift)
    until(lambda: isinstance(main.pages.currentWidget(), MeetingsPage))
    page = main.pages.currentWidget()
    until(lambda: bool(page.live.text()))
    assert untranslated(page) == []
    assert clipped(page) == []
    run(main.flush_drafts())  # the page stops following the platform before the store closes

    setup = SetupDialog([("r1", "Capstone: Lee")], [(7, "Maya")], networked=True)
    qtbot.addWidget(setup)
    setup.show()
    qtbot.waitExposed(setup)
    assert untranslated(setup, data={"Capstone: Lee", setup.review.toolTip(), *QT_OWN}) == []
    assert clipped(setup) == []

    members = ["Maya", "Lena"]
    compare = CompareView()
    qtbot.addWidget(compare)
    spread = CriterionSpread("s1", "r1", "c1", "Containment", {"Maya": 4, "Lena": 1}, 4)
    compare.show_report(AgreementReport(criteria=(spread,), interval=Alpha(0.9, "interval", 2)), members, {})
    compare.show()
    assert untranslated(compare, data=set(members)) == []
    assert "[" in compare.alpha.text() and "[" in compare.tolerance.suffix()


def test_the_in_room_meeting_speaks_the_pseudo_locale(pseudo_locale, desk_v1, qtbot, run, tmp_path) -> None:  # noqa: F811
    from mentor_desk.domain.status import is_awaiting_mentor
    from mentor_desk.services.account import Account
    from mentor_desk.services.meetings import MeetingService
    from mentor_desk.services.reviews import PlatformReviews
    from mentor_desk.ui.meetings.room import InRoomMeeting

    client, store, engine = desk_v1
    run(engine.sync_once())
    item = [i for i in run(client.fetch_queue()) if i.kind == "mission" and is_awaiting_mentor(i.status)][-1]
    account = Account(store, server=client.server_url, mode="och-v1", user_name="Daniel")
    account.connect(client, engine)
    review = run(PlatformReviews(account, tmp_path).open_review(item.id))
    meeting = InRoomMeeting(review, "Daniel", MeetingService(client, store, engine).deliver_review)
    qtbot.addWidget(meeting)
    meeting.resize(1300, 900)
    meeting.show()
    meeting.activateWindow()
    qtbot.waitUntil(meeting.isActiveWindow)
    setup = meeting.steps.currentWidget()
    assert untranslated(setup) == [] and clipped(setup) == []
    assert "[" in meeting.title.text()
    meeting.names.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "Maya, Lena")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    pane = meeting.pane
    assert pane is not None and "[" in meeting.turn.text()
    shown = [pane.heading.text(), pane.comment.placeholderText(), pane.submit.text()]
    assert all("[" in text for text in shown), shown
    qtbot.keyClick(pane.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # nothing scored yet
    assert "[" in pane.error.text()

    for _member in ("Maya", "Lena"):
        pane = meeting.pane
        assert pane is not None
        pane.scorer.setFocus()
        for _ in pane.scorer.rows:
            qtbot.keyClick(pane.scorer, "2")
        qtbot.keyClick(pane.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        QApplication.processEvents()
    assert meeting.pane is None and "[" in meeting.turn.text() and "[" in meeting.submitted.text()
    meeting.waiting.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(meeting.waiting, Qt.Key.Key_R, ctrl_shift)
    panel = meeting.revealed
    assert meeting.steps.currentWidget() is panel
    screens = {panel.screen_choice.itemText(i) for i in range(panel.screen_choice.count())}
    assert untranslated(panel, data={"Maya", "Lena", *screens}) == []
    assert "[" in panel.editor.total.text()


def test_a_networked_meeting_speaks_the_pseudo_locale(pseudo_locale, seats, qtbot, run) -> None:  # noqa: F811
    from mentor_desk.domain.status import ReviewStatus, parse_status
    from tests.ui.meetings.test_meetings_page import _page

    lead, maya = seats["lead"], seats["maya"]
    capstone = next(i for i in run(maya.client.fetch_queue())
                    if i.kind == "capstone" and parse_status(i.status) is ReviewStatus.MENTOR_REVIEW)
    meeting = run(lead.service.create(capstone.id, [maya.my_id, seats["lena"].my_id]))
    page = _page(maya, qtbot)
    view = run(page.open_meeting(meeting.id))
    assert view.pane is not None, "a panel member scores"
    texts = [view.state.text(), view.reveal_button.text(), view.pane.heading.text()]
    texts += [str(view.panel.model().headerData(c, Qt.Orientation.Horizontal)) for c in range(2)]
    texts += [view.panel.item(row, 1).text() for row in range(view.panel.rowCount())]
    assert all("[" in text for text in texts), texts
    run(page.stop())


def test_the_presenter_speaks_the_pseudo_locale(pseudo_locale, qtbot) -> None:
    from mentor_desk.domain.agreement import AgreementReport, Alpha, CriterionSpread
    from mentor_desk.ui.meetings.presenter import PresenterWindow

    spread = CriterionSpread("s1", "r1", "c1", "Containment", {"Maya": 4, "Lena": 1}, 4)
    presenter = PresenterWindow(AgreementReport(criteria=(spread,), interval=Alpha(0.9, "interval", 2)),
                                "Learner 7F3A21 · Triage", {"r1": (0.0, 4.0)}, {"s1": "Contain"})
    qtbot.addWidget(presenter)
    assert "[" in presenter.windowTitle() and "[" in presenter.figures.text() and "[" in presenter.overall.text()
    empty = PresenterWindow(AgreementReport(), "Learner 7F3A21 · Triage", {}, {})
    qtbot.addWidget(empty)
    assert "[" in empty.heading.text()
