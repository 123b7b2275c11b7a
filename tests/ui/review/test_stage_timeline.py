"""The capstone stage timeline, through the real app on a private sandbox: a capstone goes through all six
stages; after each one the timeline shows who reviewed it, when and with what score; earlier stages' feedback
stays readable while a later one is scored; Ctrl+Shift+V plays the presentation in the VLC player."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from review_helpers import MENTOR, PASSWORD, signed_in

from mentor_desk.api.client import PlatformClient
from mentor_desk.app import AppShell
from mentor_desk.domain.words import STAGE_NAMES as STAGE_TITLES
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.ui.review.viewers.media_viewer import MediaViewer

Runner = Callable[..., Any]
Until = Callable[..., None]
STAGES = list(STAGE_TITLES)


async def _fresh_capstone(checker: PlatformClient) -> str:
    """A capstone of the demo mentor's at its first stage that nobody else has claimed."""
    page = await checker.list_reviews(limit=500)
    for row in page.results:
        if row.kind == "capstone" and row.stage.name == "investigation" and row.claimed_by is None and row.assigned:
            return row.id
    raise AssertionError("the seed has no capstone at its first stage")


async def _opened(task: Any) -> None:
    await task


def _score_and_write(workspace: Any, feedback: str) -> None:
    scorer = workspace.scorer
    scorer.setFocus()
    for row in scorer.rows:
        QTest.keyClick(scorer, str(len(row.criterion.levels) - 1))
    workspace.feedback.feedback.setFocus()
    QTest.keyClicks(workspace.feedback.feedback, feedback)


def test_a_capstone_through_all_six_stages_with_the_timeline(
    fresh_sandbox: SandboxServer, shell: AppShell, run: Runner, until: Until
) -> None:
    checker = run(signed_in(fresh_sandbox.url))
    try:
        review_id = run(_fresh_capstone(checker))
        client = shell.connect(fresh_sandbox.url, False)
        run(client.login(MENTOR, PASSWORD))
        run(shell.open_account(client, MENTOR, run(client.me())))
        window = shell.window
        assert window is not None
        window.activateWindow()
        workspace = window.workspace()
        for position, stage in enumerate(STAGES):
            run(_opened(window.open_review(review_id)))
            until(lambda stage=stage: workspace.review is not None and workspace.review.stage == stage)
            until(lambda: workspace.scorer.fully_built)
            timeline = workspace.timeline
            assert workspace.side_tabs.isTabVisible(workspace.side_tabs.indexOf(timeline))
            assert timeline.summary.text() == f"{position} of 6 stages reviewed"
            for earlier in timeline.entries[:position]:
                assert earlier.reviewed and earlier.reviewer and earlier.completed_at and earlier.score is not None
            current = timeline.stages.currentItem()
            assert current is not None and "(open)" in current.text(2)
            if position:  # the previous stage's feedback, read while this one is scored
                timeline.stages.setCurrentItem(timeline.stages.topLevelItem(position - 1))
                assert f"Notes on {STAGES[position - 1]}." in timeline.feedback.toPlainText()
                assert "reviewed by" in timeline.feedback.toPlainText()
            if stage == "presentation":
                workspace.scorer.setFocus()
                QTest.keyClick(
                    workspace.scorer,
                    Qt.Key.Key_V,
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
                )
                until(lambda: isinstance(workspace.evidence.viewer, MediaViewer))
                player = workspace.evidence.viewer.player
                until(lambda p=player: p.state() in ("playing", "ended"), 15)

            _score_and_write(workspace, f"Notes on {stage}.")
            if stage == "final":
                QTest.keyClick(workspace.feedback.feedback, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
            assert run(workspace.submit_review(confirm=False)), workspace.feedback.problems.text()

            def delivered(stage: str = stage) -> bool:
                detail = run(checker.get_review(review_id))
                return next(s for s in detail.stages if s.name == stage).status == "completed"

            until(delivered, 40)

        detail = run(checker.get_review(review_id))
        assert detail.status == "approved"
        run(_opened(window.open_review(review_id)))
        until(lambda: workspace.review is not None and workspace.timeline.summary.text() == "6 of 6 stages reviewed")
        final = workspace.timeline.entries[-1]
        assert final.decision == "approve" and final.reviewer
    finally:
        run(checker.aclose())
