"""The ``meeting_event_latency_ms`` measurement, run in a process of its own:
``python -m benchmarks.meeting_latency_child URL``.

The lead's Meetings page (real widgets, the qasync loop in the main thread, the lead's own client and store)
shows a meeting; three panel mentors, each with a client of their own, hand in their scores one after another,
in :data:`MEETINGS` meetings. For each submission two times are taken from the moment the member's request
leaves:

* **app**: until the lead's screen shows it — the meeting view's state label ("k of 3 handed in") is painted
  with the new version (the page hears ``meeting.updated``, reads the meeting and repaints);
* **baseline**: until a bare SSE reader (httpx, the lead's token, in the same process) receives the
  ``meeting.updated`` event of that version: the platform's raw delivery.

Prints one JSON object with both lists of milliseconds.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import httpx
from PySide6.QtCore import QEvent, QObject

from benchmarks.bench_sync_setup import work_dir
from mentor_desk.api.client import PlatformClient
from mentor_desk.domain.review import ReviewView
from mentor_desk.domain.status import ReviewStatus, parse_status
from mentor_desk.launch import create_application
from mentor_desk.sandbox.accounts import demo_account
from mentor_desk.services.meetings import MeetingService, WatchState
from mentor_desk.services.review_view import review_view
from mentor_desk.store.store import Store
from mentor_desk.ui.garbage import MainThreadGarbageCollector
from mentor_desk.ui.meetings.meeting_view import MeetingView
from mentor_desk.ui.meetings.page import MeetingsPage

LEAD = "lead@demo.och"
MEMBERS = ("mentor@demo.och", "mentor2@demo.och", "mentor3@demo.och")
MEETINGS = 3
TIMEOUT_S = 30.0


class PaintWatch(QObject):
    """Records when the view's state label is first painted showing at least ``version``."""

    def __init__(self, view: MeetingView) -> None:
        super().__init__()
        self.view = view
        self.wanted: int | None = None
        self.shown: dict[int, float] = {}
        view.state.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.wanted is not None:
            version = self.view.meeting.version
            if version >= self.wanted and self.wanted not in self.shown:
                self.shown[self.wanted] = time.perf_counter()
        return False


async def _signed_in(url: str, email: str) -> PlatformClient:
    client = PlatformClient(url)
    await client.login(email, demo_account(email).password)
    await client.discover()
    return client


async def _raw_events(url: str, token: str, arrivals: dict[tuple[str, int], float], ready: asyncio.Event) -> None:
    """The baseline: a bare SSE reader noting when each ``meeting.updated`` (id, version) arrives."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(10.0, read=None)) as http, \
            http.stream("GET", "/api/v1/mentor/events", headers=headers) as response:
        ready.set()
        event = ""
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event == "meeting.updated":
                data = json.loads(line.split(":", 1)[1])
                arrivals.setdefault((data["id"], data["version"]), time.perf_counter())


async def _until(check: Any, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.002)


async def measure(url: str) -> dict[str, Any]:
    lead = await _signed_in(url, LEAD)
    members = [await _signed_in(url, email) for email in MEMBERS]
    ids = [(await m.me()).id for m in members]
    store = await Store.open_path(work_dir("meetings") / "store.sqlite3")
    service = MeetingService(lead, store)

    async def no_reviews() -> list[tuple[str, str]]:
        return []

    async def load_review(review_id: str) -> ReviewView:  # in-room meetings only: not measured here
        return review_view(await lead.get_review(review_id))

    page = MeetingsPage(service=service, my_id=(await lead.me()).id, user_name="lead", load_review=load_review,
                        deliver=service.deliver_review, reviews=no_reviews)
    page.resize(1200, 800)
    page.show()
    arrivals: dict[tuple[str, int], float] = {}
    ready = asyncio.Event()
    assert lead.session is not None
    raw = asyncio.ensure_future(_raw_events(url, lead.session.access_token, arrivals, ready))
    await ready.wait()
    page.start()
    await _until(lambda: page.watch is not None and page.watch.state is WatchState.LIVE, "the page to go live")
    queue = await members[0].fetch_queue()
    capstones = [i for i in queue if i.kind == "capstone" and parse_status(i.status) is ReviewStatus.MENTOR_REVIEW]
    app_ms: list[float] = []
    raw_ms: list[float] = []
    for capstone in capstones[:MEETINGS]:
        meeting = await service.create(capstone.id, ids)
        view = await page.open_meeting(meeting.id)
        watch = PaintWatch(view)
        detail = await members[0].get_review(capstone.id)
        first = detail.subtask_specs()[0]
        criterion = detail.domain_rubrics()[first.rubric_id].criteria[0].id
        version = meeting.version
        for member in members:
            await asyncio.sleep(0.2)  # the page at rest between submissions
            watch.wanted = version + 1
            sent = time.perf_counter()
            after = await member.put_my_scores(meeting.id, base_version=version, subtask_scores={first.id: {
                criterion: 3}})
            version = after.version
            await _until(lambda v=version, m=meeting.id, w=watch: v in w.shown and (m, v) in arrivals,
                         "the lead's screen")
            app_ms.append((watch.shown[version] - sent) * 1000)
            raw_ms.append((arrivals[(meeting.id, version)] - sent) * 1000)
        if view.meeting.scores is not None:
            raise AssertionError("the lead received scores before the reveal")
    raw.cancel()
    await page.stop()
    await store.close()
    for client in (lead, *members):
        await client.aclose()
    return {"app_ms": [round(v, 2) for v in app_ms], "raw_ms": [round(v, 2) for v in raw_ms]}


def main(argv: list[str]) -> int:
    import qasync

    app = create_application([sys.argv[0]])
    collector = MainThreadGarbageCollector(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(measure(argv[0]))
    collector.stop()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
