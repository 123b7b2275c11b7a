"""The review status machine, and how both platform layers' status words map onto it.

Layer B speaks the MissionProgress vocabulary (``submitted → ai_reviewed → mentor_review → approved |
revision_requested | failed``). OCH v1 (layer A) speaks the MissionSubmission one, where a mentor's
"needs revision" and "fail" are both stored as ``rejected``; that value is kept apart as
:attr:`ReviewStatus.REJECTED` ("Rejected (revision or fail)") because the two cannot be told apart.

Statuses are kept raw on the wire and in :class:`~mentor_desk.domain.queue.QueueItem`; :func:`parse_status`
interprets them, and :func:`human_label` shows an unknown value exactly as the server sent it.
"""

from __future__ import annotations

from enum import StrEnum


class ReviewStatus(StrEnum):
    DRAFT = "draft"  # the learner has not submitted (draft, in progress, locked, capstone phases...)
    SUBMITTED = "submitted"
    AI_REVIEWED = "ai_reviewed"
    MENTOR_REVIEW = "mentor_review"
    APPROVED = "approved"
    REVISION_REQUESTED = "revision_requested"
    FAILED = "failed"
    REJECTED = "rejected"  # OCH v1: revision requested or failed, indistinguishable
    UNKNOWN = "unknown"  # a value this version does not know; show the raw string


class Decision(StrEnum):
    """A mentor's final decision, with its wire value on layer B."""

    APPROVE = "approve"
    REQUEST_REVISION = "request_revision"
    FAIL = "fail"

    @property
    def needs_feedback(self) -> bool:
        """Request revision and fail must explain themselves in written feedback."""
        return self is not Decision.APPROVE


_ALIASES: dict[str, ReviewStatus] = {
    **{s.value: s for s in ReviewStatus if s is not ReviewStatus.UNKNOWN},
    "pending": ReviewStatus.DRAFT,
    "locked": ReviewStatus.DRAFT,
    "available": ReviewStatus.DRAFT,
    "in_progress": ReviewStatus.DRAFT,
    "paused": ReviewStatus.DRAFT,
    "not_started": ReviewStatus.DRAFT,
    "investigation": ReviewStatus.DRAFT,
    "decision_making": ReviewStatus.DRAFT,
    "design_remediation": ReviewStatus.DRAFT,
    "reporting": ReviewStatus.DRAFT,
    "presentation": ReviewStatus.DRAFT,
    "in_ai_review": ReviewStatus.SUBMITTED,
    "in_mentor_review": ReviewStatus.MENTOR_REVIEW,
    "in_review": ReviewStatus.MENTOR_REVIEW,
    "under_review": ReviewStatus.MENTOR_REVIEW,
    "needs_revision": ReviewStatus.REVISION_REQUESTED,
    "pass": ReviewStatus.APPROVED,
    "fail": ReviewStatus.FAILED,
}

_LABELS: dict[ReviewStatus, str] = {
    ReviewStatus.DRAFT: "Not submitted",
    ReviewStatus.SUBMITTED: "Submitted",
    ReviewStatus.AI_REVIEWED: "AI reviewed",
    ReviewStatus.MENTOR_REVIEW: "Awaiting mentor review",
    ReviewStatus.APPROVED: "Approved",
    ReviewStatus.REVISION_REQUESTED: "Revision requested",
    ReviewStatus.FAILED: "Failed",
    ReviewStatus.REJECTED: "Rejected (revision or fail)",
    ReviewStatus.UNKNOWN: "Unknown status",
}

_AWAITING = frozenset({ReviewStatus.SUBMITTED, ReviewStatus.AI_REVIEWED, ReviewStatus.MENTOR_REVIEW})
_DECISIONS = frozenset({ReviewStatus.APPROVED, ReviewStatus.REVISION_REQUESTED, ReviewStatus.FAILED})

_TRANSITIONS: dict[ReviewStatus, frozenset[ReviewStatus]] = {
    ReviewStatus.DRAFT: frozenset({ReviewStatus.SUBMITTED}),
    ReviewStatus.SUBMITTED: frozenset({ReviewStatus.AI_REVIEWED}),
    # A mentor may decide straight from ai_reviewed (claiming moves the item to mentor_review first).
    ReviewStatus.AI_REVIEWED: frozenset({ReviewStatus.MENTOR_REVIEW}) | _DECISIONS,
    ReviewStatus.MENTOR_REVIEW: _DECISIONS,
    ReviewStatus.REVISION_REQUESTED: frozenset({ReviewStatus.SUBMITTED}),
}

_RESULTS: dict[Decision, ReviewStatus] = {
    Decision.APPROVE: ReviewStatus.APPROVED,
    Decision.REQUEST_REVISION: ReviewStatus.REVISION_REQUESTED,
    Decision.FAIL: ReviewStatus.FAILED,
}


def parse_status(raw: str | None) -> ReviewStatus:
    """Interpret a status word from either layer (case and surrounding blanks ignored)."""
    if not raw:
        return ReviewStatus.UNKNOWN
    return _ALIASES.get(raw.strip().lower().replace("-", "_").replace(" ", "_"), ReviewStatus.UNKNOWN)


def human_label(status: ReviewStatus | str | None) -> str:
    """A label for the UI; a raw value this version does not know is shown as the server sent it."""
    parsed = status if isinstance(status, ReviewStatus) else parse_status(status)
    if parsed is ReviewStatus.UNKNOWN and isinstance(status, str) and not isinstance(status, ReviewStatus):
        return status.strip() or _LABELS[ReviewStatus.UNKNOWN]
    return _LABELS[parsed]


def is_awaiting_mentor(status: ReviewStatus | str | None) -> bool:
    """Whether the item belongs in the "to review" part of the queue."""
    parsed = status if isinstance(status, ReviewStatus) else parse_status(status)
    return parsed in _AWAITING


def is_final(status: ReviewStatus | str | None) -> bool:
    """Whether a decision has been recorded (approved, revision requested, failed or OCH's rejected)."""
    parsed = status if isinstance(status, ReviewStatus) else parse_status(status)
    return parsed in _DECISIONS or parsed is ReviewStatus.REJECTED


def legal_transitions(status: ReviewStatus) -> frozenset[ReviewStatus]:
    """Statuses the platform allows next. Final and unknown statuses have none."""
    return _TRANSITIONS.get(status, frozenset())


def can_decide(status: ReviewStatus | str | None) -> bool:
    """Whether a mentor's decision may be recorded now (AI reviewed or in mentor review)."""
    parsed = status if isinstance(status, ReviewStatus) else parse_status(status)
    return legal_transitions(parsed) >= _DECISIONS


def resulting_status(decision: Decision) -> ReviewStatus:
    return _RESULTS[decision]
