"""Starter remarks: a rubric's criteria in the words of their descriptions, tied to them."""

from __future__ import annotations

from mentor_desk.domain.remarks import Remark, starter_remarks
from mentor_desk.domain.scoring import Criterion, Rubric


def test_each_criterion_gives_a_strength_and_a_next_step_in_its_own_words() -> None:
    rubric = Rubric(
        "r1", 1, "Investigation rigour", 0, 4,
        criteria=(
            Criterion("scoping", "Scoping", "Clear scope, hypotheses and stakeholder alignment."),
            Criterion("framework", "Framework mapping", "ISO 27001 controls mapped correctly"),
            Criterion("tooling", "Tooling"),
        ),
    )
    assert starter_remarks(rubric) == [
        Remark("Scoping — a strength: clear scope, hypotheses and stakeholder alignment.", "scoping"),
        Remark("Scoping — to work on next: clear scope, hypotheses and stakeholder alignment.", "scoping"),
        Remark("Framework mapping — a strength: ISO 27001 controls mapped correctly.", "framework"),
        Remark("Framework mapping — to work on next: ISO 27001 controls mapped correctly.", "framework"),
        Remark("Tooling — a strength.", "tooling"),
        Remark("Tooling — to work on next.", "tooling"),
    ]
