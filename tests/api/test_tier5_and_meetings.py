"""Tier-5 sign-off and scoring meetings (layer B) against a private full sandbox."""

from __future__ import annotations

import uuid

import pytest

from mentor_desk.api import errors
from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import Tier5Learner
from mentor_desk.domain.agreement import Reading, panel_agreement
from mentor_desk.domain.status import ReviewStatus, parse_status
from mentor_desk.sandbox.runner import SandboxServer

from .sandbox_clients import LEAD, MENTOR2, MENTOR3, sign_in

APPROVAL_ONLY = "Mentor approval required"


async def _my_learners(client: PlatformClient) -> list[Tier5Learner]:
    tracks = {i.track for i in await client.fetch_queue()}
    return [row for track in sorted(tracks) for row in await client.tier5_learners(track)]


@pytest.mark.asyncio
async def test_tier5_sign_off(fresh_sandbox: SandboxServer) -> None:
    async with await sign_in(fresh_sandbox.url) as client:
        learners = await _my_learners(client)
        assert learners and all(row.track_code and row.learner.id for row in learners)
        row = learners[0]
        status = await client.tier5_status(row.track_code, row.learner.id)
        assert status == row.status and status.track_code == row.track_code

        missing = next(r for r in learners if set(r.status.missing_requirements) - {APPROVAL_ONLY})
        with pytest.raises(errors.RequirementsNotMet) as caught:
            await client.set_mentor_approval(missing.track_code, missing.learner.id, True, "", str(uuid.uuid4()))
        assert caught.value.missing and caught.value.missing[0] in caught.value.user_message

        ready = next(r for r in learners if not set(r.status.missing_requirements) - {APPROVAL_ONLY})
        op = str(uuid.uuid4())
        approval = await client.set_mentor_approval(ready.track_code, ready.learner.id, True, "Well earned.", op)
        assert approval.tier5_mentor_approval and approval.approved_by and approval.approved_at
        assert (
            await client.set_mentor_approval(ready.track_code, ready.learner.id, True, "Well earned.", op) == approval
        )
        after = await client.tier5_status(ready.track_code, ready.learner.id)
        assert after.requirements.mentor_approval and APPROVAL_ONLY not in after.missing_requirements

        with pytest.raises(errors.ValidationFailed) as no_reason:
            await client.set_mentor_approval(ready.track_code, ready.learner.id, False, " ", str(uuid.uuid4()))
        assert "comment" in no_reason.value.field_errors
        revoked = await client.set_mentor_approval(
            ready.track_code, ready.learner.id, False, "Capstone under appeal.", str(uuid.uuid4())
        )
        assert not revoked.tier5_mentor_approval

    async with await sign_in(fresh_sandbox.url, MENTOR3) as other:
        mine = {r.learner.id for r in await _my_learners(other)}
        stranger = next(r for r in learners if r.learner.id not in mine)
        with pytest.raises(errors.Forbidden):
            await other.tier5_status(stranger.track_code, stranger.learner.id)
        with pytest.raises(errors.Forbidden):
            await other.set_mentor_approval(stranger.track_code, stranger.learner.id, True, "", str(uuid.uuid4()))


@pytest.mark.asyncio
async def test_scoring_meeting_blind_then_revealed_then_consensus(fresh_sandbox: SandboxServer) -> None:
    async with (
        await sign_in(fresh_sandbox.url, LEAD) as lead,
        await sign_in(fresh_sandbox.url) as first,
        await sign_in(fresh_sandbox.url, MENTOR2) as second,
    ):
        panel_ids = [(await first.me()).id, (await second.me()).id]
        shared = {i.id for i in await second.fetch_queue()}
        capstone = next(
            i
            for i in await first.fetch_queue()
            if i.kind == "capstone" and i.id in shared and parse_status(i.status) is ReviewStatus.MENTOR_REVIEW
        )
        with pytest.raises(errors.Forbidden):  # an ordinary mentor may not lead
            await second.create_meeting(capstone.id, panel_ids)
        meeting = await lead.create_meeting(capstone.id, panel_ids)
        assert meeting.state == "scoring" and meeting.lead and meeting.lead.id == (await lead.me()).id
        rubrics = meeting.rubrics()
        detail = await first.get_review(capstone.id)
        specs = detail.subtask_specs()

        def scores(fraction: float) -> dict[str, dict[str, float]]:
            return {
                s.id: {
                    c.id: rubrics[s.rubric_id].scale_min
                    + fraction * (rubrics[s.rubric_id].scale_max - rubrics[s.rubric_id].scale_min)
                    for c in rubrics[s.rubric_id].criteria
                }
                for s in specs
            }

        mine = await first.put_my_scores(meeting.id, base_version=meeting.version, subtask_scores=scores(1.0))
        assert mine.my_scores and mine.scores is None  # blind: nobody sees the others' scores yet
        with pytest.raises(errors.VersionConflict) as stale:
            await second.put_my_scores(meeting.id, base_version=meeting.version, subtask_scores=scores(0.5))
        assert stale.value.current["version"] == mine.version
        theirs = await second.put_my_scores(meeting.id, base_version=mine.version, subtask_scores=scores(0.5))
        assert theirs.scores is None and all(p.submitted_at for p in theirs.panel)

        with pytest.raises(errors.Forbidden):
            await first.reveal(meeting.id)
        revealed = await lead.reveal(meeting.id)
        assert revealed.state == "revealed" and revealed.scores and len(revealed.scores) == 2
        report = panel_agreement(specs, rubrics, revealed.revealed_scores())
        # Every criterion scored at the top by one and in the middle by the other: systematic disagreement.
        # With N units of {max, mid}: o(mid,max) = N, n_mid = n_max = N, so α = 1 − (2N − 1)/N (negative).
        units = sum(len(rubrics[s.rubric_id].criteria) for s in specs)
        assert report.interval.value == pytest.approx(1 - (2 * units - 1) / units)
        assert report.interval.reading is Reading.DISCUSS
        assert sorted(report.mission_scores.values()) == [50.0, 100.0]
        assert report.suggested_consensus() == scores(0.75)
        assert {m.id for m in await first.list_meetings(state="revealed")} == {meeting.id}

        closed = await lead.consensus(
            meeting.id,
            base_version=revealed.version,
            subtask_scores=scores(0.75),
            decision="approve",
            feedback_written="Consensus: strong capstone.",
            notes="Spread within one level.",
        )
        assert closed.state == "closed" and closed.consensus
        with pytest.raises(errors.IllegalTransition):
            await lead.reveal(meeting.id)
        assert (await first.get_meeting(meeting.id)).state == "closed"
        assert parse_status((await first.get_review(capstone.id)).status) is ReviewStatus.APPROVED
