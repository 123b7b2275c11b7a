"""Rendering a structured review into OCH v1's written feedback."""

from __future__ import annotations

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.sync.v1_feedback import OVERALL_STATUS, render_written_feedback


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
        {"st1": "Triage"},
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
