"""The app's look from the preferences: light, dark or the desktop's scheme, and the font size.

"System" keeps the palette and style the desktop gave the app (a GNOME or KDE platform theme follows the desktop's
dark mode by itself) and asks Qt to follow the desktop's colour scheme. "Light" and "Dark" use the Fusion style
with a palette of their own, whose text/background pairs keep a contrast of at least 7:1 (WCAG AAA; selected
and placeholder text 4.5:1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from mentor_desk.domain.preferences import Preferences, Theme

Role, Group = QPalette.ColorRole, QPalette.ColorGroup

DARK_COLOURS = {
    Role.Window: "#303030", Role.WindowText: "#eeeeee", Role.Base: "#1e1e1e", Role.AlternateBase: "#292929",
    Role.Text: "#eeeeee", Role.Button: "#3c3c3c", Role.ButtonText: "#eeeeee", Role.BrightText: "#ffffff",
    Role.Highlight: "#3d6fb6", Role.HighlightedText: "#ffffff", Role.ToolTipBase: "#3c3c3c",
    Role.ToolTipText: "#eeeeee", Role.PlaceholderText: "#a8a8a8", Role.Link: "#8ab4f8", Role.LinkVisited: "#c58af9",
    Role.Light: "#5a5a5a", Role.Midlight: "#4a4a4a", Role.Mid: "#3a3a3a", Role.Dark: "#1a1a1a",
    Role.Shadow: "#000000",
}
DISABLED_DARK = {Role.WindowText: "#8c8c8c", Role.Text: "#8c8c8c", Role.ButtonText: "#8c8c8c"}
LIGHT_HIGHLIGHT = "#2f6db0"
ERROR_TEXT = {Theme.LIGHT: "#b02a37", Theme.DARK: "#ff8a80"}
"""Error text readable on the window's background of each scheme (≥ 4.5:1)."""


@dataclass(frozen=True)
class Tone:
    """A colour that says something (ready, blocked, waiting…), as a pair: one for the light scheme, one for the
    dark; text in it stays readable (≥ 4.5:1) on the window, the base and the alternate base of its scheme, and
    a background in it keeps the scheme's own text readable on it."""

    light: str
    dark: str

    def colour(self) -> QColor:
        """The colour for the scheme the app shows now."""
        app = QApplication.instance()
        return QColor(self.dark if isinstance(app, QApplication) and is_dark(app) else self.light)

    def name(self) -> str:
        """:meth:`colour` for a style sheet."""
        return self.colour().name()


GOOD = Tone("#1b6e33", "#7fd99a")
"""Ready, the same, agreed."""
CAUTION = Tone("#7a5a00", "#f0c95a")
"""Waiting, tentative."""
BAD = Tone(ERROR_TEXT[Theme.LIGHT], ERROR_TEXT[Theme.DARK])
"""Blocked, refused, to discuss."""
NEUTRAL = Tone("#4b5563", "#b8bec8")
"""Not enough to say, skipped."""
CHANGE = Tone("#a8380a", "#ffab70")
"""Different from what was expected."""
EXTRA = Tone("#1d4ed8", "#8ab4f8")
"""More than was expected."""
TEXT_TONES = (GOOD, CAUTION, BAD, NEUTRAL, CHANGE, EXTRA)
FLAGGED_CELL = Tone("#f4c7a1", "#6b3d14")
"""The background of a table cell that stands out (an outlying score), under the scheme's text colour."""


class _SchemeFollower(QObject):
    """Gives its widget the style sheet ``sheet()`` makes, again each time the application's palette changes (a
    theme chosen in the preferences while the widget is on screen: a widget with a style sheet of its own is not
    sent the palette change)."""

    def __init__(self, widget: QWidget, sheet: Callable[[], str]) -> None:
        super().__init__(widget)
        self._widget, self._sheet = widget, sheet
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.paletteChanged.connect(self.apply)  # disconnected when the widget (and this) is destroyed
        self.apply()

    def apply(self) -> None:
        text = self._sheet()
        if self._widget.styleSheet() != text:
            self._widget.setStyleSheet(text)


def follow_scheme(widget: QWidget, sheet: Callable[[], str]) -> Callable[[], None]:
    """Style ``widget`` with ``sheet()`` (colours of :class:`Tone`) now and whenever the light or dark scheme
    changes; returns a function that applies it again (when what ``sheet`` reads has changed)."""
    return _SchemeFollower(widget, sheet).apply


@dataclass
class _Desktop:
    """What the desktop gave the app before any preference was applied."""

    style: str
    palette: QPalette
    font: QFont


_desktop: _Desktop | None = None


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK_COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role, colour in DISABLED_DARK.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def light_palette(standard: QPalette) -> QPalette:
    """Fusion's light palette, with a selection dark enough for white text (Fusion's own gives 3.7:1)."""
    standard.setColor(Role.Highlight, QColor(LIGHT_HIGHLIGHT))
    return standard


def apply_appearance(app: QApplication, prefs: Preferences) -> None:
    """Apply the theme and font size of ``prefs`` to the whole app (at start and when they change)."""
    global _desktop
    if _desktop is None:
        _desktop = _Desktop(app.style().name(), app.palette(), app.font())
    hints = app.styleHints()
    if prefs.theme is Theme.SYSTEM:
        hints.unsetColorScheme()
        app.setStyle(_desktop.style)
        app.setPalette(_desktop.palette)
    else:
        hints.setColorScheme(Qt.ColorScheme.Dark if prefs.theme is Theme.DARK else Qt.ColorScheme.Light)
        fusion = QStyleFactory.create("Fusion")
        app.setStyle(fusion)
        app.setPalette(dark_palette() if prefs.theme is Theme.DARK else light_palette(fusion.standardPalette()))
    font = QFont(_desktop.font)
    if prefs.font_size:
        font.setPointSize(prefs.font_size)
    app.setFont(font)


def is_dark(app: QApplication) -> bool:
    """Whether the app shows light text on a dark background now (whatever chose it)."""
    return app.palette().color(Role.Window).lightness() < app.palette().color(Role.WindowText).lightness()


def error_colour() -> str:
    """The colour of error text on the current scheme's window background."""
    app = QApplication.instance()
    dark = isinstance(app, QApplication) and is_dark(app)
    return ERROR_TEXT[Theme.DARK if dark else Theme.LIGHT]
