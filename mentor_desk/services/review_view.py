"""A review detail (the platform's wire model) turned into the review the screens show, in one pass.

:func:`review_view` reads the typed :class:`~mentor_desk.api.models.ReviewDetail` the client parsed (no second
parse of its JSON): subtasks and rubrics through the model's own conversions, everything else field by field.
Times and free-form parts (AI review, hints, presentation) keep the JSON form the platform sent them in, so a
draft records the review's ``updated_at`` exactly as the server writes it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic_core import to_jsonable_python

from mentor_desk.api.models import HistoryEntry, MissionDetail, ReviewDetail, RubricModel, StageInfo
from mentor_desk.domain.review import (
    Attempt,
    BranchingPoint,
    Choice,
    EvidenceFile,
    LearnerDecision,
    ReviewView,
    StageEntry,
)
from mentor_desk.domain.scoring import Rubric, SubtaskSpec
from mentor_desk.services.errors import ServiceError


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


def _json(value: Any) -> Any:
    """A part of the model in the JSON form the platform sent (times as ISO text)."""
    return to_jsonable_python(value)


class RubricFileError(ServiceError):
    """The rubric file chosen in the preferences cannot be read as a rubric."""


@functools.cache
def default_rubric_data(rubric_file: str = "") -> dict[str, Any]:
    """The rubric for servers that have none (OCH v1), in the platform's JSON shape: the one in ``rubric_file``
    (the preferences' choice: ``{"rubrics": [rubric]}`` as ``default_rubrics.json``, or the rubric alone) or
    the one shipped with mentor_desk. Raises :class:`RubricFileError`."""
    if not rubric_file:
        text = resources.files(__package__).joinpath("default_rubrics.json").read_text(encoding="utf-8")
        shipped: dict[str, Any] = json.loads(text)["rubrics"][0]
        return shipped
    try:
        data = json.loads(Path(rubric_file).read_text(encoding="utf-8"))
        rubric = data["rubrics"][0] if isinstance(data, dict) and "rubrics" in data else data
        if not RubricModel.model_validate(rubric).to_domain().criteria:
            raise ValueError("it has no criteria")
    except (OSError, ValueError, LookupError, TypeError) as err:  # pydantic's ValidationError is a ValueError
        raise RubricFileError(
            f"The rubric file {rubric_file} cannot be used ({str(err).splitlines()[0]}): correct it, or clear it "
            "in Preferences (Ctrl+,) to use mentor_desk's own rubric."
        ) from err
    return dict(rubric)


@functools.cache
def default_rubric(rubric_file: str = "") -> Rubric:
    """:func:`default_rubric_data` as the domain's rubric."""
    return RubricModel.model_validate(default_rubric_data(rubric_file)).to_domain()


def _branching(mission: MissionDetail) -> list[BranchingPoint]:
    points = []
    for subtask_id, point in mission.branching_paths.items():
        best = next((step for step in mission.ideal_path.values() if step.decision_id == point.decision_id), None)
        choices = tuple(
            Choice(c.id, c.label or c.id, _text(c.consequences or point.consequences.get(c.id))) for c in point.choices
        )
        points.append(
            BranchingPoint(
                subtask_id,
                point.decision_id,
                point.prompt or point.title,
                choices,
                (best.choice_id or None) if best else None,
                best.rationale if best else "",
            )
        )
    return points


def _attempt(entry: HistoryEntry) -> Attempt:
    reviewer = entry.reviewer
    return Attempt(
        attempt=entry.attempt or 0,
        decision=entry.decision or entry.status,
        mentor_score=entry.mentor_score,
        feedback=entry.feedback_written or "",
        reviewed_at=entry.decided_at,
        subtask_scores={sid: dict(crit) for sid, crit in entry.subtask_scores.items()},
        feedback_per_subtask=dict(entry.feedback_per_subtask),
        reviewer=(reviewer.name or reviewer.email) if reviewer else "",
    )


def _stage_entry(stage: StageInfo) -> StageEntry:
    score = (stage.scores or {}).get("mission_score")
    reviewer = stage.reviewer
    return StageEntry(
        name=stage.name,
        status=stage.status,
        reviewer=(reviewer.name or reviewer.email) if reviewer else "",
        completed_at=_json(stage.completed_at) or "",
        score=float(score) if isinstance(score, int | float) else None,
        decision=stage.decision or "",
        feedback=stage.feedback_written or "",
        feedback_per_subtask=tuple(
            (key, text) for key, text in (stage.feedback_per_subtask or {}).items() if text.strip()
        ),
    )


def review_view(
    detail: ReviewDetail,
    *,
    stage: str | None = None,
    fallback_rubrics: Mapping[str, Rubric] | None = None,
    rubric_file: str = "",
) -> ReviewView:
    """The review as the screens show it; ``stage`` picks a capstone stage (default: the current one).

    ``fallback_rubrics`` the platform sent elsewhere (a scoring meeting's) stand in for those the review lacks; subtasks
    whose rubric is still missing (OCH v1) are scored with the client's own default rubric
    (``rubrics_from_client``; ``rubric_file``: the mentor's own, see :func:`default_rubric_data`)."""
    rubrics = {**(fallback_rubrics or {}), **detail.domain_rubrics()}
    subtasks = detail.subtask_specs()
    from_client = False
    if subtasks and any(s.rubric_id not in rubrics for s in subtasks):
        fallback = default_rubric(rubric_file)
        rubrics.setdefault(fallback.id, fallback)
        subtasks = [
            s if s.rubric_id in rubrics else SubtaskSpec(s.id, s.title, s.weight, fallback.id) for s in subtasks
        ]
        from_client = True
    mission = detail.mission
    return ReviewView(
        id=detail.id,
        version=detail.version,
        kind=detail.kind or "mission",
        status=detail.status,
        attempt=detail.attempt or 1,
        mission_title=mission.title,
        mission_code=mission.code,
        track=mission.track,
        learner_name=detail.learner.name or detail.learner.email,
        stage=stage if stage is not None else detail.stage.name,
        stages=[s.name for s in detail.stages],
        subtasks=subtasks,
        subtask_descriptions={s.id: s.description for s in mission.subtasks},
        rubrics=rubrics,
        files=[
            EvidenceFile(
                id=f.id,
                subtask_id=f.subtask_id or "",
                file_type=f.file_type,
                filename=f.filename or "unnamed",
                file_size=f.file_size or 0,
                sha256=f.sha256 or "",
                url=f.url,
            )
            for f in detail.files
        ],
        branching=_branching(mission),
        decisions={
            did: LearnerDecision(did, d.choice_id, d.subtask_id or "", _json(d.timestamp) or "")
            for did, d in detail.decision_paths.items()
        },
        reflection=detail.reflection or "",
        ai_review=_json(detail.ai_review) or {},
        time_per_stage=dict(detail.time_per_stage),
        hints_used=_json(detail.hints_used),
        history=sorted((_attempt(entry) for entry in detail.history), key=lambda a: a.attempt),
        updated_at=_json(detail.updated_at),
        rubrics_from_client=from_client,
        subtask_notes={
            sid: _text(p.get("notes"))
            for sid, p in detail.subtasks_progress.items()
            if isinstance(p, Mapping) and p.get("notes")
        },
        presentation=_json(detail.presentation),
        templates=[dict(t) for t in (_json(mission.templates) or ()) if isinstance(t, Mapping)],
        stage_history=[_stage_entry(s) for s in detail.stages if s.name],
    )
