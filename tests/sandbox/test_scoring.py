"""The server's score recomputation, checked against an independent exact-arithmetic reference."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentor_desk.sandbox import scoring
from mentor_desk.sandbox.runner import SandboxServer

from .conftest import sign_in
from .reviewing import review_body, uniform_scores


def round_half_up(value: Fraction) -> Decimal:
    """Round half up at 2 decimals on the exact value (the reference: no floats involved)."""
    scaled = value * 100
    floor = scaled.numerator // scaled.denominator
    return (Decimal(floor + (1 if scaled - floor >= Fraction(1, 2) else 0)) / 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)


criteria = st.lists(st.tuples(st.integers(1, 5), st.integers(0, 8)), min_size=1, max_size=5)


@st.composite
def missions(draw: st.DrawFn) -> tuple[list[dict], dict, dict]:
    subtasks, rubrics, scores = [], {}, {}
    for index in range(draw(st.integers(1, 6))):
        rows = draw(criteria)
        rubric_id = f"r{index}"
        rubrics[rubric_id] = {"id": rubric_id, "scale": {"min": 0, "max": 4}, "pass_threshold": 70,
                              "criteria": [{"id": f"c{n}", "weight": w} for n, (w, _) in enumerate(rows)]}
        subtasks.append({"id": index + 1, "weight": draw(st.integers(1, 4)), "rubric_id": rubric_id})
        scores[str(index + 1)] = {f"c{n}": half / 2 for n, (_, half) in enumerate(rows)}
    return subtasks, rubrics, scores


def reference(subtasks: list[dict], rubrics: dict, scores: dict) -> Decimal:
    total = weighted = Fraction(0)
    for subtask in subtasks:
        rubric = rubrics[subtask["rubric_id"]]
        weights = {c["id"]: Fraction(c["weight"]) for c in rubric["criteria"]}
        given_scores = scores[str(subtask["id"])]
        mean = sum(weights[c] * Fraction(v) for c, v in given_scores.items()) / sum(weights.values())
        subtask_score = Fraction(round_half_up(mean / 4 * 100))
        weighted += subtask["weight"] * subtask_score
        total += subtask["weight"]
    return round_half_up(weighted / total)


@settings(max_examples=300, deadline=None)
@given(missions())
def test_server_scoring_matches_exact_reference(case: tuple[list[dict], dict, dict]) -> None:
    subtasks, rubrics, scores = case
    score, per_subtask = scoring.mission_score(subtasks, rubrics, scores, complete=True)
    assert Decimal(str(score)) == reference(subtasks, rubrics, scores)
    assert set(per_subtask) == set(scores) and all(0 <= v <= 100 for v in per_subtask.values())
    assert scoring.matches(score + 0.01, score) and not scoring.matches(score + 0.02, score)


@given(missions(), st.floats(4.01, 100) | st.floats(-100, -0.01))
def test_scores_outside_the_scale_are_refused(case: tuple[list[dict], dict, dict], bad: float) -> None:
    subtasks, rubrics, scores = case
    first = next(iter(scores))
    scores[first][next(iter(scores[first]))] = bad
    with pytest.raises(scoring.ScoreError):
        scoring.mission_score(subtasks, rubrics, scores, complete=True)


def test_half_up_rounding() -> None:
    assert scoring.round2(2.675) == 2.68  # float 2.675 is 2.67499…; Decimal(str()) rounds the written value
    assert scoring.round2(0.125) == 0.13


def test_tolerance_over_http(fresh_sandbox: SandboxServer) -> None:
    with sign_in(fresh_sandbox.url, "mentor@demo.och") as client:
        rows = client.get("/mentor/reviews", params={"status": "ai_reviewed", "limit": 1000}).json()["results"]
        row = next(r for r in rows if r["kind"] == "mission" and r["claimed_by"] is None)
        detail = client.get(f"/mentor/reviews/{row['id']}").json()
        body = review_body(detail, "approve", subtask_scores=uniform_scores(detail, 3))
        url = f"/mission-progress/{row['id']}/mentor-review/complete"
        off = client.post(url, json={**body, "mission_score": body["mission_score"] + 0.02})
        assert off.status_code == 422 and off.json()["error"] == "score_mismatch"
        near = client.post(url, json={**body, "client_op_id": "near", "mission_score": body["mission_score"] - 0.01})
        assert near.status_code == 200 and near.json()["mentor_score"] == 75.0


def test_non_numeric_scores() -> None:
    rubric = {"id": "r", "scale": {"min": 0, "max": 4}, "criteria": [{"id": "a", "weight": 1}]}
    for bad in ("3", True, None, float("nan")):
        with pytest.raises(scoring.ScoreError):
            scoring.subtask_score(rubric, {"a": bad}, complete=True)


def test_exact_tie_rounds_up() -> None:
    """3·21.43/6 is 10.714999… in floats but exactly 10.715: half up gives 10.72."""
    rubrics = {"a": {"id": "a", "scale": {"min": 0, "max": 4}, "criteria": [{"id": "c", "weight": 1}]},
               "b": {"id": "b", "scale": {"min": 0, "max": 4},
                     "criteria": [{"id": f"c{n}", "weight": w} for n, w in enumerate((1, 1, 1, 1, 3))]}}
    subtasks = [{"id": 1, "weight": 3, "rubric_id": "a"}, {"id": 2, "weight": 3, "rubric_id": "b"}]
    scores = {"1": {"c": 0}, "2": {"c0": 0, "c1": 0, "c2": 0.5, "c3": 4, "c4": 0.5}}
    assert scoring.mission_score(subtasks, rubrics, scores, complete=True) == (10.72, {"1": 0.0, "2": 21.43})
