"""Issue 5's "done when", by keyboard alone, through the real app: AppShell.open_account builds the store, the sync
engine, the services and the MainWindow exactly as after a sign-in; the mentor finds a submission in the queue,
opens evidence, scores every criterion, annotates every decision, writes feedback, decides, confirms, and the
sync engine delivers it to a private sandbox — checked with a separate client.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from review_helpers import (
    MENTOR,
    PASSWORD,
    Until,
    annotate_every_decision,
    decide_and_confirm,
    key,
    open_from_queue,
    poll,
    score_everything,
    signed_in,
)

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import ReviewDetail
from mentor_desk.app import AppShell
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.status import Decision, ReviewStatus, can_decide, is_final, resulting_status
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer

Runner = Callable[..., Any]


async def _decidable(checker: PlatformClient) -> ReviewDetail:
    """A seeded mission of the mentor's, open for a decision, with evidence files and learner decisions."""
    page = await checker.list_reviews(limit=500)
    for row in page.results:
        if (
            can_decide(row.status)
            and row.status != ReviewStatus.MENTOR_REVIEW.value
            and row.kind == "mission"
            and row.assigned
        ):  # (not yet under review: the queue's default view shows it)
            detail = await checker.get_review(row.id)
            if detail.files and detail.decision_paths:
                return detail
    raise AssertionError("the seed has no decidable mission with files and decisions")


def test_full_mode_review_by_keyboard_alone_reaches_the_platform(
    fresh_sandbox: SandboxServer, shell: AppShell, run: Runner, until: Until
) -> None:
    checker = run(signed_in(fresh_sandbox.url))
    try:
        target = run(_decidable(checker))
        client = shell.connect(fresh_sandbox.url, False)
        run(client.login(MENTOR, PASSWORD))
        run(shell.open_account(client, MENTOR, run(client.me())))
        shell.window.resize(1400, 900)

        workspace = open_from_queue(shell, target.learner.name, target.id, until)
        assert workspace.isVisible()

        # evidence: Alt+1 to the file list, Down to a file, Enter opens it in its viewer
        key(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
        files = workspace.evidence.files
        assert QApplication.focusWidget() is files
        first_file = workspace.evidence.file_items()[0]
        while files.currentItem() is not first_file:
            key(Qt.Key.Key_Down)
        key(Qt.Key.Key_Return)
        until(lambda: workspace.evidence.viewer is not None)

        score_everything(workspace)
        annotated = annotate_every_decision(workspace)
        assert annotated == len(target.decision_paths)
        reason = "Containment came too late: isolate the beachhead first, then resubmit the timeline."
        decide_and_confirm(workspace, Qt.Key.Key_R, reason, until)
        draft = workspace.document.draft

        expected = resulting_status(Decision.REQUEST_REVISION).value
        review = run(poll(lambda: checker.get_review(target.id), lambda r: r.status == expected), 40)
        assert review.mentor_score == pytest.approx(draft.mission_score, abs=0.01)
        final = next(stage for stage in review.stages if stage.name == draft.stage)
        assert final.decision == Decision.REQUEST_REVISION.value and final.feedback_written == reason
        assert final.scores is not None and final.scores["subtask_scores"] == draft.subtask_scores
        assert final.decision_annotations == draft.to_json()["decision_annotations"]
        assert {a["verdict"] for a in final.decision_annotations.values()} == {"acceptable"}
    finally:
        run(checker.aclose())


def test_compatibility_mode_review_by_keyboard_lands_through_och_v1(
    tmp_path: Path, shell: AppShell, run: Runner, until: Until
) -> None:
    with SandboxServer(SandboxConfig(db_path=tmp_path / "och-v1.sqlite3", profile="och-v1")) as server:
        checker = run(signed_in(server.url))
        try:
            queue = run(checker.fetch_queue())
            target = next(item for item in queue if not is_final(item.status))
            client = shell.connect(server.url, False)
            run(client.login(MENTOR, PASSWORD))
            run(shell.open_account(client, MENTOR, run(client.me())))
            shell.window.resize(1400, 900)

            workspace = open_from_queue(shell, target.learner_name, target.id, until)
            banners = [label for label in shell.window.findChildren(QLabel, "modeBanner") if label.isVisible()]
            assert banners == [shell.window.banner] and "OCH v1 compatibility mode" in banners[0].text()
            assert "does not give mentors" in workspace.evidence.message.text()
            assert "does not give mentors the learner's decision path" in workspace.decision_path.explanation.text()
            assert "mentor_desk's own rubric file" in workspace.scorer.rubric_note.text()
            reflection = workspace.context.sections["reflection"].findChildren(QLabel)
            assert any("does not give mentors the learner's reflection" in label.text() for label in reflection)

            score_everything(workspace)
            assert annotate_every_decision(workspace) == 0
            decide_and_confirm(workspace, Qt.Key.Key_A, "Clear, well-argued work.", until)

            approved = resulting_status(Decision.APPROVE).value

            async def row() -> QueueItem:
                return next(i for i in await checker.fetch_queue() if i.id == target.id)

            run(poll(row, lambda item: item.status == approved), 40)
        finally:
            run(checker.aclose())
