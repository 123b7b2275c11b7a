"""OCH v1 stores a review as one decision plus written feedback: render the whole draft into that text.

The written feedback then carries everything the mentor scored (per-subtask rubric scores, the mission score,
per-subtask remarks and decision-path verdicts) in a readable, plain-text form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OVERALL_STATUS = {"approve": "pass", "request_revision": "needs_revision", "fail": "fail"}
"""Layer B decision → OCH v1 ``overall_status``."""

_VERDICTS = {"matches_ideal": "matches the ideal path", "acceptable": "acceptable", "divergent": "divergent"}


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def render_written_feedback(payload: Mapping[str, Any], subtask_titles: Mapping[str, str] | None = None) -> str:
    """The text posted as ``feedback.written``: the mentor's own words first, then the structured review."""
    titles = subtask_titles or {}
    sections = [str(payload.get("feedback_written") or "").strip()]

    scores: Mapping[str, Mapping[str, Any]] = payload.get("subtask_scores") or {}
    mission_score = payload.get("mission_score")
    if scores or mission_score is not None:
        lines = ["Rubric scores"]
        if mission_score is not None:
            lines.append(f"Mission score: {_number(mission_score)} / 100")
        for subtask_id, criteria in scores.items():
            marks = ", ".join(f"{criterion} {_number(points)}" for criterion, points in criteria.items())
            lines.append(f"- {titles.get(subtask_id, subtask_id)}: {marks or 'not scored'}")
        sections.append("\n".join(lines))

    remarks = {k: v for k, v in (payload.get("feedback_per_subtask") or {}).items() if str(v).strip()}
    if remarks:
        sections.append(
            "\n".join(["Per subtask"] + [f"- {titles.get(k, k)}: {str(v).strip()}" for k, v in remarks.items()])
        )

    annotations: Mapping[str, Mapping[str, Any]] = payload.get("decision_annotations") or {}
    judged = {k: v for k, v in annotations.items() if v.get("verdict") or str(v.get("comment") or "").strip()}
    if judged:
        lines = ["Decision path"]
        for decision_id, note in judged.items():
            verdict = _VERDICTS.get(str(note.get("verdict") or ""), str(note.get("verdict") or "not judged"))
            comment = str(note.get("comment") or "").strip()
            lines.append(f"- {decision_id}: {verdict}" + (f" — {comment}" if comment else ""))
        sections.append("\n".join(lines))

    return "\n\n".join(section for section in sections if section)
