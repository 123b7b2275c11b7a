"""An in-room scoring meeting on one machine: the panel members score in turn on the lead's computer.

Each member's scores stay hidden from the next until the lead reveals them all (:meth:`RoomMeeting.revealed`
refuses before then), which is what a blind panel needs when its members share one screen. The rest of the
flow is the networked meeting's: the revealed scores go to :func:`~mentor_desk.domain.agreement.panel_agreement`
and the lead's consensus becomes the review.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field

Scores = dict[str, dict[str, float]]


class NotRevealed(RuntimeError):
    """The scores of an in-room meeting were asked for before the lead revealed them."""


@dataclass(frozen=True, slots=True)
class RoomScores:
    subtask_scores: Scores
    comment: str = ""


@dataclass
class RoomMeeting:
    """Members score in the order given; ``current`` is whose turn it is (``None`` once all have scored)."""

    review_id: str
    members: tuple[str, ...]
    _scores: dict[str, RoomScores] = field(default_factory=dict)
    _revealed: bool = False

    def __post_init__(self) -> None:
        names = [m.strip() for m in self.members]
        if len(names) < 2 or any(not n for n in names) or len(set(names)) != len(names):
            raise ValueError("An in-room meeting needs at least two members with different, non-empty names.")
        self.members = tuple(names)

    @property
    def current(self) -> str | None:
        return next((m for m in self.members if m not in self._scores), None)

    @property
    def submitted(self) -> tuple[str, ...]:
        """Who has scored so far (in order), and nothing about what."""
        return tuple(m for m in self.members if m in self._scores)

    @property
    def is_revealed(self) -> bool:
        return self._revealed

    def submit(self, member: str, subtask_scores: Mapping[str, Mapping[str, float]], comment: str = "") -> None:
        """Record ``member``'s scores; only the member whose turn it is may submit, once, before reveal."""
        if self._revealed:
            raise ValueError("The scores are revealed: nobody can score any more.")
        if member != self.current:
            raise ValueError(f"It is {self.current or 'nobody'}'s turn to score, not {member}'s.")
        scores = {sid: {cid: float(v) for cid, v in c.items()} for sid, c in subtask_scores.items() if c}
        if not scores:
            raise ValueError("Score at least one criterion before handing over.")
        self._scores[member] = RoomScores(scores, comment)

    def reveal(self) -> None:
        if len(self._scores) < 2:
            raise ValueError("At least two members must have scored before the scores are revealed.")
        self._revealed = True

    def revealed(self) -> dict[str, RoomScores]:
        """Everyone's scores by member, once revealed; before that, :class:`NotRevealed`."""
        if not self._revealed:
            raise NotRevealed("The scores stay hidden until the lead reveals them.")
        return copy.deepcopy(self._scores)

    def panel_scores(self) -> dict[str, Scores]:
        """The revealed scores in the shape :func:`~mentor_desk.domain.agreement.panel_agreement` takes."""
        return {member: scores.subtask_scores for member, scores in self.revealed().items()}
