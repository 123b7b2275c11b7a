"""After the reveal: the comparison with α, the consensus editor, presenter mode and the record's export."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from mentor_desk.domain.agreement import AgreementReport
from mentor_desk.domain.meeting_record import MeetingRecord
from mentor_desk.domain.review import ReviewView
from mentor_desk.ui.background import spawn

from .compare import CompareView
from .consensus import ConsensusEditor
from .export import write_csv, write_pdf
from .presenter import PresenterWindow


def anonymous_label(review: ReviewView) -> str:
    """How the projector names the learner: never their name, a stable code of the review instead."""
    return f"Learner {review.id.replace('-', '')[:6].upper()} · {review.mission_title or review.mission_code}"


class RevealPanel(QWidget):
    """``consensus_saved(subtask_scores, decision, feedback, notes)`` re-emitted from the editor."""

    consensus_saved = Signal(dict, str, str, str)
    exported = Signal(str)

    def __init__(self, review: ReviewView, lead: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review, self.lead = review, lead
        self.members: tuple[str, ...] = ()
        self.report: AgreementReport | None = None
        self.consensus: dict[str, dict[str, float]] = {}
        self.decision = self.feedback = self.notes = ""
        self.comments: dict[str, str] = {}
        self.times: dict[str, str] = {}
        self.presenter: PresenterWindow | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.screen_choice = QComboBox(self)
        self.screen_choice.setObjectName("presenterScreen")
        self.present = QPushButton(self.tr("Present (Ctrl+Shift+P)"), self)
        self.present.clicked.connect(self.start_presenting)
        self.csv = QPushButton(self.tr("Export CSV…"), self)
        self.csv.clicked.connect(lambda: self._ask_path("CSV (*.csv)", ".csv"))
        self.pdf = QPushButton(self.tr("Export PDF…"), self)
        self.pdf.clicked.connect(lambda: self._ask_path("PDF (*.pdf)", ".pdf"))
        self.status = QLabel(self)
        self.status.setObjectName("meetingStatus")
        bar.addWidget(QLabel(self.tr("Projector:"), self))
        bar.addWidget(self.screen_choice)
        for widget in (self.present, self.csv, self.pdf):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.compare = CompareView(self)
        self.editor = ConsensusEditor(review.subtasks, review.rubrics, self)
        self.editor.saved.connect(self._saved)
        split = QSplitter(self)
        split.addWidget(self.compare)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, self.start_presenting)  # F5 refreshes the window
        self._list_screens()

    def _list_screens(self) -> None:
        self.screen_choice.clear()
        screens = QGuiApplication.screens()
        for number, screen in enumerate(screens, 1):
            size = screen.geometry()
            self.screen_choice.addItem(f"{number}: {screen.name()} ({size.width()}×{size.height()})", number - 1)
        self.screen_choice.setCurrentIndex(len(screens) - 1)  # a projector is usually the last screen added

    @property
    def subtask_titles(self) -> dict[str, str]:
        return {s.id: s.title for s in self.review.subtasks}

    def show_scores(self, report: AgreementReport, members: Sequence[str], comments: Mapping[str, str]) -> None:
        self.report, self.members, self.comments = report, tuple(members), dict(comments)
        self.compare.show_report(report, members, self.subtask_titles)
        self.editor.set_report(report)

    def start_presenting(self) -> None:
        if self.report is None:
            return
        if self.presenter is not None:
            self.presenter.close()
        scales = {rid: (r.scale_min, r.scale_max) for rid, r in self.review.rubrics.items()}
        self.presenter = PresenterWindow(self.report, anonymous_label(self.review), scales, self.subtask_titles)
        screens = QGuiApplication.screens()
        index = self.screen_choice.currentData()
        self.presenter.present_on(screens[index if isinstance(index, int) and index < len(screens) else -1])
        self.presenter.activateWindow()
        self.presenter.setFocus()

    def _saved(self, scores: dict, decision: str, feedback: str, notes: str) -> None:
        self.consensus, self.decision, self.feedback, self.notes = scores, decision, feedback, notes
        self.consensus_saved.emit(scores, decision, feedback, notes)

    def record(self) -> MeetingRecord:
        assert self.report is not None
        return MeetingRecord(
            title=anonymous_label(self.review), lead=self.lead, members=self.members, report=self.report,
            consensus=self.consensus or self.editor.scores(), decision=self.decision, feedback=self.feedback,
            notes=self.notes or self.editor.notes.toPlainText(), times=self.times, comments=self.comments,
        )

    async def export_to(self, path: Path) -> None:
        """Write the record as CSV or PDF (by the suffix) in a worker thread."""
        writer = write_pdf if path.suffix.lower() == ".pdf" else write_csv
        try:
            await asyncio.to_thread(writer, path, self.record(), self.subtask_titles)
        except OSError as err:
            failed = self.tr("The record could not be written to {file}: {error}")
            self.status.setText(failed.format(file=path, error=err.strerror or err))
            return
        self.status.setText(self.tr("Meeting record written to {file}").format(file=path))
        self.exported.emit(str(path))

    def _ask_path(self, kind: str, suffix: str) -> None:
        dialog = QFileDialog(self, self.tr("Export the meeting record"), "", kind)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix.lstrip("."))
        dialog.fileSelected.connect(lambda name: spawn(self.export_to(Path(name))))
        dialog.open()
