"""OCH v1 stores a review as one decision plus written feedback: render the whole draft into that text.

The text is what the learner reads on OCH, so it says the decision in words (OCH shows a revision request as a
fail: the text says "revision requested — resubmit"), then the mentor's own words, then the rubric as a table
(subtask, weight, each criterion's title and level, subtask score) with the mission score against the pass line,
the per-subtask remarks and the decision-path verdicts. A section with nothing in it is left out. Recordings are
already named, with their addresses, in the texts they belong to (``media_upload.with_recordings``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.scoring import Rubric, ScoreSummary, ScoringError, SubtaskSpec, summarize

OVERALL_STATUS = {"approve": "pass", "request_revision": "needs_revision", "fail": "fail"}
"""Layer B decision → OCH v1 ``overall_status``."""

DECISION_WORDS = {"approve": "approved", "request_revision": "revision requested — resubmit", "fail": "failed"}
"""The decision as the learner reads it (OCH itself shows both a revision request and a fail as "fail")."""

_VERDICTS = {"matches_ideal": "matches the ideal path", "acceptable": "acceptable", "divergent": "divergent"}
_HEADER = ("Subtask", "Weight", "Criterion", "Level", "Subtask score")


@dataclass(frozen=True, slots=True)
class RubricSheet:
    """What the text names the scores by: the mission's subtasks (title, weight, rubric) in order and those
    rubrics (criterion titles and levels, pass line)."""

    subtasks: Sequence[SubtaskSpec]
    rubrics: Mapping[str, Rubric]


def _number(value: float) -> str:
    return f"{value:g}"


def _level(rubric: Rubric, criterion_id: str, points: float | None) -> str:
    if points is None:
        return "not scored"
    criterion = rubric.criterion(criterion_id)
    label = next((level.label for level in criterion.levels if level.points == points), "") if criterion else ""
    scored = f"{_number(points)} of {_number(rubric.scale_max)}"
    return f"{label} ({scored})" if label else scored


def _table(rows: list[tuple[str, ...]]) -> str:
    """Rows as a plain-text table whose columns line up in a fixed-width font and stay readable in any other."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def _rubric_table(draft: ReviewDraft, sheet: RubricSheet, summary: ScoreSummary) -> str:
    rows: list[tuple[str, ...]] = [_HEADER]
    for subtask in sheet.subtasks:
        scores = draft.subtask_scores.get(subtask.id)
        rubric = sheet.rubrics.get(subtask.rubric_id)
        if not scores or rubric is None:
            continue
        score = summary.subtask_scores.get(subtask.id)
        first = (subtask.title or subtask.id, _number(subtask.weight))
        subtotal = "not complete" if score is None else f"{score:.2f} / 100"
        for n, criterion in enumerate(rubric.criteria):
            points = scores.get(criterion.id)
            lead = first if n == 0 else ("", "")
            level = _level(rubric, criterion.id, points)
            rows.append((*lead, criterion.title or criterion.id, level, subtotal if n == 0 else ""))
    if len(rows) == 1:
        return ""
    lines = ["Rubric scores", _table(rows)]
    if summary.mission_score is not None:
        verdict = "reaches the pass line" if summary.passed else "below the pass line"
        lines.append(
            f"Mission score: {summary.mission_score:.2f} / 100 (pass line {_number(summary.pass_threshold)}: {verdict})"
        )
    return "\n".join(lines)


def _bare_scores(draft: ReviewDraft, titles: Mapping[str, str]) -> str:
    """The scores when the rubric they were given against is not known: by criterion id."""
    if not draft.subtask_scores and draft.mission_score is None:
        return ""
    lines = ["Rubric scores"]
    if draft.mission_score is not None:
        lines.append(f"Mission score: {_number(draft.mission_score)} / 100")
    for subtask_id, criteria in draft.subtask_scores.items():
        marks = ", ".join(f"{criterion} {_number(points)}" for criterion, points in criteria.items())
        lines.append(f"- {titles.get(subtask_id, subtask_id)}: {marks or 'not scored'}")
    return "\n".join(lines)


def _scores(draft: ReviewDraft, sheet: RubricSheet | None) -> str:
    titles = {s.id: s.title or s.id for s in sheet.subtasks} if sheet else {}
    if sheet is not None and draft.subtask_scores:
        try:
            summary = summarize(sheet.subtasks, sheet.rubrics, draft.subtask_scores)
        except ScoringError:  # scored against a rubric this computer no longer has: the numbers still go out
            pass
        else:
            return _rubric_table(draft, sheet, summary) or _bare_scores(draft, titles)
    return _bare_scores(draft, titles)


def render_written_feedback(draft: ReviewDraft, sheet: RubricSheet | None = None) -> str:
    """The text posted as OCH's feedback (see the module docstring); without a ``sheet`` the scores are listed
    by their ids."""
    titles = {s.id: s.title or s.id for s in sheet.subtasks} if sheet else {}
    decision = DECISION_WORDS.get(draft.decision or "")
    sections = [f"Decision: {decision}" if decision else "", draft.feedback_written.strip(), _scores(draft, sheet)]

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
