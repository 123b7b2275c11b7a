"""The learner's decisions beside the ideal path, one card per branching point, with a verdict and comment each.

Divergence marks use a symbol, a word and a colour together (never colour alone): ✓ same, ≠ different,
○ skipped, + extra. The mentor's verdict and comment per decision go to ``decision_annotations``.
"""

from __future__ import annotations

import functools

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

from mentor_desk.domain.decision_path import DecisionPoint, DecisionStep, TakenDecision, Verdict, compare_paths
from mentor_desk.domain.draft import DecisionNote
from mentor_desk.domain.review import ReviewView
from mentor_desk.services.account import Mode
from mentor_desk.ui.plain import plain_label
from mentor_desk.ui.theme import CHANGE, EXTRA, GOOD, NEUTRAL, follow_scheme

from .document import ReviewDocument, own_undo
from .pages import PageHost
from .review_view import local_time

MARKS = {
    "same": ("✓", "Same as ideal"),
    "different": ("≠", "Different from ideal"),
    "skipped": ("○", "Skipped"),
    "extra": ("+", "Extra decision (not in the mission's path)"),
}
MARK_TONES = {"same": GOOD, "different": CHANGE, "skipped": NEUTRAL, "extra": EXTRA}
"""The mark's colour in the scheme shown (light or dark): the label's own style sheet, which wins over the
workspace's light-only one."""
VERDICTS = [
    ("", "Not judged"),
    (Verdict.MATCHES_IDEAL.value, "Matches ideal"),
    (Verdict.ACCEPTABLE.value, "Acceptable"),
    (Verdict.DIVERGENT.value, "Divergent"),
]


def compare(review: ReviewView) -> list[DecisionStep]:
    """Learner vs ideal (the domain's comparison), in mission order."""
    points = [
        DecisionPoint(
            p.decision_id, p.subtask_id, tuple((c.id, c.label) for c in p.choices), p.ideal_choice, p.rationale
        )
        for p in review.branching
    ]
    taken = [TakenDecision(d.decision_id, d.choice_id, d.subtask_id or None) for d in review.decisions.values()]
    return list(compare_paths(points, taken).steps)


class DecisionCard(QFrame):
    """One branching point: the learner's choice beside the ideal one, marked, with the mentor's verdict and
    comment (written to ``decision_annotations``)."""

    def __init__(
        self, step: DecisionStep, review: ReviewView, document: ReviewDocument, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.step = step
        self.document = document
        self.setObjectName("decisionCard")
        mark = step.kind.value
        self.setProperty("mark", mark)
        symbol, word = MARKS[mark]
        point = next((p for p in review.branching if p.decision_id == step.decision_id), None)
        layout = QVBoxLayout(self)
        heading = plain_label(review.decision_title(step.decision_id), self)
        heading.setObjectName("cardTitle")
        self.mark_label = QLabel(f"{symbol} {word}", self)
        self.mark_label.setObjectName("mark")
        self.mark_label.setProperty("mark", mark)
        self.mark_label.setWordWrap(True)
        follow_scheme(self.mark_label, lambda: f"color: {MARK_TONES[mark].name()}; font-weight: 600;")
        layout.addWidget(heading)
        layout.addWidget(self.mark_label)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Learner chose:", plain_label(step.learner_label or "— (no choice recorded)", self))
        if point is not None:
            form.addRow("Ideal:", plain_label(step.ideal_label or "— (no ideal given)", self))
            consequence = point.consequence(step.learner_choice)
            if consequence:
                form.addRow("Consequence:", plain_label(consequence, self))
            if point.rationale:
                form.addRow("Why ideal:", plain_label(point.rationale, self))
        taken = review.decisions.get(step.decision_id)
        if taken is not None and taken.timestamp:
            form.addRow("When:", plain_label(local_time(taken.timestamp), self))
        self.verdict = QComboBox(self)
        self.verdict.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.verdict.setMinimumContentsLength(12)
        suggested = step.suggested_verdict
        for value, text in VERDICTS:
            self.verdict.addItem(f"{text} (suggested)" if suggested and value == suggested.value else text, value)
        self.comment = QLineEdit(self)
        self.comment.setPlaceholderText("Optional")
        self.comment.setAccessibleName("Comment on this decision (optional)")
        own_undo(self.comment)
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
        value = DecisionNote(verdict, comment) if verdict or comment else None
        self.document.set(
            ("decision_annotations", self.step.decision_id),
            value,
            f"Annotate decision “{self.step.decision_id}”",
            merge=merge,
        )

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


FIRST_CARDS = 4  # decision cards built before the first paint (a screenful); the others right after it


class DecisionPathView(QScrollArea):
    """The decision cards of the bound review (a screenful before the first paint, the rest right after), or a
    sentence saying why there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._pages = PageHost(self)
        self.cards: list[DecisionCard] = []
        self.explanation: QLabel | None = None
        self._document: ReviewDocument | None = None

    def bind(self, document: ReviewDocument, mode: Mode) -> None:
        if self._document is not None:
            self._document.changed.disconnect(self._on_changed)
        self._document = document
        review = document.review
        body = self._pages.new_page()
        layout = QVBoxLayout(body)
        self.cards, self.explanation = [], None
        steps = compare(review)
        if mode == "och-v1":
            text = (
                "This server (OCH v1) does not give mentors the learner's decision path, nor the mission's "
                "branching points and ideal path. Comment on decisions in the written feedback."
            )
        elif not steps:
            text = "This mission has no branching points, and the learner recorded no decisions."
        else:
            text = ""
            counts = {mark: sum(1 for s in steps if s.kind.value == mark) for mark in MARKS}
            summary = " · ".join(
                f"{MARKS[m][0]} {n} {MARKS[m][1].split(' (')[0].lower()}" for m, n in counts.items() if n
            )
            layout.addWidget(plain_label(summary, body))
        if text:
            self.explanation = plain_label(text, body)
            self.explanation.setObjectName("explanation")
            self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(self.explanation)
        layout.addStretch(1)
        self._add_cards(document, layout, steps[:FIRST_CARDS])
        self._pages.show_page(body, functools.partial(self._add_cards, document, layout, steps[FIRST_CARDS:]))
        # Alt+3 lands on the first verdict: the cards come last in the window's Tab chain (built per review)
        self.setFocusProxy(self.cards[0].verdict if self.cards else None)  # type: ignore[arg-type]  # None clears
        document.changed.connect(self._on_changed)

    def _add_cards(self, document: ReviewDocument, layout: QVBoxLayout, steps: list[DecisionStep]) -> None:
        """Cards for ``steps``, after those already shown (the first few are built before the first paint)."""
        if document is not self._document:
            return  # another review was opened meanwhile
        for step in steps:
            card = DecisionCard(step, document.review, document, layout.parentWidget())
            self.cards.append(card)
            layout.insertWidget(layout.count() - 1, card)

    def _on_changed(self, path: tuple[str, ...]) -> None:
        if path[0] == "decision_annotations":
            for card in self.cards:
                if len(path) < 2 or card.step.decision_id == path[1]:
                    card.show_annotation()
