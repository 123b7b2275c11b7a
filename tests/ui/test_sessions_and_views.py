"""Sessions kept between runs (memory on headless Linux, or the opt-in 0600 file), starting offline on the
cached queue, and saved queue views."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from mentor_desk.api.credentials import Backend, TokenVault
from mentor_desk.api.session import Session
from mentor_desk.app import AppShell
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.ui.crash import CrashHandler
from mentor_desk.ui.queue.model import QueueModel
from mentor_desk.ui.queue.proxy import QueueFilter
from mentor_desk.ui.queue.table import QueueTable
from mentor_desk.ui.queue.views import BUILTIN_VIEWS, SavedViews

SESSION = Session("access-token-value", "refresh-token-value", 7, "m@example.org", "M", ("mentor",))


def test_headless_vault_keeps_sessions_in_memory_only(tmp_path: Path) -> None:
    vault = TokenVault(tmp_path / "session.json")
    assert asyncio.run(vault.backend()) is Backend.MEMORY  # no keyring backend on this machine
    asyncio.run(vault.save("https://och.example.org", "m@example.org", SESSION))
    assert not (tmp_path / "session.json").exists()
    assert asyncio.run(vault.load("https://och.example.org", "M@example.org")) == SESSION


def test_opt_in_file_is_private_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    asyncio.run(TokenVault(path, allow_file=True).save("https://och.example.org/", "m@example.org", SESSION))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = TokenVault(path, allow_file=True)
    assert asyncio.run(again.load("https://och.example.org", "m@example.org")) == SESSION
    asyncio.run(again.forget("https://och.example.org", "m@example.org"))
    assert asyncio.run(TokenVault(path, allow_file=True).load("https://och.example.org", "m@example.org")) is None


def signed_in_once(settings, paths, run, until, url: str) -> int:  # type: ignore[no-untyped-def]
    """A first run of the app: the demo mentor signs in on ``url``, the queue fills, the app quits. Returns how
    many reviews it showed."""
    first = AppShell(settings, paths, CrashHandler())
    try:
        dialog = run(first.show_sign_in(url))
        dialog.sign_in_with(url, "mentor@demo.och", "mentor-demo")
        until(lambda: first.window is not None and first.window.model.rowCount() > 0 and not first.window._refreshing)
        rows = first.window.model.rowCount()
        first.window.closed.disconnect()  # closing would quit the app
        first.window.close()
    finally:
        run(first.shutdown())
    return rows


def test_starts_on_the_cached_queue_when_the_server_is_down(settings, paths, run, until, tmp_path) -> None:
    settings.set_token_file_opt_in(True)
    server = SandboxServer(SandboxConfig(db_path=tmp_path / "platform.sqlite3"))
    url = server.start()
    try:
        rows = signed_in_once(settings, paths, run, until, url)
    finally:
        server.stop()
    second = AppShell(settings, paths, CrashHandler())
    try:
        run(second.start())
        assert second.sign_in is None, "the stored session was reused"
        window = second.window
        assert window is not None
        until(lambda: window.model.rowCount() == rows)
        until(lambda: window.status_connectivity.text().endswith("Offline"))  # after the background probe fails
    finally:
        if second.window is not None:
            second.window.closed.disconnect()
            second.window.close()
        run(second.shutdown())


@pytest.fixture
def model() -> QueueModel:
    from queue_items import NOW, make_items

    queue = QueueModel(clock=lambda: NOW)
    queue.set_items(make_items(300))
    return queue


def test_saved_views_persist_with_live_counts(settings, model: QueueModel) -> None:
    views = SavedViews(settings)
    views.save("Red team", QueueFilter(tracks=frozenset({"OFFENSIVE_5"})))
    with pytest.raises(ValueError):
        views.save("Everything", QueueFilter())
    reopened = SavedViews(settings)
    assert [v.name for v in reopened.all()] == [*(v.name for v in BUILTIN_VIEWS), "Red team"]
    counts = reopened.counts(model)
    assert counts["Everything"] == 300
    assert counts["Red team"] == sum(1 for item in model.items() if item.track == "OFFENSIVE_5")
    assert 0 < counts["To review"] < 300
    reopened.delete("Red team")
    assert "Red team" not in {v.name for v in SavedViews(settings).all()}


def test_saving_a_view_asks_window_modal_and_asks_again_after_a_refused_name(settings, model, qtbot, until) -> None:
    page = QueueTable(model, SavedViews(settings))
    qtbot.addWidget(page)
    red_team = QueueFilter(tracks=frozenset({"OFFENSIVE_5"}))
    page.proxy.set_filter(red_team)

    page.save_view_button.click()  # returns at once: no nested event loop
    until(lambda: isinstance(page.question, QInputDialog) and page.question.isVisible())
    assert page.question.windowModality() == Qt.WindowModality.WindowModal
    page.question.setTextValue("Everything")
    page.question.accept()
    until(lambda: isinstance(page.question, QMessageBox) and page.question.isVisible())
    warning = page.question
    assert warning.textFormat() == Qt.TextFormat.PlainText and "“Everything” cannot be used" in warning.text()
    warning.button(QMessageBox.StandardButton.Ok).click()
    until(lambda: isinstance(page.question, QInputDialog) and page.question.isVisible())
    assert page.question.textValue() == "Everything", "the refused name is offered again, not lost"
    page.question.setTextValue("Red team")
    page.question.accept()
    until(lambda: page.question is None and page.view_box.currentData() == "Red team")
    assert next(view for view in SavedViews(settings).all() if view.name == "Red team").filter == red_team

    page.save_view_button.click()
    until(lambda: isinstance(page.question, QInputDialog) and page.question.isVisible())
    page.question.reject()
    until(lambda: page.question is None)
    assert [view.name for view in SavedViews(settings).all()] == [*(v.name for v in BUILTIN_VIEWS), "Red team"]


def test_work_offline_from_the_sign_in_dialog_when_the_server_is_down(settings, paths, run, until, tmp_path) -> None:
    server = SandboxServer(SandboxConfig(db_path=tmp_path / "platform.sqlite3"))
    url = server.start()
    try:
        rows = signed_in_once(settings, paths, run, until, url)
    finally:
        server.stop()
    second = AppShell(settings, paths, CrashHandler())  # memory-only vault: nothing was kept
    try:
        run(second.start())
        dialog = second.sign_in
        assert dialog is not None and dialog.server == url and dialog.email == "mentor@demo.och"
        assert not dialog.offline_button.isVisible()
        dialog.password_edit.setText("mentor-demo")
        dialog.submit()
        until(lambda: dialog.offline_button.isVisible())
        assert "work offline" in dialog.message.text()
        dialog.offline_button.click()
        until(lambda: second.window is not None and second.window.model.rowCount() == rows)
        until(lambda: second.window.status_connectivity.text().endswith("Offline"))
    finally:
        if second.window is not None:
            second.window.closed.disconnect()
            second.window.close()
        run(second.shutdown())
