"""A tour of every screen of the desk, signed in to a sandbox as the demo mentor, for the tests that look at all of
them at once (accessible names, text that fits): each step shows one screen and hands it over while it shows.

The tour: the sign-in dialog; the queue; a capstone review at its next-to-last stage with the side tabs one after
the other, its submit problems listed, then a PDF opened in another review; the outbox panel; a conflict; the Tier-5
board, its sign-off dialog and a mastery record; the meetings page, its set-up dialog and a meeting in the room.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from mentor_desk.api.client import PlatformClient
from mentor_desk.app import AppShell
from mentor_desk.domain.status import is_final
from mentor_desk.store import Conflict
from mentor_desk.ui.conflict_dialog import ConflictDialog
from mentor_desk.ui.settings import AppSettings
from mentor_desk.ui.signin import SignInDialog

Runner = Callable[..., Any]
Until = Callable[..., None]

WINDOW_SIZE = (1280, 770)


@dataclass(frozen=True)
class Screen:
    name: str
    widget: QWidget


def _conflict() -> Conflict:
    """A conflict as the store records it: the mentor's approval against a revision request on the server."""
    mine = {
        "decision": "approve",
        "feedback_written": "A clear timeline and a sound containment order.",
        "subtask_scores": {"st-1": {"evidence": 4}},
    }
    theirs = {
        "decision": "request_revision",
        "feedback_written": "Redo the timeline.",
        "subtask_scores": {"st-1": {"evidence": 2}},
        "status": "revision_requested",
        "reviewer": "Ada Mentor",
        "version": 3,
    }
    return Conflict(
        id=1, outbox_id=1, review_id="r", created_at="", resolved_at=None, resolution=None, mine=mine, theirs=theirs
    )


def _dialog_from(until: Until, action: Callable[[], object]) -> QDialog:
    """The dialog that ``action`` opens (once it shows)."""
    before = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
    action()

    def opened() -> QDialog | None:
        return next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible() and w not in before),
            None,
        )

    until(lambda: opened() is not None)
    dialog = opened()
    assert dialog is not None
    return dialog


def _shown(name: str, widget: QWidget) -> Screen:
    """The screen once its layouts have caught up with what was just put in it."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    return Screen(name, widget)


def tour(shell: AppShell, settings: AppSettings, run: Runner, until: Until, url: str) -> Iterator[Screen]:
    """Show each screen in turn (the window at :data:`WINDOW_SIZE`) and yield it while it shows."""
    sign_in = SignInDialog(
        settings, lambda _url, _insecure: None, server=url, offer_token_file=True  # type: ignore[arg-type,return-value]
    )
    sign_in.show()
    yield _shown("sign-in", sign_in)
    sign_in.close()
    sign_in.deleteLater()

    client = PlatformClient(url)
    run(client.login("mentor@demo.och", "mentor-demo"))
    run(shell.open_account(client, "mentor@demo.och", run(client.me())))
    window = shell.window
    assert window is not None
    window.resize(*WINDOW_SIZE)
    window.show()
    until(lambda: window.model.rowCount() > 0 and not window._refreshing)
    yield _shown("queue", window)

    items = window.model.items()
    open_capstones = [item for item in items if item.stage_total >= 5 and not is_final(item.status)]
    capstone = max(open_capstones, key=lambda item: item.stage_index)
    until(window.open_review(capstone.id).done)
    workspace = window.workspace()
    until(lambda: workspace.review is not None)
    stages = workspace.review.stages
    assert run(workspace.open_review(capstone.id, stages[-2]))
    workspace.feedback.show_problems(workspace.problems())
    for index in range(workspace.side_tabs.count()):
        workspace.side_tabs.setCurrentIndex(index)
        yield _shown(f"review, {workspace.side_tabs.tabText(index)} tab", window)
    workspace.side_tabs.setCurrentIndex(0)

    with_pdf = next(
        item
        for item in items
        if item.kind != "capstone"
        and any(f.filename.lower().endswith(".pdf") for f in run(window.services.reviews.open_review(item.id)).files)
    )
    until(window.open_review(with_pdf.id).done)
    until(lambda: workspace.review is not None and workspace.review.id == with_pdf.id)
    pdf = next(f for f in workspace.review.files if f.filename.lower().endswith(".pdf"))
    assert run(workspace.evidence.open_file(pdf)) is not None
    yield _shown("review with a PDF", window)
    workspace.close_review()

    window.show_outbox()
    until(lambda: not window.sync_panel.isHidden())
    yield _shown("outbox", window)
    window.hide_outbox()

    conflict = ConflictDialog(_conflict(), "Ransomware triage — Sam Otieno", "The review changed since you loaded it")
    conflict.show()
    yield _shown("conflict", conflict)
    conflict.close()
    conflict.deleteLater()

    window.show_tier5_board()
    board = window.tier5_board()
    until(lambda: board.model.rowCount() > 0)
    yield _shown("Tier-5 board", window)
    sign_off = _dialog_from(until, board.sign_off_current)
    yield _shown("sign-off", sign_off)
    sign_off.reject()
    board.show_mastery_record()
    until(lambda: board.mastery_dialog is not None and board.mastery_dialog.isVisible())
    yield _shown("mastery record", board.mastery_dialog)
    board.mastery_dialog.close()

    window.show_meetings()
    until(lambda: window._meetings is not None and window._meetings.isVisible())
    page = window._meetings
    yield _shown("meetings", window)
    set_up = _dialog_from(until, page.set_up)
    yield _shown("meeting set-up", set_up)
    review_id = set_up.review.currentData()
    set_up.reject()
    run(page.start_in_room(review_id))
    yield _shown("meeting in the room", window)
    window.show_queue()
