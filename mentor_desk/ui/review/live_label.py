"""A label for text that changes on every keystroke (live scores) without re-laying out the window.

``QLabel.setText`` always asks its parent layout for a new geometry, and that request climbs to the top of the
workspace: re-laying out and repainting every pane cost a scoring keystroke most of its time. Here the QLabel
is pinned to a fixed size inside a holder, so a new text only repaints the label; the holder asks for a new
height only when the text needs more or fewer lines, and never for a text among those it was told to make room
for (:meth:`LiveLabel.make_room_for`).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class LiveLabel(QWidget):
    """Plain text, as wide as its layout makes it; ``label`` is the QLabel inside (style it by object name)."""

    def __init__(self, object_name: str, parent: QWidget | None = None, *, word_wrap: bool = False) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName(object_name)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(word_wrap)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._room: tuple[str, ...] = ()
        self._fit()

    def make_room_for(self, texts: tuple[str, ...]) -> None:
        """Be as tall as the tallest of ``texts`` always, so that showing any of them lays out nothing."""
        self._room = texts
        self._fit()

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:
        if text != self.label.text():
            self.label.setText(text)
            self._fit()

    def set_state(self, name: str, value: str) -> None:
        """Set a dynamic property the style sheet selects on (``[state="pass"]``) and restyle the label."""
        if self.label.property(name) != value:
            self.label.setProperty(name, value)
            self.label.style().unpolish(self.label)
            self.label.style().polish(self.label)
            self._fit()

    def sizeHint(self) -> QSize:
        return QSize(self.label.fontMetrics().horizontalAdvance(self.label.text()), self._height(max(self.width(), 1)))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._height(max(self.width(), 1)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _height(self, width: int) -> int:
        """The label's height at ``width``, from the font (the pinned label's own hints are capped by its
        current fixed width)."""
        label = self.label
        margins = label.contentsMargins()  # style-sheet padding included
        inner = max(1, width - margins.left() - margins.right() - 2 * label.margin())
        flags = Qt.TextFlag.TextWordWrap if label.wordWrap() else Qt.AlignmentFlag.AlignLeft
        text = max(
            label.fontMetrics().boundingRect(QRect(0, 0, inner, 1 << 20), flags, each or " ").height()
            for each in (label.text(), *self._room)
        )
        return text + margins.top() + margins.bottom() + 2 * label.margin()

    def _fit(self) -> None:
        width = self.width()
        height = self._height(max(width, 1))
        self.label.setFixedSize(width, height)  # pinned: its own geometry requests stop here
        if self.height() != height:
            self.setFixedHeight(height)  # only when the text takes more or fewer lines
