"""Wire models of the Tier-5 review API (layer B): capabilities, review rows and details, rubrics, claims, stage
reviews, media, Tier-5 sign-off and scoring meetings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, model_validator

from mentor_desk.api.models.layer_a import Tier5Status
from mentor_desk.api.models.wire import (
    Numbers,
    OptFloat,
    OptInt,
    OptStrId,
    ScoreMap,
    StrId,
    Texts,
    Timestamp,
    UserId,
    Wire,
    _objects,
)
from mentor_desk.domain.decision_path import DecisionPoint, TakenDecision, Verdict
from mentor_desk.domain.scoring import DEFAULT_PASS_THRESHOLD, Criterion, Level, Rubric, SubtaskSpec

# --- layer B: capabilities, review rows ------------------------------------------------------------------


class Capabilities(Wire):
    api: str = ""
    version: int = 1
    features: list[str] = []
    limits: dict[str, Any] = {}


class MissionRef(Wire):
    id: str
    code: str = ""
    title: str = ""
    tier: str | int | None = None
    track: str = ""
    mission_type: str = ""


class LearnerRef(Wire):
    id: UserId = None
    uuid_id: str | None = None
    name: str = ""
    email: str = ""


def _person(value: Any) -> Any:
    """People are objects on the wire; tolerate a bare id or name."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {"id": value}
    if isinstance(value, str):
        return {"id": int(value)} if value.isdigit() else {"name": value}
    return value


class PersonRef(Wire):
    """A mentor or learner as referenced from another object (claim holder, meeting lead, approver)."""

    id: UserId = None
    uuid_id: str | None = None
    name: str = ""
    email: str = ""


Person = Annotated[PersonRef | None, BeforeValidator(_person)]


class StageRef(Wire):
    index: int = 1
    total: int = 1
    name: str = ""


class ReviewRow(Wire):
    """A row of ``GET /mentor/reviews``: one mission progress or capstone assigned to me."""

    id: StrId
    kind: str = "mission"
    mission: MissionRef
    learner: LearnerRef = LearnerRef()
    status: str = ""
    final_status: str | None = None  # pass | fail | pending
    mentor_score: OptFloat = None
    stage: StageRef = StageRef()
    attempt: int = 1
    submitted_at: Timestamp = None
    ai_score: OptFloat = None
    claimed_by: Person = None
    presentation_required: bool = False
    version: int = 0
    updated_at: Timestamp = None
    assigned: bool = True


class ReviewPage(Wire):
    results: list[ReviewRow] = []
    count: int | None = None


# --- rubrics and the review detail ------------------------------------------------------------------------


class LevelModel(Wire):
    label: str = ""
    points: float = 0
    description: str = ""


class CriterionModel(Wire):
    id: StrId
    title: str = ""
    description: str = ""
    weight: float = 1.0
    levels: list[LevelModel] = []


class Scale(Wire):
    min: float = 0
    max: float = 100


class RubricModel(Wire):
    """``GET /rubrics/{id}``."""

    id: StrId
    version: int = 1
    title: str = ""
    scale: Scale = Scale()
    pass_threshold: float = DEFAULT_PASS_THRESHOLD
    criteria: list[CriterionModel] = []

    def to_domain(self) -> Rubric:
        return Rubric(
            id=self.id,
            version=self.version,
            title=self.title,
            scale_min=self.scale.min,
            scale_max=self.scale.max,
            pass_threshold=self.pass_threshold,
            criteria=tuple(
                Criterion(
                    id=c.id,
                    title=c.title,
                    description=c.description,
                    weight=c.weight,
                    levels=tuple(Level(lv.label, lv.points, lv.description) for lv in c.levels),
                )
                for c in self.criteria
            ),
        )


class ReviewSubtask(Wire):
    id: StrId
    title: str = ""
    description: str = ""
    weight: float = 1.0
    rubric_id: OptStrId = None
    evidence_schema: dict[str, Any] | None = None


class BranchingChoice(Wire):
    id: StrId
    label: str = ""
    description: str = ""
    consequences: Any = None


class BranchingPoint(Wire):
    """One decision point of a mission, keyed by subtask id in ``branching_paths``."""

    decision_id: str
    title: str = ""
    prompt: str = ""
    choices: list[BranchingChoice] = []
    consequences: dict[str, Any] = {}


class IdealStep(Wire):
    decision_id: str
    choice_id: StrId
    rationale: str = ""


class DecisionTaken(Wire):
    """What the learner chose at a decision point (``decision_paths`` is keyed by decision id)."""

    choice_id: StrId
    timestamp: Timestamp = None
    subtask_id: OptStrId = None


class MissionDetail(MissionRef):
    description: str = ""
    subtasks: list[ReviewSubtask] = []
    branching_paths: dict[str, BranchingPoint] = {}
    ideal_path: dict[str, IdealStep] = {}
    templates: Any = None


class AiReview(Wire):
    score: OptFloat = None
    strengths: list[str] = []
    gaps: list[str] = []
    suggestions: list[str] = []


class ReviewFile(Wire):
    id: StrId
    subtask_id: OptStrId = None
    file_type: str = ""
    filename: str = ""
    file_size: OptInt = None
    sha256: str | None = None
    url: str


class Presentation(Wire):
    required: bool = False
    submitted: bool = False
    url: str | None = None


class StageInfo(Wire):
    name: str
    status: str = ""
    reviewer: Person = None
    completed_at: Timestamp = None
    scores: dict[str, Any] | None = None
    decision: str | None = None
    feedback_written: str | None = None
    feedback_per_subtask: dict[str, str] | None = None
    decision_annotations: dict[str, dict[str, Any]] | None = None  # raw: an unknown verdict must not break reading


class HistoryEntry(Wire):
    """A decision on an earlier attempt (tolerant: only what the server sends is filled in).

    The sandbox sends ``attempt, status, decision, mentor_score, reviewer, feedback_written, decided_at``. A
    server that also keeps the earlier review's scores may send them as ``subtask_scores`` or, shaped like a
    stage's ``scores``, as ``scores.subtask_scores``; both land in :attr:`subtask_scores`.
    """

    attempt: OptInt = None
    status: str = ""
    decision: str | None = None
    final_status: str | None = None
    mentor_score: OptFloat = None
    feedback_written: str | None = None
    feedback_per_subtask: Texts = {}
    subtask_scores: ScoreMap = {}
    reviewer: Person = None
    decided_at: Timestamp = None

    @model_validator(mode="before")
    @classmethod
    def _stage_shaped_scores(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and not data.get("subtask_scores") and isinstance(data.get("scores"), Mapping):
            return {**data, "subtask_scores": data["scores"].get("subtask_scores")}
        return data


class HintUse(Wire):
    """One hint the learner opened (``hints_used`` of MissionProgress)."""

    subtask_id: OptStrId = None
    hint_level: int | str | None = None
    timestamp: Timestamp = None


class ReviewDetail(ReviewRow):
    """``GET /mentor/reviews/{id}``: the row plus everything the review workspace shows."""

    mission: MissionDetail
    rubrics: dict[str, RubricModel] = {}
    subtasks_progress: dict[str, Any] = {}
    decision_paths: dict[str, DecisionTaken] = {}
    reflection: str | None = None
    ai_review: AiReview | None = None
    files: list[ReviewFile] = []
    presentation: Presentation = Presentation()
    stages: list[StageInfo] = []
    history: Annotated[list[HistoryEntry], BeforeValidator(_objects)] = []
    time_per_stage: Numbers = {}  # subtask id -> minutes spent
    hints_used: Annotated[list[HintUse], BeforeValidator(_objects)] = []

    def domain_rubrics(self) -> dict[str, Rubric]:
        return {rid: r.to_domain() for rid, r in self.rubrics.items()}

    def subtask_specs(self) -> list[SubtaskSpec]:
        return [SubtaskSpec(s.id, s.title, s.weight, s.rubric_id or "") for s in self.mission.subtasks]

    def decision_points(self) -> list[DecisionPoint]:
        """The mission's branching points joined with the ideal path (for ``compare_paths``)."""
        ideal = {step.decision_id: step for step in self.mission.ideal_path.values()}
        points = []
        for subtask_id, point in self.mission.branching_paths.items():
            best = ideal.get(point.decision_id)
            points.append(
                DecisionPoint(
                    decision_id=point.decision_id,
                    subtask_id=subtask_id,
                    choices=tuple((c.id, c.label) for c in point.choices),
                    ideal_choice=best.choice_id if best else None,
                    rationale=best.rationale if best else "",
                )
            )
        return points

    def taken_decisions(self) -> list[TakenDecision]:
        return [TakenDecision(did, d.choice_id, d.subtask_id) for did, d in self.decision_paths.items()]


class Claim(Wire):
    claimed_by: Person = None
    claimed_at: Timestamp = None
    expires_at: Timestamp = None


# --- stage reviews and media ------------------------------------------------------------------------------


class DecisionAnnotation(Wire):
    """The mentor's judgement of one decision; the contract requires a verdict (never empty)."""

    verdict: Verdict
    comment: str = ""


class StageReviewRequest(Wire):
    """Body of ``POST /mission-progress/{id}/mentor-review/complete``."""

    client_op_id: str
    base_version: int
    stage: str
    decision: str | None = None  # approve | request_revision | fail on the final stage, else None
    subtask_scores: dict[str, dict[str, float]] = {}
    mission_score: float | None = None
    feedback_written: str = ""
    feedback_per_subtask: dict[str, str] = {}
    decision_annotations: dict[str, DecisionAnnotation] = {}
    audio_media_id: str | None = None
    video_media_id: str | None = None
    recommended_recipes: list[str] = []


class StageReviewResult(Wire):
    status: str
    final_status: str | None = None
    mentor_score: OptFloat = None
    version: int
    stage: StageRef | str | None = None  # the stage the review is now at (an object on the sandbox)


class MediaUploadResult(Wire):
    id: StrId
    url: str
    size: int
    sha256: str
    content_type: str = ""
    duration_seconds: OptFloat = None


# --- Tier-5 sign-off and scoring meetings (layer B) -------------------------------------------------------


class Tier5Learner(Wire):
    learner: LearnerRef
    track_code: str
    status: Tier5Status
    tier5_mentor_approval: bool = False
    approved_by: Person = None
    approved_at: Timestamp = None


class MentorApproval(Wire):
    learner_id: int
    track_code: str
    tier5_mentor_approval: bool
    approved_by: Person = None
    approved_at: Timestamp = None
    comment: str | None = None


def _label(person: PersonRef | None) -> str:
    if person is None:
        return "?"
    return person.name or person.email or str(person.id)


class PanelMember(Wire):
    mentor: Person = None
    submitted_at: Timestamp = None


class PanelScores(Wire):
    """One panel member's scores (``my_scores``, or an entry of ``scores`` once revealed)."""

    mentor: Person = None
    subtask_scores: dict[str, dict[str, float]] = {}
    comment: str = ""
    submitted_at: Timestamp = None


class Meeting(Wire):
    """A scoring meeting. ``rubric`` may be one rubric or, per subtask rubric, a map of them."""

    id: StrId
    review_id: StrId
    lead: Person = None
    panel: list[PanelMember] = []
    state: str = ""  # scoring | revealed | closed
    blind: bool = True
    rubric: dict[str, RubricModel] | RubricModel | None = None
    my_scores: PanelScores | None = None
    scores: list[PanelScores] | None = None  # everyone's, only once revealed
    consensus: dict[str, Any] | None = None
    version: int = 0

    def revealed_scores(self) -> dict[str, dict[str, dict[str, float]]]:
        """Everyone's scores by panel member's name (for ``domain.agreement.panel_agreement``)."""
        return {_label(s.mentor): s.subtask_scores for s in self.scores or []}

    def rubrics(self) -> dict[str, Rubric]:
        if isinstance(self.rubric, RubricModel):
            return {self.rubric.id: self.rubric.to_domain()}
        return {rid: r.to_domain() for rid, r in (self.rubric or {}).items()}
