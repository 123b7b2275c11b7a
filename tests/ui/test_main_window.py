"""The main window on a real sandbox: J/K to unreviewed rows, Enter opens the workspace and Esc comes back,
a review claimed by another mentor says so, offline mode keeps the cached queue, F1 lists the shortcuts."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from mentor_desk.api.client import PlatformClient
from mentor_desk.app import AppShell
from mentor_desk.ui.banner import OFFLINE_TEXT


def open_window(shell: AppShell, run, until, url: str):
    client = PlatformClient(url)
    run(client.login("mentor@demo.och", "mentor-demo"))
    run(shell.open_account(client, "mentor@demo.och", run(client.me())))
    window = shell.window
    assert window is not None
    until(lambda: window.model.rowCount() > 0 and not window._refreshing)
    return window


def test_j_and_k_move_between_unreviewed_rows(shell, sandbox, run, until, qtbot) -> None:
    window = open_window(shell, run, until, sandbox.url)
    queue = window.queue
    everything = queue.view_box.findData("Everything")
    queue.view_box.setCurrentIndex(everything)
    queue.view_box.activated.emit(everything)
    assert queue.proxy.rowCount() == window.model.rowCount()
    queue.table.setFocus()
    seen = []
    for _ in range(3):
        qtbot.keyClick(queue.table, Qt.Key.Key_J)
        seen.append(queue.table.currentIndex().row())
        assert window.model.is_unreviewed(queue.proxy.source_rows()[seen[-1]])
    assert seen == sorted(seen) and len(set(seen)) == 3
    qtbot.keyClick(queue.table, Qt.Key.Key_K)
    assert queue.table.currentIndex().row() == seen[1]


def test_enter_opens_the_workspace_and_escape_returns(shell, fresh_sandbox, run, until, qtbot) -> None:
    window = open_window(shell, run, until, fresh_sandbox.url)
    queue = window.queue
    queue.table.setFocus()
    qtbot.keyClick(queue.table, Qt.Key.Key_J)
    review_id = queue.current_review_id()
    qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    until(lambda: window._workspace is not None and window.pages.currentWidget() is window._workspace)
    workspace = window.workspace()
    until(lambda: workspace.review is not None)
    assert workspace.review.id == review_id
    assert window.actions_by_name["back"].isEnabled() and not window.actions_by_name["next"].isEnabled()
    window.actions_by_name["back"].trigger()
    until(lambda: window.pages.currentWidget() is queue)
    assert not window.actions_by_name["back"].isEnabled()
    assert queue.current_review_id() == review_id  # back where we were


def test_a_decided_review_opens_to_read_without_a_claim(shell, fresh_sandbox, run, until) -> None:
    window = open_window(shell, run, until, fresh_sandbox.url)
    decided = next(item for item in window.model.items() if item.status == "revision_requested")
    before = decided.version
    window.statusBar().clearMessage()
    opening = window.open_review(decided.id)
    until(opening.done)
    workspace = window.workspace()
    until(lambda: workspace.review is not None and workspace.review.id == decided.id)
    assert "claim" not in window.statusBar().currentMessage()
    refreshed = run(shell.account.client.get_review(decided.id))  # type: ignore[union-attr]
    assert refreshed.version == before, "no claim was asked for (a claim bumps the version)"


def test_a_review_claimed_by_another_mentor_says_by_whom(shell, fresh_sandbox, run, until) -> None:
    window = open_window(shell, run, until, fresh_sandbox.url)
    other = PlatformClient(fresh_sandbox.url)
    run(other.login("mentor2@demo.och", "mentor2-demo"))
    theirs = {item.id for item in run(other.fetch_queue())}
    shared = next(item for item in window.model.items() if item.id in theirs and item.status == "mentor_review")
    run(other.claim(shared.id))
    task = window.open_review(shared.id)
    until(lambda: window.claim_box is not None and window.claim_box.isVisible())
    assert "claimed by Lena Fischer" in window.claim_box.text()
    window.claim_box.button(QMessageBox.StandardButton.Cancel).click()
    until(task.done)
    assert window.pages.currentWidget() is window.queue
    run(other.aclose())


def test_working_offline_keeps_the_cached_queue(shell, sandbox, run, until) -> None:
    window = open_window(shell, run, until, sandbox.url)
    rows = window.model.rowCount()
    background_sync = shell._engine_task
    window.actions_by_name["offline"].setChecked(True)
    assert window.banner.text() == OFFLINE_TEXT and shell.account is not None and shell.account.offline
    until(background_sync.done)  # the engine stops while offline
    until(window.refresh().done)
    assert window.model.rowCount() == rows
    assert window.status_connectivity.text().endswith("Working offline")
    window.actions_by_name["offline"].setChecked(False)
    until(lambda: not window._refreshing and window.status_connectivity.text().endswith("Online"))
    until(lambda: shell._engine_task is not background_sync)
    assert not shell._engine_task.done()  # sync runs in the background again, once


def test_every_action_has_a_shortcut_and_f1_lists_them(shell, sandbox, run, until) -> None:
    window = open_window(shell, run, until, sandbox.url)
    assert all(action.shortcuts() for action in window.actions_by_name.values())
    window.show_shortcuts()
    sheet = next(w for w in QApplication.topLevelWidgets() if w.windowTitle() == "Keyboard shortcuts — queue")
    texts = {sheet.table.item(row, 1).text() for row in range(sheet.table.rowCount())}
    assert {"Next unreviewed", "Refresh from the server", "Quit"} <= texts
    sheet.close()
    run(asyncio.sleep(0))


def test_a_review_opens_in_compatibility_mode_too(shell, sandbox_v1, run, until) -> None:
    window = open_window(shell, run, until, sandbox_v1.url)
    assert shell.account is not None and shell.account.mode == "och-v1"
    item = next(item for item in window.model.items() if window.model.is_unreviewed(window.model.row_of(item.id)))
    window.open_review(item.id)
    workspace = window.workspace()
    until(lambda: workspace.review is not None)
    assert workspace.review.id == item.id
    assert window.claim_box is None  # no claims on OCH v1


def test_coming_back_to_the_window_refreshes_a_stale_queue(shell, sandbox, run, until) -> None:
    window = open_window(shell, run, until, sandbox.url)
    pulled = []
    original = window.services.queue.pull

    async def counting_pull() -> None:
        pulled.append(True)
        await original()

    window.services.queue.pull = counting_pull  # type: ignore[method-assign]
    window.activateWindow()
    until(window.isActiveWindow)
    window._last_pull -= 1000  # as if the mentor had been away for a while
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    until(lambda: bool(pulled) and not window._refreshing)
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))  # just pulled: no second round
    run(asyncio.sleep(0.2))
    assert len(pulled) == 1


def test_down_in_the_filter_box_moves_on_to_the_filtered_table(shell, sandbox, run, until, qtbot) -> None:
    window = open_window(shell, run, until, sandbox.url)
    queue = window.queue
    queue.table.clearSelection()
    queue.table.setCurrentIndex(queue.proxy.index(-1, -1))
    queue.focus_filter()
    learner = window.model.item(queue.proxy.source_rows()[-1]).learner_name
    qtbot.keyClicks(queue.search, learner)
    assert 0 < queue.proxy.rowCount() < window.model.rowCount()
    qtbot.keyClick(queue.search, Qt.Key.Key_Down)
    assert queue.search.text() == learner  # the key moved on, it did not edit the filter
    assert QApplication.focusWidget() is queue.table or queue.table.hasFocus()
    current = queue.table.currentIndex()
    assert current.isValid() and current.row() == 0
    assert window.model.item(queue.proxy.source_rows()[0]).learner_name == learner


def test_background_tasks_are_listed_until_they_end_and_their_failures_logged(
    shell, sandbox, run, until, caplog
) -> None:
    window = open_window(shell, run, until, sandbox.url)
    gate = asyncio.Event()

    async def broken() -> None:
        raise ValueError("a bug")

    waiting = window.spawn(gate.wait())
    failing = window.spawn(broken())
    assert {waiting, failing} <= set(window.background_tasks())
    until(failing.done)
    assert failing not in window.background_tasks() and waiting in window.background_tasks()
    assert any(record.exc_info and record.exc_info[1] is failing.exception() for record in caplog.records)
    gate.set()
    until(waiting.done)
    assert waiting not in window.background_tasks()
