"""The light and dark themes keep text readable: WCAG contrast of each text colour on its background."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from mentor_desk.domain.preferences import Preferences, Theme
from mentor_desk.ui.theme import apply_appearance, error_colour, is_dark

Role = QPalette.ColorRole
PAIRS = [  # text on the background it is drawn on, and the contrast it needs
    (Role.WindowText, Role.Window, 7.0),
    (Role.Text, Role.Base, 7.0),
    (Role.Text, Role.AlternateBase, 7.0),
    (Role.ButtonText, Role.Button, 7.0),
    (Role.HighlightedText, Role.Highlight, 4.5),
    (Role.ToolTipText, Role.ToolTipBase, 7.0),
    (Role.PlaceholderText, Role.Base, 4.5),
]


def contrast(a: QColor, b: QColor) -> float:
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def app():
    application = QApplication.instance()
    assert isinstance(application, QApplication)
    yield application
    apply_appearance(application, Preferences())


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_text_keeps_its_contrast_in_both_themes(app, theme, qtbot) -> None:
    apply_appearance(app, Preferences(theme=theme, font_size=15))
    palette = app.palette()
    for text, background, needed in PAIRS:
        ratio = contrast(palette.color(text), palette.color(background))
        assert ratio >= needed, (theme, text, background, round(ratio, 2))
    assert is_dark(app) is (theme is Theme.DARK)
    assert contrast(QColor(error_colour()), palette.color(Role.Window)) >= 4.5
    label = QLabel("a widget made now")
    qtbot.addWidget(label)
    assert label.font().pointSize() == 15


def test_following_the_desktop_gives_back_its_palette_and_font(app) -> None:
    desktop_window, desktop_size = app.palette().color(Role.Window), app.font().pointSize()
    apply_appearance(app, Preferences(theme=Theme.DARK, font_size=desktop_size + 6))
    apply_appearance(app, Preferences())
    assert app.palette().color(Role.Window) == desktop_window and app.font().pointSize() == desktop_size
