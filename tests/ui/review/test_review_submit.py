"""Submitting a review through the real app (store, sync engine, main window) on a private OCH v1 sandbox:
what the desk writes, in which order, and what is left on this computer once the platform has the review."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from review_helpers import MENTOR, PASSWORD, Until, key, open_from_queue, poll, score_everything, signed_in

from mentor_desk.api.client import PlatformClient
from mentor_desk.app import AppShell
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.status import is_final
from mentor_desk.sandbox.runner import SandboxServer

Runner = Callable[..., Any]
LEARNER = "student@demo.och"  # one of the demo mentor's learners


@pytest.fixture
def checker(fresh_sandbox_v1: SandboxServer, run: Runner) -> Iterator[PlatformClient]:
    client = run(signed_in(fresh_sandbox_v1.url))
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


ALT, CTRL, SHIFT = (Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier,
                    Qt.KeyboardModifier.ShiftModifier)


def _ask_to_submit(workspace: Any, decision: Qt.Key, feedback: str, until: Until, *, and_next: bool = False) -> Any:
    """By keyboard: Alt+5, type ``feedback``, Alt+``decision``, Ctrl+Enter (Ctrl+Shift+Enter: and open the next);
    returns the confirmation box, still open."""
    key(Qt.Key.Key_5, ALT)
    key(feedback)
    key(decision, ALT)
    key(Qt.Key.Key_Return, CTRL | SHIFT if and_next else CTRL)
    until(lambda: workspace.confirmation is not None and workspace.confirmation.isVisible())
    return workspace.confirmation


def _confirm(workspace: Any, until: Until) -> None:
    QTest.keyClick(workspace.confirmation, Qt.Key.Key_Return)  # the focused default: Submit
    until(lambda: workspace.confirmation is None)


def test_a_submit_confirmed_right_after_the_last_keystroke_leaves_no_draft_behind(
    fresh_sandbox_v1: SandboxServer, checker: PlatformClient, shell: AppShell, run: Runner, until: Until
) -> None:
    """Issue 10 item 21: the autosave of the last edit must not land after the submit and revive the draft."""
    target = next(item for item in run(checker.fetch_queue()) if not is_final(item.status))
    _signed_in_desk(shell, fresh_sandbox_v1, run)
    workspace = open_from_queue(shell, target.learner_name, target.id, until)
    score_everything(workspace)
    stage = workspace.document.review.stage
    _ask_to_submit(workspace, Qt.Key.Key_A, "Clear, well-argued work.", until)  # Alt+A: the last edit
    _confirm(workspace, until)  # at once, well within the autosave delay of that edit

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
    fresh_sandbox_v1: SandboxServer, checker: PlatformClient, shell: AppShell, run: Runner, until: Until
) -> None:
    """Issue 10 items 14 and 22: the confirmation says what OCH v1 will record, and it records exactly that: the
    rubric's mission score, and a text with the decision in words and the rubric as a table."""
    target = next(item for item in run(checker.fetch_queue()) if not is_final(item.status))
    _signed_in_desk(shell, fresh_sandbox_v1, run)
    workspace = open_from_queue(shell, target.learner_name, target.id, until)
    score_everything(workspace)
    summary = workspace.document.summary()
    assert summary.mission_score is not None
    recorded = round(summary.mission_score)
    box = _ask_to_submit(workspace, Qt.Key.Key_R, "Isolate the host before you collect the memory image.", until)
    assert f"OCH v1 will record: rejected, score {recorded} / 100, with your written feedback" in box.text()
    _confirm(workspace, until)

    row = run(poll(lambda: _row(checker, target.id), lambda item: is_final(item.status)), 40)
    assert row.status == "rejected" and float(row.extra["mentor_score"]) == recorded
    with closing(sqlite3.connect(fresh_sandbox_v1.config.db_path)) as db:  # the queue shows 500 characters at most
        (text,) = db.execute("SELECT legacy_feedback FROM reviews WHERE id = ?", (target.id,)).fetchone()
    assert text.startswith("Decision: revision requested — resubmit\n\nIsolate the host")
    assert re.search(r"^Subtask +\| Weight \| Criterion +\| Level +\| Subtask score$", text, re.MULTILINE)
    for subtask in workspace.document.review.subtasks:
        row_of = rf"^{re.escape(subtask.title)} +\| 1 +\| Technical accuracy +\| \w+ \(\d of 4\) +\| "
        assert re.search(row_of, text, re.MULTILINE), f"no table row for {subtask.title}"
    assert f"Mission score: {summary.mission_score:.2f} / 100 (pass line 70: " in text
    assert "technical 4" not in text, "criteria are named by their titles, not their ids"


def test_a_submitted_review_is_read_only_and_its_header_agrees_with_the_status_bar(
    fresh_sandbox_v1: SandboxServer, checker: PlatformClient, shell: AppShell, run: Runner, until: Until
) -> None:
    """Issue 10 item 5: after the confirm, a digit re-saves no draft; header and status bar say the same thing
    while the review waits (offline) and once the platform has it."""
    target = next(item for item in run(checker.fetch_queue()) if not is_final(item.status))
    _signed_in_desk(shell, fresh_sandbox_v1, run)
    window = shell.window
    assert window is not None
    workspace = open_from_queue(shell, target.learner_name, target.id, until)
    key(Qt.Key.Key_O, CTRL | SHIFT)  # work offline
    assert window.is_offline
    score_everything(workspace)
    stage = workspace.document.review.stage
    _ask_to_submit(workspace, Qt.Key.Key_A, "Clear, well-argued work.", until)
    _confirm(workspace, until)

    until(lambda: window.status_waiting.text() == "1 waiting to sync")
    assert workspace.save_state.text() == "Submitted — waiting to sync"
    store = shell.account.store
    workspace.activateWindow()
    until(lambda: QApplication.focusWidget() is not None)
    key("1")  # a digit, wherever the focus is now
    key(Qt.Key.Key_Z, CTRL)
    until(lambda: not workspace.document.dirty)
    saved = run(store.draft(target.id, stage))
    assert saved is not None and saved.state == "submitted", "the sent review became a draft again"
    assert not workspace.scorer.isEnabled() and not workspace.feedback.isEnabled()
    assert not run(store.badges())[target.id].has_draft

    # Amend, explicitly, while it waits: submitting again replaces what waits
    key(Qt.Key.Key_E, CTRL | SHIFT)
    until(lambda: workspace.scorer.isEnabled() and workspace.save_state.text().startswith("Amending"))
    key(Qt.Key.Key_5, ALT)
    key(Qt.Key.Key_End, CTRL)
    _ask_to_submit(workspace, Qt.Key.Key_A, " Name an owner for each step.", until)
    _confirm(workspace, until)
    until(lambda: workspace.save_state.text() == "Submitted — waiting to sync")
    (waiting,) = run(store.outbox())
    assert waiting.draft.feedback_written == "Clear, well-argued work. Name an owner for each step."
    assert window.status_waiting.text() == "1 waiting to sync" and not workspace.scorer.isEnabled()

    workspace.activateWindow()  # back from the box (a window manager does this; offscreen Qt does not)
    until(lambda: QApplication.focusWidget() is not None)
    key(Qt.Key.Key_O, CTRL | SHIFT)  # back online
    until(lambda: window.status_waiting.text() == "Nothing waiting to sync", 40)
    until(lambda: workspace.save_state.text() == "Submitted — the platform has it")
    assert run(store.draft(target.id, stage)) is None
    workspace.activateWindow()
    until(lambda: QApplication.focusWidget() is not None)
    key(Qt.Key.Key_E, CTRL | SHIFT)  # sent: no more amending
    until(lambda: "can no longer be amended" in workspace.save_state.text())
    assert not workspace.scorer.isEnabled()


def test_submit_and_open_next_opens_the_next_unreviewed_review_of_the_view(
    fresh_sandbox_v1: SandboxServer, checker: PlatformClient, shell: AppShell, run: Runner, until: Until
) -> None:
    target = next(item for item in run(checker.fetch_queue()) if not is_final(item.status))
    _signed_in_desk(shell, fresh_sandbox_v1, run)
    window = shell.window
    assert window is not None
    workspace = open_from_queue(shell, target.learner_name, target.id, until)
    score_everything(workspace)
    _ask_to_submit(workspace, Qt.Key.Key_A, "Clear, well-argued work.", until, and_next=True)
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


def _resubmit_as_the_learner(server: SandboxServer, mission_id: str) -> None:
    """OCH's student submit-ai on a submission the mentor sent back: the same id, a new submission time."""
    with httpx.Client(base_url=f"{server.url}/api/v1") as learner:
        login = {"email": LEARNER, "password": "student-demo", "device_fingerprint": "t", "device_name": "t"}
        token = learner.post("/auth/login", json=login).json()["access_token"]
        answer = learner.post(
            f"/student/missions/{mission_id}/submit-ai/",
            headers={"Authorization": f"Bearer {token}"},
            json={"notes": "Isolated the host first this time, then took the memory image."},
        )
        assert answer.status_code == 201, answer.text


def test_an_och_v1_resubmission_is_the_next_attempt_pre_filled_from_the_previous_review(
    fresh_sandbox_v1: SandboxServer, checker: PlatformClient, shell: AppShell, run: Runner, until: Until
) -> None:
    """Issue 10 item 24 (and item 21's false conflict): OCH v1 keeps the submission id; a new submission time is
    attempt 2, which starts from the review of attempt 1 and goes out without a conflict."""
    target = next(
        item
        for item in run(checker.fetch_queue())
        if item.learner_email == LEARNER and item.kind == "mission" and not is_final(item.status)
    )
    _signed_in_desk(shell, fresh_sandbox_v1, run)
    window = shell.window
    assert window is not None
    workspace = open_from_queue(shell, target.learner_name, target.id, until)
    assert workspace.document.review.attempt == 1
    score_everything(workspace)
    _ask_to_submit(workspace, Qt.Key.Key_R, "Isolate the host before you collect the memory image.", until)
    first = workspace.document.draft
    _confirm(workspace, until)
    run(poll(lambda: _row(checker, target.id), lambda item: item.status == "rejected"), 40)
    until(lambda: workspace.save_state.text() == "Submitted — the platform has it", 40)

    _resubmit_as_the_learner(fresh_sandbox_v1, target.mission_id)
    window.activateWindow()  # back from the box (a window manager does this; offscreen Qt does not)
    until(lambda: QApplication.focusWidget() is not None)
    key(Qt.Key.Key_Left, ALT)  # back to the queue
    key(Qt.Key.Key_F5)
    until(lambda: (row := window.model.row_of(target.id)) is not None and window.model.item(row).attempt == 2)

    workspace = open_from_queue(shell, target.learner_name, target.id, until)
    again = workspace.document
    assert again.review.attempt == 2 and again.draft.attempt == 2
    assert workspace.save_state.text().startswith("Pre-filled from the review of attempt 1")
    assert again.draft.subtask_scores == first.subtask_scores
    assert again.draft.feedback_written == first.feedback_written and not again.draft.decision
    key(Qt.Key.Key_5, ALT)
    key(Qt.Key.Key_End, CTRL)  # after the previous review's words (Alt+5 again keeps the cursor there)
    _ask_to_submit(workspace, Qt.Key.Key_A, " Done: well evidenced now.", until)
    _confirm(workspace, until)
    run(poll(lambda: _row(checker, target.id), lambda item: item.status == "approved"), 40)
    assert run(shell.account.store.conflicts()) == []
