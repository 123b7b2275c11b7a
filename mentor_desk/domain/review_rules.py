"""The rules of writing a review: a new draft's starting point, what a resubmission carries over from the review
of the previous attempt, when a draft may be submitted, and what OCH v1 records of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mentor_desk.domain.decision_path import lacking_verdict
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.review import Baseline, ReviewView
from mentor_desk.domain.scoring import ScoringError, summarize, validate_scores
from mentor_desk.domain.status import Decision, can_decide, human_label, is_final, resulting_status


def fresh_draft(review: ReviewView, **values: Any) -> ReviewDraft:
    """A new draft of ``review``: bound to the version, attempt, stage, status and rubric versions it starts from,
    with ``values`` filled in."""
    return ReviewDraft(
        base_version=review.version,
        attempt=review.attempt,
        stage=review.stage,
        server_status=review.status,
        server_updated_at=review.updated_at,
        rubric_versions={r.id: r.version for r in review.rubrics.values()},
        **values,
    )


@dataclass(frozen=True, slots=True)
class CarryOver:
    """Where the editing of a review starts: the draft (None: a fresh one), the earlier review the editors mark
    changes against (None on a first attempt) and a note for the mentor ("" when there is nothing to say)."""

    draft: ReviewDraft | None
    baseline: Baseline | None
    note: str = ""


def carry_over(review: ReviewView, draft: ReviewDraft | None) -> CarryOver:
    """For a resubmission, the previous attempt's review.

    The baseline is this mentor's own draft of the earlier attempt while it is still on this computer (it holds
    the whole review), else the server's record of that attempt (``history``). The editors mark what differs from
    it. When this attempt has no draft yet, the draft starts pre-filled from the baseline.
    """
    baseline = review.previous_review()
    if draft is not None and draft.attempt != review.attempt:
        earlier, draft = draft, None
        baseline = Baseline(
            earlier.attempt,
            {subtask: dict(criteria) for subtask, criteria in earlier.subtask_scores.items()},
            earlier.feedback_written,
            dict(earlier.feedback_per_subtask),
        )
    if draft is not None or baseline is None or review.attempt <= 1:
        return CarryOver(draft, baseline if review.attempt > 1 else None)
    scores = {subtask: dict(criteria) for subtask, criteria in (baseline.subtask_scores or {}).items()}
    try:
        mission_score = summarize(review.subtasks, review.rubrics, scores).mission_score
    except ScoringError:  # scored against another rubric version: the mentor re-scores, nothing is lost
        mission_score = None
    fresh = fresh_draft(
        review,
        subtask_scores=scores,
        mission_score=mission_score,
        feedback_written=baseline.feedback_written,
        feedback_per_subtask=dict(baseline.feedback_per_subtask or {}),
    )
    return CarryOver(
        fresh, baseline, f"Pre-filled from the review of attempt {baseline.attempt}; changes are highlighted"
    )


def submit_problems(review: ReviewView, draft: ReviewDraft, *, decided_after_ai_review: bool) -> list[str]:
    """Why ``draft`` cannot be submitted yet, as sentences (empty when it can).

    ``decided_after_ai_review``: the platform takes a decision only once its AI review is done (layer B; OCH v1
    takes one on anything awaiting a mentor).
    """
    try:
        found = validate_scores(
            review.subtasks, review.rubrics, draft.subtask_scores, require_complete=review.is_final_stage
        )
    except ScoringError as err:
        found = [str(err)]
    found += [
        f"Choose a verdict for decision “{review.decision_title(decision_id)}”: a comment needs one "
        "(matches ideal, acceptable or divergent)."
        for decision_id in lacking_verdict(draft.decision_annotations)
    ]
    if is_final(review.status):
        found.append(f"This attempt is already decided ({human_label(review.status)}).")
    elif review.is_final_stage and decided_after_ai_review and not can_decide(review.status):
        found.append(
            f"This submission is “{human_label(review.status)}”: the platform takes a decision once "
            "the AI review is done. Your draft is kept until then."
        )
    elif review.is_final_stage:
        if not draft.decision:
            found.append("Choose a decision: approve, request revision or fail.")
        elif Decision(draft.decision).needs_feedback and not draft.feedback_written.strip():
            found.append(
                f"“{human_label(resulting_status(Decision(draft.decision)))}” needs a reason: write it in the feedback."
            )
        elif below := below_pass_line(review, draft):
            found.append(below)
    return found


def below_pass_line(review: ReviewView, draft: ReviewDraft) -> str:
    """Why approving ``draft`` breaks the platform's rule that an approval needs the pass line (the rule layer B
    enforces; "" when the draft does not approve, or its mission score reaches the pass line or is not known yet).
    """
    if draft.decision != Decision.APPROVE.value:
        return ""
    try:
        summary = summarize(review.subtasks, review.rubrics, draft.subtask_scores)
    except ScoringError:  # validate_scores says what is wrong with the scores
        return ""
    if summary.mission_score is None or summary.passed:
        return ""
    return (
        f"Approving needs a mission score of at least {summary.pass_threshold:g} (the pass line); this one is "
        f"{summary.mission_score:.2f}. Request a revision, or check the scores."
    )


@dataclass(frozen=True, slots=True)
class V1Record:
    """What OCH v1 stores of a decision: ``approved`` (else its status is ``rejected``, for a revision request and a
    fail alike) and ``score``, the mission score rounded to a whole number, or None when there is none to send (OCH
    then derives 100 for a pass, 50 for a revision and 0 for a fail)."""

    approved: bool
    score: int | None

    def words(self, decision: Decision) -> str:
        """The sentence the submit confirmation shows: exactly what the platform will record."""
        status = "approved" if self.approved else "rejected"
        if self.score is None:
            derived = {Decision.APPROVE: 100, Decision.REQUEST_REVISION: 50}.get(decision, 0)
            return (
                f"OCH v1 will record: {status}, score {derived} / 100 (there is no mission score to send, so OCH "
                "derives it from the decision), with your written feedback."
            )
        kept_as = (
            " (OCH v1 keeps a revision request as “rejected”; the feedback tells the learner to resubmit)"
            if decision is Decision.REQUEST_REVISION
            else ""
        )
        return f"OCH v1 will record: {status}, score {self.score} / 100, with your written feedback{kept_as}."


def v1_record(draft: ReviewDraft) -> V1Record | None:
    """What OCH v1 will store for ``draft``'s decision (None without a decision)."""
    if not draft.decision:
        return None
    score = draft.mission_score
    whole = None if score is None else int(Decimal(str(score)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return V1Record(draft.decision == Decision.APPROVE.value, whole)


def count_v1_attempts(known: Mapping[str, QueueItem], rows: Iterable[QueueItem]) -> list[QueueItem]:
    """OCH v1's queue rows with their attempt numbers: OCH keeps a resubmission's id and says nothing of attempts,
    so a submission time later than the one this computer last saw (``known``: the cached rows) is the next
    attempt; otherwise a row keeps the attempt it had."""
    counted = []
    for row in rows:
        before = known.get(row.id)
        if before is None:
            counted.append(row)
            continue
        seen, now = before.submitted_at, row.submitted_at
        later = seen is not None and now is not None and now > seen
        counted.append(replace(row, attempt=before.attempt + 1 if later else before.attempt))
    return counted
