"""One panel member's blind scoring: the workspace's rubric scorer (same keys) and a comment.

Ctrl+Enter hands the scores in. The pane shows only the scores of the member it was made for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.review import ReviewView
from mentor_desk.domain.review_rules import fresh_draft
from mentor_desk.ui.plain import plain_label
from mentor_desk.ui.review.document import ReviewDocument
from mentor_desk.ui.review.rubric_scorer import RubricScorer

Save = Callable[[str, str, ReviewDraft], Awaitable[None]]


async def _keep_in_memory(_review_id: str, _stage: str, _draft: ReviewDraft) -> None:
    """In-room scores live in the meeting itself until reveal."""


class ScoringPane(QWidget):
    """``handed_in(subtask_scores, comment)`` when the member submits (Ctrl+Enter or the button)."""

    handed_in = Signal(dict, str)

    def __init__(
        self,
        review: ReviewView,
        who: str,
        *,
        scores: dict[str, Any] | None = None,
        comment: str = "",
        save: Save = _keep_in_memory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scoringPane")
        self.document = ReviewDocument(review, fresh_draft(review, subtask_scores=scores or {}), save, self)
        layout = QVBoxLayout(self)
        self.heading = plain_label(
            self.tr("Scoring as {member} — nobody sees these scores before the reveal.").format(member=who), self
        )
        self.heading.setObjectName("hint")
        self.scorer = RubricScorer(self)
        self.scorer.bind(self.document)
        for editor in self.scorer.subtask_comments.values():  # a meeting keeps one comment for the panel
            editor.hide()
        self.comment = QPlainTextEdit(self)
        self.comment.setObjectName("meetingComment")
        self.comment.setPlaceholderText(self.tr("Your comment for the panel"))
        self.comment.setPlainText(comment)
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(self.comment.fontMetrics().lineSpacing() * 3 + 14)
        self.submit = QPushButton(self.tr("Hand in my scores (Ctrl+Enter)"), self)
        self.submit.clicked.connect(self._hand_in)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        layout.addWidget(self.heading)
        layout.addWidget(self.scorer, 1)
        layout.addWidget(self.comment)
        layout.addWidget(self.error)
        layout.addWidget(self.submit)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._hand_in)

    def scores(self) -> dict[str, dict[str, float]]:
        return {sid: dict(c) for sid, c in self.document.draft.subtask_scores.items() if c}

    def _hand_in(self) -> None:
        scores = self.scores()
        if not scores:
            self.error.setText(self.tr("Score at least one criterion first (digits pick a level)."))
            return
        self.error.clear()
        self.handed_in.emit(scores, self.comment.toPlainText())

    def focus_scorer(self) -> None:
        self.scorer.setFocus()
