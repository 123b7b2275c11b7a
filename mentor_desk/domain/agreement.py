"""How far a scoring meeting's panel agrees: Krippendorff's α, and the scores side by side per criterion.

Input is every panel member's scores as ``{mentor: {subtask_id: {criterion_id: score}}}``.

*Side by side.* For each (subtask, criterion) some members scored, :class:`CriterionSpread` gives their scores
with mean, median, range and the members whose score lies further than a tolerance from the median.

*Agreement.* Krippendorff's α (computed by the ``krippendorff`` package) with the panel members as coders:

- **overall**: one unit per (subtask, criterion), every member's score its values;
- **per criterion**: one unit per subtask that uses the criterion (rubrics are shared between subtasks), so
  it says whether the panel reads *this criterion* the same way. A criterion used by one subtask only is a
  single unit, on which α is 0 whatever the scores: it reads "not enough ratings".

Each α comes twice: the **interval** metric on the points and the **ordinal** metric on the levels (ranks of
the rubric's level points, so only the order of the levels matters). Readings follow Krippendorff (2004,
§11.4): α ≥ 0.800 good, α ≥ 0.667 tentative, below: discuss. α is undefined when fewer than two units have
two or more scores, or when nobody's score differs from anyone's (no variation: the panel agrees but α
cannot say how reliably).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

import krippendorff
import numpy as np

from mentor_desk.domain.scoring import Rubric, SubtaskSpec, mission_score, round_score

PanelScores = Mapping[str, Mapping[str, Mapping[str, float]]]
Metric = Literal["interval", "ordinal"]

GOOD = 0.8
TENTATIVE = 0.667


class Reading(Enum):
    GOOD = "good"
    TENTATIVE = "tentative"
    DISCUSS = "discuss"
    NOT_ENOUGH = "not enough ratings"


@dataclass(frozen=True, slots=True)
class Alpha:
    """One Krippendorff's α: its value (``None`` when undefined), the metric and how many units it rests on."""

    value: float | None
    metric: Metric
    units: int
    why_undefined: str = ""

    @property
    def reading(self) -> Reading:
        if self.value is None:
            return Reading.NOT_ENOUGH
        if self.value >= GOOD:
            return Reading.GOOD
        return Reading.TENTATIVE if self.value >= TENTATIVE else Reading.DISCUSS

    def describe(self) -> str:
        """``"α = 0.85 (good)"``, or ``"not enough ratings"`` with the reason."""
        if self.value is None:
            words = Reading.NOT_ENOUGH.value
            return f"{words} ({self.why_undefined})" if self.why_undefined else words
        return f"α = {self.value:.3f} ({self.reading.value})"


def alpha(units: Sequence[Sequence[float | None]], metric: Metric, value_domain: Sequence[float] = ()) -> Alpha:
    """Krippendorff's α over ``units`` (each a sequence of the coders' values, ``None`` where one gave none).

    ``value_domain`` lists the values the coders could choose (a criterion's level points) for the ordinal
    metric; values outside it are added, so a score between levels is still counted in its place.
    """
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [unit for unit in pairable if len(unit) >= 2]
    if len(pairable) < 2:
        return Alpha(None, metric, len(pairable), "fewer than two criteria with two or more scores")
    values = {v for unit in pairable for v in unit}
    if len(values) == 1:
        return Alpha(None, metric, len(pairable), "every score is the same")
    coders = max(len(unit) for unit in pairable)
    data = np.full((coders, len(pairable)), np.nan)
    for column, unit in enumerate(pairable):
        data[: len(unit), column] = unit
    domain = sorted(values | set(value_domain))
    value = float(krippendorff.alpha(reliability_data=data, level_of_measurement=metric, value_domain=domain))
    return Alpha(value if math.isfinite(value) else None, metric, len(pairable))


@dataclass(frozen=True, slots=True)
class CriterionSpread:
    subtask_id: str
    rubric_id: str
    criterion_id: str
    criterion_title: str
    scores: dict[str, float]  # mentor → score
    scale_width: float

    @property
    def low(self) -> float:
        return min(self.scores.values())

    @property
    def high(self) -> float:
        return max(self.scores.values())

    @property
    def spread(self) -> float:
        return self.high - self.low

    @property
    def relative_spread(self) -> float:
        """The spread as a share of the rubric's scale, 0..1."""
        return self.spread / self.scale_width if self.scale_width > 0 else 0.0

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores.values())

    @property
    def median(self) -> float:
        return statistics.median(self.scores.values())

    def outliers(self, tolerance: float) -> list[str]:
        """The members whose score lies more than ``tolerance`` points from the panel's median."""
        return [mentor for mentor, score in self.scores.items() if abs(score - self.median) > tolerance + 1e-9]


@dataclass(frozen=True, slots=True)
class CriterionAgreement:
    """α of one rubric criterion over the subtasks that use it."""

    rubric_id: str
    criterion_id: str
    title: str
    interval: Alpha
    ordinal: Alpha


@dataclass(frozen=True, slots=True)
class AgreementReport:
    criteria: tuple[CriterionSpread, ...] = ()
    mission_scores: dict[str, float | None] = field(default_factory=dict)  # mentor → their mission score
    interval: Alpha = Alpha(None, "interval", 0, "no scores")
    ordinal: Alpha = Alpha(None, "ordinal", 0, "no scores")
    per_criterion: dict[tuple[str, str], CriterionAgreement] = field(default_factory=dict)  # (rubric, criterion)

    def of(self, spread: CriterionSpread) -> CriterionAgreement | None:
        """The α of the rubric criterion a row of the comparison belongs to."""
        return self.per_criterion.get((spread.rubric_id, spread.criterion_id))

    def widest(self, count: int = 3) -> list[CriterionSpread]:
        """The criteria the panel disagrees on most: where the discussion should start."""
        return sorted(self.criteria, key=lambda c: c.relative_spread, reverse=True)[:count]

    def suggested_consensus(self, method: Literal["median", "mean"] = "median") -> dict[str, dict[str, float]]:
        """The panel's median (or mean, to 2 decimals) per criterion, as ``subtask_scores`` for the lead to adjust."""
        result: dict[str, dict[str, float]] = {}
        for c in self.criteria:
            value = c.median if method == "median" else round_score(c.mean)
            result.setdefault(c.subtask_id, {})[c.criterion_id] = value
        return result


def _level_points(rubric: Rubric, criterion_id: str) -> list[float]:
    criterion = rubric.criterion(criterion_id)
    return [float(level.points) for level in criterion.levels] if criterion else []


def panel_agreement(
    subtasks: Sequence[SubtaskSpec], rubrics: Mapping[str, Rubric], panel: PanelScores
) -> AgreementReport:
    """Compare the panel members' scores over the mission's subtasks and rubrics."""
    members = sorted(panel)
    spreads: list[CriterionSpread] = []
    units: list[list[float | None]] = []
    by_criterion: dict[tuple[str, str], list[list[float | None]]] = {}
    titles: dict[tuple[str, str], str] = {}
    for subtask in subtasks:
        rubric = rubrics[subtask.rubric_id]
        for criterion in rubric.criteria:
            unit = [_score(panel[m], subtask.id, criterion.id) for m in members]
            units.append(unit)
            by_criterion.setdefault((rubric.id, criterion.id), []).append(unit)
            titles[(rubric.id, criterion.id)] = criterion.title
            given = {m: v for m, v in zip(members, unit, strict=True) if v is not None}
            if given:
                spreads.append(CriterionSpread(subtask.id, rubric.id, criterion.id, criterion.title, given,
                                               rubric.scale_max - rubric.scale_min))
    all_levels = sorted({p for r in rubrics.values() for c in r.criteria for p in _level_points(r, c.id)})
    per_criterion: dict[tuple[str, str], CriterionAgreement] = {}
    for (rubric_id, criterion_id), criterion_units in by_criterion.items():
        rubric = rubrics[rubric_id]
        per_criterion[(rubric_id, criterion_id)] = CriterionAgreement(
            rubric_id, criterion_id, titles[(rubric_id, criterion_id)],
            alpha(criterion_units, "interval"),
            alpha(criterion_units, "ordinal", _level_points(rubric, criterion_id)),
        )
    return AgreementReport(
        criteria=tuple(spreads),
        mission_scores={mentor: mission_score(subtasks, rubrics, scores) for mentor, scores in panel.items()},
        interval=alpha(units, "interval"),
        ordinal=alpha(units, "ordinal", all_levels),
        per_criterion=per_criterion,
    )


def _score(scores: Mapping[str, Mapping[str, float]], subtask_id: str, criterion_id: str) -> float | None:
    value = scores.get(subtask_id, {}).get(criterion_id)
    return None if value is None else float(value)
