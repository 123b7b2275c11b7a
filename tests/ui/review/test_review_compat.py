"""OCH v1 compatibility mode: the workspace shows what layer A offers and says plainly what it cannot."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from mentor_desk.ui.review.workspace import ReviewWorkspace


@pytest.fixture
def services(services_v1: Any) -> Any:
    """The workspace of this module's tests (conftest's ``workspace``) works against the OCH v1 sandbox."""
    return services_v1


def test_compat_mode_explains_every_missing_part(
    workspace: ReviewWorkspace, services: Any, run: Any, settle: Any
) -> None:
    queue = run(services.client.fetch_queue())
    item = next(i for i in queue if i.kind == "mission")
    assert run(workspace.open_review(item.id))
    review = workspace.review
    assert review is not None and review.rubrics_from_client

    assert not workspace.findChildren(QLabel, "modeBanner"), "the main window's banner says it, once (item 14)"
    assert "does not give mentors the learner's evidence files" in workspace.evidence.message.text()
    explanation = workspace.decision_path.explanation
    assert explanation is not None and "does not give mentors the learner's decision path" in explanation.text()
    context_texts = " ".join(label.text() for label in workspace.context.findChildren(type(explanation)))
    assert "does not give mentors the learner's reflection" in context_texts
    assert "mentor_desk's own rubric file" in workspace.scorer.rubric_note.text()

    # Scoring still works with the client's own rubric, through the domain rules.
    assert workspace.scorer.rows, "the default rubric gives every subtask criteria to score"
    row = workspace.scorer.rows[0]
    row.buttons[-1].click()
    settle()
    assert "Subtask score: 100.00 / 100" in workspace.scorer.subtask_labels[row.subtask.id].text()
