"""The meeting record as CSV and as PDF (Qt's PDF writer), both from :mod:`mentor_desk.domain.meeting_record`.

Both writers may run in a worker thread (``asyncio.to_thread``): a QPdfWriter and a QTextDocument paint without
widgets, which Qt allows outside the GUI thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument

from mentor_desk.domain.meeting_record import MeetingRecord, score_header, score_rows, summary_rows, to_csv
from mentor_desk.ui.pdf_file import pdf_writer
from mentor_desk.ui.plain import printable


def write_csv(path: Path, record: MeetingRecord, subtask_titles: Mapping[str, str]) -> None:
    path.write_text(to_csv(record, subtask_titles), encoding="utf-8", newline="")


def record_html(record: MeetingRecord, subtask_titles: Mapping[str, str]) -> str:
    """The record as a small HTML page; every text from the platform or the panel is escaped (plain text) and
    cut to a printable length."""

    def cells(row: list[str], tag: str = "td") -> str:
        return "".join(f"<{tag}>{printable(value)}</{tag}>" for value in row)

    summary = "".join(f"<tr>{cells(row[:1], 'th')}{cells(row[1:])}</tr>" for row in summary_rows(record))
    scores = "".join(f"<tr>{cells(row)}</tr>" for row in score_rows(record, subtask_titles))
    return (
        f"<h2>Scoring meeting — {printable(record.title)}</h2>"
        f"<table border='1' cellspacing='0' cellpadding='3'>{summary}</table><p></p>"
        f"<table border='1' cellspacing='0' cellpadding='3'><tr>{cells(score_header(record), 'th')}</tr>"
        f"{scores}</table>"
    )


def write_pdf(path: Path, record: MeetingRecord, subtask_titles: Mapping[str, str]) -> None:
    """Raises ``OSError`` when the file cannot be written."""
    with pdf_writer(path) as writer:
        writer.setTitle(f"Scoring meeting — {record.title}")
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                         QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter))
        writer.setResolution(144)
        document = QTextDocument()
        document.setHtml(record_html(record, subtask_titles))
        rect = writer.pageLayout().paintRectPixels(writer.resolution())
        document.setPageSize(QSizeF(rect.width(), rect.height()))
        document.print_(writer)
