"""The Meetings page, networked: a lead's page and a panel member's page (each with its own client and store)
on one sandbox. The meeting appears on the member's page by itself, the member scores with the workspace's keys,
the lead sees live that they handed in (not what), reveals, and agrees the consensus, closing the meeting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from mentor_desk.api.client import PlatformClient
from mentor_desk.domain.review import ReviewView
from mentor_desk.domain.status import ReviewStatus, parse_status
from mentor_desk.sandbox.accounts import demo_account
from mentor_desk.services.meetings import MeetingService
from mentor_desk.services.review_view import review_view
from mentor_desk.store.store import Store
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.ui.meetings.meeting_view import MeetingView
from mentor_desk.ui.meetings.page import MeetingsPage

Runner = Callable[..., Any]


class Seat:
    def __init__(self, client: PlatformClient, store: Store, engine: SyncEngine, my_id: int) -> None:
        self.client, self.store, self.engine, self.my_id = client, store, engine, my_id
        self.service = MeetingService(client, store, engine)


@pytest.fixture
def seats(fresh_sandbox: Any, run: Runner, tmp_path: Path) -> Iterator[dict[str, Seat]]:
    async def open_(email: str) -> Seat:
        client = PlatformClient(fresh_sandbox.url)
        await client.login(email, demo_account(email).password)
        info = await client.discover()
        store = await Store.open_path(tmp_path / email / "store.sqlite3")
        return Seat(client, store, SyncEngine(client, store, mode=info.mode, listen_events=False),
                    (await client.me()).id)

    opened = {name: run(open_(email)) for name, email in (("lead", "lead@demo.och"), ("maya", "mentor@demo.och"),
                                                           ("lena", "mentor2@demo.och"))}
    yield opened
    for seat in opened.values():
        run(seat.store.close())
        run(seat.client.aclose())


def _page(seat: Seat, qtbot: Any) -> MeetingsPage:
    async def no_reviews() -> list[tuple[str, str]]:
        return []

    async def load_review(review_id: str) -> ReviewView:  # as the workspace opens it (for an in-room meeting)
        return review_view(await seat.client.get_review(review_id))

    page = MeetingsPage(service=seat.service, my_id=seat.my_id, user_name="", load_review=load_review,
                        deliver=seat.service.deliver_review, reviews=no_reviews)
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()
    page.start()
    return page


def test_lead_and_member_pages(seats: dict[str, Seat], qtbot: Any, run: Runner) -> None:
    lead, maya, lena = seats["lead"], seats["maya"], seats["lena"]
    capstone = next(i for i in run(maya.client.fetch_queue())
                    if i.kind == "capstone" and parse_status(i.status) is ReviewStatus.MENTOR_REVIEW)
    lead_page, maya_page = _page(lead, qtbot), _page(maya, qtbot)
    qtbot.waitUntil(lambda: "Live" in maya_page.live.text(), timeout=15_000)
    meeting = run(lead.service.create(capstone.id, [maya.my_id, lena.my_id]))

    # The meeting appears on the member's page by itself (meeting.updated), and opens from the keyboard.
    qtbot.waitUntil(lambda: maya_page.list.count() == 1, timeout=15_000)
    maya_page.activateWindow()
    qtbot.waitUntil(maya_page.isActiveWindow)
    maya_page.list.setFocus()
    qtbot.keyClick(maya_page.list, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: meeting.id in maya_page.views, timeout=15_000)
    view: MeetingView = maya_page.views[meeting.id]
    qtbot.waitUntil(lambda: view.pane is not None and view.pane.isVisible())
    assert view.pane is not None
    view.pane.scorer.setFocus()
    for _ in view.pane.scorer.rows[:4]:
        qtbot.keyClick(view.pane.scorer, "3")
    qtbot.keyClick(view.pane.scorer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "handed in" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: "waiting to be sent" in view.message.text(), timeout=10_000)  # offline until synced
    run(maya.engine.sync_once())  # the outbox sends it

    # The lead sees live that Maya handed in, never what.
    lead_view = run(lead_page.open_meeting(meeting.id))
    qtbot.waitUntil(lambda: "1 of 2 handed in" in lead_view.state.text(), timeout=15_000)
    assert lead_view.meeting.scores is None and lead_view.pane is None and lead_view.revealed is None
    row = next(r for r in range(lead_view.panel.rowCount()) if lead_view.panel.item(r, 0).text() == "Maya Okafor")
    assert lead_view.panel.item(row, 1).text().startswith("✓")

    lead_page.activateWindow()
    qtbot.waitUntil(lead_page.isActiveWindow)
    lead_view.panel.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(lead_view.panel, Qt.Key.Key_R, ctrl_shift)
    qtbot.waitUntil(lambda: lead_view.revealed is not None, timeout=10_000)
    panel = lead_view.revealed
    assert panel is not None
    assert panel.compare.table.item(0, 2).text() == "3" and "not enough ratings" in panel.compare.alpha.text()
    qtbot.waitUntil(lambda: view.revealed is not None, timeout=15_000)  # Maya's page follows the reveal
    assert view.revealed is not None and not view.revealed.editor.isEnabled()

    editor = panel.editor
    editor.decision.setFocus()
    qtbot.keyClick(editor.decision, Qt.Key.Key_Down)
    editor.feedback.setFocus()
    qtbot.keyClicks(editor.feedback, "Revise: the panel scored the first criteria at 3.")
    qtbot.keyClick(editor.feedback, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: lead_view.meeting.state == "closed", timeout=10_000)
    assert "Closed" in lead_view.state.text() and "carries it" in lead_view.message.text()
    final = next(s for s in run(lead.client.get_review(capstone.id)).stages if s.name == "final")
    assert final.decision == "request_revision"
    run(lead_page.stop())
    run(maya_page.stop())
