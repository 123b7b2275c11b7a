"""The rules of writing a review: a fresh draft, the carry-over of a resubmission, and when a draft may be sent."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from mentor_desk.domain.draft import DecisionNote, ReviewDraft
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.review import Attempt, Baseline, BranchingPoint, ReviewView
from mentor_desk.domain.review_rules import (
    V1Record,
    below_pass_line,
    carry_over,
    count_v1_attempts,
    fresh_draft,
    submit_problems,
    v1_record,
)
from mentor_desk.domain.scoring import Criterion, Rubric, SubtaskSpec
from mentor_desk.domain.status import Decision

RUBRIC = Rubric("r1", 3, "Rubric", 0, 4, criteria=(Criterion("tech", "Tech", weight=3), Criterion("docs", "Docs")))
FULL = {"1": {"tech": 4.0, "docs": 4.0}, "2": {"tech": 4.0, "docs": 4.0}}


def review(**changes: Any) -> ReviewView:
    base = ReviewView(
        id="rv",
        version=7,
        kind="mission",
        status="mentor_review",
        attempt=1,
        mission_title="Contain the beachhead",
        mission_code="DEF-5",
        learner_name="Ada",
        stage="",
        stages=[],
        subtasks=[SubtaskSpec("1", "Scope", 2, "r1"), SubtaskSpec("2", "Report", 1, "r1")],
        subtask_descriptions={},
        rubrics={"r1": RUBRIC},
        files=[],
        branching=[BranchingPoint("1", "d1", "Isolate now?", (), None, "")],
        decisions={},
        reflection="",
        ai_review={},
        time_per_stage={},
        hints_used=[],
        history=[],
        updated_at="2026-11-30T06:54:04+00:00",
    )
    return replace(base, **changes)


def earlier_attempt(scores: dict[str, dict[str, float]]) -> Attempt:
    return Attempt(1, "request_revision", 50.0, "Redo the timeline.", datetime(2026, 11, 1, tzinfo=UTC), scores,
                   {"1": "Scope too narrow"})


def test_a_fresh_draft_is_bound_to_what_it_starts_from() -> None:
    draft = fresh_draft(review(), feedback_written="Start")
    assert draft == ReviewDraft(
        base_version=7,
        attempt=1,
        stage="",
        server_status="mentor_review",
        server_updated_at="2026-11-30T06:54:04+00:00",
        rubric_versions={"r1": 3},
        feedback_written="Start",
    )


def test_a_first_attempt_carries_nothing_over() -> None:
    mine = fresh_draft(review(), feedback_written="Mine")
    assert carry_over(review(), None) == carry_over(review(), None) and carry_over(review(), None).draft is None
    assert carry_over(review(), mine).draft == mine and carry_over(review(), mine).baseline is None


def test_a_resubmission_starts_from_the_servers_record_of_the_previous_review() -> None:
    scores = {"1": {"tech": 2.0, "docs": 2.0}}
    resubmitted = review(attempt=2, history=[earlier_attempt(scores)])
    start = carry_over(resubmitted, None)
    assert start.baseline == Baseline(1, scores, "Redo the timeline.", {"1": "Scope too narrow"})
    assert start.draft is not None and start.draft.attempt == 2 and start.draft.base_version == 7
    assert start.draft.subtask_scores == scores and start.draft.feedback_written == "Redo the timeline."
    assert start.draft.mission_score == 50.0  # (3·2 + 1·2)/4 on 0–4 → 50 for the one scored subtask
    assert start.note == "Pre-filled from the review of attempt 1; changes are highlighted"
    kept = replace(start.draft, feedback_written="Better now.")
    assert carry_over(resubmitted, kept).draft == kept, "this attempt's own draft is never overwritten"


def test_my_own_draft_of_the_earlier_attempt_is_the_baseline() -> None:
    mine = ReviewDraft(attempt=1, subtask_scores={"2": {"docs": 1.0}}, feedback_written="Mine, attempt 1")
    start = carry_over(review(attempt=2, history=[earlier_attempt({"1": {"tech": 2.0}})]), mine)
    assert start.baseline == Baseline(1, {"2": {"docs": 1.0}}, "Mine, attempt 1", {})
    assert start.draft is not None and start.draft.attempt == 2 and start.draft.subtask_scores == {"2": {"docs": 1.0}}


def test_scores_against_another_rubric_version_are_carried_without_a_mission_score() -> None:
    start = carry_over(review(attempt=2, history=[earlier_attempt({"1": {"gone": 3.0}})]), None)
    assert start.draft is not None and start.draft.subtask_scores == {"1": {"gone": 3.0}}
    assert start.draft.mission_score is None


def test_a_complete_review_may_be_submitted() -> None:
    ready = ReviewDraft(subtask_scores=FULL, decision="approve")
    assert submit_problems(review(), ready, decided_after_ai_review=True) == []


def test_each_missing_part_is_said_in_words() -> None:
    draft = ReviewDraft(subtask_scores={"1": {"tech": 4.0}}, decision_annotations={"d1": DecisionNote("", "Why?")})
    problems = submit_problems(review(), draft, decided_after_ai_review=True)
    assert any("Docs" in p or "docs" in p for p in problems), problems  # the unscored criterion is named
    assert "Choose a verdict for decision “Scope — Isolate now?”: a comment needs one" in " ".join(problems)
    assert problems[-1] == "Choose a decision: approve, request revision or fail."


def test_a_revision_needs_a_reason() -> None:
    draft = ReviewDraft(subtask_scores=FULL, decision="request_revision", feedback_written="  ")
    assert submit_problems(review(), draft, decided_after_ai_review=True) == [
        "“Revision requested” needs a reason: write it in the feedback."
    ]


def test_a_decided_attempt_or_one_before_the_ai_review_takes_no_decision() -> None:
    ready = ReviewDraft(subtask_scores=FULL, decision="approve")
    assert submit_problems(review(status="approved"), ready, decided_after_ai_review=True) == [
        "This attempt is already decided (Approved)."
    ]
    waiting = submit_problems(review(status="submitted"), ready, decided_after_ai_review=True)
    assert waiting == [
        "This submission is “Submitted”: the platform takes a decision once the AI review is done. "
        "Your draft is kept until then."
    ]
    assert submit_problems(review(status="submitted"), ready, decided_after_ai_review=False) == []


def test_a_stage_before_the_last_needs_neither_every_score_nor_a_decision() -> None:
    staged = review(stage="investigation", stages=["investigation", "final"])
    assert submit_problems(staged, ReviewDraft(subtask_scores={"1": {"tech": 3.0}}), decided_after_ai_review=True) == []


def test_an_approval_needs_the_pass_line() -> None:
    low = {"1": {"tech": 2.0, "docs": 2.0}, "2": {"tech": 4.0, "docs": 4.0}}  # (2·50 + 1·100)/3 = 66.67
    approve = fresh_draft(review(), subtask_scores=low, decision="approve")
    found = submit_problems(review(), approve, decided_after_ai_review=False)
    assert found == [
        "Approving needs a mission score of at least 70 (the pass line); this one is 66.67. "
        "Request a revision, or check the scores."
    ]
    assert found == [below_pass_line(review(), approve)]
    revise = replace(approve, decision="request_revision", feedback_written="Redo the scope.")
    assert below_pass_line(review(), revise) == ""
    assert submit_problems(review(), revise, decided_after_ai_review=False) == []
    assert below_pass_line(review(), replace(approve, subtask_scores=FULL)) == ""


def test_what_och_v1_records_of_a_decision() -> None:
    assert v1_record(ReviewDraft()) is None
    approved = v1_record(ReviewDraft(decision="approve", mission_score=64.5))
    assert approved == V1Record(True, 65)
    assert approved is not None
    assert approved.words(Decision.APPROVE) == (
        "OCH v1 will record: approved, score 65 / 100, with your written feedback."
    )
    revision = v1_record(ReviewDraft(decision="request_revision", mission_score=64.07))
    assert revision is not None and revision == V1Record(False, 64)
    assert "rejected, score 64 / 100" in revision.words(Decision.REQUEST_REVISION)
    assert "the feedback tells the learner to resubmit" in revision.words(Decision.REQUEST_REVISION)
    unscored = v1_record(ReviewDraft(decision="request_revision"))
    assert unscored is not None and unscored == V1Record(False, None)
    assert "score 50 / 100" in unscored.words(Decision.REQUEST_REVISION)


def test_och_v1_attempts_are_counted_from_the_submission_time() -> None:
    first = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def row(review_id: str, submitted_at: datetime | None, attempt: int = 1) -> QueueItem:
        return QueueItem(
            review_id, "mission", "m1", "Contain", "submitted", "Ada", attempt=attempt, submitted_at=submitted_at
        )

    known = {"a": row("a", first, attempt=2), "b": row("b", first), "c": row("c", None)}
    later = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    counted = count_v1_attempts(known, [row("a", later), row("b", first), row("c", later), row("new", later)])
    assert [(item.id, item.attempt) for item in counted] == [("a", 3), ("b", 1), ("c", 1), ("new", 1)]
