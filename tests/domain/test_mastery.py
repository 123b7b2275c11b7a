"""The mastery record from review details: scores per attempt, subtask and criterion; time, hints, divergence."""

from __future__ import annotations

from mentor_desk.domain.mastery import CSV_HEADER, csv_rows, mastery_record

DETAIL = {
    "id": "r1",
    "kind": "capstone",
    "status": "approved",
    "attempt": 2,
    "mentor_score": 81.5,
    "ai_score": 70,
    "mission": {
        "code": "DEF-1",
        "title": "Zero-day <b>response</b>",
        "subtasks": [{"id": 1, "title": "Assess"}],
        "branching_paths": {"1": {"decision_id": "d1"}, "2": {"decision_id": "d2"}},
        "ideal_path": {"1": {"decision_id": "d1", "choice_id": "a"}, "2": {"decision_id": "d2", "choice_id": "b"}},
    },
    "rubrics": {"inv": {"criteria": [{"id": "scoping", "title": "Scoping"}]}},
    "stages": [
        {
            "name": "investigation",
            "scores": {"subtask_scores": {"1": {"scoping": 3}}, "subtask_results": {"1": 75}, "mission_score": 75},
        },
        {"name": "final", "scores": None},
    ],
    "history": [{"attempt": 1, "mentor_score": 52.0}],
    "decision_paths": {"d1": {"choice_id": "a"}, "d2": {"choice_id": "c"}},
    "time_per_stage": {"1": 40, "2": 25.5},
    "hints_used": [{"subtask_id": 1}],
}


def test_a_record_from_a_review_detail() -> None:
    record = mastery_record("Amara <script>", "a@x", "DEFENDER_5", [DETAIL, {"mission": {"code": "A"}}])
    first, capstone = record.missions
    assert first.code == "A" and first.mentor_score is None and first.attempt_scores == ()
    assert capstone.attempt_scores == ((1, 52.0), (2, 81.5)) and capstone.minutes == 65.5 and capstone.hints == 1
    assert (capstone.decisions, capstone.divergent) == (2, 1)
    assert [(ln.subtask, ln.criterion, ln.score) for ln in record.lines] == [
        ("Assess", "Scoping", 3.0),
        ("Assess", "", 75.0),
        ("", "", 75.0),
    ]
    rows = csv_rows(record)
    assert rows[0] == list(CSV_HEADER) and rows[1] == [
        "Amara <script>",
        "DEFENDER_5",
        "Zero-day <b>response</b>",
        "2",
        "investigation",
        "Assess",
        "Scoping",
        "3",
    ]
