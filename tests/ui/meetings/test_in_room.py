"""An in-room meeting on an OCH v1 server (the only kind it allows): three members score in turn on the lead's
machine with the workspace's keys, hidden from each other until reveal; the consensus goes out as the review."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentor_desk.api.client import PlatformClient
from mentor_desk.domain.status import is_awaiting_mentor
from mentor_desk.sandbox.accounts import demo_account
from mentor_desk.services.account import Account
from mentor_desk.services.meetings import MeetingService
from mentor_desk.services.reviews import PlatformReviews
from mentor_desk.store import OutboxState
from mentor_desk.store.store import Store
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.ui.meetings.room import InRoomMeeting
from mentor_desk.ui.meetings.scoring import ScoringPane

Runner = Callable[..., Any]
MENTOR = "mentor@demo.och"


@pytest.fixture
def desk_v1(sandbox_v1: Any, run: Runner, tmp_path: Path) -> Iterator[tuple[PlatformClient, Store, SyncEngine]]:
    async def open_() -> tuple[PlatformClient, Store, SyncEngine]:
        client = PlatformClient(sandbox_v1.url)
        await client.login(MENTOR, demo_account(MENTOR).password)
        info = await client.discover()
        store = await Store.open_path(tmp_path / "store.sqlite3")
        return client, store, SyncEngine(client, store, mode=info.mode, listen_events=False)

    client, store, engine = run(open_())
    yield client, store, engine
    run(store.close())
    run(client.aclose())


def _score_every_row(qtbot: Any, pane: ScoringPane, digit: str) -> None:
    """The workspace's keys: a digit picks the level worth that many points and moves to the next criterion."""
    pane.scorer.setFocus()
    for _ in pane.scorer.rows:
        qtbot.keyClick(pane.scorer, digit)


def test_in_room_meeting_on_och_v1(desk_v1: Any, qtbot: Any, run: Runner, tmp_path: Path) -> None:
    client, store, engine = desk_v1
    assert engine.mode == "och-v1"
    run(engine.sync_once())
    queue = run(client.fetch_queue())
    item = [i for i in queue if i.kind == "mission" and is_awaiting_mentor(i.status)][-1]
    account = Account(store, server=client.server_url, mode="och-v1", user_name="Daniel")
    account.connect(client, engine)
    review = run(PlatformReviews(account, tmp_path).open_review(item.id))
    assert review.rubrics_from_client and review.subtasks

    meeting = InRoomMeeting(review, "Daniel", MeetingService(client, store, engine).deliver_review)
    qtbot.addWidget(meeting)
    meeting.resize(1300, 900)
    meeting.show()
    meeting.activateWindow()
    qtbot.waitExposed(meeting)
    qtbot.waitUntil(meeting.isActiveWindow)

    meeting.names.setFocus()
    qtbot.keyClicks(meeting.names, "Maya, Lena, Arjun")
    qtbot.keyClick(meeting.names, Qt.Key.Key_Return)
    seen_panes: list[ScoringPane] = []
    for name, digit in (("Maya", "4"), ("Lena", "2"), ("Arjun", "3")):
        pane = meeting.pane
        assert pane is not None and pane not in seen_panes
        assert name in meeting.turn.text() and "look away" in meeting.turn.text()
        assert pane.scores() == {}, "the next member starts from an empty scorer, never the previous scores"
        assert all(not b.isChecked() for row in pane.scorer.rows for b in row.buttons)
        assert [p for p in meeting.findChildren(ScoringPane) if p.isVisible()] == [pane]
        _score_every_row(qtbot, pane, digit)
        qtbot.keyClicks(pane.comment, f"{name}'s view")
        qtbot.keyClick(pane.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen_panes.append(pane)
        QApplication.processEvents()
    assert meeting.pane is None and "Maya, Lena, Arjun" in meeting.submitted.text()

    meeting.waiting.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(meeting.waiting, Qt.Key.Key_R, ctrl_shift)
    panel = meeting.revealed
    assert meeting.steps.currentWidget() is panel
    table = panel.compare.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[2:5] == ["Maya", "Lena", "Arjun"]
    assert table.rowCount() == sum(len(review.rubrics[s.rubric_id].criteria) for s in review.subtasks)
    assert [table.item(0, c).text() for c in (2, 3, 4)] == ["4", "2", "3"]
    # Every criterion 4 / 2 / 3: no unit agrees more than another, α interval = 1 − D_o/D_e < 0: "discuss".
    assert "discuss" in panel.compare.alpha.text()
    assert panel.compare.outlier_cells() == [], "within one point of the median 3"
    panel.compare.tolerance.setValue(0.5)
    assert {m for _, m in panel.compare.outlier_cells()} == {"Maya", "Lena"}
    assert [table.item(0, c).text() for c in (2, 3, 4)] == ["4 ⚠", "2 ⚠", "3"]  # flagged in words, not only colour

    # Presenter mode from the keyboard: full screen, the learner behind an anonymous label, Esc closes it.
    panel.compare.table.setFocus()
    qtbot.keyClick(panel.compare.table, Qt.Key.Key_P, ctrl_shift)
    presenter = panel.presenter
    assert presenter is not None and presenter.isFullScreen()
    assert item.learner_name not in presenter.title.text() and "Learner " in presenter.title.text()
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    assert presenter.heading.text().startswith("2 / ")
    qtbot.keyClick(presenter, Qt.Key.Key_Escape)
    assert not presenter.isVisible()
    meeting.activateWindow()
    qtbot.waitUntil(meeting.isActiveWindow)

    editor = panel.editor
    assert editor.scores()[review.subtasks[0].id] == {c.id: 3.0 for c in
                                                      review.rubrics[review.subtasks[0].rubric_id].criteria}
    editor.method.setFocus()
    qtbot.keyClick(editor.method, Qt.Key.Key_Down)  # the mean: (4 + 2 + 3) / 3 = 3 as well
    assert editor.method.currentData() == "mean"
    editor.decision.setFocus()
    qtbot.keyClick(editor.decision, Qt.Key.Key_Down)
    assert editor.decision.currentData() == "request_revision"
    editor.feedback.setFocus()
    qtbot.keyClick(editor.feedback, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "feedback" in editor.error.text()  # a revision needs written feedback: nothing is sent
    qtbot.keyClicks(editor.feedback, "Tighten the containment plan; the panel agrees on 3/4 throughout.")
    with qtbot.waitSignal(meeting.delivered, timeout=10_000):
        qtbot.keyClick(editor.feedback, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    run(engine.sync_once())
    assert run(store.outbox_counts())[OutboxState.DONE] == 1
    after = next(i for i in run(client.fetch_queue()) if i.id == item.id)
    assert not is_awaiting_mentor(after.status)

    csv_path, pdf_path = tmp_path / "meeting.csv", tmp_path / "meeting.pdf"
    run(panel.export_to(csv_path))
    run(panel.export_to(pdf_path))
    text = csv_path.read_text(encoding="utf-8")
    assert "Maya,Lena,Arjun" in text.replace('"', "") and "Krippendorff" in text and "request_revision" in text
    assert item.learner_name not in text, "the record names the learner only by the anonymous label"
    assert pdf_path.read_bytes().startswith(b"%PDF") and pdf_path.stat().st_size > 1000
    run(asyncio.sleep(0))
