"""A scoring meeting end to end: a lead and four panel mentors, each with its own client and store, on one sandbox.

Blindness is checked on the wire: every response a member's client receives about the meeting before reveal is
recorded, and none carries another member's scores.
"""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path
from typing import Any

import httpx
import krippendorff
import numpy as np
import pytest

from mentor_desk.domain.status import ReviewStatus, parse_status
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.services.meetings import MeetingService, MeetingWatch, WatchState
from mentor_desk.store import OutboxState

from .conftest import MENTOR, MENTOR2, MFA_MENTOR, Desk, open_desk, signed_in, wait_for

LEAD = ("lead@demo.och", "lead-demo")
MENTOR3 = ("mentor3@demo.och", "mentor3-demo")

# Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability", Annenberg School for Communication,
# University of Pennsylvania, section E: four observers, twelve units, values 1–5 with gaps. Published: interval
# α = 0.849, ordinal α = 0.815. Here the values are shifted to the rubric's 0–4 scale (−1), which changes neither.
_ = None
PUBLISHED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
]


class Recorder(httpx.AsyncBaseTransport):
    """The real HTTP transport, keeping every scoring-meeting response body this client received."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.bodies: list[Any] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if "scoring-meetings" not in request.url.path:
            return response
        content = await response.aread()
        self.bodies.append(json.loads(content) if content else None)
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def _meetings_in(body: Any) -> list[dict[str, Any]]:
    if isinstance(body, dict) and "results" in body:
        return list(body["results"])
    if isinstance(body, dict) and "current" in body:  # a 409 carries the meeting too
        return [body["current"]]
    return [body] if isinstance(body, dict) and "panel" in body else []


@pytest.mark.asyncio
async def test_blind_panel_reveal_alpha_and_consensus(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    lead_client = await signed_in(fresh_sandbox.url, LEAD)
    recorders = [Recorder() for _ in range(4)]
    members: list[Desk] = [
        await open_desk(fresh_sandbox.url, tmp_path / f"m{i}", account, transport=recorders[i])
        for i, account in enumerate((MENTOR, MENTOR2, MENTOR3, MFA_MENTOR))
    ]
    try:
        lead = MeetingService(lead_client, members[0].store)  # the lead's reads need no store of its own here
        services = [MeetingService(d.client, d.store, d.engine) for d in members]
        ids = [(await d.client.me()).id for d in members]
        capstone = next(
            i for i in await members[0].client.fetch_queue()
            if i.kind == "capstone" and parse_status(i.status) is ReviewStatus.MENTOR_REVIEW
        )
        detail = await lead_client.get_review(capstone.id)
        rubrics = detail.domain_rubrics()
        units = [(s.id, c.id) for s in detail.subtask_specs() for c in rubrics[s.rubric_id].criteria]
        assert len(units) >= 12

        # The panel sees the meeting appear through its events.
        seen: list[tuple[str, int]] = []
        states: list[WatchState] = []
        watch = MeetingWatch(services[3], lambda mid, v: seen.append((mid, v)), states.append, poll_seconds=0.2)
        watch.start()
        await wait_for(_true_when(lambda: WatchState.LIVE in states))
        meeting = await lead.create(capstone.id, ids)
        await wait_for(_true_when(lambda: any(mid == meeting.id for mid, _ in seen)))

        sent: list[dict[str, dict[str, float]]] = []
        # Each member scores blind, through its own outbox; the last one starts offline (no sync engine run).
        for member, service, row in zip(members, services, PUBLISHED, strict=True):
            mine = await service.get(meeting.id)
            assert mine.scores is None
            review = await service.review(mine)  # a panel member may read the review it scores
            assert review.id == capstone.id and review.stage == "final"
            scores: dict[str, dict[str, float]] = {}
            for (sid, cid), value in zip(units, row, strict=False):
                if value is not None:
                    scores.setdefault(sid, {})[cid] = value - 1
            sent.append(scores)
            await service.submit_my_scores(mine, scores, comment="")
            await member.engine.sync_once()
            assert (await member.store.outbox_counts())[OutboxState.DONE] == 1
            assert await service.my_entry(meeting.id) is None  # nothing left open
        before = await lead.get(meeting.id)
        assert before.scores is None and all(p.submitted_at for p in before.panel)

        # On the wire: until reveal, no member's client received anyone's scores but its own.
        for recorder, my_scores in zip(recorders, sent, strict=True):
            meetings = [m for body in recorder.bodies for m in _meetings_in(body)]
            assert len(meetings) >= 2
            for m in meetings:
                assert m["scores"] is None
                assert m["my_scores"] is None or m["my_scores"]["subtask_scores"] == my_scores
            assert any(m["my_scores"] for m in meetings)

        # Reveal: everyone sees everything, α is the package's and the published one.
        revealed = await lead.reveal(meeting.id)
        for service in services:
            assert len((await service.get(meeting.id)).scores or []) == 4
        report = MeetingService.agreement(revealed, await lead.review(revealed))
        data = np.array([[math.nan if v is None else v - 1 for v in row] for row in PUBLISHED])
        assert report.interval.value == pytest.approx(krippendorff.alpha(data, level_of_measurement="interval"))
        assert report.ordinal.value == pytest.approx(
            krippendorff.alpha(data, level_of_measurement="ordinal", value_domain=[0, 1, 2, 3, 4])
        )
        assert report.interval.value == pytest.approx(0.849, abs=5e-4)
        assert report.ordinal.value == pytest.approx(0.815, abs=5e-4)

        # Consensus from the medians (the rest scored 4): closes the meeting, the learner's review carries it.
        consensus = {s.id: {c.id: 4.0 for c in rubrics[s.rubric_id].criteria} for s in detail.subtask_specs()}
        for sid, criteria in report.suggested_consensus().items():
            consensus[sid].update(criteria)
        closed = await lead.consensus(revealed, consensus, "request_revision", "The panel agrees: revise the report.",
                                      notes="α tentative-to-good; unit 6 discussed.")
        assert closed.state == "closed"
        after = await lead_client.get_review(capstone.id)
        final = next(s for s in after.stages if s.name == "final")
        assert final.scores and final.scores["subtask_scores"] == consensus and final.decision == "request_revision"
        assert final.feedback_written == "The panel agrees: revise the report."
        await wait_for(_true_when(lambda: any(mid == meeting.id and v == closed.version for mid, v in seen)))
        await watch.stop()
    finally:
        for desk in members:
            await desk.store.close()
            await desk.client.aclose()
        await lead_client.aclose()


@pytest.mark.asyncio
async def test_scores_made_offline_sync_later_and_a_real_conflict_is_shown(
    fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    lead_client = await signed_in(fresh_sandbox.url, LEAD)
    first = await open_desk(fresh_sandbox.url, tmp_path / "a", MENTOR)
    second = await open_desk(fresh_sandbox.url, tmp_path / "b", MENTOR2)
    elsewhere = await open_desk(fresh_sandbox.url, tmp_path / "c", MENTOR2)  # the same mentor on another computer
    try:
        lead = MeetingService(lead_client, first.store)
        capstone = next(i for i in await first.client.fetch_queue() if i.kind == "capstone"
                        and parse_status(i.status) is ReviewStatus.MENTOR_REVIEW)
        ids = [(await first.client.me()).id, (await second.client.me()).id]
        meeting = await lead.create(capstone.id, ids)
        detail = await lead_client.get_review(capstone.id)
        sid = detail.subtask_specs()[0].id
        cid = detail.domain_rubrics()[detail.subtask_specs()[0].rubric_id].criteria[0].id
        a, b, c = (MeetingService(d.client, d.store, d.engine) for d in (first, second, elsewhere))

        # Both score against version 1 while "offline"; each one's send meets the other's newer version.
        m_a, m_b = await a.get(meeting.id), await b.get(meeting.id)
        await a.submit_my_scores(m_a, {sid: {cid: 3}}, "")
        await b.submit_my_scores(m_b, {sid: {cid: 1}}, "first thoughts")
        await first.engine.sync_once()
        await second.engine.sync_once()  # 409 (first's scores bumped the version): re-sent, no conflict
        assert (await second.store.outbox_counts())[OutboxState.DONE] == 1
        assert (await b.get(meeting.id)).my_scores.subtask_scores == {sid: {cid: 1}}

        # The same mentor, on a computer that had not seen those scores: a real conflict, shown with theirs.
        await c.submit_my_scores(m_b, {sid: {cid: 4}}, "from the laptop")
        await elsewhere.engine.sync_once()
        conflict = await c.my_conflict(meeting.id)
        assert conflict is not None and conflict.theirs["subtask_scores"] == {sid: {cid: 1}}
        assert "another computer" in (await c.my_entry(meeting.id)).last_error
    finally:
        for desk in (first, second, elsewhere):
            await desk.store.close()
            await desk.client.aclose()
        await lead_client.aclose()


def _true_when(check: Any) -> Any:
    async def predicate() -> bool:
        await asyncio.sleep(0)
        return bool(check())

    return predicate


class SlowToListen(httpx.AsyncBaseTransport):
    """The real transport, but the event stream takes a while to open (a loaded machine, a slow proxy)."""

    def __init__(self, delay: float) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._delay = delay

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/mentor/events"):
            await asyncio.sleep(self._delay)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.mark.asyncio
async def test_the_watch_is_live_only_once_its_stream_is_open(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    """A meeting set up right after the watch says "live" reaches it (it said so before its stream was open, and
    a meeting made meanwhile was never heard of)."""
    lead_client = await signed_in(fresh_sandbox.url, LEAD)
    member = await open_desk(fresh_sandbox.url, tmp_path / "m", MENTOR, transport=SlowToListen(1.5))
    try:
        capstone = next(i for i in await member.client.fetch_queue()
                        if i.kind == "capstone" and parse_status(i.status) is ReviewStatus.MENTOR_REVIEW)
        seen: list[str] = []
        states: list[WatchState] = []
        watch = MeetingWatch(MeetingService(member.client, member.store, member.engine),
                             lambda mid, _v: seen.append(mid), states.append, poll_seconds=600)
        watch.start()
        await wait_for(_true_when(lambda: WatchState.LIVE in states))
        meeting = await MeetingService(lead_client, member.store).create(capstone.id, [(await member.client.me()).id])
        await wait_for(_true_when(lambda: meeting.id in seen), seconds=10)
        await watch.stop()
    finally:
        await member.store.close()
        await member.client.aclose()
        await lead_client.aclose()
