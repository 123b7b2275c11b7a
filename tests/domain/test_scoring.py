"""Weighted rubric scoring: worked examples, the contract's edge cases and properties (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mentor_desk.domain.scoring import (
    Criterion,
    Rubric,
    ScoringError,
    SubtaskSpec,
    mission_score,
    passes,
    round_score,
    subtask_score,
    summarize,
    validate_scores,
)


def rubric(weights: dict[str, float], lo: float = 0, hi: float = 4, rid: str = "r1", threshold: float = 70) -> Rubric:
    return Rubric(
        id=rid,
        version=1,
        title=f"Rubric {rid}",
        scale_min=lo,
        scale_max=hi,
        pass_threshold=threshold,
        criteria=tuple(Criterion(cid, cid.title(), weight=w) for cid, w in weights.items()),
    )


R = rubric({"tech": 3, "docs": 1})
SUBTASKS = [SubtaskSpec("1", "Scope", 2, "r1"), SubtaskSpec("2", "Report", 1, "r1")]


def test_subtask_score_worked_example() -> None:
    # (3·4 + 1·2) / 4 = 3.5 on 0–4 → 87.5
    assert subtask_score(R, {"tech": 4, "docs": 2}) == 87.5


def test_scale_offset_is_rescaled() -> None:
    r = rubric({"a": 1}, lo=1, hi=5)
    assert subtask_score(r, {"a": 1}) == 0
    assert subtask_score(r, {"a": 5}) == 100
    assert subtask_score(r, {"a": 2}) == 25


def test_partial_scores_use_scored_criteria_only() -> None:
    assert subtask_score(R, {"docs": 2}) == 50
    assert subtask_score(R, {}) is None
    assert subtask_score(R, {"tech": None}) is None  # type: ignore[dict-item]


def test_mission_score_weighted_by_subtask() -> None:
    scores = {"1": {"tech": 4, "docs": 4}, "2": {"tech": 0, "docs": 0}}
    assert mission_score(SUBTASKS, {"r1": R}, scores) == round_score(200 / 3)  # 66.67
    assert mission_score(SUBTASKS, {"r1": R}, {}) is None
    assert mission_score(SUBTASKS, {"r1": R}, {"2": {"docs": 4}}) == 100  # partial: scored subtasks only


def test_rounding_is_half_up_on_the_decimal_text() -> None:
    assert round_score(2.675) == 2.68  # binary float 2.67499… would round down
    assert round_score(0.125) == 0.13
    assert round_score(66.665) == 66.67


def test_exact_ties_round_up() -> None:
    # Mission score (3·21.43 + 3·0) / 6 = 10.715 exactly; in binary floats it is 10.714999…
    r = rubric({"a": 1}, lo=0, hi=100)
    subtasks = [SubtaskSpec("1", "A", 3, "r1"), SubtaskSpec("2", "B", 3, "r1")]
    assert mission_score(subtasks, {"r1": r}, {"1": {"a": 21.43}, "2": {"a": 0}}) == 10.72
    # A subtask tie: weights 1 and 2 on 0–4 with scores 1 and 2 → 5/12·100 = 41.666… → 41.67; 0.5/4 → 12.5.
    assert subtask_score(rubric({"x": 1, "y": 2}), {"x": 1, "y": 2}) == 41.67
    assert subtask_score(rubric({"x": 1}, lo=0, hi=8), {"x": 0.001}) == 0.01  # 0.0125 → 0.01
    assert subtask_score(rubric({"x": 1}, lo=0, hi=8), {"x": 0.0012}) == 0.02  # 0.015 exactly → 0.02


def test_zero_total_weight_is_a_clear_error() -> None:
    with pytest.raises(ScoringError, match="weights"):
        subtask_score(rubric({"a": 0, "b": 0}), {"a": 1})
    with pytest.raises(ScoringError, match="subtasks"):
        mission_score([SubtaskSpec("1", "S", 0, "r1")], {"r1": R}, {"1": {"tech": 1}})


def test_empty_scale_and_missing_rubric_are_clear_errors() -> None:
    with pytest.raises(ScoringError, match="empty scale"):
        subtask_score(rubric({"a": 1}, lo=3, hi=3), {"a": 3})
    with pytest.raises(ScoringError, match="not available"):
        mission_score([SubtaskSpec("1", "S", 1, "nope")], {"r1": R}, {})


def test_passes_at_threshold() -> None:
    assert passes(70.0) and not passes(69.99) and passes(50, threshold=50)


def test_validate_scores_messages() -> None:
    problems = validate_scores(
        SUBTASKS, {"r1": R}, {"1": {"tech": 5, "bogus": 1}, "9": {"tech": 1}}, require_complete=True
    )
    text = "\n".join(problems)
    assert "unknown subtask '9'" in text
    assert "'bogus' is not a criterion" in text
    assert "outside the scale 0–4" in text
    assert "not scored yet: Docs" in text  # subtask 1
    assert "not scored yet: Tech, Docs" in text  # subtask 2
    assert validate_scores(SUBTASKS, {"r1": R}, {"1": {"tech": 1}}, require_complete=False) == []
    assert validate_scores(SUBTASKS, {"r1": R}, {"1": {"tech": math.nan}}, require_complete=False)


def test_summary_for_the_scorer() -> None:
    strict = rubric({"x": 1}, rid="r2", threshold=60)
    subtasks = [*SUBTASKS, SubtaskSpec("3", "Talk", 1, "r2")]
    rubrics = {"r1": R, "r2": strict}
    summary = summarize(subtasks, rubrics, {"1": {"tech": 3}})
    assert summary.subtask_scores == {"1": 75.0, "2": None, "3": None}
    assert summary.mission_score == 75.0 and summary.pass_threshold == 60  # the lowest, as the server applies it
    assert summary.passed is True and not summary.complete
    assert summarize(subtasks, rubrics, {"1": {"tech": 3}}, pass_threshold=80).passed is False
    full = {"1": {"tech": 4, "docs": 4}, "2": {"tech": 4, "docs": 4}, "3": {"x": 4}}
    done = summarize(subtasks, rubrics, full)
    assert done.complete and done.passed and done.mission_score == 100
    assert summarize(subtasks, rubrics, {}).passed is None


# --- properties -----------------------------------------------------------------------------------------

weights = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)
unit = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def scored_rubric(draw: st.DrawFn) -> tuple[Rubric, dict[str, float]]:
    lo = draw(st.integers(min_value=-5, max_value=5))
    hi = lo + draw(st.integers(min_value=1, max_value=10))
    n = draw(st.integers(min_value=1, max_value=6))
    r = rubric({f"c{i}": draw(weights) for i in range(n)}, lo=lo, hi=hi)
    scores = {c.id: lo + draw(unit) * (hi - lo) for c in r.criteria}
    return r, scores


@given(scored_rubric())
def test_subtask_score_within_0_100(case: tuple[Rubric, dict[str, float]]) -> None:
    r, scores = case
    value = subtask_score(r, scores)
    assert value is not None and 0 <= value <= 100
    assert round_score(value) == value


@given(scored_rubric(), st.floats(min_value=1e-3, max_value=1e3))
def test_scale_invariance_of_weights(case: tuple[Rubric, dict[str, float]], factor: float) -> None:
    r, scores = case
    scaled = rubric({c.id: c.weight * factor for c in r.criteria}, lo=r.scale_min, hi=r.scale_max)
    assert subtask_score(scaled, scores) == pytest.approx(subtask_score(r, scores), abs=0.011)


@given(scored_rubric(), st.data())
def test_monotonic_in_each_criterion(case: tuple[Rubric, dict[str, float]], data: st.DataObject) -> None:
    r, scores = case
    cid = data.draw(st.sampled_from(sorted(scores)))
    higher = data.draw(st.floats(min_value=scores[cid], max_value=r.scale_max))
    assert subtask_score(r, {**scores, cid: higher}) >= subtask_score(r, scores)  # type: ignore[operator]


@given(st.lists(st.tuples(weights, scored_rubric()), min_size=1, max_size=5))
def test_mission_score_within_subtask_range(parts: list[tuple[float, tuple[Rubric, dict[str, float]]]]) -> None:
    subtasks, rubrics, scores = [], {}, {}
    for i, (w, (r, s)) in enumerate(parts):
        rid = f"r{i}"
        rubrics[rid] = Rubric(rid, 1, rid, r.scale_min, r.scale_max, criteria=r.criteria)
        subtasks.append(SubtaskSpec(str(i), f"S{i}", w, rid))
        scores[str(i)] = s
    summary = summarize(subtasks, rubrics, scores)
    per = [v for v in summary.subtask_scores.values() if v is not None]
    assert summary.complete
    assert summary.mission_score is not None
    assert min(per) - 0.01 <= summary.mission_score <= max(per) + 0.01
    assert 0 <= summary.mission_score <= 100


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_round_score_is_idempotent_and_close(x: float) -> None:
    assume(math.isfinite(x))
    once = round_score(x)
    assert round_score(once) == once
    assert abs(once - x) <= 0.005 + 1e-9 * max(1, abs(x))


def test_live_totals_follow_each_change_of_a_score() -> None:
    """Scores are kept by value between calls: changing one criterion after a summary gives the new totals."""
    rubric = Rubric("r", 1, "R", 0, 4, criteria=(Criterion("a", "A", weight=1.0), Criterion("b", "B", weight=3.0)))
    specs = [SubtaskSpec("1", "One", 1.0, "r"), SubtaskSpec("2", "Two", 2.0, "r")]
    scores: dict[str, dict[str, float]] = {"1": {"a": 4.0, "b": 4.0}, "2": {"a": 2.0}}
    first = summarize(specs, {"r": rubric}, scores)
    assert first.subtask_scores == {"1": 100.0, "2": 50.0} and first.mission_score == 66.67 and not first.complete
    scores["2"]["b"] = 1.0  # (1·2 + 3·1) / 4 = 1.25 of 4
    second = summarize(specs, {"r": rubric}, scores)
    assert second.subtask_scores["2"] == 31.25 and second.mission_score == 54.17 and second.complete
