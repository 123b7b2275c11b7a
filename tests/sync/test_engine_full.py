"""The engine against a full (layer B) sandbox: versioned stage reviews, replays under the same client_op_id,
409 version conflicts and their resolution, claim-only version bumps, and a flaky network."""

from __future__ import annotations

import asyncio
import dataclasses
import signal
import subprocess
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from mentor_desk.api.base import BROKE_OFF_ATTEMPTS
from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import StageReviewRequest
from mentor_desk.domain.draft import DecisionNote
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.store import DocumentKind, OutboxState, Store
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.sync.events import ConflictRaised, ConnectionState
from mentor_desk.sync.senders import OP_STAGE_REVIEW

from .conftest import FAST_BACKOFF, MENTOR, Desk, done_count, open_desk, signed_in, start_sandbox, state_is, wait_for
from .scenarios import decidable, full_draft

pytestmark = pytest.mark.asyncio


async def test_stage_review_is_applied_once(desk: Desk) -> None:
    (detail,) = await decidable(desk)
    entry = await desk.engine.submit(detail.id, "", full_draft(detail))
    assert entry.operation == OP_STAGE_REVIEW and entry.base_version == detail.version

    report = await desk.engine.sync_once()

    assert (report.pushed, report.pending, report.conflicts, report.failed) == (1, 0, 0, 0)
    after = await desk.client.get_review(detail.id)
    assert after.status == "approved" and after.version == detail.version + 1
    assert after.stages[-1].feedback_written == "Solid work."
    cached = await desk.store.queue_item(detail.id)
    assert cached is not None and cached.status == "approved" and cached.version == after.version
    assert await desk.store.sync_state("last_pull:reviews") is not None


async def test_annotations_go_out_only_with_a_verdict(desk: Desk) -> None:
    """The contract requires a verdict on every annotation: blank ones are left out, judged ones are stored by
    the platform as sent, and a comment without a verdict is held back for the mentor (never sent, never lost)."""
    first, second = await decidable(desk, 2)
    decisions = [point.decision_id for point in first.mission.branching_paths.values()]
    judged = {
        decision: DecisionNote(verdict, "Isolate first" if verdict == "divergent" else "")
        for decision, verdict in zip(decisions, ("divergent", "acceptable"), strict=False)
    }
    blank = {"touched_then_cleared": DecisionNote()}  # the platform would refuse it if sent
    await desk.engine.submit(first.id, "", replace(full_draft(first), decision_annotations={**judged, **blank}))
    unjudged = DecisionNote("", "Why this order?")
    second_decision = next(iter(second.mission.branching_paths.values())).decision_id
    held = await desk.engine.submit(
        second.id, "", replace(full_draft(second), decision_annotations={second_decision: unjudged})
    )

    report = await desk.engine.sync_once()

    assert (report.pushed, report.failed) == (1, 1)
    stored = await desk.client._get_json(f"mentor/reviews/{first.id}")
    assert stored["status"] == "approved" and stored["stages"][-1]["decision_annotations"] == {
        decision: {"verdict": note.verdict, "comment": note.comment} for decision, note in judged.items()
    }
    failed = await desk.store.outbox_entry(held.id)
    assert failed.state is OutboxState.FAILED and f"choose a verdict for decision {second_decision}" in (
        failed.last_error or ""
    )
    assert failed.draft.decision_annotations == {second_decision: unjudged}  # the comment is kept
    assert (await desk.client.get_review(second.id)).version == second.version  # nothing reached the platform


async def test_incremental_pull_brings_only_changes(desk: Desk, fresh_sandbox: SandboxServer) -> None:
    await desk.engine.pull()
    (detail,) = await decidable(desk)
    other = await signed_in(fresh_sandbox.url, MENTOR)  # the same mentor on another device
    try:
        await other.claim(detail.id)
    finally:
        await other.aclose()
    changed = await desk.engine.pull()
    assert detail.id in changed and len(changed) < 10
    cached = await desk.store.queue_item(detail.id)
    assert cached is not None and cached.version == detail.version + 1


async def test_details_opened_here_are_kept_current(desk: Desk, fresh_sandbox: SandboxServer) -> None:
    await desk.engine.pull()
    (detail,) = await decidable(desk)
    await desk.store.put_document(DocumentKind.REVIEW_DETAIL, detail.id, detail.model_dump(mode="json"), detail.version)
    other = await signed_in(fresh_sandbox.url, MENTOR)
    try:
        await other.claim(detail.id)
    finally:
        await other.aclose()
    await desk.engine.pull()
    cached = await desk.store.document(DocumentKind.REVIEW_DETAIL, detail.id)
    assert cached is not None and cached.version == detail.version + 1
    assert cached.data["claimed_by"] is not None
    rubric = next(iter(detail.rubrics.values()))
    assert (await desk.store.rubric(rubric.id, rubric.version))["criteria"]


async def test_run_follows_the_event_stream(desk: Desk, fresh_sandbox: SandboxServer) -> None:
    (detail,) = await decidable(desk)
    desk.engine.poll_interval = 120  # only an event can explain a prompt pull
    runner = asyncio.create_task(desk.engine.run())
    try:
        for _ in range(100):
            if desk.engine.state.value == "online":
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # let the event stream connect
        other = await signed_in(fresh_sandbox.url, MENTOR)
        try:
            await other.claim(detail.id)
        finally:
            await other.aclose()
        for _ in range(100):
            cached = await desk.store.queue_item(detail.id)
            if cached is not None and cached.version == detail.version + 1:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the change event did not lead to a pull")
        assert await desk.store.sync_state("last_event_id")
    finally:
        desk.engine.stop()
        await asyncio.wait_for(runner, 5)


class LoseAnswers(httpx.AsyncBaseTransport):
    """Real HTTP, but the answers to the first ``count`` review submissions are lost after the server acted."""

    def __init__(self, count: int = 1) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.remaining = count

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if self.remaining and request.url.path.endswith("/mentor-review/complete"):
            self.remaining -= 1
            await response.aread()
            await response.aclose()
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_lost_answer_is_replayed_under_the_same_op_id(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    """The client sends a broken-off submission again at once (BROKE_OFF_ATTEMPTS in all); answers lost beyond
    that leave the entry for the engine's next round, which replays it under the same op id."""
    client = PlatformClient(fresh_sandbox.url, transport=LoseAnswers(BROKE_OFF_ATTEMPTS + 1))
    await client.login(*MENTOR)
    info = await client.discover()
    store = await Store.open(fresh_sandbox.url, MENTOR[0], data_dir=tmp_path)
    engine = SyncEngine(client, store, mode=info.mode, backoff=FAST_BACKOFF)
    desk = Desk(client, store, engine)
    try:
        (detail,) = await decidable(desk)
        entry = await engine.submit(detail.id, "", full_draft(detail))
        first = await engine.sync_once()
        assert first.pushed == 0 and first.pending == 1
        dropped = await store.outbox_entry(entry.id)
        assert dropped.attempts == 1 and "broke off" in (dropped.last_error or "")
        for _ in range(40):
            await asyncio.sleep(0.1)
            report = await engine.sync_once()
            if report.all_sent:
                break
        assert report.all_sent and report.pushed == 1
        done = await store.outbox_entry(entry.id)
        assert done.state is OutboxState.DONE and done.attempts == 2
        assert done.client_op_id == entry.client_op_id
        after = await client.get_review(detail.id)
        assert after.version == detail.version + 1  # applied exactly once
        assert [s.status for s in after.stages] == ["completed"]
    finally:
        await store.close()
        await client.aclose()


async def test_version_conflict_keeps_both_sides(desk: Desk, fresh_sandbox: SandboxServer) -> None:
    (detail,) = await decidable(desk)
    entry = await desk.engine.submit(detail.id, "", full_draft(detail, "approve", "Mine."))
    other = await signed_in(fresh_sandbox.url, MENTOR)  # the same review decided from another device first
    try:
        theirs = full_draft(detail, "request_revision", "Theirs: redo the timeline.").to_json()
        fields = {k: v for k, v in theirs.items() if k in StageReviewRequest.model_fields}
        await other.submit_stage_review(
            detail.id, StageReviewRequest(client_op_id="other-device-op", **{**fields, "stage": "final"})
        )
    finally:
        await other.aclose()

    report = await desk.engine.sync_once()

    assert report.conflicts == 1 and report.pushed == 0
    (raised,) = desk.of(ConflictRaised)
    assert raised.conflict.outbox_id == entry.id
    assert raised.conflict.mine["feedback_written"] == "Mine."
    assert raised.conflict.theirs["status"] == "revision_requested"
    assert raised.conflict.theirs["version"] == detail.version + 1
    assert (await desk.store.badges())[detail.id].conflict
    # Retrying does not resend blindly.
    await desk.engine.sync_once()
    assert (await desk.client.get_review(detail.id)).status == "revision_requested"

    # Keeping mine against a decided review cannot win: it becomes a conflict again, visibly.
    await desk.engine.resolve_conflict(raised.conflict.id, "mine")
    report = await desk.engine.sync_once()
    assert report.conflicts == 1
    (again,) = await desk.store.conflicts()
    export = await desk.engine.resolve_conflict(again.id, "theirs")
    assert isinstance(export, Path) and "Mine." in export.read_text(encoding="utf-8")
    assert (await desk.engine.sync_once()).all_sent
    assert (await desk.client.get_review(detail.id)).stages[-1].feedback_written == "Theirs: redo the timeline."


async def test_a_claim_bumping_the_version_is_not_a_conflict(desk: Desk, fresh_sandbox: SandboxServer) -> None:
    (detail,) = await decidable(desk)
    await desk.engine.submit(detail.id, "", full_draft(detail))
    other = await signed_in(fresh_sandbox.url, MENTOR)  # e.g. the app claiming the review when it is opened
    try:
        await other.claim(detail.id)
        await other.release_claim(detail.id)
    finally:
        await other.aclose()

    report = await desk.engine.sync_once()

    assert (report.pushed, report.conflicts) == (1, 0)
    after = await desk.client.get_review(detail.id)
    assert after.status == "approved" and after.version == detail.version + 3


async def test_merged_resolution_is_sent_against_the_new_version(desk: Desk) -> None:
    """A draft begun on the learner's previous attempt conflicts; the mentor merges and sends it."""
    (detail,) = await decidable(desk)
    stale = replace(full_draft(detail, feedback="Mine."), base_version=detail.version - 1, attempt=detail.attempt - 1)
    entry = await desk.engine.submit(detail.id, "", stale)
    report = await desk.engine.sync_once()
    assert report.conflicts == 1
    (conflict,) = await desk.store.conflicts()
    assert conflict.theirs["version"] == detail.version

    merged = {**conflict.mine, "attempt": conflict.theirs["attempt"], "feedback_written": "Mine, merged."}
    requeued = await desk.engine.resolve_conflict(conflict.id, merged)
    assert not isinstance(requeued, Path)
    assert requeued.base_version == detail.version and requeued.client_op_id != entry.client_op_id
    assert (await desk.store.conflict(conflict.id)).resolution == "merged"

    report = await desk.engine.sync_once()
    assert report.pushed == 1 and report.all_sent
    after = await desk.client.get_review(detail.id)
    assert after.version == detail.version + 1 and after.stages[-1].feedback_written == "Mine, merged."


async def test_flaky_network_applies_every_review_once(tmp_path: Path) -> None:
    config = SandboxConfig(db_path=tmp_path / "platform.sqlite3", latency_ms=5, error_rate=0.15, drop_rate=0.15, seed=5)
    with SandboxServer(dataclasses.replace(config, error_rate=0.0, drop_rate=0.0)) as calm:
        planner = await open_desk(calm.url, tmp_path / "planner")
        details = await decidable(planner, 5)
        await planner.store.close()
        await planner.client.aclose()
    with SandboxServer(config) as server:
        for _ in range(30):
            try:
                desk = await open_desk(server.url, tmp_path / "desk")
                break
            except Exception:  # an injected fault while signing in: try again
                await asyncio.sleep(0.05)
        try:
            for detail in details:
                await desk.engine.submit(detail.id, "", full_draft(detail))
            runner = asyncio.create_task(desk.engine.run())
            for _ in range(600):
                if (await desk.store.outbox_counts())[OutboxState.DONE] == 5:
                    break
                await asyncio.sleep(0.1)
            desk.engine.stop()
            await runner
            counts = await desk.store.outbox_counts()
            assert counts[OutboxState.DONE] == 5, counts
        finally:
            await desk.store.close()
            await desk.client.aclose()
    with SandboxServer(dataclasses.replace(config, error_rate=0.0, drop_rate=0.0)) as calm:
        checker = await signed_in(calm.url, MENTOR)
        try:
            for detail in details:
                after = await checker.get_review(detail.id)
                assert after.status == "approved" and after.version == detail.version + 1
        finally:
            await checker.aclose()


async def test_platform_killed_mid_push_replays_safely(
    platform_process: tuple[list[subprocess.Popen[bytes]], int, Path], tmp_path: Path
) -> None:
    processes, port, db = platform_process
    processes.append(await asyncio.to_thread(start_sandbox, port, db, "--latency-ms", "150", profile="full"))
    desk = await open_desk(f"http://127.0.0.1:{port}", tmp_path / "desk")
    try:
        details = await decidable(desk, 5)
        for detail in details:
            await desk.engine.submit(detail.id, "", full_draft(detail))
        runner = asyncio.create_task(desk.engine.run())
        await wait_for(lambda: done_count(desk, 1), seconds=30)
        processes[0].send_signal(signal.SIGKILL)  # most likely in the middle of the next request
        processes[0].wait()
        await wait_for(lambda: state_is(desk, ConnectionState.OFFLINE), seconds=30)
        processes.append(await asyncio.to_thread(start_sandbox, port, db, profile="full"))
        await wait_for(lambda: done_count(desk, 5), seconds=30)
        desk.engine.stop()
        await runner
        for detail in details:
            after = await desk.client.get_review(detail.id)
            assert after.status == "approved" and after.version == detail.version + 1
    finally:
        await desk.store.close()
        await desk.client.aclose()
