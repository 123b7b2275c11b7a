"""Presenter mode for the room's projector: full screen on a chosen screen, large type, high contrast.

The learner's identity is replaced by an anonymous label. Right/Left (or Space/Backspace, Page Down/Up) move
criterion by criterion; Esc closes. Each criterion shows every member's score, the median and mean, the spread
and the criterion's α, and draws the spread on the rubric's scale (:class:`SpreadChart`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QPen, QScreen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from mentor_desk.domain.agreement import AgreementReport, CriterionSpread

BACKGROUND = QColor("#000000")
FOREGROUND = QColor("#ffffff")
ACCENT = QColor("#ffd400")  # yellow on black: the highest-contrast colour pair after white
MEDIAN = QColor("#00e5ff")
STYLE = (
    "QWidget#presenter { background: #000000; }"
    "QLabel { color: #ffffff; background: transparent; }"
    "QLabel#presenterTitle { color: #ffd400; }"
)


class SpreadChart(QWidget):
    """The members' scores on the rubric's scale: one labelled dot each, the median as a line, the range as a bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spreadChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(200)
        self.spread: CriterionSpread | None = None
        self.scale = (0.0, 4.0)
        self.labels: dict[str, str] = {}

    def show_spread(self, spread: CriterionSpread, scale: tuple[float, float], labels: dict[str, str]) -> None:
        self.spread, self.scale, self.labels = spread, scale, labels
        self.update()

    def x_of(self, value: float) -> float:
        low, high = self.scale
        margin = self.width() * 0.08
        width = self.width() - 2 * margin
        return margin + (value - low) / (high - low or 1) * width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), BACKGROUND)
        if self.spread is None:
            return
        low, high = self.scale
        axis_y = self.height() * 0.7
        font = QFont(self.font())
        font.setPixelSize(max(14, self.height() // 12))
        painter.setFont(font)
        painter.setPen(QPen(FOREGROUND, 4))
        painter.drawLine(QPointF(self.x_of(low), axis_y), QPointF(self.x_of(high), axis_y))
        step = 1.0 if high - low <= 10 else (high - low) / 10
        tick = low
        while tick <= high + 1e-9:
            x = self.x_of(tick)
            painter.drawLine(QPointF(x, axis_y - 10), QPointF(x, axis_y + 10))
            painter.drawText(QRectF(x - 40, axis_y + 14, 80, font.pixelSize() * 1.5),
                             Qt.AlignmentFlag.AlignHCenter, f"{tick:g}")
            tick += step
        spread = self.spread
        bar = QRectF(QPointF(self.x_of(spread.low), axis_y - 18), QPointF(self.x_of(spread.high), axis_y + 18))
        painter.fillRect(bar, QColor(255, 212, 0, 110))
        painter.setPen(QPen(MEDIAN, 5, Qt.PenStyle.DashLine))
        median_x = self.x_of(spread.median)
        painter.drawLine(QPointF(median_x, self.height() * 0.08), QPointF(median_x, axis_y + 24))
        radius = max(8.0, self.height() / 30)
        lane = max(radius * 2 + 8, font.pixelSize() * 1.6)
        for row, (member, score) in enumerate(sorted(spread.scores.items(), key=lambda item: item[1])):
            centre = QPointF(self.x_of(score), axis_y - 40 - row * lane)
            painter.setPen(QPen(BACKGROUND, 2))
            painter.setBrush(ACCENT)
            painter.drawEllipse(centre, radius, radius)
            painter.setPen(FOREGROUND)
            label = self.labels.get(member, member)
            text_width = painter.fontMetrics().horizontalAdvance(label) + 8
            on_the_left = centre.x() + radius + text_width > self.width()
            left = centre.x() - radius - text_width if on_the_left else centre.x() + radius + 6
            align = Qt.AlignmentFlag.AlignRight if on_the_left else Qt.AlignmentFlag.AlignLeft
            painter.drawText(QRectF(left, centre.y() - lane / 2, text_width, lane),
                             align | Qt.AlignmentFlag.AlignVCenter, label)
        painter.end()


class PresenterWindow(QWidget):
    """The comparison, one criterion at a time, for the room. ``moved(index)`` after each step."""

    moved = Signal(int)

    def __init__(self, report: AgreementReport, anonymous_label: str, scales: dict[str, tuple[float, float]],
                 subtask_titles: dict[str, str], member_labels: Sequence[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presenter")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setWindowTitle(self.tr("Presenting {learner}").format(learner=anonymous_label))
        self.report = report
        self.scales = scales
        self.subtask_titles = subtask_titles
        members = sorted({m for c in report.criteria for m in c.scores})
        names = list(member_labels) if member_labels else members
        self.member_labels = dict(zip(members, names, strict=False))
        self.index = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        self.title = QLabel(anonymous_label, self)
        self.title.setObjectName("presenterTitle")
        self.heading = QLabel(self)
        self.heading.setObjectName("presenterHeading")
        self.figures = QLabel(self)
        self.figures.setObjectName("presenterFigures")
        self.overall = QLabel(self)
        self.overall.setObjectName("presenterOverall")
        for label in (self.title, self.heading, self.figures, self.overall):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self.chart = SpreadChart(self)
        layout.addWidget(self.title)
        layout.addWidget(self.heading)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.figures)
        layout.addWidget(self.overall)
        self._size_type(1080)
        self.show_criterion(0)

    def _size_type(self, screen_height: int) -> None:
        """Large type: readable from the back of a room (the body a 24th of the screen's height)."""
        body = max(18, screen_height // 24)
        for label, factor in ((self.title, 1.1), (self.heading, 1.4), (self.figures, 1.0), (self.overall, 0.8)):
            font = QFont(self.font())
            font.setPixelSize(int(body * factor))
            font.setBold(label is not self.figures)
            label.setFont(font)

    def present_on(self, screen: QScreen) -> None:
        """Full screen on ``screen`` (the projector)."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self._size_type(screen.geometry().height())
        self.showFullScreen()

    @property
    def count(self) -> int:
        return len(self.report.criteria)

    def show_criterion(self, index: int) -> None:
        if not self.report.criteria:
            self.heading.setText(self.tr("No scores to show."))
            return
        self.index = max(0, min(index, self.count - 1))
        spread = self.report.criteria[self.index]
        subtask = self.subtask_titles.get(spread.subtask_id, spread.subtask_id)
        self.heading.setText(f"{self.index + 1} / {self.count} · {subtask} — {spread.criterion_title}")
        per = self.report.of(spread)
        scores = "   ".join(f"{self.member_labels.get(m, m)}: {v:g}" for m, v in spread.scores.items())
        figures = self.tr("{scores}\nMedian {median} · mean {mean} · spread {spread}").format(
            scores=scores, median=f"{spread.median:g}", mean=f"{spread.mean:.2f}", spread=f"{spread.spread:g}"
        )
        self.figures.setText(figures + (f" · {per.interval.describe()}" if per else ""))
        overall = self.tr("Whole panel — points (interval): {interval} · levels (ordinal): {ordinal}")
        self.overall.setText(
            overall.format(interval=self.report.interval.describe(), ordinal=self.report.ordinal.describe())
        )
        self.chart.show_spread(spread, self.scales.get(spread.rubric_id, (0.0, 4.0)), self.member_labels)
        self.moved.emit(self.index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Down):
            self.show_criterion(self.index + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Backspace, Qt.Key.Key_PageUp, Qt.Key.Key_Up):
            self.show_criterion(self.index - 1)
        elif key == Qt.Key.Key_Home:
            self.show_criterion(0)
        elif key == Qt.Key.Key_End:
            self.show_criterion(self.count - 1)
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)
