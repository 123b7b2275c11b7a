"""Context for judging the work: the AI review, the learner's reflection, time and hints, earlier attempts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from .plain import plain_label
from .review_view import ReviewView, decision_label
from .services import Mode


def _bullets(items: Any) -> str:
    return "\n".join(f"• {item}" for item in items or ()) or "—"


class ContextPane(QScrollArea):
    """Read-only sections; every learner- or AI-written text is shown as plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections: dict[str, QGroupBox] = {}

    def _section(self, layout: QVBoxLayout, key: str, title: str) -> QVBoxLayout:
        box = QGroupBox(title)
        self.sections[key] = box
        layout.addWidget(box)
        return QVBoxLayout(box)

    def bind(self, review: ReviewView, mode: Mode) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        self.sections = {}

        ai = self._section(layout, "ai", "AI review")
        if review.ai_review:
            score = review.ai_review.get("score")
            ai.addWidget(plain_label("Score: " + ("—" if score is None else f"{float(score):.0f} / 100")))
            for key, label in (("strengths", "Strengths"), ("gaps", "Gaps"), ("suggestions", "Suggestions")):
                ai.addWidget(plain_label(f"{label}:\n{_bullets(review.ai_review.get(key))}"))
        else:
            ai.addWidget(plain_label("No AI review was provided for this submission."
                                     if mode == "full" else "This server (OCH v1) does not give mentors the AI "
                                     "review's details; the queue shows its score."))

        reflection = self._section(layout, "reflection", "Learner's reflection")
        if review.reflection:
            text = QPlainTextEdit()
            text.setReadOnly(True)
            text.setPlainText(review.reflection)
            text.setMinimumHeight(120)
            reflection.addWidget(text)
        else:
            reflection.addWidget(plain_label("The learner submitted no reflection." if mode == "full" else
                                             "This server (OCH v1) does not give mentors the learner's reflection."))

        effort = self._section(layout, "effort", "Time and hints")
        titles = {s.id: s.title for s in review.subtasks}
        if review.time_per_stage:
            effort.addWidget(plain_label("\n".join(f"{titles.get(str(k), k)}: {v} min"
                                                   for k, v in review.time_per_stage.items())))
        if review.hints_used:
            effort.addWidget(plain_label(f"Hints used: {len(review.hints_used)}\n" + "\n".join(
                f"• {titles.get(str(h.get('subtask_id')), h.get('subtask_id'))}: level {h.get('hint_level')}"
                if isinstance(h, dict) else f"• {h}" for h in review.hints_used)))
        if not review.time_per_stage and not review.hints_used:
            effort.addWidget(plain_label("This server does not report time per stage or hints used for this "
                                         "submission."))

        if review.presentation.get("required") or review.presentation.get("submitted"):
            presentation = self._section(layout, "presentation", "Presentation")
            state = "submitted" if review.presentation.get("submitted") else "required, not submitted yet"
            url = review.presentation.get("url")
            presentation.addWidget(plain_label(f"Presentation {state}." + (f"\n{url}" if url else "")))

        attempts = self._section(layout, "history", f"Earlier attempts (this is attempt {review.attempt})")
        if review.history:
            for past in review.history:
                score = "—" if past.mentor_score is None else f"{past.mentor_score:.2f}"
                outcome = decision_label(past.decision) if past.decision else "no decision"
                attempts.addWidget(plain_label(
                    f"Attempt {past.attempt}: {outcome} · score {score} · {past.reviewed_at or 'date unknown'}\n"
                    f"{past.feedback or '(no written feedback)'}"))
        elif review.attempt > 1:
            attempts.addWidget(plain_label("This is a resubmission, but the server sent no earlier reviews."))
        else:
            attempts.addWidget(plain_label("First attempt: there are no earlier reviews."))
        layout.addStretch(1)
        self.setWidget(body)
