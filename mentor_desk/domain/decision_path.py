"""The learner's decision path beside the mission's ideal path.

A mission has branching points (one decision per subtask at most, keyed by ``decision_id``) and an ideal
choice for each. :func:`compare_paths` lines the learner's choices up against them, ordered by subtask:

* ``SAME`` — the learner chose the ideal option;
* ``DIFFERENT`` — the learner chose another option;
* ``SKIPPED`` — the learner never decided at this point;
* ``EXTRA`` — the learner recorded a decision the mission does not define (kept, never dropped).

The mentor annotates each step with a :class:`Verdict`; :attr:`DecisionStep.suggested_verdict` is the
starting point the workspace offers (the mentor may judge a different choice "acceptable").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from mentor_desk.domain.draft import DecisionNote


class StepKind(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    SKIPPED = "skipped"
    EXTRA = "extra"


class Verdict(StrEnum):
    """The mentor's judgement of one decision (wire values of ``decision_annotations``)."""

    MATCHES_IDEAL = "matches_ideal"
    ACCEPTABLE = "acceptable"
    DIVERGENT = "divergent"


@dataclass(frozen=True, slots=True)
class DecisionPoint:
    """A branching point of the mission with its options and the ideal choice (None if not defined)."""

    decision_id: str
    subtask_id: str
    choices: tuple[tuple[str, str], ...] = ()  # (choice id, label)
    ideal_choice: str | None = None
    rationale: str = ""

    def label(self, choice_id: str | None) -> str:
        """The label of an option, or the raw id for an option the mission does not list."""
        if choice_id is None:
            return ""
        return next((label or cid for cid, label in self.choices if cid == choice_id), choice_id)


@dataclass(frozen=True, slots=True)
class TakenDecision:
    decision_id: str
    choice_id: str
    subtask_id: str | None = None


@dataclass(frozen=True, slots=True)
class DecisionStep:
    decision_id: str
    subtask_id: str | None
    kind: StepKind
    learner_choice: str | None
    ideal_choice: str | None
    learner_label: str = ""
    ideal_label: str = ""
    rationale: str = ""

    @property
    def suggested_verdict(self) -> Verdict | None:
        """MATCHES_IDEAL for the ideal choice, DIVERGENT for another or none; None for an extra decision."""
        if self.kind is StepKind.SAME:
            return Verdict.MATCHES_IDEAL
        if self.kind is StepKind.EXTRA:
            return None
        return Verdict.DIVERGENT


@dataclass(frozen=True, slots=True)
class PathComparison:
    steps: tuple[DecisionStep, ...]

    def count(self, kind: StepKind) -> int:
        return sum(1 for s in self.steps if s.kind is kind)

    @property
    def matches_ideal(self) -> bool:
        """Every branching point decided as the ideal path says (and nothing undefined recorded)."""
        return bool(self.steps) and all(s.kind is StepKind.SAME for s in self.steps)


def _subtask_order(subtask_id: str | None) -> tuple[int, float, str]:
    if subtask_id is None:
        return (2, 0.0, "")
    try:
        return (0, float(subtask_id), subtask_id)
    except ValueError:
        return (1, 0.0, subtask_id)


def compare_paths(points: Iterable[DecisionPoint], taken: Iterable[TakenDecision]) -> PathComparison:
    """Compare the learner's decisions with the ideal path, one step per branching point, by subtask."""
    by_id = {t.decision_id: t for t in taken}
    steps: list[DecisionStep] = []
    known: set[str] = set()
    for point in points:
        known.add(point.decision_id)
        choice = by_id.get(point.decision_id)
        learner = choice.choice_id if choice else None
        if learner is None:
            kind = StepKind.SKIPPED
        elif point.ideal_choice is not None and learner == point.ideal_choice:
            kind = StepKind.SAME
        else:
            kind = StepKind.DIFFERENT
        steps.append(
            DecisionStep(
                decision_id=point.decision_id,
                subtask_id=point.subtask_id,
                kind=kind,
                learner_choice=learner,
                ideal_choice=point.ideal_choice,
                learner_label=point.label(learner),
                ideal_label=point.label(point.ideal_choice),
                rationale=point.rationale,
            )
        )
    steps += [
        DecisionStep(t.decision_id, t.subtask_id, StepKind.EXTRA, t.choice_id, None, t.choice_id)
        for t in by_id.values()
        if t.decision_id not in known
    ]
    steps.sort(key=lambda s: _subtask_order(s.subtask_id))
    return PathComparison(tuple(steps))


def lacking_verdict(annotations: Mapping[str, DecisionNote]) -> list[str]:
    """Decision ids whose note says something (a comment, a stray verdict) without a valid :class:`Verdict`.

    The platform takes an annotation only with one of the verdicts, so these must be settled before sending.
    """
    return [
        decision_id
        for decision_id, note in annotations.items()
        if not _has_verdict(note) and (note.verdict or note.comment.strip())
    ]


def annotations_to_send(annotations: Mapping[str, DecisionNote]) -> dict[str, dict[str, str]]:
    """The annotations as the platform takes them: ``{decision_id: {"verdict", "comment"}}``, blank ones left out.

    Raises ``ValueError`` naming the decisions whose comment lacks a verdict: sending them would drop the
    mentor's words or be refused, so the mentor has to choose.
    """
    missing = lacking_verdict(annotations)
    if missing:
        raise ValueError(f"choose a verdict for decision {', '.join(missing)} (a comment needs one)")
    return {
        decision_id: {"verdict": note.verdict, "comment": note.comment}
        for decision_id, note in annotations.items()
        if _has_verdict(note)
    }


def _has_verdict(note: DecisionNote) -> bool:
    return note.verdict in tuple(Verdict)
