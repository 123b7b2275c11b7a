"""Colours that say something (the Tier-5 board's readiness, the meeting's agreement and outlying scores) stay
readable in the light and the dark theme: each is a light/dark pair chosen when shown, tested by contrast."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from mentor_desk.domain.agreement import AgreementReport, Alpha, CriterionSpread
from mentor_desk.domain.preferences import Preferences, Theme
from mentor_desk.ui.meetings.compare import CompareView
from mentor_desk.ui.theme import FLAGGED_CELL, TEXT_TONES, apply_appearance
from mentor_desk.ui.tier5.model import Column
from tests.ui.test_theme import app, contrast  # noqa: F401  (app: the theme given back afterwards)
from tests.ui.test_tier5_board import open_board

Role = QPalette.ColorRole
BACKGROUNDS = (Role.Window, Role.Base, Role.AlternateBase)
READABLE = 4.5


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_every_status_colour_is_readable_on_the_themes_backgrounds(app, theme) -> None:  # noqa: F811
    apply_appearance(app, Preferences(theme=theme))
    palette = app.palette()
    for tone in TEXT_TONES:
        for background in BACKGROUNDS:
            ratio = contrast(tone.colour(), palette.color(background))
            assert ratio >= READABLE, (theme, tone, background, round(ratio, 2))
    assert contrast(palette.color(Role.Text), FLAGGED_CELL.colour()) >= READABLE


def test_the_tier5_boards_status_words_are_readable_in_the_dark_theme(
    app, shell, sandbox, run, until, qtbot  # noqa: F811
) -> None:
    apply_appearance(app, Preferences(theme=Theme.DARK))
    _window, board = open_board(shell, run, until, qtbot, sandbox.url)
    base = QApplication.palette().color(Role.Base)
    coloured = 0
    for row in range(board.model.rowCount()):
        for column in (Column.APPROVAL, Column.MISSING):
            brush = board.model.index(row, column).data(Qt.ItemDataRole.ForegroundRole)
            if brush is not None:
                coloured += 1
                assert contrast(brush.color(), base) >= READABLE, (row, column, brush.color().name())
    assert coloured > 0


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_the_meetings_agreement_and_outliers_are_readable(app, theme, qtbot) -> None:  # noqa: F811
    apply_appearance(app, Preferences(theme=theme))
    view = CompareView()
    qtbot.addWidget(view)
    spread = CriterionSpread("s1", "r1", "c1", "Containment", {"Maya": 4, "Lena": 1, "Arjun": 4}, 4)
    for value in (0.9, 0.7, 0.1, None):  # good, tentative, discuss, not enough ratings
        report = AgreementReport(criteria=(spread,), interval=Alpha(value, "interval", 3))
        view.show_report(report, ["Maya", "Lena", "Arjun"], {"s1": "Contain"})
        view.show()
        view.alpha.ensurePolished()
        shown = view.alpha.palette().color(Role.WindowText)
        assert contrast(shown, app.palette().color(Role.Window)) >= READABLE, (theme, value, shown.name())
    assert view.outlier_cells() == [(0, "Lena")]
    flagged = view.table.item(0, 3)
    assert flagged.text() == "1 ⚠"
    assert contrast(flagged.background().color(), view.table.palette().color(Role.Text)) >= READABLE


def test_a_shown_agreement_line_takes_the_new_themes_colour(app, qtbot) -> None:  # noqa: F811
    apply_appearance(app, Preferences(theme=Theme.LIGHT))
    view = CompareView()
    qtbot.addWidget(view)
    spread = CriterionSpread("s1", "r1", "c1", "Containment", {"Maya": 4, "Lena": 1}, 4)
    view.show_report(AgreementReport(criteria=(spread,), interval=Alpha(0.9, "interval", 2)), ["Maya", "Lena"], {})
    view.show()
    apply_appearance(app, Preferences(theme=Theme.DARK))  # chosen in the preferences while the meeting is open

    def readable() -> bool:
        return contrast(view.alpha.palette().color(Role.WindowText), app.palette().color(Role.Window)) >= READABLE

    qtbot.waitUntil(readable)  # the application's palette change is posted: it arrives from the event loop
