"""Scoring-meeting agreement statistics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentor_desk.domain.agreement import panel_agreement
from mentor_desk.domain.scoring import Criterion, Rubric, SubtaskSpec

RUBRIC = Rubric("r", 1, "R", 0, 4, criteria=(Criterion("a", "Accuracy", weight=2), Criterion("b", "Brevity")))
SUBTASKS = [SubtaskSpec("1", "One", 1, "r"), SubtaskSpec("2", "Two", 1, "r")]


def test_spread_median_and_consensus() -> None:
    panel = {
        "Lena": {"1": {"a": 4, "b": 2}, "2": {"a": 3}},
        "Arjun": {"1": {"a": 2, "b": 2}, "2": {"a": 3, "b": 1}},
        "Maya": {"1": {"a": 3, "b": 2}},
    }
    report = panel_agreement(SUBTASKS, {"r": RUBRIC}, panel)
    by_key = {(c.subtask_id, c.criterion_id): c for c in report.criteria}
    assert set(by_key) == {("1", "a"), ("1", "b"), ("2", "a"), ("2", "b")}
    accuracy = by_key[("1", "a")]
    assert (accuracy.low, accuracy.high, accuracy.median, accuracy.spread) == (2, 4, 3, 2)
    assert accuracy.relative_spread == 0.5 and accuracy.criterion_title == "Accuracy"
    # Only criteria scored by two or more count: spreads 0.5, 0, 0 → agreement 1 − 1/6.
    assert report.agreement == pytest.approx(1 - 0.5 / 3)
    assert report.widest(1) == [accuracy]
    assert report.suggested_consensus() == {"1": {"a": 3, "b": 2}, "2": {"a": 3, "b": 1}}
    assert report.mission_scores["Maya"] == 66.67  # only subtask 1 scored: (2·3 + 2)/3 = 8/3 on 0–4
    assert set(report.mission_scores) == set(panel)


def test_no_overlap_no_figure() -> None:
    report = panel_agreement(SUBTASKS, {"r": RUBRIC}, {"Lena": {"1": {"a": 1}}})
    assert report.agreement is None and len(report.criteria) == 1
    assert panel_agreement(SUBTASKS, {"r": RUBRIC}, {}).criteria == ()


points = st.integers(min_value=0, max_value=4).map(float)


@given(st.lists(st.tuples(points, points, points, points), min_size=2, max_size=6))
def test_agreement_is_a_fraction_and_one_when_identical(rows: list[tuple[float, ...]]) -> None:
    panel = {f"m{i}": {"1": {"a": r[0], "b": r[1]}, "2": {"a": r[2], "b": r[3]}} for i, r in enumerate(rows)}
    report = panel_agreement(SUBTASKS, {"r": RUBRIC}, panel)
    assert report.agreement is not None and 0 <= report.agreement <= 1
    same = {name: panel["m0"] for name in panel}
    assert panel_agreement(SUBTASKS, {"r": RUBRIC}, same).agreement == 1
