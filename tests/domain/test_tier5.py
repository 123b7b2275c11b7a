"""The Tier-5 sign-off checklist."""

from __future__ import annotations

from mentor_desk.domain.tier5 import APPROVAL_REQUIREMENT, Tier5Counts, readiness


def test_checklist_lines_and_blocking() -> None:
    counts = Tier5Counts(
        mastery_missions_total=2,
        mastery_missions_approved=1,
        capstone_total=1,
        capstone_approved=1,
        reflections_required=1,
        reflections_submitted=1,
        rubric_passed=True,
    )
    result = readiness(counts, ["Complete and get approval for all 2 Mastery mission(s)", APPROVAL_REQUIREMENT])
    lines = {line.label: line for line in result.lines}
    assert not lines["Mastery missions approved"].done and lines["Mastery missions approved"].detail == "1 of 2"
    assert lines["Capstone approved"].done and lines["Rubric threshold met on every mission"].done
    assert result.blocking == ("Complete and get approval for all 2 Mastery mission(s)",)
    assert not result.can_approve


def test_only_the_approval_missing_means_approvable() -> None:
    done = Tier5Counts(mastery_missions_total=2, mastery_missions_approved=2, rubric_passed=True)
    assert readiness(done, [APPROVAL_REQUIREMENT]).can_approve
    assert not readiness(Tier5Counts(mentor_approval=True), []).can_approve  # already approved
