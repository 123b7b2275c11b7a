"""The review as the workspace shows it, parsed from the layer B review-detail JSON shape.

The workspace accepts whatever ``ReviewServices.load_review`` returns: a pydantic wire model (dumped to its JSON
shape, which mirrors the platform's) or a plain mapping. Parsing is tolerant in the platform's spirit: missing
parts become empty, unknown fields are ignored, and values are kept as text when they are not what we expect.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from datetime import datetime
from importlib import resources
from typing import Any

from pydantic import ValidationError

from mentor_desk.api.models import HistoryEntry, RubricModel
from mentor_desk.domain.review import (
    Attempt,
    BranchingPoint,
    Choice,
    EvidenceFile,
    LearnerDecision,
    ReviewView,
)
from mentor_desk.domain.scoring import Rubric, SubtaskSpec
from mentor_desk.domain.status import Decision, human_label, resulting_status
from mentor_desk.domain.words import local_time_in_words


def decision_label(raw: str) -> str:
    """A decision ("approve"...) or a status word, in words ("Approved", "Revision requested", ...)."""
    try:
        return human_label(resulting_status(Decision(raw)))
    except ValueError:
        return human_label(raw)


def local_time(value: Any) -> str:
    """A time (a datetime or ISO text) in words in the mentor's zone ("27 Nov 19:54"); anything else as it came,
    None as ""."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return local_time_in_words(value, datetime.now().astimezone())


def _text(value: Any) -> str:
    """Any JSON value as readable text: mappings as "key: value" lines, lists one item per line."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return "\n".join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value)
    return str(value)


def _number(value: Any, default: float | None = None) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def as_json(detail: Any) -> dict[str, Any]:
    """The JSON shape of a review detail (a pydantic model, or a mapping already)."""
    if hasattr(detail, "model_dump"):
        return detail.model_dump(mode="json")
    return dict(detail)


def parse_rubric(data: Mapping[str, Any]) -> Rubric:
    """A rubric in the ``GET /rubrics/{id}`` shape, through the api's wire model (one conversion, not two)."""
    return RubricModel.model_validate(data).to_domain()


@functools.cache
def default_rubric() -> Rubric:
    """The rubric shipped with mentor_desk for servers that have none (OCH v1)."""
    text = resources.files(__package__).joinpath("default_rubrics.json").read_text(encoding="utf-8")
    return parse_rubric(json.loads(text)["rubrics"][0])


def _branching(mission: Mapping[str, Any]) -> list[BranchingPoint]:
    ideal = mission.get("ideal_path") or {}
    points = []
    for subtask_id, point in (mission.get("branching_paths") or {}).items():
        if not isinstance(point, Mapping):
            continue
        decision_id = _text(point.get("decision_id"))
        shared = point.get("consequences") or {}
        choices = tuple(
            Choice(
                id=_text(c.get("id")),
                label=_text(c.get("label") or c.get("title") or c.get("text") or c.get("id")),
                consequence=_text(c.get("consequence") or c.get("consequences") or shared.get(_text(c.get("id")))),
            )
            for c in point.get("choices") or ()
            if isinstance(c, Mapping)
        )
        steps = [v for v in ideal.values() if isinstance(v, Mapping)]
        best: Mapping[str, Any] = next((v for v in steps if v.get("decision_id") == decision_id), {})
        points.append(
            BranchingPoint(
                _text(subtask_id),
                decision_id,
                _text(point.get("prompt") or point.get("title")),
                choices,
                _text(best.get("choice_id")) or None,
                _text(best.get("rationale")),
            )
        )
    return points


def _attempts(history: Any) -> list[Attempt]:
    """Earlier attempts, oldest first, read through the api's tolerant ``HistoryEntry``."""
    attempts = []
    for raw in history or ():
        try:
            entry = HistoryEntry.model_validate(raw)
        except ValidationError:
            continue  # not an attempt record at all; the others are still shown
        reviewer = entry.reviewer
        attempts.append(
            Attempt(
                attempt=entry.attempt or 0,
                decision=entry.decision or entry.status,
                mentor_score=entry.mentor_score,
                feedback=entry.feedback_written or "",
                reviewed_at=entry.decided_at,
                subtask_scores={sid: dict(crit) for sid, crit in entry.subtask_scores.items()},
                feedback_per_subtask=dict(entry.feedback_per_subtask),
                reviewer=(reviewer.name or reviewer.email) if reviewer else "",
            )
        )
    return sorted(attempts, key=lambda a: a.attempt)


def parse_review(detail: Any, *, stage: str | None = None) -> ReviewView:
    """Build the view from a review detail; ``stage`` picks a capstone stage (default: the current one)."""
    data = as_json(detail)
    mission = data.get("mission") or {}
    learner = data.get("learner") or {}
    stage_info = data.get("stage") or {}
    stages = [_text(s.get("name")) for s in data.get("stages") or () if isinstance(s, Mapping)]
    current = stage if stage is not None else _text(stage_info.get("name") if isinstance(stage_info, Mapping) else "")
    subtasks = [
        SubtaskSpec(
            id=_text(s.get("id")),
            title=_text(s.get("title")),
            weight=_number(s.get("weight"), 1.0) or 0.0,
            rubric_id=_text(s.get("rubric_id")),
        )
        for s in mission.get("subtasks") or ()
        if isinstance(s, Mapping)
    ]
    rubrics = {rid: parse_rubric(r) for rid, r in (data.get("rubrics") or {}).items() if isinstance(r, Mapping)}
    from_client = False
    if subtasks and any(s.rubric_id not in rubrics for s in subtasks):
        fallback = default_rubric()
        rubrics.setdefault(fallback.id, fallback)
        subtasks = [
            s if s.rubric_id in rubrics else SubtaskSpec(s.id, s.title, s.weight, fallback.id) for s in subtasks
        ]
        from_client = True
    decisions = {
        _text(did): LearnerDecision(
            _text(did), _text(d.get("choice_id")), _text(d.get("subtask_id")), _text(d.get("timestamp"))
        )
        for did, d in (data.get("decision_paths") or {}).items()
        if isinstance(d, Mapping)
    }
    files = [
        EvidenceFile(
            id=_text(f.get("id")),
            subtask_id=_text(f.get("subtask_id")),
            file_type=_text(f.get("file_type")),
            filename=_text(f.get("filename")) or "unnamed",
            file_size=int(_number(f.get("file_size"), 0) or 0),
            sha256=_text(f.get("sha256")),
            url=_text(f.get("url")),
        )
        for f in data.get("files") or ()
        if isinstance(f, Mapping)
    ]
    return ReviewView(
        id=_text(data.get("id")),
        version=data.get("version"),
        kind=_text(data.get("kind") or "mission"),
        status=_text(data.get("status")),
        attempt=int(data.get("attempt") or 1),
        mission_title=_text(mission.get("title")),
        mission_code=_text(mission.get("code")),
        learner_name=_text(learner.get("name") or learner.get("email")),
        stage=current,
        stages=stages,
        subtasks=subtasks,
        subtask_descriptions={
            _text(s.get("id")): _text(s.get("description"))
            for s in mission.get("subtasks") or ()
            if isinstance(s, Mapping)
        },
        rubrics=rubrics,
        files=files,
        branching=_branching(mission),
        decisions=decisions,
        reflection=_text(data.get("reflection")),
        ai_review=dict(data.get("ai_review") or {}),
        time_per_stage=dict(data.get("time_per_stage") or {}),
        hints_used=list(data.get("hints_used") or ()),
        history=_attempts(data.get("history")),
        updated_at=data.get("updated_at"),
        rubrics_from_client=from_client,
        subtask_notes={
            _text(sid): _text(p.get("notes"))
            for sid, p in (data.get("subtasks_progress") or {}).items()
            if isinstance(p, Mapping) and p.get("notes")
        },
        presentation=dict(data.get("presentation") or {}),
        templates=[dict(t) for t in mission.get("templates") or () if isinstance(t, Mapping)],
    )
