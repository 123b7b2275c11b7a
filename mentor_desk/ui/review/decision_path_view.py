"""The learner's decisions beside the ideal path, one card per branching point, with a verdict and comment each.

Divergence marks use a symbol, a word and a colour together (never colour alone): ✓ same, ≠ different,
○ skipped, + extra. The mentor's verdict and comment per decision go to ``decision_annotations``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .document import ReviewDocument
from .plain import plain_label
from .review_view import BranchingPoint, ReviewView
from .services import Mode

MARKS = {"same": ("✓", "Same as ideal"), "different": ("≠", "Different from ideal"),
         "skipped": ("○", "Skipped"), "extra": ("+", "Extra decision (not in the mission's path)")}
VERDICTS = [("", "Not judged"), ("matches_ideal", "Matches ideal"), ("acceptable", "Acceptable"),
            ("divergent", "Divergent")]


@dataclass(frozen=True, slots=True)
class PathStep:
    """One row of the comparison."""

    decision_id: str
    subtask_id: str
    mark: str  # same | different | skipped | extra
    point: BranchingPoint | None
    learner_choice: str | None
    timestamp: str


def compare_paths(review: ReviewView) -> list[PathStep]:
    """Learner vs ideal, in mission order, then decisions the mission does not know."""
    steps = []
    for point in review.branching:
        taken = review.decisions.get(point.decision_id)
        choice = taken.choice_id if taken else None
        if choice is None:
            mark = "skipped"
        elif point.ideal_choice is None or choice == point.ideal_choice:
            mark = "same"
        else:
            mark = "different"
        steps.append(PathStep(point.decision_id, point.subtask_id, mark, point, choice,
                              taken.timestamp if taken else ""))
    known = {p.decision_id for p in review.branching}
    steps += [PathStep(d.decision_id, d.subtask_id, "extra", None, d.choice_id, d.timestamp)
              for d in review.decisions.values() if d.decision_id not in known]
    return steps


class DecisionCard(QFrame):
    def __init__(self, step: PathStep, review: ReviewView, document: ReviewDocument,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        self.document = document
        self.setObjectName("decisionCard")
        self.setProperty("mark", step.mark)
        symbol, word = MARKS[step.mark]
        subtasks = {s.id: s.title for s in review.subtasks}
        point = step.point
        layout = QVBoxLayout(self)
        heading = plain_label(f"{subtasks.get(step.subtask_id, 'Subtask ' + step.subtask_id)} — "
                              f"{(point.prompt if point and point.prompt else step.decision_id)}", self)
        heading.setObjectName("cardTitle")
        self.mark_label = QLabel(f"{symbol} {word}", self)
        self.mark_label.setObjectName("mark")
        self.mark_label.setProperty("mark", step.mark)
        layout.addWidget(heading)
        layout.addWidget(self.mark_label)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        learner = point.choice_label(step.learner_choice) if point else (step.learner_choice or "")
        form.addRow("Learner chose:", plain_label(learner or "— (no choice recorded)", self))
        if point is not None:
            form.addRow("Ideal:", plain_label(point.choice_label(point.ideal_choice) or "— (no ideal given)", self))
            consequence = point.consequence(step.learner_choice)
            if consequence:
                form.addRow("Consequence:", plain_label(consequence, self))
            if point.rationale:
                form.addRow("Why ideal:", plain_label(point.rationale, self))
        if step.timestamp:
            form.addRow("When:", plain_label(step.timestamp, self))
        self.verdict = QComboBox(self)
        for value, text in VERDICTS:
            self.verdict.addItem(text, value)
        self.comment = QLineEdit(self)
        self.comment.setPlaceholderText("Comment on this decision (optional)")
        form.addRow("Verdict:", self.verdict)
        form.addRow("Comment:", self.comment)
        layout.addLayout(form)
        self.show_annotation()
        self.verdict.currentIndexChanged.connect(self._verdict_edited)
        self.comment.textEdited.connect(self._comment_edited)

    def _path(self, field: str) -> tuple[str, ...]:
        return ("decision_annotations", self.step.decision_id, field)

    def _store(self, verdict: str, comment: str, *, merge: bool) -> None:
        """Write the whole annotation (both keys, as the wire wants), or remove it when both are empty."""
        value = {"verdict": verdict, "comment": comment} if verdict or comment else None
        self.document.set(("decision_annotations", self.step.decision_id), value,
                          f"Annotate decision “{self.step.decision_id}”", merge=merge)

    def show_annotation(self) -> None:
        verdict = self.document.get(self._path("verdict")) or ""
        index = self.verdict.findData(verdict)
        self.verdict.blockSignals(True)
        self.verdict.setCurrentIndex(index if index >= 0 else 0)
        self.verdict.blockSignals(False)
        comment = self.document.get(self._path("comment")) or ""
        if self.comment.text() != comment:
            self.comment.setText(comment)

    def _verdict_edited(self) -> None:
        self._store(self.verdict.currentData() or "", self.comment.text(), merge=False)

    def _comment_edited(self, text: str) -> None:
        self._store(self.verdict.currentData() or "", text, merge=True)


class DecisionPathView(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.cards: list[DecisionCard] = []
        self.explanation: QLabel | None = None
        self._document: ReviewDocument | None = None

    def bind(self, document: ReviewDocument, mode: Mode) -> None:
        if self._document is not None:
            self._document.changed.disconnect(self._on_changed)
        self._document = document
        review = document.review
        body = QWidget()
        layout = QVBoxLayout(body)
        self.cards, self.explanation = [], None
        steps = compare_paths(review)
        if mode == "och-v1":
            text = ("This server (OCH v1) does not give mentors the learner's decision path, nor the mission's "
                    "branching points and ideal path. Comment on decisions in the written feedback.")
        elif not steps:
            text = "This mission has no branching points, and the learner recorded no decisions."
        else:
            text = ""
            counts = {mark: sum(1 for s in steps if s.mark == mark) for mark in MARKS}
            summary = " · ".join(f"{MARKS[m][0]} {n} {MARKS[m][1].split(' (')[0].lower()}"
                                 for m, n in counts.items() if n)
            layout.addWidget(plain_label(summary, body))
        if text:
            self.explanation = plain_label(text, body)
            self.explanation.setObjectName("explanation")
            self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(self.explanation)
        for step in steps:
            card = DecisionCard(step, review, document, body)
            self.cards.append(card)
            layout.addWidget(card)
        layout.addStretch(1)
        self.setWidget(body)
        document.changed.connect(self._on_changed)

    def _on_changed(self, path: tuple[str, ...]) -> None:
        if path[0] == "decision_annotations":
            for card in self.cards:
                if len(path) < 2 or card.step.decision_id == path[1]:
                    card.show_annotation()
