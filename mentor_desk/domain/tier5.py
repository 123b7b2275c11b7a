"""Tier-5 (mastery) readiness: the sign-off checklist a mentor reads before approving a learner.

The platform reports counts and a list of missing requirements (OCH's ``tier5/tracks/{code}/status``);
:func:`readiness` turns the counts into checklist lines and takes the platform's own list as the authority on
what still blocks a sign-off: the platform accepts an approval once nothing but the approval itself is missing.
"""

from __future__ import annotations

import enum
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


TRACK_CODES = ("DEFENDER_5", "OFFENSIVE_5", "GRC_5", "INNOVATION_5", "LEADERSHIP_5")
"""OCH's Tier-5 track codes (its ``seed_all_tracks``): what a mentor can ask about on a server without layer B."""


def closeness(counts: Tier5Counts) -> float:
    """How close a learner is to Tier-5 completion, 0–1: the mean share met of each requirement (modules,
    mastery missions, capstone, reflections, rubric and — where the track requires it — the approval)."""

    def share(done: int, total: int) -> float:
        return 1.0 if total <= 0 else min(done, total) / total

    parts = [
        share(counts.mandatory_modules_completed, counts.mandatory_modules_total),
        share(counts.mastery_missions_approved, counts.mastery_missions_total),
        share(counts.capstone_approved, counts.capstone_total),
        share(counts.reflections_submitted, counts.reflections_required),
        float(counts.rubric_passed),
    ]
    if counts.mentor_approval_required:
        parts.append(float(counts.mentor_approval))
    return sum(parts) / len(parts)


class MissingKind(enum.Enum):
    """Which reviews can unblock a missing requirement (read from OCH's wording of it)."""

    MISSIONS = "missions"
    CAPSTONE = "capstone"
    REFLECTIONS = "reflections"
    RUBRIC = "rubric"
    APPROVAL = "approval"
    OTHER = "other"


def missing_kind(requirement: str) -> MissingKind:
    text = requirement.lower()
    if text.strip().rstrip(".") == APPROVAL_REQUIREMENT.lower():
        return MissingKind.APPROVAL
    for word, kind in (
        ("capstone", MissingKind.CAPSTONE),
        ("reflection", MissingKind.REFLECTIONS),
        ("rubric", MissingKind.RUBRIC),
        ("mission", MissingKind.MISSIONS),
    ):
        if word in text:
            return kind
    return MissingKind.OTHER


def blocks(kind: MissingKind, *, capstone: bool, approved: bool) -> bool:
    """Whether a review of the learner's track (a capstone or not; approved with a pass or not) can be what keeps
    a requirement of ``kind`` missing: an unapproved mission for the missions, an unapproved capstone for the
    capstone, any of them for reflections, an approved one (scored below the line) for the rubric."""
    if kind is MissingKind.MISSIONS:
        return not capstone and not approved
    if kind is MissingKind.CAPSTONE:
        return capstone and not approved
    if kind is MissingKind.REFLECTIONS:
        return not approved
    if kind is MissingKind.RUBRIC:
        return approved
    return False
