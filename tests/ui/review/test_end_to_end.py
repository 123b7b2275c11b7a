"""Issue 5's "done when", by keyboard alone, through the real app: AppShell.open_account builds the store, the sync
engine, the services and the MainWindow exactly as after a sign-in; the mentor finds a submission in the queue,
opens evidence, scores every criterion, annotates every decision, writes feedback, decides, confirms, and the
sync engine delivers it to a private sandbox — checked with a separate client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from review_helpers import MENTOR, PASSWORD, signed_in

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import ReviewDetail
from mentor_desk.app import AppShell
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.status import Decision, ReviewStatus, can_decide, is_final, resulting_status
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer

Runner = Callable[..., Any]
Until = Callable[..., None]
T = TypeVar("T")


def _key(keys: str | Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Type into whatever has the keyboard focus, as a mentor does."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    if isinstance(keys, str) and len(keys) > 1:
        QTest.keyClicks(target, keys, modifier)
    else:
        QTest.keyClick(target, keys, modifier)


def _tab_to(predicate: Callable[[QWidget], bool], limit: int = 40) -> QWidget:
    for _ in range(limit):
        focused = QApplication.focusWidget()
        if focused is not None and predicate(focused):
            return focused
        _key(Qt.Key.Key_Tab)
    raise AssertionError("Tab never reached the wanted widget")


def _open_from_queue(shell: AppShell, learner: str, review_id: str, until: Until) -> Any:
    """The queue shows; type a filter; J/K to the submission; Enter opens it. Returns the workspace."""
    window = shell.window
    assert window is not None
    until(lambda: window.model.rowCount() > 0)
    window.activateWindow()
    window.queue.table.setFocus()  # where the window starts
    _key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.queue.search
    _key(learner)
    until(lambda: window.queue.proxy.rowCount() >= 1)
    _tab_to(lambda w: w is window.queue.table)  # past the facet buttons
    for _ in range(window.queue.proxy.rowCount()):  # J walks the unreviewed rows (wrapping)
        _key(Qt.Key.Key_J)
        if window.queue.current_review_id() == review_id:
            break
    _key(Qt.Key.Key_K)
    _key(Qt.Key.Key_J)
    assert window.queue.current_review_id() == review_id
    _key(Qt.Key.Key_Return)
    until(
        lambda: (
            window._workspace is not None
            and window._workspace.document is not None
            and window._workspace.document.review.id == review_id
        )
    )
    workspace = window._workspace
    until(lambda: workspace.scorer.fully_built)
    return workspace


def _score_everything(workspace: Any) -> None:
    """Alt+2, then a digit per criterion (each moves on); arrows go back to check one."""
    _key(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    scorer = workspace.scorer
    assert QApplication.focusWidget() is scorer
    for n in range(len(scorer.rows)):
        _key(str(len(scorer.rows[n].criterion.levels)))  # the top level (its points or its rank)
    _key(Qt.Key.Key_Up)
    _key("1")  # the last criterion, rescored to its lowest level
    _key(Qt.Key.Key_Right)
    _key(Qt.Key.Key_Left)
    summary = workspace.document.summary()
    assert summary.complete and summary.mission_score is not None
    assert f"{summary.mission_score:.2f}" in scorer.totals.text()


def _annotate_every_decision(workspace: Any) -> int:
    """Alt+3 lands on the first card's verdict: Down picks one, Tab to the comment, Tab to the next card."""
    cards = workspace.decision_path.cards
    _key(Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    for card in cards:
        assert QApplication.focusWidget() is card.verdict
        _key(Qt.Key.Key_Down)  # Not judged -> Matches ideal
        _key(Qt.Key.Key_Down)  # -> Acceptable
        _key(Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is card.comment
        _key(f"Reasonable under time pressure ({card.step.decision_id}).")
        _key(Qt.Key.Key_Tab)
    return len(cards)


def _decide_and_confirm(workspace: Any, decision_key: Qt.Key, feedback: str, until: Until) -> None:
    _key(Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is workspace.feedback.feedback
    _key(feedback)
    _key(decision_key, Qt.KeyboardModifier.AltModifier)
    _key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(lambda: workspace.confirmation is not None and workspace.confirmation.isVisible())
    box = workspace.confirmation
    assert "Resulting status" in box.text()
    QTest.keyClick(box, Qt.Key.Key_Return)  # the focused default: Submit
    until(lambda: workspace.confirmation is None)


async def _poll(fetch: Callable[[], Awaitable[T]], done: Callable[[T], bool], seconds: float = 30.0) -> T:
    """What ``fetch`` returns once ``done`` holds (the sync engine delivers in the background)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        value = await fetch()
        if done(value) or asyncio.get_running_loop().time() > deadline:
            assert done(value), f"not delivered in {seconds:g} s: {value!r}"[:2000]
            return value
        await asyncio.sleep(0.25)


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

        workspace = _open_from_queue(shell, target.learner.name, target.id, until)
        assert workspace.isVisible()

        # evidence: Alt+1 to the file list, Down to a file, Enter opens it in its viewer
        _key(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
        files = workspace.evidence.files
        assert QApplication.focusWidget() is files
        first_file = workspace.evidence.file_items()[0]
        while files.currentItem() is not first_file:
            _key(Qt.Key.Key_Down)
        _key(Qt.Key.Key_Return)
        until(lambda: workspace.evidence.viewer is not None)

        _score_everything(workspace)
        annotated = _annotate_every_decision(workspace)
        assert annotated == len(target.decision_paths)
        reason = "Containment came too late: isolate the beachhead first, then resubmit the timeline."
        _decide_and_confirm(workspace, Qt.Key.Key_R, reason, until)
        draft = workspace.document.draft

        expected = resulting_status(Decision.REQUEST_REVISION).value
        review = run(_poll(lambda: checker.get_review(target.id), lambda r: r.status == expected), 40)
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

            workspace = _open_from_queue(shell, target.learner_name, target.id, until)
            assert workspace.banner.isVisible() and "OCH v1" in workspace.banner.text()
            assert "does not give mentors" in workspace.evidence.message.text()
            assert "does not give mentors the learner's decision path" in workspace.decision_path.explanation.text()
            assert "mentor_desk's own rubric file" in workspace.scorer.rubric_note.text()
            reflection = workspace.context.sections["reflection"].findChildren(QLabel)
            assert any("does not give mentors the learner's reflection" in label.text() for label in reflection)

            _score_everything(workspace)
            assert _annotate_every_decision(workspace) == 0
            _decide_and_confirm(workspace, Qt.Key.Key_A, "Clear, well-argued work.", until)

            approved = resulting_status(Decision.APPROVE).value

            async def row() -> QueueItem:
                return next(i for i in await checker.fetch_queue() if i.id == target.id)

            run(_poll(row, lambda item: item.status == approved), 40)
        finally:
            run(checker.aclose())
