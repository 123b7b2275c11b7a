"""The Tier-5 board on a real sandbox, driven from the keyboard: Ctrl+Shift+T opens it, R shows the learners
ready for my sign-off, Ctrl+Enter signs off (comment required; the dialog refuses when more than the approval is
missing), Enter opens the review that blocks a learner, Alt+Left goes back to the queue."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentor_desk.api.client import PlatformClient
from mentor_desk.app import AppShell
from mentor_desk.domain.mastery import CSV_HEADER
from mentor_desk.ui.tier5.model import Column, Readiness, readiness_of

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def open_board(shell: AppShell, run, until, qtbot, url: str):  # type: ignore[no-untyped-def]
    client = PlatformClient(url)
    run(client.login("mentor@demo.och", "mentor-demo"))
    run(shell.open_account(client, "mentor@demo.och", run(client.me())))
    window = shell.window
    assert window is not None
    window.activateWindow()
    until(lambda: window.model.rowCount() > 0 and not window._refreshing)
    window.queue.table.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T, CTRL_SHIFT)
    until(lambda: window._tier5_board is not None and window.pages.currentWidget() is window._tier5_board)
    board = window._tier5_board
    until(lambda: board.model.rowCount() > 0 and board._board is not None and bool(board._board.fetched_at))
    return window, board


def test_keyboard_only_filter_to_ready_sign_off_and_back_to_the_queue(shell, fresh_sandbox, run, until, qtbot) -> None:
    window, board = open_board(shell, run, until, qtbot, fresh_sandbox.url)
    assert board.table.hasFocus()
    # closest to completion first
    closeness = [board.proxy.board_row(r).closeness for r in range(board.proxy.rowCount())]
    assert closeness == sorted(closeness, reverse=True)

    qtbot.keyClick(board.table, Qt.Key.Key_R)
    assert board.proxy.readiness is Readiness.READY and board.ready_button.isChecked()
    shown = [board.proxy.board_row(r) for r in range(board.proxy.rowCount())]
    assert shown and all(readiness_of(row) is Readiness.READY for row in shown)
    row = board.current_row()
    assert row is not None and row.ready_for_sign_off
    assert board.proxy.index(0, Column.MISSING).data() == "Only your approval"
    assert board.proxy.index(0, Column.APPROVAL).data() == "Ready for sign-off"  # said, not only coloured

    qtbot.keyClick(board.table, Qt.Key.Key_Return, CTRL)
    until(lambda: board.sign_off_dialog is not None and board.sign_off_dialog.isVisible())
    dialog = board.sign_off_dialog
    assert "Mastery missions approved" in dialog.checklist.text()
    assert "Mentor approval (required): not given yet" in dialog.checklist.text()
    assert not dialog.confirm.isEnabled()  # a comment is required
    assert dialog.comment_edit.hasFocus()
    qtbot.keyClicks(dialog.comment_edit, "Capstone panel agreed.")
    assert dialog.confirm.isEnabled()
    qtbot.keyClick(dialog.comment_edit, Qt.Key.Key_Return, CTRL)
    until(lambda: board.sign_off_dialog is None)

    def current_state() -> str:
        current = next(r for r in board.model.rows() if r.key == row.key)
        return "approved" if current.approved else "pending" if current.pending else "other"

    until(lambda: current_state() in ("pending", "approved"))
    until(lambda: current_state() == "approved")  # the engine sent it and the platform confirmed
    status = run(shell.account.client.tier5_status(row.track_code, row.learner_id))  # type: ignore[union-attr]
    assert status.mastery_complete and status.requirements.mentor_approval

    window.activateWindow()  # the offscreen platform does not give it back when the dialog closes; a desktop does
    until(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(board.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    until(lambda: window.pages.currentWidget() is window.queue)
    assert window.queue.table.hasFocus()


def test_sign_off_is_refused_in_the_dialog_when_more_than_the_approval_is_missing(
    shell, sandbox, run, until, qtbot
) -> None:
    _window, board = open_board(shell, run, until, qtbot, sandbox.url)
    board.readiness_box.setCurrentIndex(board.readiness_box.findData(Readiness.NOT_READY))
    row = board.current_row()
    assert row is not None and row.readiness.blocking
    qtbot.keyClick(board.table, Qt.Key.Key_Return, CTRL)
    until(lambda: board.sign_off_dialog is not None and board.sign_off_dialog.isVisible())
    dialog = board.sign_off_dialog
    qtbot.keyClicks(dialog.comment_edit, "Trying anyway.")
    assert not dialog.confirm.isEnabled()
    assert dialog.blocking.isVisible() and row.readiness.blocking[0] in dialog.blocking.text()
    qtbot.keyClick(dialog.comment_edit, Qt.Key.Key_Escape)
    until(lambda: board.sign_off_dialog is None)


def test_enter_opens_the_review_that_blocks_a_learner(shell, sandbox, run, until, qtbot) -> None:
    window, board = open_board(shell, run, until, qtbot, sandbox.url)
    board.readiness_box.setCurrentIndex(board.readiness_box.findData(Readiness.NOT_READY))
    target = next(
        r for r in range(board.proxy.rowCount()) if any(m.reviews for m in board.proxy.board_row(r).missing)
    )
    board.table.setCurrentIndex(board.proxy.index(target, 0))
    row = board.current_row()
    blocking = next(review for missing in row.missing for review in missing.reviews)
    assert board.missing_tree.topLevelItemCount() == len(row.missing)

    board.table.setFocus()
    qtbot.keyClick(board.table, Qt.Key.Key_Return)
    workspace = window.workspace()
    until(lambda: window.pages.currentWidget() is workspace and workspace.review is not None)
    assert workspace.review.id == blocking.review_id


def test_compatibility_mode_says_what_the_server_provides_and_offers_no_sign_off(
    shell, sandbox_v1, run, until, qtbot
) -> None:
    window, board = open_board(shell, run, until, qtbot, sandbox_v1.url)
    assert board.note.isVisible() and "only their own Tier-5 status" in board.note.text()
    assert "sign-off is not offered" in board.note.text()
    assert not board.sign_off_button.isVisible()
    assert {row.learner_id for row in board.model.rows()} == {1}  # the mentor's own status, per track
    window.statusBar().clearMessage()
    qtbot.keyClick(board.table, Qt.Key.Key_Return, CTRL)
    assert board.sign_off_dialog is None and "sign-off is not offered" in window.statusBar().currentMessage()


def test_the_mastery_record_shows_and_exports_as_pdf_and_csv(shell, sandbox, run, until, qtbot, tmp_path) -> None:
    from PySide6.QtPdf import QPdfDocument

    _window, board = open_board(shell, run, until, qtbot, sandbox.url)
    board.readiness_box.setCurrentIndex(board.readiness_box.findData(Readiness.APPROVED))
    row = board.current_row()
    assert row is not None and row.approved
    board.table.setFocus()
    qtbot.keyClick(board.table, Qt.Key.Key_M)
    until(lambda: board.mastery_dialog is not None and board.mastery_dialog.isVisible())
    dialog = board.mastery_dialog
    record = dialog.record
    assert record.learner == row.learner_name and record.missions and record.lines
    assert dialog.missions.rowCount() == len(record.missions) and dialog.lines.rowCount() == len(record.lines)
    scored = next(m for m in record.missions if m.mentor_score is not None)

    pdf, table = tmp_path / "record.pdf", tmp_path / "record.csv"
    assert run(dialog.export_pdf(pdf)) and run(dialog.export_csv(table))
    document = QPdfDocument()
    assert document.load(str(pdf)) == QPdfDocument.Error.None_
    text = " ".join(" ".join(document.getAllText(page).text() for page in range(document.pageCount())).split())
    assert f"Mastery record: {row.learner_name}" in text and f"{scored.mentor_score:.2f}" in text

    with table.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(CSV_HEADER) and len(rows) == len(record.lines) + 1
    assert {r[0] for r in rows[1:]} == {row.learner_name}
    assert all(float(r[-1]) >= 0 for r in rows[1:])
    dialog.close()


def test_the_outbox_names_a_sign_off_by_learner_and_track() -> None:
    from mentor_desk.ui.tier5.board import describe_sign_off

    described = describe_sign_off("tier5:GRC_5:17", None)
    assert described == "Tier-5 sign-off — learner 17 (Governance, Risk & Compliance — Mastery)"
