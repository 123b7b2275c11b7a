"""The outbox panel and the conflict dialog over a real sandbox, store and sync engine."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import Unreachable
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.services.account import Account
from mentor_desk.services.outbox import PlatformOutbox
from mentor_desk.store.store import Store
from mentor_desk.ui.background import spawn
from mentor_desk.ui.conflict_dialog import ConflictDialog
from mentor_desk.ui.plain import plain_tooltip
from mentor_desk.ui.queue.model import Column
from mentor_desk.ui.sync_panel import SyncPanel


def open_window(shell, run, until, url: str):
    client = PlatformClient(url)
    run(client.login("mentor@demo.och", "mentor-demo"))
    run(shell.open_account(client, "mentor@demo.och", run(client.me())))
    window = shell.window
    until(lambda: window.model.rowCount() > 0 and not window._refreshing)
    return window


def awaiting(window):
    return next(item for item in window.model.items() if item.status == "mentor_review" and item.kind == "mission")


def test_a_stale_review_becomes_a_conflict_resolved_by_taking_theirs(shell, fresh_sandbox, run, until) -> None:
    window = open_window(shell, run, until, fresh_sandbox.url)
    item = awaiting(window)
    stale = ReviewDraft(base_version=0, attempt=item.attempt + 7, decision="approve", feedback_written="Mine <b>")
    run(shell.engine.submit(item.id, "", stale))
    until(lambda: "conflict" in window.status_conflicts.text(), 20)
    window.show_outbox()
    panel = window.sync_panel
    until(lambda: panel.table.rowCount() == 1 and panel.table.item(0, 1).text().startswith("Conflict"))
    panel.table.selectRow(0)
    assert panel.resolve_button.isEnabled() and not panel.retry_button.isEnabled()
    panel.resolve_button.click()
    until(lambda: isinstance(panel.dialog, ConflictDialog) and panel.dialog.isVisible())
    dialog = panel.dialog
    cells = {(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text()) for r in range(dialog.table.rowCount())}
    assert ("Written feedback", "Mine <b>") in cells  # shown as typed, not as markup
    dialog.take_theirs.click()
    until(lambda: panel.table.rowCount() == 0 and panel.empty.isVisible())
    export = Path(window.statusBar().currentMessage().rsplit(" ", 1)[-1])
    assert export.exists() and "Mine <b>" in export.read_text()
    assert run(shell.account.store.outbox()) == []


def test_discard_asks_then_exports_first(shell, fresh_sandbox, run, until) -> None:
    window = open_window(shell, run, until, fresh_sandbox.url)
    window.actions_by_name["offline"].setChecked(True)  # nothing leaves while we look at it
    item = awaiting(window)
    run(shell.engine.submit(item.id, "", ReviewDraft(base_version=item.version, decision="fail", feedback_written="x")))
    flags = window.model.index(window.model.row_of(item.id), Column.BADGES)
    until(lambda: "waiting to sync" in flags.data())  # the queue shows it at once
    assert not window.model.is_unreviewed(window.model.row_of(item.id))
    window.show_outbox()
    panel = window.sync_panel
    until(lambda: panel.table.rowCount() == 1)
    panel.table.selectRow(0)
    assert panel.table.item(0, 0).text().startswith(item.mission_title)
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_Delete)  # the keyboard way to the same question
    until(lambda: isinstance(panel.dialog, QMessageBox) and panel.dialog.isVisible())
    panel.dialog.button(QMessageBox.StandardButton.Cancel).click()
    until(lambda: panel.dialog is None)
    assert panel.table.rowCount() == 1
    panel.discard_button.click()
    until(lambda: isinstance(panel.dialog, QMessageBox) and panel.dialog.isVisible())
    panel.dialog.button(QMessageBox.StandardButton.Discard).click()
    until(lambda: panel.table.rowCount() == 0)
    export = Path(window.statusBar().currentMessage().rsplit(" ", 1)[-1])
    assert export.exists()


def test_the_outbox_shows_names_and_server_errors_literally(run, qtbot, tmp_path: Path) -> None:
    store = run(Store.open_path(tmp_path / "store.sqlite3"))
    entry = run(store.submit_draft("r-1", "", "stage_review", ReviewDraft(decision="fail")))
    run(store.mark_failed(entry.id, "The platform refused it: <b>stage</b> & <img src=x> unknown"))
    account = Account(store, server="http://127.0.0.1:9", mode="full", user_name="Mentor")
    panel = SyncPanel(PlatformOutbox(account), lambda _review_id: "<b>Mission</b> — &Learner", spawn)
    qtbot.addWidget(panel)
    run(asyncio.wait_for(panel.reload(), timeout=10))
    cells = [panel.table.item(0, column) for column in range(panel.table.columnCount())]
    assert cells[0].text() == "<b>Mission</b> — &Learner"
    assert [cell.toolTip() for cell in cells] == [plain_tooltip(cell.text()) for cell in cells]  # shown as written
    run(store.close())


def test_a_resolution_that_cannot_reach_the_platform_is_explained(run, qtbot, tmp_path: Path) -> None:
    store = run(Store.open_path(tmp_path / "store.sqlite3"))
    entry = run(store.submit_draft("r-1", "", "stage_review", ReviewDraft(base_version=3, decision="approve")))
    run(store.raise_conflict(entry.id, {"status": "approved", "version": 4}, "Another mentor decided first."))
    account = Account(store, server="http://127.0.0.1:9", mode="full", user_name="Mentor")
    account.cannot_connect(Unreachable())  # started offline, and the server address is refused
    panel = SyncPanel(PlatformOutbox(account), lambda _review_id: "Phishing triage — Learner 1", spawn)
    qtbot.addWidget(panel)
    run(asyncio.wait_for(panel.reload(), timeout=10))
    panel.table.selectRow(0)
    panel.resolve_button.click()
    qtbot.waitUntil(lambda: isinstance(panel.dialog, ConflictDialog) and panel.dialog.isVisible())
    with qtbot.waitSignal(panel.message, timeout=5000) as said:
        panel.dialog.keep_mine.click()
    assert said.args == [f"The conflict could not be resolved: {Unreachable.default_message}"]
    assert panel.table.item(0, 1).text().startswith("Conflict")  # still there, still waiting for the mentor
    run(store.close())


def test_recordings_waiting_to_upload_are_named_in_words(run, qtbot, tmp_path: Path) -> None:
    from mentor_desk.sync.media_upload import queue_uploads

    store = run(Store.open_path(tmp_path / "store.sqlite3"))
    recordings = [{"sha256": "a" * 64, "kind": "video", "duration_ms": 64_000},
                  {"sha256": "b" * 64, "kind": "audio", "duration_ms": 9_500}]
    run(queue_uploads(store, "r-1", {"attachments": recordings}, v1=False))
    run(store.submit_draft("r-1", "", "stage_review", ReviewDraft(decision="approve")))
    account = Account(store, server="http://127.0.0.1:9", mode="full", user_name="Mentor")
    panel = SyncPanel(PlatformOutbox(account), lambda _review_id: "Phishing triage — Learner 1", spawn)
    qtbot.addWidget(panel)
    run(asyncio.wait_for(panel.reload(), timeout=10))
    assert [panel.table.item(row, 0).text() for row in range(panel.table.rowCount())] == [
        "Phishing triage — Learner 1 · video recording, 1:04",
        "Phishing triage — Learner 1 · audio recording, 0:09",
        "Phishing triage — Learner 1",
    ]
    run(store.close())
