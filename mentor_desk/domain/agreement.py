"""How far a scoring meeting's panel agrees, criterion by criterion, and a median starting point for consensus.

Input is every panel member's scores as ``{mentor: {subtask_id: {criterion_id: score}}}``. For each criterion
some members scored, :class:`CriterionSpread` gives the scores side by side with their range and median.
The agreement figure is ``1 − mean(spread / scale width)`` over those criteria: 1.0 when everyone gave the same
scores, 0.0 when every criterion was scored at both ends of its scale.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mentor_desk.domain.scoring import Rubric, SubtaskSpec, mission_score

PanelScores = Mapping[str, Mapping[str, Mapping[str, float]]]


@dataclass(frozen=True, slots=True)
class CriterionSpread:
    subtask_id: str
    criterion_id: str
    criterion_title: str
    scores: dict[str, float]  # mentor → score
    low: float
    high: float
    median: float
    relative_spread: float  # (high − low) / scale width, 0..1

    @property
    def spread(self) -> float:
        return self.high - self.low


@dataclass(frozen=True, slots=True)
class AgreementReport:
    criteria: tuple[CriterionSpread, ...] = ()
    mission_scores: dict[str, float | None] = field(default_factory=dict)  # mentor → their mission score
    agreement: float | None = None  # None until two members scored the same criterion

    def widest(self, count: int = 3) -> list[CriterionSpread]:
        """The criteria the panel disagrees on most: where the discussion should start."""
        return sorted(self.criteria, key=lambda c: c.relative_spread, reverse=True)[:count]

    def suggested_consensus(self) -> dict[str, dict[str, float]]:
        """The panel's median per criterion, as ``subtask_scores`` for the lead to adjust."""
        result: dict[str, dict[str, float]] = {}
        for c in self.criteria:
            result.setdefault(c.subtask_id, {})[c.criterion_id] = c.median
        return result


def panel_agreement(
    subtasks: Sequence[SubtaskSpec], rubrics: Mapping[str, Rubric], panel: PanelScores
) -> AgreementReport:
    """Compare the panel members' scores over the mission's subtasks and rubrics."""
    spreads: list[CriterionSpread] = []
    for subtask in subtasks:
        rubric = rubrics[subtask.rubric_id]
        width = rubric.scale_max - rubric.scale_min
        for criterion in rubric.criteria:
            given = {
                mentor: float(value)
                for mentor, scores in panel.items()
                if (value := scores.get(subtask.id, {}).get(criterion.id)) is not None
            }
            if not given:
                continue
            low, high = min(given.values()), max(given.values())
            spreads.append(
                CriterionSpread(
                    subtask_id=subtask.id,
                    criterion_id=criterion.id,
                    criterion_title=criterion.title,
                    scores=given,
                    low=low,
                    high=high,
                    median=statistics.median(given.values()),
                    relative_spread=(high - low) / width if width > 0 else 0.0,
                )
            )
    compared = [c.relative_spread for c in spreads if len(c.scores) > 1]
    return AgreementReport(
        criteria=tuple(spreads),
        mission_scores={mentor: mission_score(subtasks, rubrics, scores) for mentor, scores in panel.items()},
        agreement=1 - statistics.fmean(compared) if compared else None,
    )
