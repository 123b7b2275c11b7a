"""A networked scoring meeting as the meeting screens show it (converted once from the platform's answer by
:func:`mentor_desk.services.meetings.scoring_meeting`).

Blindness is the server's: before the reveal ``scores`` is ``None`` and only ``my_scores`` (the caller's own)
may be filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from mentor_desk.domain.scoring import Rubric

Scores = dict[str, dict[str, float]]  # {subtask_id: {criterion_id: score}}


@dataclass(frozen=True, slots=True)
class Panelist:
    """A mentor on the panel (or the lead): ``name`` is what the screens say (name, else email, else id)."""

    id: int | None
    name: str


@dataclass(frozen=True, slots=True)
class PanelSeat:
    """One panel member and when they handed in their scores (``None``: not yet)."""

    mentor: Panelist
    submitted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MemberScores:
    """One member's scores: ``my_scores``, or an entry of everyone's once revealed."""

    mentor: Panelist
    subtask_scores: Scores
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Consensus:
    """What the lead agreed (the review's final stage carries it)."""

    subtask_scores: Scores
    decision: str
    feedback: str
    notes: str
    mission_score: float | None


@dataclass(frozen=True, slots=True)
class ScoringMeeting:
    """A scoring meeting: ``state`` is ``scoring``, ``revealed`` or ``closed``; ``rubrics`` are the meeting's own
    (the review's rubrics come first where it has them)."""

    id: str
    review_id: str
    version: int
    state: str
    blind: bool
    lead: Panelist | None
    panel: tuple[PanelSeat, ...]
    my_scores: MemberScores | None
    scores: tuple[MemberScores, ...] | None  # everyone's, only once revealed
    consensus: Consensus | None
    rubrics: Mapping[str, Rubric] = field(default_factory=dict)

    @property
    def handed_in(self) -> int:
        """How many panel members have handed in their scores."""
        return sum(1 for seat in self.panel if seat.submitted_at)

    def led_by(self, mentor_id: int) -> bool:
        return self.lead is not None and self.lead.id == mentor_id

    def seats(self, mentor_id: int) -> bool:
        """Whether ``mentor_id`` sits on the panel."""
        return any(seat.mentor.id == mentor_id for seat in self.panel)

    def revealed_scores(self) -> dict[str, Scores]:
        """Everyone's scores by panel member's name (for :func:`mentor_desk.domain.agreement.panel_agreement`)."""
        return {s.mentor.name: s.subtask_scores for s in self.scores or ()}
