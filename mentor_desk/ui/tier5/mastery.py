"""A learner's mastery record (``M`` on the Tier-5 board): missions with scores across attempts, time, hints
and divergence from the ideal path; every subtask and criterion score; a chart of the mission scores; exported
as a PDF a lead mentor can file (Qt's own PDF writer, in a worker thread) and as CSV.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QMarginsF, QRect, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPaintEvent, QPen, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.mastery import MasteryRecord, MissionRecord, ScoreLine
from mentor_desk.domain.words import stage_title, track_title
from mentor_desk.services.tier5 import FAILURES, Tier5Services
from mentor_desk.ui.background import BackgroundTasks
from mentor_desk.ui.fit import make_heading
from mentor_desk.ui.pdf_file import pdf_writer
from mentor_desk.ui.plain import isolate, plain_label, printable

PASS_LINE = 70.0
MISSION_COLUMNS = (
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Mission")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Kind")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Status")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Attempt")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Score")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Scores by attempt")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "AI")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Time (min)")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Hints")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Off the ideal path")),
)
LINE_COLUMNS = (
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Mission")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Attempt")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Stage")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Subtask")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Criterion")),
    str(QT_TRANSLATE_NOOP("MasteryDialog", "Score")),
)
"""The tables' titles in English, as the PDF has them; the dialog shows them translated."""
CHART_SIZE = QSize(900, 320)
PDF_STYLE = "body { font-size: 8pt; } h1 { font-size: 14pt; } h2 { font-size: 11pt; } td, th { font-size: 7pt; }"
_BAR = QColor("#3a6ea5")
_EARLIER = QColor("#a9c1dd")
_LINE = QColor("#b02a37")


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def mission_cells(mission: MissionRecord) -> list[str]:
    attempts = ", ".join(f"#{attempt}: {score:.1f}" for attempt, score in mission.attempt_scores)
    return [
        mission.title,
        mission.kind,
        mission.status.replace("_", " "),
        str(mission.attempt),
        _score(mission.mentor_score),
        attempts,
        _score(mission.ai_score),
        f"{mission.minutes:g}",
        str(mission.hints),
        f"{mission.divergent} of {mission.decisions}",
    ]


def line_cells(line: ScoreLine) -> list[str]:
    return [line.mission, str(line.attempt), stage_title(line.stage) if line.stage else "", line.subtask,
            line.criterion, f"{line.score:g}"]


def paint_chart(painter: QPainter, area: QRect, record: MasteryRecord) -> None:
    """Bars of every attempt's score per mission (the latest darker), and the pass line."""
    painter.fillRect(area, Qt.GlobalColor.white)
    left, bottom = area.left() + 40, area.bottom() - 40
    top, right = area.top() + 16, area.right() - 10
    height = bottom - top
    painter.setPen(QPen(Qt.GlobalColor.black))
    painter.drawLine(left, top, left, bottom)
    painter.drawLine(left, bottom, right, bottom)
    for tick in (0, 50, 100):
        y = bottom - int(height * tick / 100)
        painter.drawText(QRect(area.left(), y - 8, 34, 16), Qt.AlignmentFlag.AlignRight, str(tick))
    missions = record.missions
    if not missions:
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "No scored missions yet")
        return
    slot = (right - left) / len(missions)
    for index, mission in enumerate(missions):
        scores = [score for _, score in mission.attempt_scores] or [0.0]
        width = max(4.0, slot * 0.7 / len(scores))
        x = left + index * slot + slot * 0.15
        for n, score in enumerate(scores):
            bar_height = int(height * max(0.0, min(score, 100.0)) / 100)
            colour = _BAR if n == len(scores) - 1 else _EARLIER
            painter.fillRect(int(x + n * width), bottom - bar_height, int(width) - 2, bar_height, colour)
        label = mission.code or mission.title
        painter.drawText(
            QRect(int(left + index * slot), bottom + 4, int(slot), 32),
            Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
            label,
        )
    pass_y = bottom - int(height * PASS_LINE / 100)
    painter.setPen(QPen(_LINE, 1, Qt.PenStyle.DashLine))
    painter.drawLine(left, pass_y, right, pass_y)
    painter.drawText(QRect(left + 6, pass_y - 18, 120, 16), Qt.AlignmentFlag.AlignLeft, "pass line 70")


def chart_image(record: MasteryRecord, size: QSize = CHART_SIZE) -> QImage:
    image = QImage(size, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_chart(painter, image.rect(), record)
    painter.end()
    return image


class ScoreChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: MasteryRecord | None = None
        self.setMinimumHeight(200)

    def set_record(self, record: MasteryRecord) -> None:
        self.record = record
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self.record is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_chart(painter, self.rect(), self.record)
        painter.end()


def record_html(record: MasteryRecord) -> str:
    """The record as an HTML document for QTextDocument; every text someone wrote is escaped and cut to a
    printable length."""
    e = printable

    def table(headers: tuple[str, ...], rows: list[list[str]]) -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in rows)
        return f'<table border="1" cellspacing="0" cellpadding="3" width="100%"><tr>{head}</tr>{body}</table>'

    missions = [mission_cells(m) for m in record.missions]
    lines = [line_cells(line) for line in record.lines]
    who = f"{e(record.learner)}" + (f" &lt;{e(record.email)}&gt;" if record.email else "")
    return (
        f"<h1>Mastery record: {who}</h1><p>Track: {e(track_title(record.track))}. Bars: each attempt's mission score "
        f"(the latest darker); dashed: the pass line.</p>"
        '<p><img src="chart.png" width="620"></p>'
        f"<h2>Missions</h2>{table(MISSION_COLUMNS, missions)}"
        f"<h2>Scores per stage, subtask and criterion</h2>{table(LINE_COLUMNS, lines)}"
    )


def write_pdf(path: Path, document_html: str, chart: QImage) -> None:
    """Render the record to ``path`` with Qt's PDF writer (runs in a worker thread: no widgets involved); raises
    ``OSError`` when the file cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pdf_writer(path) as writer:
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(15, 15, 15, 15),
                QPageLayout.Unit.Millimeter,
            )
        )
        writer.setTitle("Mastery record")
        writer.setCreator("mentor_desk")
        document = QTextDocument()
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl("chart.png"), chart)
        document.setDefaultStyleSheet(PDF_STYLE)
        document.setHtml(document_html)
        document.print_(writer)


class MasteryDialog(QDialog):
    """The record of one learner; ``export_pdf`` / ``export_csv`` write it (asked for a file by the buttons)."""

    def __init__(self, record: MasteryRecord, services: Tier5Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record = record
        self.services = services
        self._tasks = BackgroundTasks()
        self.setObjectName("masteryRecord")
        self.setWindowTitle(self.tr("Mastery record — {learner}").format(learner=record.learner))
        self.resize(1100, 720)
        title = plain_label(f"{isolate(record.learner)} · {track_title(record.track)}")
        make_heading(title)
        self.chart = ScoreChart(self)
        self.chart.set_record(record)
        self.missions = self._table(self.tr("Missions"), MISSION_COLUMNS, [mission_cells(m) for m in record.missions])
        self.missions.setObjectName("masteryMissions")
        self.lines = self._table(
            self.tr("Scores per criterion"),
            LINE_COLUMNS,
            [line_cells(line) for line in record.lines],
        )
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        pdf = QPushButton(self.tr("Export &PDF…"))
        pdf.clicked.connect(lambda _checked: self._ask_and_export("pdf"))
        csv_button = QPushButton(self.tr("Export &CSV…"))
        csv_button.clicked.connect(lambda _checked: self._ask_and_export("csv"))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (pdf, csv_button, close):
            buttons.addWidget(button)
        split = QSplitter(Qt.Orientation.Vertical, self)
        for widget in (self.chart, self.missions, self.lines):
            split.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)

    def _table(self, name: str, headers: tuple[str, ...], rows: list[list[str]]) -> QTableWidget:
        table = QTableWidget(len(rows), len(headers))
        table.setAccessibleName(name)
        table.setHorizontalHeaderLabels([self.tr(header) for header in headers])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))  # items show plain text
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _ask_and_export(self, kind: str) -> None:
        safe = "".join(c if c.isalnum() else "-" for c in self.record.learner).strip("-") or "learner"
        title = self.tr("Export the mastery record as {kind}").format(kind=kind.upper())
        dialog = QFileDialog(self, title, f"mastery-{safe}.{kind}")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.fileSelected.connect(
            lambda name: self._tasks.spawn(
                self.export_pdf(Path(name)) if kind == "pdf" else self.export_csv(Path(name))
            )
        )
        dialog.open()

    async def export_pdf(self, path: Path) -> bool:
        """Write the PDF (the chart is painted here, the document laid out and written in a worker thread)."""
        chart = chart_image(self.record).copy()  # a deep copy of its own for the worker thread
        return await self._export(path, asyncio.to_thread(write_pdf, path, record_html(self.record), chart))

    async def export_csv(self, path: Path) -> bool:
        return await self._export(path, self.services.export_csv(self.record, path))

    async def _export(self, path: Path, work: object) -> bool:
        self.status.setText(self.tr("Writing {file}…").format(file=path.name))
        try:
            await work  # type: ignore[misc]
        except (OSError, *FAILURES) as error:
            failed = self.tr("{file} could not be written: {error}")
            self.status.setText(failed.format(file=path.name, error=getattr(error, "user_message", error)))
            return False
        self.status.setText(self.tr("Written: {file}").format(file=path))
        return True
