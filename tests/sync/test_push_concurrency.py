"""Pushing entries of different reviews concurrently, against a real sandbox: never two requests in flight for
one review, a review's entries in the order they were queued, every entry applied exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import pytest

from mentor_desk.api.errors import TimedOut, Unreachable
from mentor_desk.api.models import ReviewDetail, StageReviewRequest, StageReviewResult
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.status import can_decide
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.store import OutboxState
from mentor_desk.sync.engine import PUSH_IN_FLIGHT

from .conftest import Desk, open_desk
from .scenarios import decidable, full_draft, scores

pytestmark = pytest.mark.asyncio


class InFlight:
    """Wraps the client's real stage-review request to record what was in flight when each one started."""

    def __init__(self, desk: Desk) -> None:
        self.peak = 0
        self.per_review_peak: Counter[str] = Counter()
        self.sent: list[tuple[str, str]] = []  # (review id, stage) in the order the requests started
        self._now: Counter[str] = Counter()
        self.send = desk.client.submit_stage_review
        desk.client.submit_stage_review = self._submit  # type: ignore[method-assign]

    async def _submit(self, review_id: str, body: StageReviewRequest) -> StageReviewResult:
        self._now[review_id] += 1
        self.sent.append((review_id, body.stage))
        self.peak = max(self.peak, self._now.total())
        self.per_review_peak[review_id] = max(self.per_review_peak[review_id], self._now[review_id])
        try:
            await asyncio.sleep(0.02)  # widen the window in which requests could overlap
            return await self.send(review_id, body)
        finally:
            self._now[review_id] -= 1


async def capstone(desk: Desk) -> ReviewDetail:
    """A multi-stage review awaiting this mentor that nobody else holds."""
    for item in await desk.store.queue():
        if item.stage_total > 1 and can_decide(item.status) and (item.claimed_by is None or item.claimed_by_me):
            return await desk.client.get_review(item.id)
    raise AssertionError("the sandbox has no open capstone for this mentor")


def stage_draft(detail: ReviewDetail, stage: str, base_version: int) -> ReviewDraft:
    """A review of one capstone stage at full marks (only the last stage takes a decision)."""
    final = stage == detail.stages[-1].name
    return ReviewDraft(
        base_version=base_version,
        attempt=detail.attempt,
        stage=stage,
        subtask_scores=scores(detail, lambda rubric: rubric.scale.max),
        mission_score=100.0,
        feedback_written=f"Stage {stage} reviewed.",
        decision="approve" if final else None,
    )


async def test_reviews_go_concurrently_one_at_a_time_each_in_order_and_land_once(desk: Desk) -> None:
    singles = await decidable(desk, 3 * PUSH_IN_FLIGHT)
    staged = await capstone(desk)
    stages = [stage.name for stage in staged.stages[staged.stage.index :]][:3]
    assert len(stages) == 3, "the capstone should have three stages left to review"
    for offset, stage in enumerate(stages):  # each written against the version the one before leaves behind
        await desk.engine.submit(staged.id, stage, stage_draft(staged, stage, staged.version + offset))
    for detail in singles:
        await desk.engine.submit(detail.id, "", full_draft(detail))
    spy = InFlight(desk)

    pushed = await desk.engine.push()

    assert pushed == len(singles) + len(stages)
    counts = await desk.store.outbox_counts()
    assert counts[OutboxState.DONE] == pushed and counts[OutboxState.CONFLICT] == counts[OutboxState.FAILED] == 0
    assert 1 < spy.peak <= PUSH_IN_FLIGHT
    assert max(spy.per_review_peak.values()) == 1
    assert [stage for review_id, stage in spy.sent if review_id == staged.id] == stages
    assert len(spy.sent) == pushed  # nothing was sent twice
    for detail in singles:
        after = await desk.client.get_review(detail.id)
        assert (after.status, after.version) == ("approved", detail.version + 1)
        assert [stage.decision for stage in after.stages if stage.decision] == ["approve"]
    after = await desk.client.get_review(staged.id)
    assert after.version == staged.version + len(stages)
    done = {stage.name: stage.feedback_written for stage in after.stages if stage.status == "completed"}
    assert all(done.get(stage) == f"Stage {stage} reviewed." for stage in stages)


async def test_the_platform_going_away_stops_new_sends_and_ends_the_round(
    desk: Desk, fresh_sandbox: SandboxServer
) -> None:
    """Entries already in flight settle (back to pending, to be replayed by op id), no new one starts, nothing
    is lost, and the round ends with the platform's "unreachable" error once they have."""
    singles = await decidable(desk, 3 * PUSH_IN_FLIGHT)
    for detail in singles:
        await desk.engine.submit(detail.id, "", full_draft(detail))
    spy = InFlight(desk)
    send = spy.send
    stopped = asyncio.Event()

    async def stop_after_the_first(review_id: str, body: StageReviewRequest) -> StageReviewResult:
        if review_id != spy.sent[0][0]:
            await stopped.wait()  # the others reach the platform only once it has gone, however fast it stops
            return await send(review_id, body)
        try:
            return await send(review_id, body)
        finally:
            await asyncio.to_thread(fresh_sandbox.stop)
            stopped.set()

    spy.send = stop_after_the_first

    with pytest.raises((Unreachable, TimedOut)):
        await desk.engine.push()

    counts = await desk.store.outbox_counts()
    assert counts[OutboxState.DONE] >= 1 and counts[OutboxState.SENDING] == 0
    assert counts[OutboxState.DONE] + counts[OutboxState.PENDING] == len(singles)
    assert len(spy.sent) < len(singles)


class BreaksOff(httpx.AsyncBaseTransport):
    """The real transport, but the first stage review of each review breaks off before any answer: every other one
    before it reaches the platform (a kept-alive connection the server had just closed), the rest after the
    platform applied it (a reset that destroyed the answer)."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.broken: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if not path.endswith("/mentor-review/complete") or path in self.broken:
            return await self._inner.handle_async_request(request)
        self.broken.append(path)
        if len(self.broken) % 2:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        response = await self._inner.handle_async_request(request)
        await response.aclose()
        raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_a_request_that_broke_off_before_any_answer_is_sent_again(
    fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    """Each review still lands exactly once, in the same push (a broken-off push used to wait for its backoff and
    leave the round short)."""
    transport = BreaksOff()
    desk = await open_desk(fresh_sandbox.url, tmp_path / "desk", transport=transport)
    try:
        singles = await decidable(desk, 2 * PUSH_IN_FLIGHT)
        for detail in singles:
            await desk.engine.submit(detail.id, "", full_draft(detail))

        pushed = await desk.engine.push()

        assert len(transport.broken) == len(singles) and pushed == len(singles)
        counts = await desk.store.outbox_counts()
        assert counts[OutboxState.DONE] == pushed and counts[OutboxState.CONFLICT] == counts[OutboxState.FAILED] == 0
        for detail in singles:
            after = await desk.client.get_review(detail.id)
            assert (after.status, after.version) == ("approved", detail.version + 1)
            assert [stage.decision for stage in after.stages if stage.decision] == ["approve"]
    finally:
        await desk.store.close()
        await desk.client.aclose()
