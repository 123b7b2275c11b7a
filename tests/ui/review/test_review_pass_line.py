"""An approval needs the pass line (issue 10 item 23): layer B's rule, applied by the desk in both modes; on OCH v1,
which takes any decision, only through an explicit override that is logged. The confirmation says what OCH v1
will record (item 14)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from review_helpers import Until, key, pick

from mentor_desk.domain.status import is_final
from mentor_desk.ui.review.workspace import ReviewWorkspace

Runner = Callable[..., Any]


def _approve_with_the_lowest_levels(workspace: ReviewWorkspace, until: Until) -> None:
    """By keyboard: the lowest level for every criterion, a reason, Alt+A, then Ctrl+Enter."""
    workspace.activateWindow()
    until(lambda: QApplication.focusWidget() is workspace.scorer)
    for _ in workspace.scorer.rows:
        key("1")
    assert workspace.document is not None and workspace.document.summary().passed is False
    key(Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    key("Thin on evidence, but the cohort's deadline is today.")
    key(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_full_mode_refuses_an_approval_below_the_pass_line(
    details: list[Any], workspace: ReviewWorkspace, services: Any, run: Runner, until: Until, settle: Any
) -> None:
    detail = pick(details, lambda d: d.kind == "mission" and d.status == "mentor_review", "a mission in review")
    assert run(workspace.open_review(detail.id))
    _approve_with_the_lowest_levels(workspace, until)
    until(lambda: "pass line" in workspace.feedback.problems.text())
    assert "Approving needs a mission score of at least 70 (the pass line)" in workspace.feedback.problems.text()
    settle(0.2)
    assert workspace.confirmation is None
    assert run(services.store.outbox()) == []


def test_och_v1_approves_below_the_pass_line_only_when_the_mentor_insists(
    workspace_v1: ReviewWorkspace, services_v1: Any, run: Runner, until: Until, caplog: pytest.LogCaptureFixture
) -> None:
    workspace = workspace_v1
    item = next(i for i in run(services_v1.client.fetch_queue()) if i.kind == "mission" and not is_final(i.status))
    assert run(workspace.open_review(item.id))
    _approve_with_the_lowest_levels(workspace, until)
    until(lambda: workspace.confirmation is not None and workspace.confirmation.isVisible())
    box = workspace.confirmation
    assert box is not None
    score = workspace.document.draft.mission_score if workspace.document else None
    assert score is not None and score < 70
    assert "Approving needs a mission score of at least 70 (the pass line)" in box.text()
    assert f"OCH v1 will record: approved, score {round(score)} / 100, with your written feedback." in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    QTest.keyClick(box, Qt.Key.Key_Return)  # Return takes the default: Cancel
    until(lambda: workspace.confirmation is None)
    assert run(services_v1.store.outbox()) == []

    workspace.activateWindow()  # back from the box (a window manager does this; offscreen Qt does not)
    until(lambda: QApplication.focusWidget() is not None)
    key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(lambda: workspace.confirmation is not None and workspace.confirmation.isVisible())
    override = workspace.confirmation.button(QMessageBox.StandardButton.Yes)
    assert override.text() == "Approve below the pass line"
    until(lambda: QApplication.focusWidget() is not None)
    for _ in range(4):
        if QApplication.focusWidget() is override:
            break
        key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is override
    with caplog.at_level(logging.WARNING, logger="mentor_desk.ui.review.workspace"):
        key(Qt.Key.Key_Space)
        until(lambda: workspace.confirmation is None)
        until(lambda: bool(run(services_v1.store.outbox())))
    assert [e.draft.decision for e in run(services_v1.store.outbox())] == ["approve"]
    assert any("approved below the pass line because the mentor insisted" in r.getMessage() for r in caplog.records)
