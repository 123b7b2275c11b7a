"""Weighted rubric scoring, exactly as the platform recomputes it.

The rules (contract layer B, "Rubrics and scoring"):

* a criterion score lies within the rubric's scale ``[scale_min, scale_max]``;
* a subtask's score is the weighted mean ``Σ(w·s) / Σw`` over its rubric's *scored* criteria, rescaled to
  0–100 as ``(x − min) / (max − min) · 100``;
* the mission score is ``Σ(subtask.weight · subtask score) / Σ subtask.weight`` over the scored subtasks;
* pass ⇔ mission score ≥ the pass threshold (70 unless the rubric says otherwise).

Both levels are rounded to 2 decimals, half up (team decision, shared with the sandbox); the mission score is
computed from the *rounded* subtask scores, which is what the mentor sees. The arithmetic is exact: every
number is taken at its decimal text (``Fraction(str(x))``), so a tie such as 3·21.43/6 = 10.715 rounds to 10.72
instead of falling a hair short of it in binary floating point.
Weights may have any positive magnitude; a zero total weight is a :class:`ScoringError`, never a
``ZeroDivisionError``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

DEFAULT_PASS_THRESHOLD = 70.0

_CENT = Decimal("0.01")


class ScoringError(ValueError):
    """A rubric or mission definition that cannot produce a score (no weight, empty scale)."""


@dataclass(frozen=True, slots=True)
class Level:
    """A named performance level of a criterion, e.g. ("Proficient", 3, "...")."""

    label: str
    points: float
    description: str = ""


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    title: str
    description: str = ""
    weight: float = 1.0
    levels: tuple[Level, ...] = ()


@dataclass(frozen=True, slots=True)
class Rubric:
    id: str
    version: int
    title: str
    scale_min: float
    scale_max: float
    pass_threshold: float = DEFAULT_PASS_THRESHOLD
    criteria: tuple[Criterion, ...] = ()

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def in_scale(self, score: float) -> bool:
        return math.isfinite(score) and self.scale_min <= score <= self.scale_max


@dataclass(frozen=True, slots=True)
class SubtaskSpec:
    """A mission subtask as far as scoring is concerned: its weight and the rubric that scores it."""

    id: str
    title: str
    weight: float
    rubric_id: str


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """Everything the rubric scorer shows live: per-subtask scores, the mission score and the pass line."""

    subtask_scores: dict[str, float | None] = field(default_factory=dict)
    mission_score: float | None = None
    pass_threshold: float = DEFAULT_PASS_THRESHOLD
    complete: bool = False  # every criterion of every subtask scored

    @property
    def passed(self) -> bool | None:
        """Whether the mission score reaches the threshold; None while nothing is scored."""
        return None if self.mission_score is None else passes(self.mission_score, self.pass_threshold)


def round_score(value: float) -> float:
    """Round to 2 decimals, half up, on the decimal representation (so 2.675 → 2.68)."""
    return float(Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP))


def _exact(value: float) -> Fraction:
    """A number as the exact fraction of its decimal text (0.1 is 1/10, not the nearest binary float)."""
    return Fraction(*_ratio(value))


@functools.lru_cache(maxsize=4096)
def _ratio(value: float) -> tuple[int, int]:
    """:func:`_exact` as (numerator, denominator). Kept for the few distinct values a review uses (weights, level
    points, scores): parsing the decimal text is what made a long review's live totals slow."""
    exact = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    return exact.numerator, exact.denominator


def _round_exact(value: Fraction) -> float:
    """Round an exact value half up (away from zero) to 2 decimals; ties are exact, never float-perturbed."""
    cents = abs(value) * 100
    whole = math.floor(cents)
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return math.copysign(float(Decimal(whole) / 100), value)


def _weighted_mean(pairs: Iterable[tuple[float, float]], what: str) -> Fraction | None:
    """Σ(w·x)/Σw over (weight, value) pairs, exactly; None for no pairs; ScoringError for no weight.

    The sums are kept as integers over a common denominator (one ``Fraction`` at the end): the same exact
    result as adding ``Fraction``s, at a fraction of the cost."""
    exact = [(*_ratio(w), *_ratio(x)) for w, x in pairs]
    if not exact:
        return None
    weight_den = math.lcm(*(wd for _, wd, _, _ in exact))
    weight_num = sum(wn * (weight_den // wd) for wn, wd, _, _ in exact)
    if not weight_num > 0:
        raise ScoringError(f"The weights of {what} add up to {weight_num / weight_den:g}; they must be positive.")
    product_den = math.lcm(*(wd * xd for _, wd, _, xd in exact))
    product_num = sum(wn * xn * (product_den // (wd * xd)) for wn, wd, xn, xd in exact)
    return Fraction(product_num * weight_den, product_den * weight_num)


def subtask_score(rubric: Rubric, scores: Mapping[str, float]) -> float | None:
    """The 0–100 score of one subtask from its criterion scores, or None if no criterion is scored.

    A partial score uses the scored criteria only. Scores of criteria the rubric does not have are ignored
    (:func:`validate_scores` reports them).
    """
    return _scaled_mean(rubric.scale_min, rubric.scale_max, _scored(rubric, scores), rubric.title)


def _scored(rubric: Rubric, scores: Mapping[str, float]) -> tuple[tuple[float, float], ...]:
    """(weight, score) of each of ``rubric``'s criteria that ``scores`` scores."""
    return tuple((c.weight, float(scores[c.id])) for c in rubric.criteria if scores.get(c.id) is not None)


@functools.lru_cache(maxsize=16384)
def _scaled_mean(low: float, high: float, pairs: tuple[tuple[float, float], ...], title: str) -> float | None:
    """:func:`subtask_score` of a rubric's scale and its scored (weight, score) pairs. Kept: a keystroke changes
    one subtask, and the scorer shows every subtask's score again."""
    low_x, high_x = _exact(low), _exact(high)
    if not high_x > low_x:
        raise ScoringError(f"Rubric “{title}” has an empty scale ({low:g}–{high:g}).")
    mean = _weighted_mean(pairs, f"the criteria of rubric “{title}”")
    if mean is None:
        return None
    return _round_exact((mean - low_x) / (high_x - low_x) * 100)


def mission_score(
    subtasks: Sequence[SubtaskSpec],
    rubrics: Mapping[str, Rubric],
    scores: Mapping[str, Mapping[str, float]],
) -> float | None:
    """The 0–100 mission score over the scored subtasks, or None if no subtask has a score."""
    return _combine(subtasks, _subtask_scores(subtasks, rubrics, scores))


def _combine(subtasks: Sequence[SubtaskSpec], per_subtask: Mapping[str, float | None]) -> float | None:
    return _mission_mean(tuple((s.weight, score) for s in subtasks if (score := per_subtask[s.id]) is not None))


@functools.lru_cache(maxsize=1024)
def _mission_mean(pairs: tuple[tuple[float, float], ...]) -> float | None:
    mean = _weighted_mean(pairs, "the subtasks")
    return None if mean is None else _round_exact(mean)


def passes(score: float, threshold: float = DEFAULT_PASS_THRESHOLD) -> bool:
    return score >= threshold


def _rubric_for(subtask: SubtaskSpec, rubrics: Mapping[str, Rubric]) -> Rubric:
    try:
        return rubrics[subtask.rubric_id]
    except KeyError:
        raise ScoringError(
            f"Subtask “{subtask.title}” uses rubric {subtask.rubric_id!r}, which is not available."
        ) from None


def _subtask_scores(
    subtasks: Sequence[SubtaskSpec],
    rubrics: Mapping[str, Rubric],
    scores: Mapping[str, Mapping[str, float]],
) -> dict[str, float | None]:
    return {s.id: subtask_score(_rubric_for(s, rubrics), scores.get(s.id, {})) for s in subtasks}


def validate_scores(
    subtasks: Sequence[SubtaskSpec],
    rubrics: Mapping[str, Rubric],
    scores: Mapping[str, Mapping[str, float]],
    *,
    require_complete: bool = True,
) -> list[str]:
    """Problems that stop these scores from being submitted, as sentences a mentor understands.

    Reports unknown subtasks and criteria, scores outside the scale (or not a number) and, with
    ``require_complete``, criteria not scored yet. An empty list means the scores are valid.
    """
    problems: list[str] = []
    known = {s.id: s for s in subtasks}
    problems += [f"Scores were given for an unknown subtask {sid!r}." for sid in scores if sid not in known]
    for subtask in subtasks:
        rubric = rubrics.get(subtask.rubric_id)
        if rubric is None:
            problems.append(f"Subtask “{subtask.title}” has no rubric ({subtask.rubric_id!r} is missing).")
            continue
        given = scores.get(subtask.id, {})
        for cid, value in given.items():
            criterion = rubric.criterion(cid)
            if criterion is None:
                problems.append(f"Subtask “{subtask.title}”: {cid!r} is not a criterion of its rubric.")
            elif value is not None and not rubric.in_scale(float(value)):
                problems.append(
                    f"Subtask “{subtask.title}”, “{criterion.title}”: {value!r} is outside the scale "
                    f"{rubric.scale_min:g}–{rubric.scale_max:g}."
                )
        if require_complete:
            missing = [c.title for c in rubric.criteria if given.get(c.id) is None]
            if missing:
                problems.append(f"Subtask “{subtask.title}”: not scored yet: {', '.join(missing)}.")
    return problems


def summarize(
    subtasks: Sequence[SubtaskSpec],
    rubrics: Mapping[str, Rubric],
    scores: Mapping[str, Mapping[str, float]],
    *,
    pass_threshold: float | None = None,
) -> ScoreSummary:
    """Live scores for the scorer widget.

    The pass threshold defaults to the lowest of the rubrics in use, as the platform applies it to an approval.
    """
    per_subtask: dict[str, float | None] = {}
    complete = True
    threshold = math.inf
    for subtask in subtasks:
        rubric = _rubric_for(subtask, rubrics)
        pairs = _scored(rubric, scores.get(subtask.id, {}))
        per_subtask[subtask.id] = _scaled_mean(rubric.scale_min, rubric.scale_max, pairs, rubric.title)
        complete = complete and len(pairs) == len(rubric.criteria)
        threshold = min(threshold, rubric.pass_threshold)
    if pass_threshold is None:
        pass_threshold = threshold if subtasks else DEFAULT_PASS_THRESHOLD
    return ScoreSummary(
        subtask_scores=per_subtask,
        mission_score=_combine(subtasks, per_subtask),
        pass_threshold=pass_threshold,
        complete=complete,
    )
