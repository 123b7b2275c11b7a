"""The client's scoring and the sandbox's independent implementation agree on random rubrics."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mentor_desk.domain.scoring import Criterion, Rubric, SubtaskSpec, mission_score, subtask_score
from mentor_desk.sandbox import scoring as server


@st.composite
def missions(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], dict[str, dict[str, float]]]:
    rubrics: dict[str, dict[str, Any]] = {}
    for r in range(draw(st.integers(1, 3))):
        lo = draw(st.sampled_from([0, 1, -2]))
        hi = lo + draw(st.sampled_from([1, 3, 4, 5, 10, 100]))
        criteria = [
            {"id": f"c{i}", "weight": draw(st.floats(0.01, 1000, allow_nan=False))}
            for i in range(draw(st.integers(1, 6)))
        ]
        rubrics[f"r{r}"] = {"id": f"r{r}", "scale": {"min": lo, "max": hi}, "criteria": criteria}
    subtasks = [
        {
            "id": str(i),
            "weight": draw(st.floats(0.01, 100, allow_nan=False)),
            "rubric_id": draw(st.sampled_from(sorted(rubrics))),
        }
        for i in range(1, draw(st.integers(1, 6)) + 1)
    ]
    scores = {}
    for s in subtasks:
        rubric = rubrics[s["rubric_id"]]
        lo, hi = rubric["scale"]["min"], rubric["scale"]["max"]
        # Mentors type whole or half points; also try arbitrary decimals.
        value = st.one_of(st.integers(lo, hi).map(float), st.floats(lo, hi, allow_nan=False))
        scores[s["id"]] = {c["id"]: draw(value) for c in rubric["criteria"]}
    return subtasks, rubrics, scores


def _domain(rubric: dict[str, Any]) -> Rubric:
    return Rubric(
        id=rubric["id"],
        version=1,
        title=rubric["id"],
        scale_min=rubric["scale"]["min"],
        scale_max=rubric["scale"]["max"],
        criteria=tuple(Criterion(c["id"], c["id"], weight=c["weight"]) for c in rubric["criteria"]),
    )


@settings(max_examples=300)
@given(missions())
def test_client_and_sandbox_compute_the_same_scores(case: Any) -> None:
    subtasks, rubrics, scores = case
    server_mission, server_per_subtask = server.mission_score(subtasks, rubrics, scores, complete=True)
    domain_rubrics = {rid: _domain(r) for rid, r in rubrics.items()}
    specs = [SubtaskSpec(s["id"], s["id"], s["weight"], s["rubric_id"]) for s in subtasks]
    # Both compute exactly on the numbers' decimal text and round half up: the results are identical.
    for s in specs:
        assert subtask_score(domain_rubrics[s.rubric_id], scores[s.id]) == server_per_subtask[s.id]
    ours = mission_score(specs, domain_rubrics, scores)
    assert ours == server_mission
    assert server.matches(ours, server_mission)
