"""Text that fits at any text size (200 % included): a choice narrower than its longest item shows the chosen
item whole in its tooltip and its drop-down list, so shortening it on screen hides nothing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.ui.plain import plain_tooltip


def narrow_combo(combo: QComboBox, characters: int = 16) -> None:
    """Let ``combo`` be as narrow as ``characters`` characters (its longest item would otherwise set the width of
    the whole window); what it cannot show of the chosen item is in its tooltip, before the tooltip it had."""
    hint = combo.toolTip()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)

    def show_whole(text: str) -> None:
        combo.setToolTip(plain_tooltip("\n".join(part for part in (text, hint) if part)))

    combo.currentTextChanged.connect(show_whole)
    show_whole(combo.currentText())


def make_heading(label: QLabel, scale: float = 1.25) -> None:
    """Bold and ``scale`` times the label's text size, whatever that size is (a size in pixels or points in a
    style sheet would not follow the mentor's text size)."""
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)


def scrolling_layout(widget: QWidget) -> QVBoxLayout:
    """The layout for ``widget``'s content, inside a scroll area that fills ``widget``: a pane shorter than its
    content (200 % text on a small screen) scrolls instead of squeezing the content or the window's other parts."""
    content = QWidget(widget)
    scroll = QScrollArea(widget)
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    outer = QVBoxLayout(widget)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    return QVBoxLayout(content)


class _Placeholders(QObject):
    def __init__(self, field: QLineEdit, texts: tuple[str, ...]) -> None:
        super().__init__(field)
        self._field, self._texts = field, texts
        field.installEventFilter(self)
        self._choose()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self._choose()
        return False

    def _choose(self) -> None:
        field = self._field
        margins = field.textMargins()
        room = field.width() - margins.left() - margins.right() - 16  # the frame and the text's own margins
        if field.isClearButtonEnabled():
            room -= field.height()
        metrics = field.fontMetrics()
        fitting = (text for text in self._texts if metrics.horizontalAdvance(text) <= room)
        field.setPlaceholderText(next(fitting, self._texts[-1]))


def fitting_placeholder(field: QLineEdit, *texts: str) -> None:
    """Show the first of ``texts`` (longest first) that fits ``field``, chosen again whenever its width or font
    changes: a narrow field says less rather than an elided sentence."""
    _Placeholders(field, texts)


def scrolled_labels(parent: QWidget, *labels: QLabel, lines: int = 2, at_most: int | None = None) -> QWidget:
    """``labels`` one under the other in a box at least ``lines`` lines tall (and ``at_most`` lines, if given) that
    scrolls the rest: notes that can run long (every submit problem, a library's message) stay readable in a short
    panel at 200 % text."""
    box = QWidget(parent)
    layout = scrolling_layout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for label in labels:
        layout.addWidget(label)
    layout.addStretch(1)
    line = box.fontMetrics().lineSpacing()
    box.setMinimumHeight(line * lines)
    if at_most is not None:
        box.setMaximumHeight(line * at_most + 4)
    return box


class ElidedLabel(QLabel):
    """One line that may be narrower than its text (a status bar's last, least needed words at 200 % text): it
    draws the text elided, and keeps it whole in :meth:`text`, its accessible name and (while elided) its tooltip.
    Only for text the window also says elsewhere."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setAccessibleName(text)
        self._show_whole_when_elided()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_whole_when_elided()

    def _show_whole_when_elided(self) -> None:
        elided = self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()
        self.setToolTip(plain_tooltip(self.text()) if elided else "")

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("M…") * 4), hint.height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        area = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, area.width())
        painter = QPainter(self)
        painter.drawText(area, int(self.alignment()), shown)


def title_width(header: QHeaderView, column: int) -> int:
    """The width ``column``'s title needs in ``header`` (its font and margins), with room for the sort arrow only
    on the sorted column, the one that draws it."""
    width = header.sectionSizeFromContents(column).width()
    if header.isSortIndicatorShown() and column != header.sortIndicatorSection():
        style = header.style()
        width -= style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize) + style.pixelMetric(
            QStyle.PixelMetric.PM_HeaderMargin
        )
    return width


class _StretchFloor(QObject):
    def __init__(self, view: QTableView, column: int, least: Callable[[], int]) -> None:
        super().__init__(view)
        self._view, self._column, self._least = view, column, least
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._apply()
        return False

    def _apply(self) -> None:
        header = self._view.horizontalHeader()
        others = sum(
            header.sectionSize(c) for c in range(header.count()) if c != self._column and not header.isSectionHidden(c)
        )
        least = self._least()
        squeezed = self._view.viewport().width() - others < least
        mode = QHeaderView.ResizeMode.Interactive if squeezed else QHeaderView.ResizeMode.Stretch
        if header.sectionResizeMode(self._column) != mode:
            header.setSectionResizeMode(self._column, mode)
        if squeezed:
            header.resizeSection(self._column, least)


def stretch_at_least(view: QTableView, column: int, characters: int) -> None:
    """``column`` takes the width the others leave, but never less than ``characters`` characters nor its title:
    a narrower window (or 200 % text) scrolls the table sideways instead of squeezing it."""
    view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    _StretchFloor(
        view,
        column,
        lambda: max(view.fontMetrics().averageCharWidth() * characters, title_width(view.horizontalHeader(), column)),
    )
