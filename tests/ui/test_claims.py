"""The claim on the review being worked on: taken on open, renewed while it stays open (without a new version
that would make the draft stale), released when the mentor goes back to the queue or quits."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentor_desk.app import AppShell
from mentor_desk.services import claims
from mentor_desk.ui.crash import CrashHandler
from tests.ui.test_queue_keys import active_window


def claim_row(server, review_id: str) -> tuple[int | None, str | None, int]:
    with closing(sqlite3.connect(server.config.db_path)) as db:
        row = db.execute(
            "SELECT claimed_by, claim_expires_at, version FROM reviews WHERE id = ?", (review_id,)
        ).fetchone()
    return row


def open_next_unreviewed(window, qtbot, until):
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_J)
    review_id = window.queue.current_review_id()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    until(lambda: window._workspace is not None and window._workspace.review is not None)
    workspace = window.workspace()
    assert workspace.review.id == review_id
    return review_id


def test_the_claim_is_renewed_while_open_and_released_on_leaving(
    shell, fresh_sandbox, run, until, qtbot, monkeypatch
) -> None:
    monkeypatch.setattr(claims, "CLAIM_RENEW_S", 1.0)
    window = active_window(shell, run, until, fresh_sandbox.url)
    review_id = open_next_unreviewed(window, qtbot, until)
    holder, expires, version = claim_row(fresh_sandbox, review_id)
    assert holder is not None and window.services.claims.held == review_id
    until(lambda: claim_row(fresh_sandbox, review_id)[1] != expires, 10)  # renewed…
    assert claim_row(fresh_sandbox, review_id)[2] == version  # …without a new version: the draft stays current
    until(lambda: window.workspace().isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    until(lambda: window.pages.currentWidget() is window.queue)
    until(lambda: claim_row(fresh_sandbox, review_id)[0] is None, 10)  # back to the queue: given back
    assert window.services.claims.held is None


def test_quitting_releases_the_claim(settings, paths, fresh_sandbox, run, until, qtbot) -> None:
    app = AppShell(settings, paths, CrashHandler())  # shut down here, once, as quitting does
    try:
        window = active_window(app, run, until, fresh_sandbox.url)
        review_id = open_next_unreviewed(window, qtbot, until)
        assert claim_row(fresh_sandbox, review_id)[0] is not None
    finally:
        run(app.shutdown())
        if app.window is not None:
            app.window.closed.disconnect()  # in the app, closing the main window quits
            app.window.close()
    assert claim_row(fresh_sandbox, review_id)[0] is None
