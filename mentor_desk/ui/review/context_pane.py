"""Context for judging the work: the AI review, the learner's reflection, time and hints, earlier attempts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget

from mentor_desk.domain.review import Attempt, EvidenceFile, ReviewView
from mentor_desk.domain.scoring import ScoringError, summarize
from mentor_desk.services.account import Mode
from mentor_desk.ui.plain import plain_label

from .pages import PageHost
from .review_view import decision_label, local_time


def _bullets(items: Any) -> str:
    return "\n".join(f"• {item}" for item in items or ()) or "—"


def _subtask(titles: dict[str, str], subtask_id: Any) -> str:
    return titles.get(str(subtask_id)) or f"Subtask {subtask_id}"


def _duration(minutes: Any) -> str:
    """Minutes (as OCH's ``time_per_stage`` counts them) in words: "45 min", "2 h 05 min"."""
    if not isinstance(minutes, int | float):
        return str(minutes)
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def _hint(hint: Any, titles: dict[str, str]) -> str:
    if not isinstance(hint, dict):
        return f"• {hint}"
    subtask = str(hint.get("subtask_id") or "?")
    when = local_time(hint.get("timestamp"))
    return f"• {_subtask(titles, subtask)}: level {hint.get('hint_level') or '?'}" + (f" ({when})" if when else "")


def _attempt_text(past: Attempt, review: ReviewView) -> str:
    """One earlier attempt: decision, mission score, date and reviewer, then per-subtask scores and feedback."""
    score = "—" if past.mentor_score is None else f"{past.mentor_score:.2f}"
    outcome = decision_label(past.decision) if past.decision else "no decision"
    head = f"Attempt {past.attempt}: {outcome} · score {score} · {local_time(past.reviewed_at) or 'date unknown'}"
    lines = [head + (f" · by {past.reviewer}" if past.reviewer else "")]
    titles = {s.id: s.title for s in review.subtasks}
    if past.subtask_scores:
        try:
            per_subtask = summarize(review.subtasks, review.rubrics, past.subtask_scores).subtask_scores
        except ScoringError:
            per_subtask = {}
        for subtask in review.subtasks:
            value = per_subtask.get(subtask.id)
            if value is not None:
                lines.append(f"  {_subtask(titles, subtask.id)}: {value:.1f}")
    lines.append(past.feedback or "(no written feedback)")
    lines += [f"  {_subtask(titles, sid)}: {text}" for sid, text in past.feedback_per_subtask.items()]
    return "\n".join(lines)


def _presentation_file(review: ReviewView) -> EvidenceFile | None:
    """The evidence file the submitted presentation's address points at."""
    url = review.presentation.get("url")
    return next((f for f in review.files if url and f.url == url), None)


def _presentation_where(review: ReviewView) -> str:
    """Where the submitted presentation is, in words: the evidence file its address points at, not the address."""
    if not review.presentation.get("url"):
        return ""
    file = _presentation_file(review)
    if file is not None:
        return f" It is “{file.filename}” in the evidence (Alt+1)."
    return " The platform gave a link to it that is not among the evidence files."


def _template_line(template: dict[str, Any]) -> str:
    """A mission template in words: its name and the file it is, never its bare address."""
    name = str(template.get("name") or "Unnamed template")
    file_name = str(template.get("url") or "").rstrip("/").rsplit("/", 1)[-1]
    return f"• {name}" + (f" ({file_name})" if file_name and file_name != name else "")


class ContextPane(QScrollArea):
    """Read-only sections; every learner- or AI-written text is shown as plain text.

    ``play_presentation`` is emitted by the presentation section's Play button: the workspace plays the
    learner's presentation in its player (the one ``Ctrl+Shift+V`` uses, with its speeds and time anchors)."""

    play_presentation = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._pages = PageHost(self)
        self.sections: dict[str, QGroupBox] = {}

    def _section(self, layout: QVBoxLayout, key: str, title: str) -> QVBoxLayout:
        box = QGroupBox(title)
        self.sections[key] = box
        layout.addWidget(box)
        return QVBoxLayout(box)

    def bind(self, review: ReviewView, mode: Mode) -> None:
        body = self._pages.new_page()
        layout = QVBoxLayout(body)
        self.sections = {}

        ai = self._section(layout, "ai", "AI review")
        if review.ai_review:
            score = review.ai_review.get("score")
            ai.addWidget(plain_label("Score: " + ("—" if score is None else f"{float(score):.0f} / 100")))
            for key, label in (("strengths", "Strengths"), ("gaps", "Gaps"), ("suggestions", "Suggestions")):
                ai.addWidget(plain_label(f"{label}:\n{_bullets(review.ai_review.get(key))}"))
        else:
            ai.addWidget(
                plain_label(
                    "No AI review was provided for this submission."
                    if mode == "full"
                    else "This server (OCH v1) does not give mentors the AI "
                    "review's details; the queue shows its score."
                )
            )

        reflection = self._section(layout, "reflection", "Learner's reflection")
        if review.reflection:
            text = QPlainTextEdit()
            text.setReadOnly(True)
            text.setPlainText(review.reflection)
            text.setMinimumHeight(120)
            reflection.addWidget(text)
        else:
            reflection.addWidget(
                plain_label(
                    "The learner submitted no reflection."
                    if mode == "full"
                    else "This server (OCH v1) does not give mentors the learner's reflection."
                )
            )

        effort = self._section(layout, "effort", "Time and hints")
        titles = {s.id: s.title for s in review.subtasks}
        if review.time_per_stage:
            lines = [f"{_subtask(titles, k)}: {_duration(v)}" for k, v in review.time_per_stage.items()]
            minutes = [v for v in review.time_per_stage.values() if isinstance(v, int | float)]
            effort.addWidget(
                plain_label(
                    "Time per stage:\n"
                    + "\n".join(lines)
                    + (f"\nTotal: {_duration(sum(minutes))}" if len(minutes) > 1 else "")
                )
            )
        if review.hints_used:
            effort.addWidget(
                plain_label(
                    f"Hints used: {len(review.hints_used)}\n" + "\n".join(_hint(h, titles) for h in review.hints_used)
                )
            )
        elif review.time_per_stage:
            effort.addWidget(plain_label("Hints used: none"))
        if not review.time_per_stage and not review.hints_used:
            effort.addWidget(
                plain_label("This server does not report time per stage or hints used for this submission.")
            )

        if review.presentation.get("required") or review.presentation.get("submitted"):
            presentation = self._section(layout, "presentation", "Presentation")
            state = "submitted" if review.presentation.get("submitted") else "required, not submitted yet"
            presentation.addWidget(plain_label(f"Presentation {state}." + _presentation_where(review)))
            if _presentation_file(review) is not None:
                play = QPushButton("Play the presentation (Ctrl+Shift+V)")
                play.clicked.connect(lambda _checked=False: self.play_presentation.emit())
                presentation.addWidget(play)

        if review.templates:
            templates = self._section(layout, "templates", "Mission templates")
            templates.addWidget(
                plain_label(
                    "Templates the learner was given:\n" + "\n".join(_template_line(t) for t in review.templates)
                )
            )

        attempts = self._section(layout, "history", f"Earlier attempts (this is attempt {review.attempt})")
        if review.history:
            for past in review.history:
                attempts.addWidget(plain_label(_attempt_text(past, review)))
        elif review.attempt > 1:
            attempts.addWidget(plain_label("This is a resubmission, but the server sent no earlier reviews."))
        else:
            attempts.addWidget(plain_label("First attempt: there are no earlier reviews."))
        layout.addStretch(1)
        self._pages.show_page(body)
