"""The lead's consensus: pre-filled from the panel's mean or median, adjusted per criterion, with the decision,
the feedback for the learner and the meeting's notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from mentor_desk.domain.agreement import AgreementReport
from mentor_desk.domain.scoring import Rubric, ScoringError, SubtaskSpec, summarize
from mentor_desk.ui.fit import scrolling_layout

DECISIONS = (
    ("approve", str(QT_TRANSLATE_NOOP("ConsensusEditor", "Approve"))),
    ("request_revision", str(QT_TRANSLATE_NOOP("ConsensusEditor", "Request revision"))),
    ("fail", str(QT_TRANSLATE_NOOP("ConsensusEditor", "Fail"))),
)
"""The decisions the panel can agree on, named in English (shown translated)."""
Scores = dict[str, dict[str, float]]


class ConsensusEditor(QWidget):
    """``saved(subtask_scores, decision, feedback, notes)`` when the lead saves (Ctrl+S or the button)."""

    saved = Signal(dict, str, str, str)

    def __init__(self, subtasks: Sequence[SubtaskSpec], rubrics: Mapping[str, Rubric],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consensusEditor")
        self.subtasks, self.rubrics = list(subtasks), dict(rubrics)
        self.report: AgreementReport | None = None
        self._spins: dict[tuple[str, str], QDoubleSpinBox] = {}
        layout = scrolling_layout(self)  # scrolls in a short window (200 % text) instead of widening it
        form = QFormLayout()
        self.method = QComboBox(self)
        self.method.addItem(self.tr("Median of the panel"), "median")
        self.method.addItem(self.tr("Mean of the panel"), "mean")
        self.method.currentIndexChanged.connect(lambda _i: self.prefill())
        form.addRow(self.tr("Start from the"), self.method)
        self.table = QTableWidget(self)
        self.table.setObjectName("consensusTable")
        self.table.setMinimumHeight(180)
        self.table.setColumnCount(3)
        self.table.setHorizontalHeaderLabels([self.tr("Subtask"), self.tr("Criterion"), self.tr("Consensus")])
        self.table.verticalHeader().setVisible(False)
        rows = [(s, c) for s in self.subtasks for c in self.rubrics[s.rubric_id].criteria]
        self.table.setRowCount(len(rows))
        for row, (subtask, criterion) in enumerate(rows):
            rubric = self.rubrics[subtask.rubric_id]
            self.table.setItem(row, 0, QTableWidgetItem(subtask.title))
            self.table.setItem(row, 1, QTableWidgetItem(criterion.title))
            spin = QDoubleSpinBox(self.table)
            spin.setRange(rubric.scale_min, rubric.scale_max)
            spin.setDecimals(2)
            spin.setSingleStep(0.5)
            spin.valueChanged.connect(lambda _v: self._refresh_total())
            self.table.setCellWidget(row, 2, spin)
            self._spins[(subtask.id, criterion.id)] = spin
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.total = QLabel(self)
        self.total.setObjectName("consensusTotal")
        self.decision = QComboBox(self)
        for value, label in DECISIONS:
            self.decision.addItem(self.tr(label), value)
        self.feedback = QPlainTextEdit(self)
        self.feedback.setPlaceholderText(self.tr("Feedback for the learner (required to request a revision or fail)"))
        self.feedback.setTabChangesFocus(True)
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText(
            self.tr("The meeting's notes (kept in the meeting record, not sent to the learner)")
        )
        self.notes.setTabChangesFocus(True)
        for box in (self.feedback, self.notes):
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 14)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.save = QPushButton(self.tr("Save the consensus (Ctrl+S)"), self)
        self.save.clicked.connect(self._save)
        QShortcut(QKeySequence("Ctrl+S"), self, self._save)
        form.addRow(self.tr("Decision"), self.decision)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addWidget(QLabel(self.tr("Feedback"), self))
        layout.addWidget(self.feedback)
        layout.addWidget(QLabel(self.tr("Notes"), self))
        layout.addWidget(self.notes)
        layout.addWidget(self.error)
        layout.addWidget(self.save)

    def set_report(self, report: AgreementReport) -> None:
        self.report = report
        self.prefill()

    def prefill(self) -> None:
        """Every criterion from the panel's median or mean (the lead's choice); unscored ones stay as they are."""
        if self.report is None:
            return
        method: Literal["median", "mean"] = self.method.currentData()
        for sid, criteria in self.report.suggested_consensus(method).items():
            for cid, value in criteria.items():
                spin = self._spins.get((sid, cid))
                if spin is not None:
                    spin.setValue(value)
        self._refresh_total()

    def scores(self) -> Scores:
        result: Scores = {}
        for (sid, cid), spin in self._spins.items():
            result.setdefault(sid, {})[cid] = round(spin.value(), 2)
        return result

    def _refresh_total(self) -> None:
        try:
            summary = summarize(self.subtasks, self.rubrics, self.scores())
        except ScoringError as err:
            self.total.setText(self.tr("The consensus cannot be scored: {error}").format(error=err))
            return
        total = (self.tr("Consensus mission score {score} / 100: passes ({pass_line}).") if summary.passed
                 else self.tr("Consensus mission score {score} / 100: is below the pass line ({pass_line})."))
        self.total.setText(total.format(score=f"{summary.mission_score:.2f}", pass_line=f"{summary.pass_threshold:g}"))

    def _save(self) -> None:
        decision = self.decision.currentData()
        feedback = self.feedback.toPlainText().strip()
        if decision != "approve" and not feedback:
            self.error.setText(self.tr("Write the feedback for the learner: a revision or a fail needs it."))
            self.feedback.setFocus()
            return
        self.error.clear()
        self.saved.emit(self.scores(), decision, feedback, self.notes.toPlainText().strip())
