"""The review status machine and the mapping of both layers' vocabularies."""

from __future__ import annotations

import pytest

from mentor_desk.domain.status import (
    Decision,
    ReviewStatus,
    can_decide,
    human_label,
    is_awaiting_mentor,
    is_final,
    legal_transitions,
    parse_status,
    resulting_status,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("submitted", ReviewStatus.SUBMITTED),
        ("ai_reviewed", ReviewStatus.AI_REVIEWED),
        ("in_ai_review", ReviewStatus.SUBMITTED),
        ("mentor_review", ReviewStatus.MENTOR_REVIEW),
        ("in_mentor_review", ReviewStatus.MENTOR_REVIEW),
        ("in_review", ReviewStatus.MENTOR_REVIEW),
        ("under_review", ReviewStatus.MENTOR_REVIEW),
        ("approved", ReviewStatus.APPROVED),
        ("needs_revision", ReviewStatus.REVISION_REQUESTED),
        ("revision_requested", ReviewStatus.REVISION_REQUESTED),
        ("failed", ReviewStatus.FAILED),
        ("rejected", ReviewStatus.REJECTED),
        ("draft", ReviewStatus.DRAFT),
        ("pending", ReviewStatus.DRAFT),
        ("  In_Mentor_Review ", ReviewStatus.MENTOR_REVIEW),
        ("escalated_to_board", ReviewStatus.UNKNOWN),
        ("", ReviewStatus.UNKNOWN),
        (None, ReviewStatus.UNKNOWN),
    ],
)
def test_parse_status(raw: str | None, expected: ReviewStatus) -> None:
    assert parse_status(raw) is expected


def test_labels() -> None:
    assert human_label("rejected") == "Rejected (revision or fail)"
    assert human_label(ReviewStatus.MENTOR_REVIEW) == "Awaiting mentor review"
    assert human_label("escalated_to_board") == "escalated_to_board"  # unknown values shown as sent
    assert human_label(None) == "Unknown status"
    assert all(human_label(s) for s in ReviewStatus)


def test_awaiting_and_final() -> None:
    assert is_awaiting_mentor("in_mentor_review") and is_awaiting_mentor("ai_reviewed")
    assert not is_awaiting_mentor("approved") and not is_awaiting_mentor("weird")
    assert is_final("rejected") and is_final(ReviewStatus.FAILED) and not is_final("submitted")


def test_machine() -> None:
    assert legal_transitions(ReviewStatus.MENTOR_REVIEW) == {
        ReviewStatus.APPROVED,
        ReviewStatus.REVISION_REQUESTED,
        ReviewStatus.FAILED,
    }
    assert legal_transitions(ReviewStatus.REVISION_REQUESTED) == {ReviewStatus.SUBMITTED}
    assert legal_transitions(ReviewStatus.APPROVED) == frozenset()
    assert legal_transitions(ReviewStatus.UNKNOWN) == frozenset()
    assert can_decide("in_mentor_review") and can_decide("ai_reviewed")
    assert not can_decide("approved") and not can_decide("submitted") and not can_decide("rejected")


def test_decisions() -> None:
    assert resulting_status(Decision.APPROVE) is ReviewStatus.APPROVED
    assert resulting_status(Decision.REQUEST_REVISION) is ReviewStatus.REVISION_REQUESTED
    assert resulting_status(Decision.FAIL) is ReviewStatus.FAILED
    assert not Decision.APPROVE.needs_feedback and Decision.FAIL.needs_feedback
    assert Decision("request_revision") is Decision.REQUEST_REVISION
    for decision in Decision:
        assert resulting_status(decision) in legal_transitions(ReviewStatus.MENTOR_REVIEW)
