"""Layer B reads and claims against a full sandbox: queue, review detail, rubrics, authorisation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from mentor_desk.api import errors
from mentor_desk.api.client import MODE_FULL
from mentor_desk.api.models import DecisionAnnotation, ReviewDetail
from mentor_desk.domain.decision_path import StepKind, compare_paths
from mentor_desk.domain.scoring import summarize
from mentor_desk.domain.status import ReviewStatus, is_awaiting_mentor, parse_status
from mentor_desk.sandbox.runner import SandboxServer

from .sandbox_clients import MENTOR2, MENTOR3, sign_in


@pytest.mark.asyncio
async def test_discovery_and_the_whole_queue(sandbox: SandboxServer) -> None:
    async with await sign_in(sandbox.url) as client:
        info = await client.discover()
        queue = await client.fetch_queue()
        page = await client.list_reviews(limit=10, offset=0)
        next_page = await client.list_reviews(limit=10, offset=10)
    assert info.mode == MODE_FULL and info.has("reviews") and info.media_max_bytes > 10 * 1024 * 1024
    assert page.count == len(queue) > 200  # fetch_queue walks every page
    assert len({i.id for i in queue}) == len(queue)
    assert not {r.id for r in page.results} & {r.id for r in next_page.results}
    assert all(i.version is not None and i.learner_uuid and i.mission_code for i in queue)
    statuses = {parse_status(i.status) for i in queue}
    assert {ReviewStatus.SUBMITTED, ReviewStatus.MENTOR_REVIEW, ReviewStatus.APPROVED} <= statuses
    assert {i.kind for i in queue} == {"mission", "capstone"}


@pytest.mark.asyncio
async def test_stages_count_from_one_in_the_queue(sandbox: SandboxServer) -> None:
    async with await sign_in(sandbox.url) as client:
        page = await client.list_reviews(limit=500)
        queue = await client.fetch_queue()
    wire = {row.id: row.stage for row in page.results}
    capstones = [item for item in queue if item.stage_total > 1 and item.id in wire]
    assert capstones, "the seed has capstones in progress"
    for item in capstones:
        assert item.stage_index == wire[item.id].index + 1  # the wire counts from 0
        assert 1 <= item.stage_index <= item.stage_total


@pytest.mark.asyncio
async def test_filters_and_updated_since(sandbox: SandboxServer) -> None:
    async with await sign_in(sandbox.url) as client:
        waiting = await client.list_reviews(status="mentor_review")
        track = waiting.results[0].mission.track
        on_track = await client.list_reviews(track=track)
        newest = max(r.updated_at for r in (await client.list_reviews(limit=1000)).results if r.updated_at)
        since = await client.fetch_queue(updated_since=newest - timedelta(seconds=1))
        nothing = await client.list_reviews(updated_since=newest + timedelta(days=1))
    assert waiting.results and all(r.status == "mentor_review" for r in waiting.results)
    assert all(is_awaiting_mentor(r.status) for r in waiting.results)
    assert on_track.results and all(r.mission.track == track for r in on_track.results)
    assert since and all(i.updated_at and i.updated_at >= newest for i in since)
    assert nothing.results == []


@pytest.mark.asyncio
async def test_review_detail_feeds_the_domain(sandbox: SandboxServer) -> None:
    async with await sign_in(sandbox.url) as client:
        waiting = (await client.list_reviews(status="mentor_review")).results
        detail = await client.get_review(waiting[0].id)
        rubric_id = detail.mission.subtasks[0].rubric_id
        assert rubric_id
        rubric = await client.get_rubric(rubric_id)
    assert detail.id == waiting[0].id and detail.version == waiting[0].version
    assert detail.mission.subtasks and set(detail.rubrics) >= {s.rubric_id for s in detail.mission.subtasks}
    assert rubric.to_domain() == detail.rubrics[rubric_id].to_domain()
    assert detail.files and all(f.url and f.filename for f in detail.files)
    assert detail.stages and detail.reflection

    specs, rubrics = detail.subtask_specs(), detail.domain_rubrics()
    top = {s.id: {c.id: rubrics[s.rubric_id].scale_max for c in rubrics[s.rubric_id].criteria} for s in specs}
    summary = summarize(specs, rubrics, top)
    assert summary.complete and summary.mission_score == 100 and summary.passed

    comparison = compare_paths(detail.decision_points(), detail.taken_decisions())
    assert len(comparison.steps) == len(detail.mission.branching_paths)
    assert all(s.kind in (StepKind.SAME, StepKind.DIFFERENT) for s in comparison.steps)


@pytest.mark.asyncio
async def test_review_detail_keeps_effort_and_earlier_attempts(sandbox: SandboxServer) -> None:
    """``time_per_stage``, ``hints_used`` and the earlier attempts' scores reach the model, field for field."""
    async with await sign_in(sandbox.url) as client:
        rows = [r for r in (await client.list_reviews(limit=1000)).results if r.attempt > 1]
        details = [await client.get_review(r.id) for r in rows[:12]]
        raw = await client._get_json(f"mentor/reviews/{rows[0].id}")  # the same detail as JSON, for comparison
    first = details[0]
    assert first.time_per_stage == {k: float(v) for k, v in raw["time_per_stage"].items()}
    assert set(first.time_per_stage) == {s.id for s in first.mission.subtasks}
    assert [(h.attempt, h.mentor_score, h.decision, h.feedback_written) for h in first.history] == [
        (h["attempt"], h["mentor_score"], h["decision"], h["feedback_written"]) for h in raw["history"]
    ]
    assert all(len(d.history) == d.attempt - 1 and all(h.mentor_score is not None for h in d.history) for d in details)
    hinted = next(d for d in details if d.hints_used)
    assert hinted.hints_used[0].subtask_id and hinted.hints_used[0].hint_level and hinted.hints_used[0].timestamp
    assert "time_per_stage" in first.model_dump(mode="json")  # kept when the app caches the detail


def test_review_detail_parsing_is_tolerant_of_odd_effort_and_history() -> None:
    base = ReviewDetail.model_validate({"id": 7, "mission": {"id": "m"}}).model_dump(mode="json")
    odd = ReviewDetail.model_validate(
        {
            **base,
            "time_per_stage": {"1": 12, "2": "a while", "3": None, 4: 7.5},
            "hints_used": [{"subtask_id": 2, "hint_level": "basic"}, "hint?", None],
            "history": [
                {
                    "attempt": "1",
                    "mentor_score": 48.5,
                    "subtask_scores": {"1": {"c1": 2, "c2": "x"}, "2": "bad"},
                    "feedback_per_subtask": {"1": "Too narrow", "2": 3},
                },
                {"attempt": 2, "scores": {"subtask_scores": {"1": {"c1": 3}}, "mission_score": 61}},
                "not an entry",
            ],
        }
    )
    assert odd.time_per_stage == {"1": 12.0, "4": 7.5}
    assert [(h.subtask_id, h.hint_level) for h in odd.hints_used] == [("2", "basic")]
    assert [h.subtask_scores for h in odd.history] == [{"1": {"c1": 2.0}}, {"1": {"c1": 3.0}}]
    assert odd.history[0].feedback_per_subtask == {"1": "Too narrow"} and odd.history[0].attempt == 1
    nothing = ReviewDetail.model_validate({**base, "time_per_stage": None, "hints_used": None, "history": None})
    assert (nothing.time_per_stage, nothing.hints_used, nothing.history) == ({}, [], [])


def test_an_annotation_without_a_verdict_cannot_be_built() -> None:
    assert DecisionAnnotation(verdict="acceptable").model_dump(mode="json") == {"verdict": "acceptable", "comment": ""}
    for verdict in ("", "fine", None):
        with pytest.raises(ValidationError):
            DecisionAnnotation(verdict=verdict, comment="Good call")  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_evidence_download_with_range_resume(sandbox: SandboxServer, tmp_path: Path) -> None:
    async with await sign_in(sandbox.url) as client:
        detail = await client.get_review((await client.list_reviews(status="mentor_review")).results[0].id)
        evidence = max(detail.files, key=lambda f: f.file_size or 0)
        dest = tmp_path / evidence.filename
        full = await client.download_file(evidence.url, dest, expected_sha256=evidence.sha256)
        content = full.read_bytes()
        assert len(content) == evidence.file_size
        # Pretend an earlier attempt stopped after a third of the file: only the rest is fetched.
        resumed = tmp_path / "again" / evidence.filename
        resumed.parent.mkdir()
        resumed.with_name(resumed.name + ".part").write_bytes(content[: len(content) // 3])
        seen: list[int] = []
        await client.download_file(
            evidence.url, resumed, expected_sha256=evidence.sha256, progress=lambda done, _t: seen.append(done)
        )
    assert resumed.read_bytes() == content
    assert seen[0] > len(content) // 3  # counted from the resume point


@pytest.mark.asyncio
async def test_another_mentors_review_is_not_visible(sandbox: SandboxServer) -> None:
    async with await sign_in(sandbox.url) as mine, await sign_in(sandbox.url, MENTOR3) as other:
        theirs = {i.id for i in await other.fetch_queue()}
        foreign = next(i for i in await mine.fetch_queue() if i.id not in theirs)
        for attempt in (other.get_review(foreign.id), other.claim(foreign.id)):
            with pytest.raises((errors.Forbidden, errors.NotFound)) as caught:
                await attempt
            assert caught.value.user_message
        with pytest.raises(errors.NotFound):
            await other.get_rubric("no-such-rubric")


@pytest.mark.asyncio
async def test_claims(fresh_sandbox: SandboxServer) -> None:
    async with await sign_in(fresh_sandbox.url) as mine, await sign_in(fresh_sandbox.url, MENTOR2) as other:
        shared = {i.id for i in await other.fetch_queue()}
        item = next(
            i for i in await mine.fetch_queue() if i.id in shared and is_awaiting_mentor(i.status) and not i.claimed_by
        )
        claim = await mine.claim(item.id)
        assert claim.claimed_by and claim.claimed_by.name and claim.expires_at
        renewed = await mine.claim(item.id)  # renewing my own claim is fine
        assert renewed.expires_at and renewed.expires_at >= claim.expires_at
        seen_by_me = {i.id: i for i in await mine.fetch_queue()}[item.id]
        assert seen_by_me.claimed_by_me and seen_by_me.claimed_by == claim.claimed_by.name
        with pytest.raises(errors.ClaimedByOther) as caught:
            await other.claim(item.id)
        assert claim.claimed_by.name in caught.value.user_message
        await mine.release_claim(item.id)
        taken = await other.claim(item.id)
        assert taken.claimed_by and taken.claimed_by.name != claim.claimed_by.name
        decided = next(i for i in await mine.fetch_queue() if i.status == "approved")
        with pytest.raises(errors.IllegalTransition):
            await mine.claim(decided.id)
