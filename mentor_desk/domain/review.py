"""A review as the mentor reads it: the submission, its mission and rubrics, evidence, decision path, context,
stages and earlier attempts, in plain types (``services/review_view.py`` builds it from the platform's review
detail, once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mentor_desk.domain.scoring import Rubric, SubtaskSpec
from mentor_desk.domain.words import stage_title

FINAL_STAGE = "final"


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    id: str
    subtask_id: str
    file_type: str
    filename: str
    file_size: int
    sha256: str
    url: str


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: str
    consequence: str


@dataclass(frozen=True, slots=True)
class BranchingPoint:
    subtask_id: str
    decision_id: str
    prompt: str
    choices: tuple[Choice, ...]
    ideal_choice: str | None
    rationale: str

    def choice_label(self, choice_id: str | None) -> str:
        if choice_id is None:
            return ""
        return next((c.label for c in self.choices if c.id == choice_id), choice_id)

    def consequence(self, choice_id: str | None) -> str:
        return next((c.consequence for c in self.choices if c.id == choice_id), "")


@dataclass(frozen=True, slots=True)
class LearnerDecision:
    decision_id: str
    choice_id: str
    subtask_id: str
    timestamp: str


@dataclass(frozen=True, slots=True)
class Attempt:
    """An earlier attempt and how it was reviewed (``subtask_scores`` is empty when the server kept none)."""

    attempt: int
    decision: str
    mentor_score: float | None
    feedback: str
    reviewed_at: datetime | None
    subtask_scores: dict[str, dict[str, float]]
    feedback_per_subtask: dict[str, str] = field(default_factory=dict)
    reviewer: str = ""


@dataclass(frozen=True, slots=True)
class Baseline:
    """The previous attempt's review a resubmission starts from; the editors mark what differs from it."""

    attempt: int
    subtask_scores: dict[str, dict[str, float]] | None  # None: the earlier scores are not known here
    feedback_written: str
    feedback_per_subtask: dict[str, str] | None  # None: the earlier per-subtask comments are not known here


@dataclass(frozen=True, slots=True)
class StageEntry:
    """One stage of a capstone as the platform reports it."""

    name: str
    status: str  # completed | current | pending (others kept as sent)
    reviewer: str = ""
    completed_at: str = ""
    score: float | None = None
    decision: str = ""
    feedback: str = ""
    feedback_per_subtask: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        return stage_title(self.name)

    @property
    def reviewed(self) -> bool:
        return self.status == "completed"


@dataclass(slots=True)
class ReviewView:
    """Everything one review shows. ``stages`` lists stage names in order ("" for a plain mission)."""

    id: str
    version: int | None
    kind: str
    status: str
    attempt: int
    mission_title: str
    mission_code: str
    learner_name: str
    stage: str
    stages: list[str]
    subtasks: list[SubtaskSpec]
    subtask_descriptions: dict[str, str]
    rubrics: dict[str, Rubric]
    files: list[EvidenceFile]
    branching: list[BranchingPoint]
    decisions: dict[str, LearnerDecision]
    reflection: str
    ai_review: dict[str, Any]
    time_per_stage: dict[str, Any]
    hints_used: list[Any]
    history: list[Attempt]
    updated_at: str | None = None
    rubrics_from_client: bool = False  # True when rubrics come from the client's own file (OCH v1)
    subtask_notes: dict[str, str] = field(default_factory=dict)  # the learner's notes per subtask
    presentation: dict[str, Any] = field(default_factory=dict)  # {required, submitted, url}
    templates: list[dict[str, Any]] = field(default_factory=list)  # the mission's templates: {name, url}
    stage_history: list[StageEntry] = field(default_factory=list)  # each stage's review so far, in order
    track: str = ""  # the mission's track code (DEFENDER_5), shown by its title

    @property
    def is_final_stage(self) -> bool:
        return self.stage in ("", FINAL_STAGE)

    @property
    def key(self) -> tuple[str, int | None, str]:
        """What a draft and every editor are bound to: (review id, version, stage)."""
        return (self.id, self.version, self.stage)

    def decision_title(self, decision_id: str) -> str:
        """How a decision point is named to the mentor: "<subtask title> — <prompt or decision id>"."""
        point = next((p for p in self.branching if p.decision_id == decision_id), None)
        taken = self.decisions.get(decision_id)
        subtask_id = point.subtask_id if point else (taken.subtask_id if taken else "")
        subtask = next((s.title for s in self.subtasks if s.id == subtask_id and s.title), "")
        name = point.prompt if point and point.prompt else decision_id
        return f"{subtask or 'Subtask ' + (subtask_id or '?')} — {name}"

    def previous_review(self) -> Baseline | None:
        """The server's record of the latest earlier attempt's review, for a resubmission (else None)."""
        earlier = [a for a in self.history if a.attempt < self.attempt]
        if self.attempt <= 1 or not earlier:
            return None
        last = earlier[-1]
        return Baseline(
            last.attempt, last.subtask_scores or None, last.feedback, dict(last.feedback_per_subtask) or None
        )
