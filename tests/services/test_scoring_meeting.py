"""A scoring meeting and its review as the meeting screens are handed them: converted once from what the client
parsed (people by name, the consensus read tolerantly), and the review scored on the meeting's rubrics where the
review itself sends none."""

from __future__ import annotations

import asyncio

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import Meeting, ReviewDetail
from mentor_desk.sandbox.accounts import demo_account
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.services.meetings import scoring_meeting
from mentor_desk.services.review_view import review_view

MENTOR = "mentor@demo.och"


def test_a_meeting_as_the_screens_see_it() -> None:
    meeting = scoring_meeting(Meeting.model_validate({
        "id": "m1", "review_id": "r1", "state": "closed", "version": 7, "lead": 3,
        "panel": [{"mentor": {"id": 4, "email": "maya@example.org"}, "submitted_at": "2026-12-04T10:00:00Z"},
                  {"mentor": None}],
        "my_scores": {"mentor": {"id": 4, "name": "Maya"}, "subtask_scores": {"s1": {"c1": 3}}, "comment": "ok"},
        "scores": [{"mentor": {"id": 4, "name": "Maya"}, "subtask_scores": {"s1": {"c1": 3}}},
                   {"mentor": {"id": 5}, "subtask_scores": {"s1": {"c1": 1}}}],
        "consensus": {"subtask_scores": {"s1": {"c1": 2, "c2": "high"}, "s2": "?"}, "decision": "approve",
                      "mission_score": True, "notes": None},
    }))
    assert meeting.lead is not None and meeting.led_by(3) and not meeting.led_by(4)
    assert meeting.seats(4) and not meeting.seats(3)
    assert [seat.mentor.name for seat in meeting.panel] == ["maya@example.org", "?"] and meeting.handed_in == 1
    assert meeting.my_scores is not None and meeting.my_scores.subtask_scores == {"s1": {"c1": 3.0}}
    assert meeting.revealed_scores() == {"Maya": {"s1": {"c1": 3.0}}, "5": {"s1": {"c1": 1.0}}}
    consensus = meeting.consensus
    assert consensus is not None
    assert consensus.subtask_scores == {"s1": {"c1": 2.0}} and consensus.decision == "approve"
    assert consensus.mission_score is None and consensus.notes == "" and consensus.feedback == ""


def test_before_the_reveal_nobody_elses_scores_are_there() -> None:
    meeting = scoring_meeting(Meeting.model_validate({"id": "m1", "review_id": "r1", "state": "scoring"}))
    assert meeting.scores is None and meeting.revealed_scores() == {} and meeting.consensus is None
    assert meeting.lead is None and not meeting.led_by(0)


def test_a_review_without_rubrics_is_scored_on_the_meetings(sandbox: SandboxServer) -> None:
    async def detail_of_a_capstone() -> ReviewDetail:
        async with PlatformClient(sandbox.url) as client:
            await client.login(MENTOR, demo_account(MENTOR).password)
            item = next(i for i in await client.fetch_queue() if i.kind == "capstone")
            return await client.get_review(item.id)

    detail = asyncio.run(detail_of_a_capstone())
    rubrics = detail.domain_rubrics()
    bare = detail.model_copy(update={"rubrics": {}})
    assert rubrics and review_view(bare, stage="final").rubrics_from_client  # alone: the client's default
    view = review_view(bare, stage="final", fallback_rubrics=rubrics)
    assert not view.rubrics_from_client and view.rubrics == rubrics and view.stage == "final"
    assert [s.rubric_id for s in view.subtasks] == [s.rubric_id for s in detail.subtask_specs()]
