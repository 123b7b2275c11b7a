"""Compatibility mode: every layer A endpoint the client covers, against an ``och-v1`` sandbox."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from mentor_desk.api import errors
from mentor_desk.api.client import MODE_OCH_V1
from mentor_desk.domain.status import ReviewStatus, parse_status
from mentor_desk.sandbox.runner import SandboxServer

from .sandbox_clients import MENTOR3, sign_in


@pytest.mark.asyncio
async def test_discovery_and_queue(sandbox_v1: SandboxServer) -> None:
    async with await sign_in(sandbox_v1.url) as client:
        info = await client.discover()
        assert info.mode == MODE_OCH_V1 and not info.full and not info.has("reviews")
        assert info.media_max_bytes == 10 * 1024 * 1024
        me = await client.me()
        queue = await client.fetch_queue()
        rows, count = await client.v1_submissions(me.id, limit=7, offset=0)
        more, _ = await client.v1_submissions(me.id, limit=7, offset=7)
    assert count == len(queue) > 14  # all pages fetched
    assert len(rows) == 7 and not {r.id for r in rows} & {r.id for r in more}
    assert len({item.id for item in queue}) == len(queue)
    assert all(item.version is None and item.learner_id and item.mission_title for item in queue)
    statuses = {parse_status(item.status) for item in queue}
    assert ReviewStatus.MENTOR_REVIEW in statuses and ReviewStatus.UNKNOWN not in statuses


@pytest.mark.asyncio
async def test_workqueue_capstones_mission_assignments(sandbox_v1: SandboxServer) -> None:
    async with await sign_in(sandbox_v1.url) as client:
        me = await client.me()
        queue = {item.id: item for item in await client.fetch_queue()}
        work = await client.v1_workqueue(status="pending")
        capstones = await client.v1_capstones(me.id, status="all")
        mission = await client.v1_mission(next(iter(queue.values())).mission_id)
        assignments = await client.v1_assignments(me.id)
    assert all(w.reference_id in queue and w.type == "mission_review" for w in work)
    assert all(c.id in queue and queue[c.id].kind == "capstone" for c in capstones)
    assert mission.title and mission.subtasks and all(s.title for s in mission.subtasks)
    assert assignments and all(a.id and a.mentee_name for a in assignments)


@pytest.mark.asyncio
async def test_decision_on_a_submission(fresh_v1: SandboxServer) -> None:
    async with await sign_in(fresh_v1.url) as client:
        waiting = [i for i in await client.fetch_queue() if parse_status(i.status) is ReviewStatus.MENTOR_REVIEW]
        first, second = waiting[:2]
        with pytest.raises(errors.ValidationFailed) as blank:
            await client.v1_review_submission(first.id, "pass", "   ")
        assert "feedback" in blank.value.field_errors
        result = await client.v1_review_submission(first.id, "pass", "Thorough scoping.")
        again = await client.v1_review_submission(first.id, "pass", "Thorough scoping.")  # safe to repeat
        revision = await client.v1_review_submission(second.id, "needs_revision", "Timeline missing.")
        after = {i.id: i for i in await client.fetch_queue()}
    assert result.approved and again.approved and not revision.approved
    assert after[first.id].status == "approved"
    assert parse_status(after[second.id].status) is ReviewStatus.REJECTED  # OCH cannot tell revision from fail


@pytest.mark.asyncio
async def test_other_mentors_items_are_forbidden(sandbox_v1: SandboxServer) -> None:
    async with await sign_in(sandbox_v1.url) as mine, await sign_in(sandbox_v1.url, MENTOR3) as other:
        my_id = (await mine.me()).id
        theirs = {i.id for i in await other.fetch_queue()}
        foreign = next(i for i in await mine.fetch_queue() if i.id not in theirs)
        with pytest.raises(errors.Forbidden):
            await other.v1_review_submission(foreign.id, "fail", "Not yours to judge.")
        with pytest.raises(errors.Forbidden):
            await other.v1_submissions(my_id)
        with pytest.raises(errors.NotFound):
            await other.v1_review_submission("00000000-0000-0000-0000-000000000000", "pass", "x")


@pytest.mark.asyncio
async def test_a_student_is_told_they_are_not_a_mentor(sandbox_v1: SandboxServer) -> None:
    async with await sign_in(sandbox_v1.url, "student@demo.och") as client:
        me = await client.me()
        assert not me.is_mentor
        with pytest.raises(errors.ServerError) as caught:
            await client.v1_submissions(me.id)
    assert "not set up as a mentor" in caught.value.user_message


@pytest.mark.asyncio
async def test_interactions_lifecycle(fresh_v1: SandboxServer) -> None:
    async with await sign_in(fresh_v1.url) as client:
        existing = await client.v1_interactions()
        assert existing, "the sandbox seeds interactions so that mentees' uuid_ids can be learned"
        mentee_uuid, mission_id = existing[0].mentee_id, existing[0].mission_id
        assert mentee_uuid and mission_id
        created = await client.v1_create_interaction(
            mentee_uuid, "mission_review", mission_id=mission_id, phase="investigation", total_phases=2
        )
        assert created.status == "scheduled" and created.mentee_id == mentee_uuid
        scores = {"subtask_scores": {"1": 90, "2": 75}, "rubric_scores": {"tech": 3.5}, "overall_score": 82.5}
        updated = await client.v1_update_interaction(
            created.id, {**scores, "written_feedback": "Good.", "status": "in_progress"}
        )
        assert updated.status == "in_progress"
        registered = await client.v1_upload_feedback(created.id, "audio", f"{fresh_v1.url}/media/x.m4a", 42)
        assert registered.media_type == "audio" and registered.duration_seconds == 42
        detail = await client.v1_interaction(created.id)
        listed = await client.v1_interactions(mission_id=mission_id)
    assert detail.subtask_scores == {"1": 90, "2": 75} and detail.overall_score == 82.5
    assert detail.audio_feedback_url and detail.written_feedback == "Good."
    assert created.id in {row.id for row in listed}
    assert all(row.mission_id == mission_id for row in listed)


@pytest.mark.asyncio
async def test_message_with_attachment_and_download(fresh_v1: SandboxServer, tmp_path: Path) -> None:
    recording = tmp_path / "feedback.m4a"
    recording.write_bytes(bytes(range(256)) * 4096)  # 1 MiB
    async with await sign_in(fresh_v1.url) as client:
        assignment = (await client.v1_assignments((await client.me()).id))[0]
        message = await client.v1_send_message(assignment.id, "Your feedback recording.", [recording])
        (attachment,) = message.attachments
        assert attachment.filename == "feedback.m4a" and attachment.file_size == recording.stat().st_size
        assert attachment.file
        copy = await client.download_file(attachment.file, tmp_path / "copy.m4a")
    assert copy.read_bytes() == recording.read_bytes()

    too_big = tmp_path / "long-video.mp4"
    with too_big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    async with await sign_in(fresh_v1.url) as client:
        with pytest.raises(errors.PayloadTooLarge) as caught:
            await client.v1_send_message(assignment.id, "Video", [too_big])
    assert "10 MB" in caught.value.user_message


@pytest.mark.asyncio
async def test_dashboard_stream_in_compat_mode(sandbox_v1: SandboxServer) -> None:
    async with await sign_in(sandbox_v1.url) as client:
        await client.discover()
        stream = client.events()
        try:
            event = await asyncio.wait_for(anext(stream), timeout=20)
        finally:
            await stream.aclose()
    assert event.event == "work_queue" and event.id is None
    assert event.data["total_pending"] >= 0 and "overdue" in event.data


@pytest.mark.asyncio
async def test_text_event_stream_alone_is_refused_by_och(sandbox_v1: SandboxServer) -> None:
    """Why the client sends ``Accept: */*`` to the OCH dashboard stream (och-v1-reference §7)."""
    async with await sign_in(sandbox_v1.url) as client:
        token = client.session.access_token  # type: ignore[union-attr]
    async with httpx.AsyncClient() as raw:
        answer = await raw.get(
            f"{sandbox_v1.url}/api/v1/mentor/dashboard/stream",
            headers={"Accept": "text/event-stream", "Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 406


@pytest.mark.asyncio
async def test_own_tier5_status_only_in_compat_mode(sandbox_v1: SandboxServer) -> None:
    async with await sign_in(sandbox_v1.url) as client:
        own = await client.tier5_status("DEFENDER_5")
        assert own.track_code == "DEFENDER_5" and own.requirements.mastery_missions_total >= 0
        with pytest.raises(errors.NotFound):  # layer B's learner list does not exist on OCH v1
            await client.tier5_learners("DEFENDER_5")
        with pytest.raises(errors.NotFound):
            await client.tier5_status("NO_SUCH_TRACK")
