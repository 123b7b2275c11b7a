"""The server's own recomputation of weighted rubric scores (contract layer B, "Rubrics and scoring").

* every criterion score lies within the rubric's scale ``[min, max]``;
* subtask score = Σ(w·s) / Σw over the rubric's criteria, rescaled to 0–100 as (x − min) / (max − min) · 100;
* mission score = Σ(subtask.weight · subtask score) / Σ subtask.weight;
* pass ⇔ mission score ≥ pass_threshold.

Subtask and mission scores are rounded to 2 decimals, half up; the mission score is computed from the
rounded subtask scores (team decision). The arithmetic is exact (``Fraction`` of each number's decimal text):
float sums can land a hair below a tie (3·21.43/6 is 10.714999… in floats, 10.715 exactly → 10.72), and the
±0.01 acceptance window absorbs a client that rounds such a tie the other way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

SCORE_TOLERANCE = 0.01


class ScoreError(ValueError):
    """Scores that cannot be accepted; ``str()`` is a sentence for the 422 ``message``."""


def round2(value: float | Fraction) -> float:
    """Round half up to 2 decimals; a float is taken at its decimal text (``Decimal(str(x))``)."""
    if isinstance(value, Fraction):
        cents = value * 100
        whole = math.floor(cents)
        return float(Decimal(whole + (1 if cents - whole >= Fraction(1, 2) else 0)) / 100)
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=4096)
def _exact(value: float) -> Fraction:
    """The exact value of a number as written (``0.1`` → 1/10, not the nearest binary float)."""
    return Fraction(str(value))


def subtask_score(rubric: Mapping[str, Any], scores: Mapping[str, Any], *, complete: bool) -> float:
    """Score one subtask from ``{criterion_id: number}``; ``complete`` demands every criterion."""
    weights = {c["id"]: c["weight"] for c in rubric["criteria"]}
    unknown = set(scores) - set(weights)
    if unknown:
        raise ScoreError(f"unknown criteria for rubric {rubric['id']}: {', '.join(sorted(unknown))}")
    if complete and set(scores) != set(weights):
        missing = sorted(set(weights) - set(scores))
        raise ScoreError(f"criteria not scored for rubric {rubric['id']}: {', '.join(missing)}")
    if not scores:
        raise ScoreError(f"no criterion scored for rubric {rubric['id']}")
    low, high = rubric["scale"]["min"], rubric["scale"]["max"]
    pairs = []
    for criterion_id, raw in scores.items():
        value = _number(raw, criterion_id)
        if not low <= value <= high:
            raise ScoreError(f"criterion {criterion_id}: {value:g} is outside the scale {low:g}–{high:g}")
        pairs.append((weights[criterion_id], value))
    if sum(w for w, _ in pairs) <= 0 or high <= low:
        raise ScoreError(f"rubric {rubric['id']} has no weight or an empty scale")
    return _percent(low, high, tuple(sorted(pairs)))


@lru_cache(maxsize=8192)
def _percent(low: float, high: float, pairs: tuple[tuple[float, float], ...]) -> float:
    """(Σ w·s / Σ w − low) / (high − low) · 100, exactly, rounded half up (cached: seeding repeats it)."""
    weighted = sum(_exact(w) * _exact(v) for w, v in pairs)
    total = sum(_exact(w) for w, _ in pairs)
    return round2((weighted / total - _exact(low)) / (_exact(high) - _exact(low)) * 100)


def mission_score(
    subtasks: list[Mapping[str, Any]],
    rubrics: Mapping[str, Mapping[str, Any]],
    scores: Mapping[str, Mapping[str, Any]],
    *,
    complete: bool,
) -> tuple[float, dict[str, float]]:
    """Return (mission score, {subtask_id: subtask score}) for ``{subtask_id: {criterion_id: number}}``.

    With ``complete`` every subtask and criterion must be scored (a final decision); otherwise only the
    subtasks present are scored (a non-final capstone stage).
    """
    if not isinstance(scores, Mapping):
        raise ScoreError("subtask_scores must be an object keyed by subtask id")
    by_id = {str(s["id"]): s for s in subtasks}
    unknown = set(scores) - set(by_id)
    if unknown:
        raise ScoreError(f"unknown subtasks: {', '.join(sorted(unknown))}")
    if complete and set(scores) != set(by_id):
        raise ScoreError(f"subtasks not scored: {', '.join(sorted(set(by_id) - set(scores)))}")
    if not scores:
        raise ScoreError("no subtask scored")
    per_subtask: dict[str, float] = {}
    for subtask_id, criterion_scores in scores.items():
        if not isinstance(criterion_scores, Mapping):
            raise ScoreError(f"subtask {subtask_id}: scores must be an object keyed by criterion id")
        rubric = rubrics[by_id[subtask_id]["rubric_id"]]
        per_subtask[subtask_id] = subtask_score(rubric, criterion_scores, complete=complete)
    total_weight = sum(_exact(by_id[k]["weight"]) for k in per_subtask)
    if total_weight <= 0:
        raise ScoreError("the scored subtasks have no weight")
    weighted = sum(_exact(by_id[k]["weight"]) * _exact(v) for k, v in per_subtask.items())
    return round2(weighted / total_weight), per_subtask


def matches(client_score: Any, server_score: float) -> bool:
    """The server accepts the client's mission score within ±0.01."""
    try:
        value = float(client_score)
    except (TypeError, ValueError):
        return False
    return math.isfinite(value) and abs(value - server_score) <= SCORE_TOLERANCE + 1e-9


def _number(raw: Any, criterion_id: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise ScoreError(f"criterion {criterion_id}: score must be a finite number")
    return float(raw)
