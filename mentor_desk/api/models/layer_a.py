"""OCH v1 wire models (layer A): auth, the v1 mentor endpoints, Tier-5 status (reused by layer B) and events."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from mentor_desk.api.models.wire import OptFloat, OptInt, OptStrId, StrId, Timestamp, UserId, Wire
from mentor_desk.domain.tier5 import Readiness, Tier5Counts, readiness

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


# --- events -----------------------------------------------------------------------------------------------


class PlatformEvent(Wire):
    """One server-sent event. On OCH v1 ``event`` is the top-level key (``work_queue``, ``risk_alert``...)."""

    id: str | None = None
    event: str
    data: dict[str, Any] = {}
