"""Tier-5 (mastery) readiness: the sign-off checklist a mentor reads before approving a learner.

The platform reports counts and a list of missing requirements (OCH's ``tier5/tracks/{code}/status``);
:func:`readiness` turns the counts into checklist lines and takes the platform's own list as the authority on
what still blocks a sign-off: the platform accepts an approval once nothing but the approval itself is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

APPROVAL_REQUIREMENT = "Mentor approval required"  # OCH's text for the approval itself


@dataclass(frozen=True, slots=True)
class Tier5Counts:
    mandatory_modules_total: int = 0
    mandatory_modules_completed: int = 0
    mastery_missions_total: int = 0
    mastery_missions_approved: int = 0
    capstone_total: int = 0
    capstone_approved: int = 0
    reflections_required: int = 0
    reflections_submitted: int = 0
    rubric_passed: bool = False
    mentor_approval: bool = False
    mentor_approval_required: bool = False


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    label: str
    done: bool
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Readiness:
    lines: tuple[ChecklistLine, ...]
    blocking: tuple[str, ...]  # the platform's missing requirements, apart from the approval itself
    approved: bool  # the mentor approval is already recorded

    @property
    def can_approve(self) -> bool:
        """Everything but the approval itself holds, so the platform will accept a sign-off."""
        return not self.blocking and not self.approved


def _counted(label: str, done: int, total: int) -> ChecklistLine:
    return ChecklistLine(label, done >= total, f"{done} of {total}")


def readiness(counts: Tier5Counts, missing_requirements: Sequence[str]) -> Readiness:
    """The checklist (without the approval line: that is the decision being taken) and what blocks it."""
    lines = (
        _counted("Mastery missions approved", counts.mastery_missions_approved, counts.mastery_missions_total),
        _counted("Capstone approved", counts.capstone_approved, counts.capstone_total),
        _counted("Reflections submitted", counts.reflections_submitted, counts.reflections_required),
        ChecklistLine(
            "Rubric threshold met on every mission",
            counts.rubric_passed,
            "met" if counts.rubric_passed else "a mission scored below the threshold",
        ),
    )
    blocking = tuple(m for m in missing_requirements if m.strip().rstrip(".") != APPROVAL_REQUIREMENT)
    return Readiness(lines=lines, blocking=blocking, approved=counts.mentor_approval)
