"""OCH v1 stores a review as one decision plus written feedback: render the whole draft into that text.

The written feedback then carries everything the mentor scored (per-subtask rubric scores, the mission score,
per-subtask remarks and decision-path verdicts) in a readable, plain-text form.
"""

from __future__ import annotations

from collections.abc import Mapping

from mentor_desk.domain.draft import ReviewDraft

OVERALL_STATUS = {"approve": "pass", "request_revision": "needs_revision", "fail": "fail"}
"""Layer B decision → OCH v1 ``overall_status``."""

_VERDICTS = {"matches_ideal": "matches the ideal path", "acceptable": "acceptable", "divergent": "divergent"}


def _number(value: float) -> str:
    return f"{value:g}"


def render_written_feedback(draft: ReviewDraft, subtask_titles: Mapping[str, str] | None = None) -> str:
    """The text posted as ``feedback.written``: the mentor's own words first, then the structured review."""
    titles = subtask_titles or {}
    sections = [draft.feedback_written.strip()]

    if draft.subtask_scores or draft.mission_score is not None:
        lines = ["Rubric scores"]
        if draft.mission_score is not None:
            lines.append(f"Mission score: {_number(draft.mission_score)} / 100")
        for subtask_id, criteria in draft.subtask_scores.items():
            marks = ", ".join(f"{criterion} {_number(points)}" for criterion, points in criteria.items())
            lines.append(f"- {titles.get(subtask_id, subtask_id)}: {marks or 'not scored'}")
        sections.append("\n".join(lines))

    remarks = {k: v.strip() for k, v in draft.feedback_per_subtask.items() if v.strip()}
    if remarks:
        sections.append("\n".join(["Per subtask"] + [f"- {titles.get(k, k)}: {v}" for k, v in remarks.items()]))

    judged = {k: note for k, note in draft.decision_annotations.items() if note.verdict or note.comment.strip()}
    if judged:
        lines = ["Decision path"]
        for decision_id, note in judged.items():
            verdict = _VERDICTS.get(note.verdict, note.verdict or "not judged")
            comment = note.comment.strip()
            lines.append(f"- {decision_id}: {verdict}" + (f" — {comment}" if comment else ""))
        sections.append("\n".join(lines))

    return "\n\n".join(section for section in sections if section)
