"""OCH v1 compatibility mode: the workspace shows what layer A offers and says plainly what it cannot."""

from __future__ import annotations

from typing import Any

import pytest

from mentor_desk.ui.review.workspace import ReviewWorkspace


@pytest.fixture
def v1_workspace(services_v1: Any, qtbot: Any) -> ReviewWorkspace:
    widget = ReviewWorkspace(services_v1)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    return widget


def test_compat_mode_explains_every_missing_part(
    v1_workspace: ReviewWorkspace, services_v1: Any, run: Any, settle: Any
) -> None:
    queue = run(services_v1.client.fetch_queue())
    item = next(i for i in queue if i.kind == "mission")
    assert run(v1_workspace.open_review(item.id))
    review = v1_workspace.review
    assert review is not None and review.rubrics_from_client

    assert v1_workspace.banner.isVisible() and "OCH v1 compatibility mode" in v1_workspace.banner.text()
    assert "does not give mentors the learner's evidence files" in v1_workspace.evidence.message.text()
    explanation = v1_workspace.decision_path.explanation
    assert explanation is not None and "does not give mentors the learner's decision path" in explanation.text()
    context_texts = " ".join(label.text() for label in v1_workspace.context.findChildren(type(explanation)))
    assert "does not give mentors the learner's reflection" in context_texts
    assert "mentor_desk's own rubric file" in v1_workspace.scorer.rubric_note.text()

    # Scoring still works with the client's own rubric, through the domain rules.
    assert v1_workspace.scorer.rows, "the default rubric gives every subtask criteria to score"
    row = v1_workspace.scorer.rows[0]
    row.buttons[-1].click()
    settle()
    assert "Subtask score: 100.00 / 100" in v1_workspace.scorer.subtask_labels[row.subtask.id].text()
