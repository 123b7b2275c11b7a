"""Scoring-meeting agreement: the scores side by side and Krippendorff's α."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentor_desk.domain.agreement import Alpha, Reading, alpha, panel_agreement
from mentor_desk.domain.scoring import Criterion, Level, Rubric, SubtaskSpec

LEVELS = tuple(Level(f"L{p}", p) for p in range(5))
RUBRIC = Rubric("r", 1, "R", 0, 4, criteria=(Criterion("a", "Accuracy", weight=2, levels=LEVELS),
                                             Criterion("b", "Brevity", levels=LEVELS)))
SUBTASKS = [SubtaskSpec("1", "One", 1, "r"), SubtaskSpec("2", "Two", 1, "r")]

# Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability", Annenberg School for Communication,
# University of Pennsylvania (repository.upenn.edu/asc_papers/43), the worked example of section E ("the most
# general form"): four observers, twelve units, values 1–5, missing values. Published results: nominal 0.743,
# ordinal 0.815, interval 0.849, ratio 0.797.
_ = None
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    "C": [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
}


def _published_example_as_a_meeting() -> tuple[list[SubtaskSpec], dict[str, Rubric], dict]:
    """The twelve units as twelve criteria of one subtask, the four observers as panel members."""
    levels = tuple(Level(str(p), p) for p in range(1, 6))
    rubric = Rubric("k", 1, "Published", 1, 5, criteria=tuple(Criterion(f"u{i}", f"Unit {i}", levels=levels)
                                                             for i in range(1, 13)))
    panel = {observer: {"s": {f"u{i}": v for i, v in enumerate(values, start=1) if v is not None}}
             for observer, values in KRIPPENDORFF_2011.items()}
    return [SubtaskSpec("s", "Unit", 1, "k")], {"k": rubric}, panel


def test_published_worked_example() -> None:
    subtasks, rubrics, panel = _published_example_as_a_meeting()
    report = panel_agreement(subtasks, rubrics, panel)
    assert report.interval.value == pytest.approx(0.849, abs=5e-4)
    assert report.ordinal.value == pytest.approx(0.815, abs=5e-4)
    assert report.interval.units == 11  # unit 12 has one value only: not pairable
    assert report.interval.reading is Reading.GOOD and report.ordinal.reading is Reading.GOOD
    assert report.interval.describe() == "α = 0.849 (good)"


def test_published_example_equals_the_package() -> None:
    subtasks, rubrics, panel = _published_example_as_a_meeting()
    data = np.array([[math.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011.values()])
    report = panel_agreement(subtasks, rubrics, panel)
    assert report.interval.value == pytest.approx(krippendorff.alpha(data, level_of_measurement="interval"))
    assert report.ordinal.value == pytest.approx(krippendorff.alpha(data, level_of_measurement="ordinal"))


def test_spread_mean_median_outliers_and_consensus() -> None:
    panel = {
        "Lena": {"1": {"a": 4, "b": 2}, "2": {"a": 3}},
        "Arjun": {"1": {"a": 1, "b": 2}, "2": {"a": 3, "b": 1}},
        "Maya": {"1": {"a": 3, "b": 2}},
    }
    report = panel_agreement(SUBTASKS, {"r": RUBRIC}, panel)
    by_key = {(c.subtask_id, c.criterion_id): c for c in report.criteria}
    assert set(by_key) == {("1", "a"), ("1", "b"), ("2", "a"), ("2", "b")}
    accuracy = by_key[("1", "a")]
    assert (accuracy.low, accuracy.high, accuracy.median, accuracy.spread) == (1, 4, 3, 3)
    assert accuracy.mean == pytest.approx(8 / 3) and accuracy.relative_spread == 0.75
    assert accuracy.outliers(1) == ["Arjun"] and accuracy.outliers(2) == []
    assert accuracy.outliers(0.5) == ["Arjun", "Lena"]
    assert report.widest(1) == [accuracy]
    assert report.suggested_consensus() == {"1": {"a": 3, "b": 2}, "2": {"a": 3, "b": 1}}
    assert report.suggested_consensus("mean") == {"1": {"a": 2.67, "b": 2}, "2": {"a": 3, "b": 1}}
    assert report.mission_scores["Maya"] == 66.67  # only subtask 1 scored: (2·3 + 2)/3 = 8/3 on 0–4
    # Criterion "a" over subtasks 1 and 2 (2 units); "b" has one pairable unit only.
    a, b = report.of(accuracy), report.of(by_key[("1", "b")])
    assert a is not None and a.title == "Accuracy" and a.interval.units == 2 and a.interval.value is not None
    assert b is not None and b.interval.value is None and b.interval.reading is Reading.NOT_ENOUGH
    assert b.interval.describe().startswith("not enough ratings")


def test_undefined_alpha_reads_not_enough_ratings() -> None:
    one = panel_agreement(SUBTASKS, {"r": RUBRIC}, {"Lena": {"1": {"a": 1}}})
    assert one.interval.value is None and one.interval.reading is Reading.NOT_ENOUGH and len(one.criteria) == 1
    same = panel_agreement(SUBTASKS, {"r": RUBRIC}, {m: {"1": {"a": 2, "b": 2}} for m in ("x", "y")})
    assert same.interval.value is None and "same" in same.interval.why_undefined
    assert panel_agreement(SUBTASKS, {"r": RUBRIC}, {}).criteria == ()


@pytest.mark.parametrize(("value", "reading"), [(0.8, Reading.GOOD), (0.79, Reading.TENTATIVE),
                                                (0.667, Reading.TENTATIVE), (0.66, Reading.DISCUSS),
                                                (-0.2, Reading.DISCUSS)])
def test_readings(value: float, reading: Reading) -> None:
    assert Alpha(value, "interval", 5).reading is reading


def test_ordinal_counts_levels_between_the_scores() -> None:
    # Two units, scores 0 vs 4 and 0 vs 1: the ordinal distance grows with the levels in between
    # (their frequencies), the interval one with the points; both are the package's.
    units = [[0.0, 4.0], [0.0, 1.0], [2.0, 2.0]]
    data = np.array(units).T
    for metric in ("interval", "ordinal"):
        expected = krippendorff.alpha(data, level_of_measurement=metric, value_domain=[0, 1, 2, 3, 4])
        assert alpha(units, metric, [0, 1, 2, 3, 4]).value == pytest.approx(expected)


points = st.one_of(st.none(), st.integers(min_value=0, max_value=4).map(float))


@given(st.lists(st.tuples(points, points, points, points), min_size=2, max_size=5))
def test_alpha_equals_the_package_on_random_panels(rows: list[tuple[float | None, ...]]) -> None:
    panel = {f"m{i}": {"1": {k: v for k, v in zip("ab", r[:2], strict=True) if v is not None},
                       "2": {k: v for k, v in zip("ab", r[2:], strict=True) if v is not None}}
             for i, r in enumerate(rows)}
    report = panel_agreement(SUBTASKS, {"r": RUBRIC}, panel)
    # Built independently: coders × units in the order subtask 1 a, 1 b, 2 a, 2 b.
    data = np.array([[math.nan if v is None else v for v in r] for r in rows])
    for mine, metric in ((report.interval, "interval"), (report.ordinal, "ordinal")):
        try:
            with np.errstate(invalid="ignore"):  # 0/0 when nobody's score differs: undefined
                expected = float(krippendorff.alpha(data, level_of_measurement=metric, value_domain=[0, 1, 2, 3, 4]))
        except ValueError:  # no pairable unit or no variation: undefined
            expected = math.nan
        if mine.value is None:
            assert math.isnan(expected) or mine.units < 2
        else:
            assert mine.value == pytest.approx(expected)
