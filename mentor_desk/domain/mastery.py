"""A learner's mastery record: per mission, the scores per attempt, subtask and criterion, the time spent per
stage, the hints used and how far their decisions left the ideal path; flattened into CSV rows.

Built from review details in their JSON shape (layer B's ``GET /mentor/reviews/{id}``); whatever a detail lacks
is left out rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mentor_desk.domain.spreadsheet import inert_rows

CSV_HEADER = ("learner", "track", "mission", "attempt", "stage", "subtask", "criterion", "score")


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """One score: a criterion's points, a subtask's score (criterion "") or the mission score (subtask "")."""

    mission: str
    attempt: int
    stage: str
    subtask: str
    criterion: str
    score: float


@dataclass(frozen=True, slots=True)
class MissionRecord:
    code: str
    title: str
    kind: str  # mission | capstone
    status: str
    attempt: int
    mentor_score: float | None
    ai_score: float | None
    attempt_scores: tuple[tuple[int, float], ...]  # (attempt, mentor score), earlier attempts and this one
    minutes: float  # time the learner spent, summed over the stages reported
    hints: int
    decisions: int
    divergent: int  # decisions that left the ideal path (or none was taken)


@dataclass(frozen=True, slots=True)
class MasteryRecord:
    learner: str
    email: str
    track: str
    missions: tuple[MissionRecord, ...]
    lines: tuple[ScoreLine, ...]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _names(detail: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Subtask titles by id, and criterion titles by id (over every rubric of the detail)."""
    mission = _mapping(detail.get("mission"))
    subtasks = {str(s.get("id")): str(s.get("title") or s.get("id")) for s in mission.get("subtasks") or ()}
    criteria: dict[str, str] = {}
    for rubric in _mapping(detail.get("rubrics")).values():
        for criterion in _mapping(rubric).get("criteria") or ():
            criteria[str(criterion.get("id"))] = str(criterion.get("title") or criterion.get("id"))
    return subtasks, criteria


def _divergence(detail: Mapping[str, Any]) -> tuple[int, int]:
    """(branching points, how many the learner decided otherwise than the ideal path or not at all)."""
    mission = _mapping(detail.get("mission"))
    ideal = {
        str(step.get("decision_id")): step.get("choice_id")
        for step in _mapping(mission.get("ideal_path")).values()
        if isinstance(step, Mapping)
    }
    taken = {
        str(key): _mapping(value).get("choice_id") for key, value in _mapping(detail.get("decision_paths")).items()
    }
    points = [str(_mapping(p).get("decision_id")) for p in _mapping(mission.get("branching_paths")).values()]
    return len(points), sum(1 for point in points if taken.get(point) is None or taken.get(point) != ideal.get(point))


def mission_record(detail: Mapping[str, Any]) -> tuple[MissionRecord, list[ScoreLine]]:
    """One review detail as a mission record and its score lines."""
    mission = _mapping(detail.get("mission"))
    title = str(mission.get("title") or mission.get("code") or detail.get("id") or "")
    attempt = int(_number(detail.get("attempt")) or 1)
    subtasks, criteria = _names(detail)
    lines: list[ScoreLine] = []
    for stage in detail.get("stages") or ():
        scores = _mapping(_mapping(stage).get("scores"))
        name = str(_mapping(stage).get("name") or "")
        for subtask_id, by_criterion in _mapping(scores.get("subtask_scores")).items():
            subtask = subtasks.get(str(subtask_id), str(subtask_id))
            for criterion_id, points in _mapping(by_criterion).items():
                if (value := _number(points)) is not None:
                    lines.append(
                        ScoreLine(title, attempt, name, subtask, criteria.get(criterion_id, criterion_id), value)
                    )
            result = _number(_mapping(scores.get("subtask_results")).get(str(subtask_id)))
            if result is not None:
                lines.append(ScoreLine(title, attempt, name, subtask, "", result))
        if (total := _number(scores.get("mission_score"))) is not None:
            lines.append(ScoreLine(title, attempt, name, "", "", total))
    history = [
        (int(_number(h.get("attempt")) or 0), score)
        for h in detail.get("history") or ()
        if isinstance(h, Mapping) and (score := _number(h.get("mentor_score"))) is not None
    ]
    mentor_score = _number(detail.get("mentor_score"))
    if mentor_score is not None:
        history.append((attempt, mentor_score))
    decisions, divergent = _divergence(detail)
    minutes = sum(v for v in (_number(x) for x in _mapping(detail.get("time_per_stage")).values()) if v is not None)
    record = MissionRecord(
        code=str(mission.get("code") or ""),
        title=title,
        kind=str(detail.get("kind") or "mission"),
        status=str(detail.get("status") or ""),
        attempt=attempt,
        mentor_score=mentor_score,
        ai_score=_number(detail.get("ai_score")),
        attempt_scores=tuple(sorted(history)),
        minutes=minutes,
        hints=len(detail.get("hints_used") or ()),
        decisions=decisions,
        divergent=divergent,
    )
    return record, lines


def mastery_record(learner: str, email: str, track: str, details: Iterable[Mapping[str, Any]]) -> MasteryRecord:
    """The record of one learner from the review details of their missions (ordered by mission code)."""
    built = sorted((mission_record(detail) for detail in details), key=lambda pair: (pair[0].code, pair[0].title))
    return MasteryRecord(
        learner=learner,
        email=email,
        track=track,
        missions=tuple(record for record, _ in built),
        lines=tuple(line for _, lines in built for line in lines),
    )


def csv_rows(record: MasteryRecord) -> list[list[str]]:
    """The record's scores as CSV rows (header first): one row per criterion, subtask and mission score; no cell
    a spreadsheet would read as a formula."""
    rows = [list(CSV_HEADER)]
    for line in record.lines:
        rows.append(
            [
                record.learner,
                record.track,
                line.mission,
                str(line.attempt),
                line.stage,
                line.subtask,
                line.criterion,
                f"{line.score:g}",
            ]
        )
    return inert_rows(rows)
