"""Issue 16, item 5 (crashes): SIGKILL at random moments while the desk uploads recordings, signs learners off
and hands in meeting scores loses nothing it acknowledged (the short run; the long one is a benchmark)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mentor_desk.api.client import PlatformClient
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.services.meetings import MeetingService
from mentor_desk.store import OutboxState, Store
from mentor_desk.sync.engine import SyncEngine

from .crash_writes import run_write_crashes
from .peers import signed_in
from .tally import TALLY

KILLS = 12


def open_meetings(origin: str, count: int) -> None:
    """The lead opens scoring meetings on the demo mentor's capstones, the demo mentor on each panel."""
    with signed_in(origin, "lead@demo.och") as lead, signed_in(origin, "mentor@demo.och") as mentor:
        rows = mentor.get("/mentor/reviews", params={"status": "mentor_review", "limit": 1000}).json()["results"]
        for capstone in [r for r in rows if r["kind"] == "capstone"][:count]:
            made = lead.post("/scoring-meetings", json={"review_id": capstone["id"], "panel": [1, 3]})
            assert made.status_code == 201, made.text


@pytest.mark.timeout(300)
def test_kills_during_uploads_sign_offs_and_meeting_scores(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    open_meetings(fresh_sandbox.url, 6)
    result = run_write_crashes(fresh_sandbox.url, tmp_path / "desk", kills=KILLS, seed=3)
    TALLY.tried_cases("crash: writes", result.kills)
    for problem in result.problems:
        TALLY.bad("crash: writes", "lost edits", problem)
    assert result.ok, result.problems
    assert result.kills == KILLS
    assert all(result.acknowledged.values()), result.acknowledged  # the children wrote on every path


def test_scores_that_reached_the_platform_before_a_kill_are_done(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    """The kill that found it: the platform took the scores, the desk died before it wrote that down; sent again
    on restart against the old version, they are answered 409 and must count as delivered, not as a conflict."""
    open_meetings(fresh_sandbox.url, 1)
    comment = "Delivered before the kill."

    async def session() -> OutboxState:
        async with PlatformClient(fresh_sandbox.url) as client:
            await client.login("mentor@demo.och", "mentor-demo")
            store = await Store.open_path(tmp_path / "db.sqlite3")
            try:
                engine = SyncEngine(client, store, mode="full", listen_events=False)
                meetings = MeetingService(client, store, engine)
                meeting = (await meetings.list_meetings("scoring"))[0]
                review = await meetings.review(meeting)
                first = review.subtasks[0]
                scores = {str(first.id): {c.id: 2.0 for c in review.rubrics[str(first.rubric_id)].criteria}}
                entry = await meetings.submit_my_scores(meeting, scores, comment)
                await client.put_my_scores(meeting.id, base_version=meeting.version, subtask_scores=scores,
                                           comment=comment)  # what the killed desk's send did
                await engine.sync_once()
                return next(e for e in await store.outbox(tuple(OutboxState)) if e.id == entry.id).state
            finally:
                await store.close()

    state = asyncio.run(session())
    TALLY.tried_cases("crash: writes")
    if state is not OutboxState.DONE:
        TALLY.bad("crash: writes", "lost edits", f"scores already on the platform left {state.value}")
    assert state is OutboxState.DONE, state
