"""The composition root end to end: the demo boots, both banners, re-sign-in keeps the window's state,
the crash handler keeps the app alive, tokens never reach the log file."""

from __future__ import annotations

import ast
import asyncio
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from mentor_desk.api.client import PlatformClient
from mentor_desk.app import DEMO_EMAIL, AppShell
from mentor_desk.launch import GIL_SWITCH_INTERVAL_S, create_application
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.services.logs import configure_logging
from mentor_desk.ui.banner import DEMO_TEXT, FULL_TEXT, OCH_V1_TEXT
from mentor_desk.ui.crash import PROBLEM_TEXT, CrashHandler
from mentor_desk.ui.queue.model import Column


def signed_in(run, url: str, email: str = "mentor@demo.och", password: str = "mentor-demo"):
    client = PlatformClient(url)
    run(client.login(email, password))
    return client, run(client.me())


def test_demo_boots_into_a_filled_queue(shell: AppShell, run, until) -> None:
    run(shell.start(demo=True), timeout=60)
    window = shell.window
    assert window is not None and shell.demo_server is not None
    until(lambda: window.model.rowCount() > 0)
    assert window.isVisible()
    assert window.banner.text() == DEMO_TEXT  # whatever the mode: the demo is never mistaken for OCH
    assert "DEMO" in window.windowTitle() and "DEMO" in window.status_user.text()
    assert "mentor_desk" not in window.windowTitle()  # Qt adds the display name: once, not twice
    assert shell.email == DEMO_EMAIL
    assert window.queue.view_box.currentText().startswith("To review (")
    until(lambda: window.status_connectivity.text().endswith("Online"))


def test_the_previous_demo_is_cleared_off_the_gui_thread(shell: AppShell, run, monkeypatch) -> None:
    stale = shell.paths.demo_dir / "stale.txt"
    stale.parent.mkdir(parents=True)
    stale.write_text("from the last demo")
    threads: list[threading.Thread] = []
    remove_tree = shutil.rmtree

    def recording_rmtree(*args: Any, **kwargs: Any) -> None:
        threads.append(threading.current_thread())
        remove_tree(*args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", recording_rmtree)
    run(shell.start_demo(), timeout=60)
    assert not stale.exists() and (shell.paths.demo_dir / "platform.sqlite3").exists()
    assert threads and threading.main_thread() not in threads


def test_compatibility_mode_banner_on_och_v1(shell: AppShell, sandbox_v1, run, until) -> None:
    client, me = signed_in(run, sandbox_v1.url)
    run(shell.open_account(client, "mentor@demo.och", me))
    window = shell.window
    assert window is not None
    assert window.banner.text() == OCH_V1_TEXT
    until(lambda: window.model.rowCount() > 0)
    assert window.model.index(0, Column.STATUS).data()


def test_expired_session_asks_only_for_the_password_and_keeps_the_window(
    shell: AppShell, run, until, tmp_path: Path
) -> None:
    with SandboxServer(SandboxConfig(db_path=tmp_path / "platform.sqlite3", access_ttl=3)) as server:
        client, me = signed_in(run, server.url)
        run(shell.open_account(client, "mentor@demo.och", me))
        window = shell.window
        assert window is not None
        assert window.banner.text() == FULL_TEXT and "DEMO" not in window.windowTitle()  # a sandbox, not the demo
        until(lambda: window.model.rowCount() > 0)
        window.queue.search.setText("incident")
        rows_before = window.model.rowCount()
        run(asyncio.sleep(3.2))  # the access token expires; OCH refuses to refresh a password-only session (403)
        window.refresh()
        until(lambda: shell._reauth is not None and shell._reauth.isVisible())
        dialog = shell._reauth
        assert not dialog.server_box.isEnabled() and dialog.email_edit.isReadOnly()
        assert not dialog.demo_button.isVisible()
        assert window.isVisible() and window.queue.search.text() == "incident"
        assert window.model.rowCount() == rows_before
        dialog.password_edit.setText("mentor-demo")
        dialog.submit()
        until(lambda: shell._reauth is None)
        assert shell.account is not None and shell.account.client is client and client.session is not None
        assert window.queue.search.text() == "incident"


@pytest.mark.qt_no_exception_capture
def test_unexpected_errors_are_shown_logged_and_survived(qtbot, run, tmp_path: Path, monkeypatch) -> None:
    log_file = configure_logging(tmp_path / "logs")
    crash = CrashHandler()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    crash.install()
    later: list[str] = []

    def explode() -> None:
        raise RuntimeError("boom in a slot")

    QTimer.singleShot(0, explode)
    QTimer.singleShot(50, lambda: later.append("still running"))
    qtbot.waitUntil(lambda: crash.dialog is not None and crash.dialog.isVisible() and bool(later), timeout=5000)
    assert crash.count == 1
    assert crash.dialog.text() == PROBLEM_TEXT
    assert "boom in a slot" in crash.dialog.detailedText()
    crash.dialog.close()
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "boom in a slot" in log_file.read_text()


def test_tokens_never_reach_the_log_file(shell: AppShell, sandbox, run, until, paths) -> None:
    log_file = configure_logging(paths.log_dir, level=logging.DEBUG)
    client, me = signed_in(run, sandbox.url)
    session = client.session
    assert session is not None
    run(shell.open_account(client, "mentor@demo.och", me))
    until(lambda: shell.window is not None and shell.window.model.rowCount() > 0)
    logging.getLogger("mentor_desk.test").warning(
        "accidental: Authorization: Bearer %s refresh_token=%s", session.access_token, session.refresh_token
    )
    try:
        raise ValueError(f"token {session.access_token} in a traceback")
    except ValueError:
        logging.getLogger("mentor_desk.test").exception("failure with a token")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text()
    assert "accidental" in text and "failure with a token" in text
    assert session.access_token not in text
    assert session.refresh_token not in text


def test_try_the_demo_from_the_sign_in_dialog(shell: AppShell, run, until) -> None:
    dialog = run(shell.show_sign_in())
    dialog.demo_button.click()
    until(lambda: shell.window is not None and shell.window.model.rowCount() > 0, 60)
    assert shell.demo_server is not None and dialog.server == shell.demo_server.url
    assert shell.window.banner.text() == DEMO_TEXT and "DEMO" in shell.window.windowTitle()
    assert shell.settings.last_account() is None  # the next start does not offer the demo's server


def test_mentor_desk_demo_runs_as_a_process(tmp_path: Path) -> None:
    env = {**os.environ, "MENTOR_DESK_DATA_DIR": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    proc = subprocess.Popen([sys.executable, "-m", "mentor_desk", "--demo"], env=env, stderr=subprocess.DEVNULL)
    log_file = tmp_path / "logs" / "mentor_desk.log"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if log_file.exists() and "main window open: full mode" in log_file.read_text():
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the app exited"
        text = log_file.read_text()
        assert "main window open: full mode" in text and "start-up failed" not in text
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def modules_loaded_by(imports: str, names: set[str]) -> list[str]:
    """Which of ``names`` (modules, or the last part of a module's name) a fresh interpreter has loaded after
    ``import {imports}``."""
    code = (
        f"import sys; import {imports}; "
        f"print(sorted(m for m in sys.modules if m in {names!r} or m.split('.')[-1] in {names!r}))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True)
    return ast.literal_eval(done.stdout.strip())


def test_heavy_modules_are_imported_only_when_needed() -> None:
    heavy = {"QtMultimedia", "QtPdf", "QtPdfWidgets", "vlc", "fastapi", "uvicorn", "workspace", "httpx", "keyring"}
    heavy |= {"tenacity", "mentor_desk.api.models", "mentor_desk.sync.engine", "mentor_desk.ui.signin"}
    heavy |= {"mentor_desk.ui.conflict_dialog", "mentor_desk.ui.sync_panel"}
    heavy |= {"mentor_desk.ui.preferences", "mentor_desk.domain.review"}  # the dialog on Ctrl+,; a review's types
    assert modules_loaded_by("mentor_desk.app", heavy) == []


def test_the_launcher_opens_the_store_before_the_app_is_imported() -> None:
    """``mentor_desk.launch`` starts the last mentor's store opening; the widgets and qasync load meanwhile."""
    later = {"mentor_desk.app", "mentor_desk.ui.main_window", "qasync"}
    assert modules_loaded_by("mentor_desk.cli, mentor_desk.launch", later) == []


def test_the_gui_thread_waits_at_most_a_millisecond_for_the_gil() -> None:
    """Python's 5 ms default let a busy store thread stretch a queue reset and repaint from ~10 to ~50 ms."""
    previous = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        create_application()
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_INTERVAL_S)
        assert GIL_SWITCH_INTERVAL_S <= 0.001
    finally:
        sys.setswitchinterval(previous)
