"""Submitting a review through the real app (store, sync engine, main window) on a private OCH v1 sandbox:
what the desk writes, in which order, and what is left on this computer once the platform has the review."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from review_helpers import MENTOR, PASSWORD, Until, key, open_from_queue, poll, score_everything, signed_in

from mentor_desk.api.client import PlatformClient
from mentor_desk.app import AppShell
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.status import is_final
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer

Runner = Callable[..., Any]


@pytest.fixture
def och_v1(tmp_path: Path) -> Iterator[SandboxServer]:
    """A private OCH v1 sandbox: these tests deliver reviews, which the shared ``sandbox_v1`` must not see."""
    with SandboxServer(SandboxConfig(db_path=tmp_path / "och-v1.sqlite3", profile="och-v1")) as server:
        yield server


@pytest.fixture
def checker(och_v1: SandboxServer, run: Runner) -> Iterator[PlatformClient]:
    client = run(signed_in(och_v1.url))
    yield client
    run(client.aclose())


def _signed_in_desk(shell: AppShell, server: SandboxServer, run: Runner) -> None:
    client = shell.connect(server.url, False)
    run(client.login(MENTOR, PASSWORD))
    run(shell.open_account(client, MENTOR, run(client.me())))
    assert shell.window is not None
    shell.window.resize(1400, 900)


async def _row(checker: PlatformClient, review_id: str) -> QueueItem:
    return next(item for item in await checker.fetch_queue() if item.id == review_id)


def test_a_submit_confirmed_right_after_the_last_keystroke_leaves_no_draft_behind(
    och_v1: SandboxServer, checker: PlatformClient, shell: AppShell, run: Runner, until: Until
) -> None:
    """Issue 10 item 21: the autosave of the last edit must not land after the submit and revive the draft."""
    target = next(item for item in run(checker.fetch_queue()) if not is_final(item.status))
    _signed_in_desk(shell, och_v1, run)
    workspace = open_from_queue(shell, target.learner_name, target.id, until)
    score_everything(workspace)
    key(Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    key("Clear, well-argued work.")
    key(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # the last keystroke: its autosave is still pending
    stage = workspace.document.review.stage
    key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(lambda: workspace.confirmation is not None and workspace.confirmation.isVisible())
    QTest.keyClick(workspace.confirmation, Qt.Key.Key_Return)  # at once, well within the autosave delay
    until(lambda: workspace.confirmation is None)

    run(poll(lambda: _row(checker, target.id), lambda item: is_final(item.status)), 40)
    store = shell.account.store
    run(poll(store.outbox, lambda entries: not entries), 20)  # delivered: nothing left waiting
    assert run(store.draft(target.id, stage)) is None, "the delivered review's draft is still on this computer"
    assert run(store.drafts()) == []

    assert run(workspace.open_review(target.id))  # the mentor looks at it again
    assert workspace.save_state.text() != "Draft restored"
    assert workspace.document.draft.feedback_written == "" and not workspace.document.draft.decision
    run(shell.engine.sync_once())
    assert run(store.conflicts()) == [], "reopening the delivered review made a conflict"


def test_och_v1_records_the_mentors_score_and_a_feedback_text_a_learner_can_read(
    och_v1: SandboxServer, checker: PlatformClient, shell: AppShell, run: Runner, until: Until
) -> None:
    """Issue 10 items 14 and 22: the confirmation says what OCH v1 will record, and it records exactly that: the
    rubric's mission score, and a text with the decision in words and the rubric as a table."""
    target = next(item for item in run(checker.fetch_queue()) if not is_final(item.status))
    _signed_in_desk(shell, och_v1, run)
    workspace = open_from_queue(shell, target.learner_name, target.id, until)
    score_everything(workspace)
    summary = workspace.document.summary()
    assert summary.mission_score is not None
    recorded = round(summary.mission_score)
    key(Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    key("Isolate the host before you collect the memory image.")
    key(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(lambda: workspace.confirmation is not None and workspace.confirmation.isVisible())
    assert f"OCH v1 will record: rejected, score {recorded} / 100, with your written feedback" in (
        workspace.confirmation.text()
    )
    QTest.keyClick(workspace.confirmation, Qt.Key.Key_Return)
    until(lambda: workspace.confirmation is None)

    row = run(poll(lambda: _row(checker, target.id), lambda item: is_final(item.status)), 40)
    assert row.status == "rejected" and float(row.extra["mentor_score"]) == recorded
    with closing(sqlite3.connect(och_v1.config.db_path)) as db:  # the queue lists only the first 500 characters
        (text,) = db.execute("SELECT legacy_feedback FROM reviews WHERE id = ?", (target.id,)).fetchone()
    assert text.startswith("Decision: revision requested — resubmit\n\nIsolate the host")
    assert re.search(r"^Subtask +\| Weight \| Criterion +\| Level +\| Subtask score$", text, re.MULTILINE)
    for subtask in workspace.document.review.subtasks:
        row_of = rf"^{re.escape(subtask.title)} +\| 1 +\| Technical accuracy +\| \w+ \(\d of 4\) +\| "
        assert re.search(row_of, text, re.MULTILINE), f"no table row for {subtask.title}"
    assert f"Mission score: {summary.mission_score:.2f} / 100 (pass line 70: " in text
    assert "technical 4" not in text, "criteria are named by their titles, not their ids"


def test_a_submitted_review_is_read_only_and_its_header_agrees_with_the_status_bar(
    och_v1: SandboxServer, checker: PlatformClient, shell: AppShell, run: Runner, until: Until
) -> None:
    """Issue 10 item 5: after the confirm, a digit re-saves no draft; header and status bar say the same thing
    while the review waits (offline) and once the platform has it."""
    target = next(item for item in run(checker.fetch_queue()) if not is_final(item.status))
    _signed_in_desk(shell, och_v1, run)
    window = shell.window
    assert window is not None
    workspace = open_from_queue(shell, target.learner_name, target.id, until)
    key(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # work offline
    assert window.is_offline
    score_everything(workspace)
    stage = workspace.document.review.stage
    key(Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    key("Clear, well-argued work.")
    key(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(lambda: workspace.confirmation is not None and workspace.confirmation.isVisible())
    QTest.keyClick(workspace.confirmation, Qt.Key.Key_Return)
    until(lambda: workspace.confirmation is None)

    until(lambda: window.status_waiting.text() == "1 waiting to sync")
    assert workspace.save_state.text() == "Submitted — waiting to sync"
    store = shell.account.store
    workspace.activateWindow()
    until(lambda: QApplication.focusWidget() is not None)
    key("1")  # a digit, wherever the focus is now
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    until(lambda: not workspace.document.dirty)
    saved = run(store.draft(target.id, stage))
    assert saved is not None and saved.state == "submitted", "the sent review became a draft again"
    assert not workspace.scorer.isEnabled() and not workspace.feedback.isEnabled()
    assert not run(store.badges())[target.id].has_draft

    key(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # back online
    until(lambda: window.status_waiting.text() == "Nothing waiting to sync", 40)
    until(lambda: workspace.save_state.text() == "Submitted — the platform has it")
    assert run(store.draft(target.id, stage)) is None


def test_submit_and_open_next_opens_the_next_unreviewed_review_of_the_view(
    och_v1: SandboxServer, checker: PlatformClient, shell: AppShell, run: Runner, until: Until
) -> None:
    target = next(item for item in run(checker.fetch_queue()) if not is_final(item.status))
    _signed_in_desk(shell, och_v1, run)
    window = shell.window
    assert window is not None
    workspace = open_from_queue(shell, target.learner_name, target.id, until)
    score_everything(workspace)
    key(Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    key("Clear, well-argued work.")
    key(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    until(lambda: workspace.confirmation is not None and workspace.confirmation.isVisible())
    QTest.keyClick(workspace.confirmation, Qt.Key.Key_Return)

    until(lambda: workspace.document is not None and workspace.document.review.id != target.id)
    following = workspace.document.review.id
    row = window.model.row_of(following)
    assert row is not None and window.model.is_unreviewed(row)
    assert window.queue.proxy.mapFromSource(window.model.index(row, 0)).isValid(), "not in the queue's view"
    window.activateWindow()  # back from the box (a window manager does this; offscreen Qt does not)
    until(lambda: QApplication.focusWidget() is workspace.scorer)  # ready to score the next one
    assert workspace.scorer.isEnabled() and not workspace.document.read_only
    run(poll(lambda: _row(checker, target.id), lambda item: is_final(item.status)), 40)
