"""Pydantic wire models: the platform's JSON, field for field, and converters to domain objects.

Conventions: every model ignores unknown fields; enum-like values (``status``, ``kind``, ``state``...) are
plain ``str`` so that a value this version does not know survives and is shown as-is; ids that OCH sends
as ``"1"`` or ``1`` are normalised to ``int`` where the contract says "integer id".

Sections: auth (layer A) · OCH v1 mentor endpoints (layer A) · Tier-5 status (both) · layer B reviews,
rubrics, claims, stage reviews, media, Tier-5 sign-off, scoring meetings · events · converters.
Request bodies the client sends are models too (:class:`StageReviewRequest`, ...), serialised with
``model_dump(mode="json")``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from mentor_desk.domain.decision_path import DecisionPoint, TakenDecision, Verdict
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.scoring import DEFAULT_PASS_THRESHOLD, Criterion, Level, Rubric, SubtaskSpec
from mentor_desk.domain.tier5 import Readiness, Tier5Counts, readiness


def _blank_to_none(value: Any) -> Any:
    return None if value == "" else value


def _str_id(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _user_id(value: Any) -> Any:
    """An integer user id, sent as 1 or "1"; anything else (a uuid where an int was expected) is unknown."""
    if isinstance(value, str):
        return int(value) if value.strip().isdigit() else None
    return value


def _numbers(value: Any) -> Any:
    """A ``{key: number}`` map with anything that is not a number left out (a non-map becomes empty)."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def _score_map(value: Any) -> Any:
    """``{subtask_id: {criterion_id: number}}``, keeping only well-formed entries (tolerant of odd servers)."""
    if not isinstance(value, Mapping):
        return {}
    return {str(sid): _numbers(crit) for sid, crit in value.items() if isinstance(crit, Mapping)}


def _objects(value: Any) -> Any:
    """A list of JSON objects, anything else in it left out (a non-list becomes empty)."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _texts(value: Any) -> Any:
    """A ``{key: text}`` map with non-text values left out."""
    return {str(k): v for k, v in value.items() if isinstance(v, str)} if isinstance(value, Mapping) else {}


Timestamp = Annotated[datetime | None, BeforeValidator(_blank_to_none)]
Numbers = Annotated[dict[str, float], BeforeValidator(_numbers)]
ScoreMap = Annotated[dict[str, dict[str, float]], BeforeValidator(_score_map)]
Texts = Annotated[dict[str, str], BeforeValidator(_texts)]
UserId = Annotated[int | None, BeforeValidator(_user_id)]
OptInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
OptFloat = Annotated[float | None, BeforeValidator(_blank_to_none)]
StrId = Annotated[str, BeforeValidator(_str_id)]
OptStrId = Annotated[str | None, BeforeValidator(_str_id)]


class Wire(BaseModel):
    """Base of every wire model: unknown fields ignored, instances immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True)


def list_items(body: Any) -> tuple[list[Any], int | None]:
    """The rows and total count of a list answer in any of the platform's envelopes.

    Accepts a bare array, ``{results}``, ``{results, count}`` and DRF's ``{count, next, previous, results}``.
    Raises ``ValueError`` for anything else.
    """
    if isinstance(body, list):
        return body, None
    if isinstance(body, Mapping) and isinstance(body.get("results"), list):
        count = body.get("count")
        return body["results"], count if isinstance(count, int) else None
    raise ValueError("expected a list or a {results: [...]} object")


# --- auth (layer A) ---------------------------------------------------------------------------------------


class UserRole(Wire):
    role: str
    role_display_name: str = ""
    scope: str | None = None
    scope_ref: str | None = None


class LoginUser(Wire):
    id: int
    uuid_id: str | None = None
    email: str = ""
    first_name: str | None = ""
    last_name: str | None = ""
    roles: list[UserRole] = []
    is_mentor: bool | None = None
    mfa_enabled: bool | None = None

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.email


class LoginResponse(Wire):
    access_token: str = Field(repr=False)
    refresh_token: str = Field(repr=False)
    user: LoginUser | None = None
    primary_role: str | None = None
    consent_scopes: list[str] = []
    profiling_required: bool | None = None


class MfaChallenge(Wire):
    """The 200 answer of a login that needs a second factor (no access token in it)."""

    mfa_required: bool = True
    session_id: str | None = None
    refresh_token: str = Field(repr=False)
    mfa_method: str | None = None
    mfa_methods_available: list[str] = []
    primary_role: str | None = None
    detail: str | None = None


class TokenPair(Wire):
    access_token: str = Field(repr=False)
    refresh_token: str = Field(repr=False)


class MeUser(Wire):
    id: int
    email: str = ""
    name: str = ""
    track_key: str | None = None


class Me(Wire):
    """``GET /auth/me``: who is signed in and with which roles."""

    user: MeUser
    roles: list[UserRole] = []
    permissions: list[str] = []

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name or self.user.email

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)

    @property
    def is_mentor(self) -> bool:
        return "mentor" in self.role_names

    @property
    def may_lead_meetings(self) -> bool:
        """Program directors and admins may lead scoring meetings (track primary mentors too, per track)."""
        return bool(self.role_names & {"program_director", "admin"})


# --- OCH v1 mentor endpoints (layer A) --------------------------------------------------------------------


class V1SubmissionRow(Wire):
    """A row of ``GET /mentors/{id}/missions/submissions``."""

    id: str
    mission_id: str = ""
    mission_title: str = ""
    mentee_id: UserId = None
    mentee_name: str = ""
    mentee_email: str = ""
    status: str = ""
    submitted_at: Timestamp = None
    ai_score: OptFloat = None
    mentor_score: OptFloat = None
    reviewed_at: Timestamp = None
    feedback: str | None = None


class WorkQueueItem(Wire):
    """A row of ``GET /mentor/workqueue``."""

    id: StrId
    mentor: OptStrId = None
    mentee: OptStrId = None
    mentee_name: str | None = None
    mentee_email: str | None = None
    type: str = ""
    priority: str = ""
    title: str = ""
    description: str | None = None
    reference_id: str | None = None
    reference_url: str | None = None
    sla_hours: OptFloat = None
    sla_remaining: str | None = None
    due_at: Timestamp = None
    completed_at: Timestamp = None
    created_at: Timestamp = None
    status: str = ""


class V1CapstoneRow(Wire):
    """A row of ``GET /mentors/{id}/capstones`` (a capstone *submission*; ``rubric_id`` is the mission id)."""

    id: str
    title: str = ""
    mentee_name: str = ""
    submitted_at: Timestamp = None
    rubric_id: str | None = None


class V1Subtask(Wire):
    id: StrId
    title: str = ""
    description: str = ""
    order_index: OptInt = None
    estimated_minutes: OptInt = None
    dependencies: list[Any] = []
    evidence_schema: dict[str, Any] | None = None


class V1Mission(Wire):
    """``GET /missions/{id}/`` (MissionSerializer) and the student mission detail: no rubric, no branching."""

    id: str
    title: str = ""
    description: str = ""
    difficulty: int | str | None = None
    mission_type: str | None = None
    type: str | None = None
    track: str | None = None
    track_id: str | None = None
    tier: str | None = None
    code: str | None = None
    requires_mentor_review: bool | None = None
    estimated_duration_min: OptInt = None
    skills_tags: list[str] = []
    subtasks: list[V1Subtask] = []
    submission_requirements: dict[str, Any] | None = None


class V1ReviewResult(Wire):
    """``POST /mentor/missions/{submission_id}/review``."""

    status: str
    submission_id: str | None = None
    approved: bool | None = None


class InteractionRow(Wire):
    """A mentorship interaction (list row, create answer and detail share this model)."""

    id: str
    mentor_id: str | None = None
    mentor_name: str | None = None
    mentee_id: str | None = None
    mentee_name: str | None = None
    mission_id: str | None = None
    capstone_project_id: str | None = None
    interaction_type: str = ""
    phase: str | None = None
    status: str = ""
    review_phase: OptInt = None
    total_phases: OptInt = None
    overall_score: OptFloat = None
    has_audio_feedback: bool | None = None
    has_video_feedback: bool | None = None
    is_scoring_meeting: bool | None = None
    created_at: Timestamp = None
    completed_at: Timestamp = None


class Interaction(InteractionRow):
    """``GET /mentorship-interactions/{id}/``: every stored field."""

    is_multi_phase: bool | None = None
    written_feedback: str | None = None
    feedback_per_subtask: dict[str, Any] = {}
    feedback_per_decision: dict[str, Any] = {}
    audio_feedback_url: str | None = None
    video_feedback_url: str | None = None
    audio_duration_seconds: OptFloat = None
    video_duration_seconds: OptFloat = None
    rubric_scores: dict[str, Any] = {}
    subtask_scores: dict[str, Any] = {}
    meeting_notes: str | None = None
    meeting_duration_minutes: OptInt = None
    recommended_next_steps: list[Any] = []
    recommended_recipes: list[Any] = []
    scheduled_at: Timestamp = None
    started_at: Timestamp = None
    updated_at: Timestamp = None


class InteractionUpdated(Wire):
    id: str
    status: str = ""
    message: str | None = None


class FeedbackMediaRegistered(Wire):
    """``POST /mentorship-interactions/{id}/upload-feedback/`` (records a URL; not an upload)."""

    id: str
    media_type: str
    file_url: str
    duration_seconds: OptFloat = None
    message: str | None = None


class MentorAssignment(Wire):
    """A row of ``GET /mentorship/mentors/{id}/assignments`` (assignment ``id`` is a uuid)."""

    id: str
    mentee_id: OptStrId = None
    mentee_name: str | None = None
    mentor_id: OptStrId = None
    status: str | None = None


class MessageAttachment(Wire):
    id: StrId
    filename: str = ""
    file_size: OptInt = None
    content_type: str | None = None
    file: str | None = None  # absolute URL
    created_at: Timestamp = None


class MentorshipMessage(Wire):
    id: StrId
    body: str = ""
    subject: str | None = None
    attachments: list[MessageAttachment] = []
    created_at: Timestamp = None


# --- Tier-5 status (layer A body, reused by layer B) -----------------------------------------------------


class Tier5Status(Wire):
    """``GET /curriculum/tier5/tracks/{code}/status``."""

    track_code: str
    track_name: str = ""
    progression_mode: str | None = None
    completion_percentage: float = 0.0
    is_complete: bool = False
    tier5_completion_requirements_met: bool = False
    requirements: Tier5Counts = Tier5Counts()  # the domain's dataclass: pydantic fills it, ignoring extra keys
    missing_requirements: list[str] = []
    mastery_complete: bool = False

    def readiness(self) -> Readiness:
        """The sign-off checklist for this status."""
        return readiness(self.requirements, self.missing_requirements)


class Tier5Completed(Wire):
    success: bool
    message: str | None = None
    completed_at: Timestamp = None
    mastery_achieved: bool | None = None


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


# --- events -----------------------------------------------------------------------------------------------


class PlatformEvent(Wire):
    """One server-sent event. On OCH v1 ``event`` is the top-level key (``work_queue``, ``risk_alert``...)."""

    id: str | None = None
    event: str
    data: dict[str, Any] = {}


# --- converters -------------------------------------------------------------------------------------------


def review_row_to_queue_item(row: ReviewRow, *, my_user_id: int | None = None) -> QueueItem:
    holder = row.claimed_by
    return QueueItem(
        id=row.id,
        kind=row.kind,
        mission_id=row.mission.id,
        mission_title=row.mission.title,
        status=row.status,
        learner_name=row.learner.name,
        mission_code=row.mission.code,
        track=row.mission.track,
        tier="" if row.mission.tier is None else str(row.mission.tier),
        mission_type=row.mission.mission_type,
        learner_id=row.learner.id,
        learner_uuid=row.learner.uuid_id,
        learner_email=row.learner.email,
        stage_index=row.stage.index + 1,  # the wire counts stages from 0, the queue shows "k/n" from 1
        stage_total=row.stage.total,
        stage_name=row.stage.name,
        attempt=row.attempt,
        submitted_at=row.submitted_at,
        ai_score=row.ai_score,
        claimed_by=(holder.name or holder.email or None) if holder else None,
        claimed_by_me=bool(holder and my_user_id is not None and holder.id == my_user_id),
        presentation_required=row.presentation_required,
        version=row.version,
        updated_at=row.updated_at,
        assigned=row.assigned,
    )


def v1_row_to_queue_item(row: V1SubmissionRow, *, kind: str = "mission") -> QueueItem:
    extra = {"mentor_score": str(row.mentor_score)} if row.mentor_score is not None else {}
    return QueueItem(
        id=row.id,
        kind=kind,
        mission_id=row.mission_id,
        mission_title=row.mission_title,
        status=row.status,
        learner_name=row.mentee_name or row.mentee_email,
        learner_id=row.mentee_id,
        learner_email=row.mentee_email,
        submitted_at=row.submitted_at,
        ai_score=row.ai_score,
        updated_at=row.reviewed_at or row.submitted_at,
        extra=extra,
    )


def to_queue_item(row: ReviewRow | V1SubmissionRow, *, my_user_id: int | None = None) -> QueueItem:
    """Either layer's queue row as the app's :class:`QueueItem`."""
    if isinstance(row, ReviewRow):
        return review_row_to_queue_item(row, my_user_id=my_user_id)
    return v1_row_to_queue_item(row)
