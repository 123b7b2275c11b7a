"""Rendering a structured review into OCH v1's written feedback."""

from __future__ import annotations

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.scoring import Criterion, Level, Rubric, SubtaskSpec
from mentor_desk.sync.v1_feedback import OVERALL_STATUS, RubricSheet, render_written_feedback


def test_the_whole_review_is_in_the_text() -> None:
    text = render_written_feedback(
        ReviewDraft.from_json(
            {
                "feedback_written": "  Well argued.  ",
                "subtask_scores": {"st1": {"evidence": 4, "reasoning": 2.5}, "st2": {}},
                "mission_score": 81.25,
                "feedback_per_subtask": {"st1": "Cite the log lines.", "st2": "   "},
                "decision_annotations": {
                    "d1": {"verdict": "matches_ideal", "comment": ""},
                    "d2": {"verdict": "divergent", "comment": "Contain before eradicating."},
                    "d3": {"verdict": "", "comment": ""},
                },
            }
        ),
        RubricSheet([SubtaskSpec("st1", "Triage", 1, "")], {}),  # no rubric known: the scores by their ids
    )
    assert text == (
        "Well argued.\n\n"
        "Rubric scores\nMission score: 81.25 / 100\n- Triage: evidence 4, reasoning 2.5\n- st2: not scored\n\n"
        "Per subtask\n- Triage: Cite the log lines.\n\n"
        "Decision path\n- d1: matches the ideal path\n- d2: divergent — Contain before eradicating."
    )


def test_only_the_words_when_nothing_was_scored() -> None:
    assert render_written_feedback(ReviewDraft(feedback_written="<b>not html</b>")) == "<b>not html</b>"
    assert render_written_feedback(ReviewDraft()) == ""


def test_decisions_map_to_och_statuses() -> None:
    assert OVERALL_STATUS == {"approve": "pass", "request_revision": "needs_revision", "fail": "fail"}


LEVELS = (Level("Missing", 0), Level("Developing", 2), Level("Proficient", 3), Level("Exemplary", 4))
RUBRIC = Rubric(
    "own", 1, "Mastery", 0, 4, 70, (Criterion("tech", "Technical accuracy", weight=3, levels=LEVELS),
                                    Criterion("docs", "Communication", levels=LEVELS))
)
SHEET = RubricSheet([SubtaskSpec("st1", "Triage", 2, "own"), SubtaskSpec("st2", "Report", 1, "own")], {"own": RUBRIC})


def test_a_learner_reads_the_rubric_as_a_table_and_the_decision_in_words() -> None:
    draft = ReviewDraft(
        decision="request_revision",
        feedback_written="Contain first, then eradicate.",
        subtask_scores={"st1": {"tech": 3, "docs": 2}, "st2": {"tech": 2, "docs": 1}},
        mission_score=60.42,
        feedback_per_subtask={"st1": "  "},
    )
    assert render_written_feedback(draft, SHEET) == (
        "Decision: revision requested — resubmit\n\n"
        "Contain first, then eradicate.\n\n"
        "Rubric scores\n"
        "Subtask | Weight | Criterion          | Level               | Subtask score\n"
        "--------+--------+--------------------+---------------------+--------------\n"
        "Triage  | 2      | Technical accuracy | Proficient (3 of 4) | 68.75 / 100\n"
        "        |        | Communication      | Developing (2 of 4) |\n"
        "Report  | 1      | Technical accuracy | Developing (2 of 4) | 43.75 / 100\n"
        "        |        | Communication      | 1 of 4              |\n"
        "Mission score: 60.42 / 100 (pass line 70: below the pass line)"
    )


def test_sections_without_content_are_left_out() -> None:
    draft = ReviewDraft(decision="approve", subtask_scores={"st1": {"tech": 4, "docs": 4}})
    text = render_written_feedback(draft, SHEET)
    assert text.startswith("Decision: approved\n\nRubric scores\n")
    assert "Report" not in text and "Per subtask" not in text and "Decision path" not in text
