"""Decision path vs ideal path."""

from __future__ import annotations

import pytest

from mentor_desk.domain.decision_path import (
    DecisionPoint,
    StepKind,
    TakenDecision,
    Verdict,
    annotations_to_send,
    compare_paths,
    lacking_verdict,
)
from mentor_desk.domain.draft import DecisionNote

POINTS = [
    DecisionPoint("malware", "3", (("static", "Static first"), ("dynamic", "Dynamic first")), "static", "Safer"),
    DecisionPoint("scope", "1", (("narrow", "Contain"), ("wide", "Investigate")), "wide", "APT needs scope"),
    DecisionPoint("comms", "10", (("now", "Now"), ("later", "Later")), "now"),
]


def test_same_different_skipped_extra_in_subtask_order() -> None:
    taken = [
        TakenDecision("scope", "wide", "1"),
        TakenDecision("malware", "dynamic", "3"),
        TakenDecision("gut_feeling", "yes", "2"),
    ]
    result = compare_paths(POINTS, taken)
    assert [(s.decision_id, s.kind) for s in result.steps] == [
        ("scope", StepKind.SAME),
        ("gut_feeling", StepKind.EXTRA),
        ("malware", StepKind.DIFFERENT),
        ("comms", StepKind.SKIPPED),  # subtask "10" sorts after "3" numerically
    ]
    scope, extra, malware, comms = result.steps
    assert scope.suggested_verdict is Verdict.MATCHES_IDEAL
    assert malware.learner_label == "Dynamic first" and malware.ideal_label == "Static first"
    assert malware.rationale == "Safer" and malware.suggested_verdict is Verdict.DIVERGENT
    assert comms.learner_choice is None and comms.suggested_verdict is Verdict.DIVERGENT
    assert extra.suggested_verdict is None and extra.learner_label == "yes"
    assert not result.matches_ideal
    assert (result.count(StepKind.SAME), result.count(StepKind.EXTRA)) == (1, 1)


def test_all_ideal() -> None:
    taken = [TakenDecision(p.decision_id, p.ideal_choice or "") for p in POINTS]
    assert compare_paths(POINTS, taken).matches_ideal
    assert not compare_paths([], []).matches_ideal


def test_unknown_choice_and_missing_ideal_are_kept() -> None:
    point = DecisionPoint("d", "1", (("a", "A"),), None)
    (step,) = compare_paths([point], [TakenDecision("d", "zzz")]).steps
    assert step.kind is StepKind.DIFFERENT and step.learner_label == "zzz" and step.ideal_label == ""


def test_annotations_need_a_verdict_to_be_sent() -> None:
    annotations = {
        "judged": DecisionNote("acceptable", "Fine"),
        "comment_only": DecisionNote("", "Why?"),
        "odd_verdict": DecisionNote("meh", ""),
        "blank": DecisionNote("", "  "),
    }
    assert lacking_verdict(annotations) == ["comment_only", "odd_verdict"]
    with pytest.raises(ValueError, match="comment_only, odd_verdict"):
        annotations_to_send(annotations)
    settled = {k: v for k, v in annotations.items() if k not in ("comment_only", "odd_verdict")}
    assert lacking_verdict(settled) == []
    assert annotations_to_send(settled) == {"judged": {"verdict": "acceptable", "comment": "Fine"}}
