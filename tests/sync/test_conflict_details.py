"""A conflict record holds what the server now has (not only its status row), or says why it could not be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentor_desk.api.errors import PlatformError
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.store import DocumentKind, OutboxState
from mentor_desk.sync.events import ConflictRaised

from .conftest import Desk, free_port, open_desk
from .scenarios import decided_on_another_computer, gone_after_a_conflict, only, reviewed_on_the_web

pytestmark = pytest.mark.asyncio


async def test_layer_b_conflict_holds_the_stage_review_on_the_server(desk: Desk, fresh_sandbox: SandboxServer) -> None:
    reviewed = await decided_on_another_computer(desk, fresh_sandbox.url)

    report = await desk.engine.sync_once()

    assert report.conflicts == 1
    conflict = only(await desk.store.conflicts())
    assert desk.of(ConflictRaised)[0].conflict == conflict
    theirs = conflict.theirs
    assert theirs["subtask_scores"] == reviewed.theirs["subtask_scores"] != reviewed.mine.subtask_scores
    assert theirs["mission_score"] == pytest.approx(reviewed.theirs["mission_score"])
    assert theirs["feedback_written"] == "Theirs: redo the timeline."
    their_notes, my_notes = reviewed.theirs["feedback_per_subtask"], reviewed.mine.feedback_per_subtask
    assert theirs["feedback_per_subtask"] == their_notes != my_notes
    assert theirs["decision"] == "request_revision"
    assert (theirs["status"], theirs["final_status"]) == ("revision_requested", "pending")
    assert theirs["reviewer"] == reviewed.reviewer and theirs["completed_at"]
    assert theirs["history"] == []  # decided, on the first attempt: nothing earlier
    assert conflict.details_error is None
    cached = await desk.store.document(DocumentKind.REVIEW_DETAIL, reviewed.review_id)
    assert cached is not None and cached.version == theirs["version"]  # the server's new state, kept for offline


async def test_merged_scores_get_a_recomputed_mission_score(desk: Desk, fresh_sandbox: SandboxServer) -> None:
    reviewed = await decided_on_another_computer(desk, fresh_sandbox.url)
    await desk.engine.sync_once()
    conflict = only(await desk.store.conflicts())
    merged = {**conflict.mine, "subtask_scores": conflict.theirs["subtask_scores"]}

    entry = await desk.engine.resolve_conflict(conflict.id, merged)

    assert not isinstance(entry, Path)
    assert entry.draft.mission_score == pytest.approx(reviewed.theirs["mission_score"])
    assert entry.base_version == conflict.theirs["version"]
    # The review was decided on the other computer: the platform refuses a second decision, visibly again.
    report = await desk.engine.sync_once()
    assert (report.pushed, report.conflicts) == (0, 1)
    again = only(await desk.store.conflicts())
    assert again.mine["subtask_scores"] == reviewed.theirs["subtask_scores"]
    assert again.theirs["decision"] == "request_revision"


async def test_unreadable_details_are_said_then_read_when_back_online(tmp_path: Path) -> None:
    """The platform goes away right after answering 409: the conflict keeps the 409's row and the reason; once
    the platform is back, the next round reads the server's side."""
    config = SandboxConfig(db_path=tmp_path / "platform.sqlite3", port=free_port())
    platform = SandboxServer(config)
    platform.start()
    desk = await open_desk(platform.url, tmp_path / "desk")
    try:
        reviewed = await decided_on_another_computer(desk, platform.url)
        gone_after_a_conflict(desk, platform)
        with pytest.raises(PlatformError):
            await desk.engine.sync_once()
        conflict = only(await desk.store.conflicts())
        assert conflict.details_error and "reach" in conflict.details_error.lower()
        assert conflict.theirs["status"] == "revision_requested"  # the 409's row
        assert "subtask_scores" not in conflict.theirs
        assert conflict.mine["subtask_scores"] == reviewed.mine.subtask_scores
        assert (await desk.store.outbox_counts())[OutboxState.CONFLICT] == 1

        with SandboxServer(config):  # back, same database and address
            report = await desk.engine.sync_once()
        assert report.conflicts == 1
        completed = only(await desk.store.conflicts())
        assert completed.id == conflict.id and completed.details_error is None
        assert completed.theirs["subtask_scores"] == reviewed.theirs["subtask_scores"]
    finally:
        await desk.store.close()
        await desk.client.aclose()
        platform.stop()


async def test_layer_a_conflict_holds_only_the_submissions_own_side(v1_desk: Desk, v1_platform: SandboxServer) -> None:
    """An interaction OCH's web app recorded for the same mission and learner names no submission: it may be
    another attempt's or another learner's of the same name, so it is never shown as this review's other side."""
    reviewed = await reviewed_on_the_web(v1_desk, v1_platform)

    report = await v1_desk.engine.sync_once()

    assert report.conflicts == 1
    theirs = only(await v1_desk.store.conflicts()).theirs
    assert (theirs["status"], theirs["decision"]) == ("approved", "approve")
    assert theirs["feedback_written"] == reviewed.theirs["feedback_written"]  # the submission's own feedback
    assert theirs["completed_at"]
    assert "interaction_id" not in theirs
    assert theirs.get("subtask_scores") != reviewed.theirs["subtask_scores"]
    assert theirs.get("decision_annotations") != reviewed.theirs["feedback_per_decision"]
