"""Upgrading: a mentor's unsynced work, written by the version before review drafts were typed (schema 1.2), opens
after the upgrade and reaches the platform: the draft being written is finished and submitted, the review that was
waiting in the outbox is sent as it was.

The stores' rows in ``tests/fixtures`` were written by that version's code against sandboxes seeded at ``WRITTEN_AT``;
seeding the platform at the same moment gives it the same reviews, versions and times."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mentor_desk.domain.draft import DecisionNote
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.store import OutboxState
from mentor_desk.store.database import database_path, schema_version
from mentor_desk.store.schema import MIGRATIONS
from mentor_desk.sync.senders import OP_STAGE_REVIEW, OP_V1_REVIEW

from .conftest import MENTOR, open_desk
from .scenarios import scores, server_row

pytestmark = pytest.mark.asyncio

WRITTEN_AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
OldStore = Callable[[str, Path], Path]


def stored_payloads(path: Path) -> list[dict[str, object]]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT payload FROM drafts UNION ALL SELECT payload FROM outbox").fetchall()
    return [json.loads(payload) for (payload,) in rows]


async def test_full_mode_work_of_schema_1_2_opens_and_is_sent(tmp_path: Path, schema_1_2_store: OldStore) -> None:
    config = SandboxConfig(db_path=tmp_path / "platform.sqlite3", profile="full", now=WRITTEN_AT)
    with SandboxServer(config) as platform:
        path = database_path(platform.url, MENTOR[0], tmp_path / "desk")
        schema_1_2_store("store-schema-1.2-full.sql", path)
        desk = await open_desk(platform.url, tmp_path / "desk")
        try:
            assert await desk.store.call(schema_version) == MIGRATIONS[-1].version
            (editing,) = [saved for saved in await desk.store.drafts() if saved.state == "editing"]
            assert editing.stage == "final" and editing.draft.base_version == editing.base_version == 1
            assert editing.draft.feedback_written == "Good start: the timeline is clear."
            assert editing.draft.feedback_per_subtask == {"1": "Triage was thorough."}
            assert editing.draft.decision_annotations == {
                "automation_level": DecisionNote("divergent", "Isolate the host first.")
            }
            (waiting,) = await desk.store.outbox()
            assert waiting.operation == OP_STAGE_REVIEW and waiting.state is OutboxState.PENDING
            assert waiting.draft.decision == "approve" and waiting.draft.attachments == ()

            detail = await desk.client.get_review(editing.review_id)
            full_marks = scores(detail, lambda rubric: rubric.scale.max)
            finished = replace(editing.draft, subtask_scores=full_marks, mission_score=100.0, decision="approve")
            await desk.engine.submit(editing.review_id, editing.stage, finished)
            report = await desk.engine.sync_once()

            assert (report.pushed, report.conflicts, report.failed) == (2, 0, 0)
            finished_there = await desk.client.get_review(editing.review_id)
            assert finished_there.status == "approved"
            assert finished_there.stages[-1].feedback_written == "Good start: the timeline is clear."
            assert finished_there.stages[-1].decision_annotations == {
                "automation_level": {"verdict": "divergent", "comment": "Isolate the host first."}
            }
            sent_there = await desk.client.get_review(waiting.review_id)
            assert sent_there.status == "approved"
            assert sent_there.stages[-1].feedback_written == "Solid work throughout."
        finally:
            await desk.store.close()
            await desk.client.aclose()
    assert all(payload.get("attachments") == [] for payload in stored_payloads(path))


async def test_och_v1_work_of_schema_1_2_opens_and_is_sent(tmp_path: Path, schema_1_2_store: OldStore) -> None:
    config = SandboxConfig(db_path=tmp_path / "platform.sqlite3", profile="och-v1", now=WRITTEN_AT)
    with SandboxServer(config) as platform:
        schema_1_2_store("store-schema-1.2-och-v1.sql", database_path(platform.url, MENTOR[0], tmp_path / "desk"))
        desk = await open_desk(platform.url, tmp_path / "desk")
        try:
            (editing,) = [saved for saved in await desk.store.drafts() if saved.state == "editing"]
            assert editing.draft.feedback_written == "Half written: check the"
            assert editing.draft.subtask_scores == {"1": {"evidence": 3.0}}
            (waiting,) = await desk.store.outbox()
            assert waiting.operation == OP_V1_REVIEW and waiting.draft.decision == "request_revision"

            finished = replace(editing.draft, feedback_written="Half written: check the timeline.", decision="approve")
            await desk.engine.submit(editing.review_id, editing.stage, finished)
            report = await desk.engine.sync_once()

            assert (report.pushed, report.conflicts, report.failed) == (2, 0, 0)
            approved = await server_row(desk, editing.review_id)
            assert approved.status == "approved" and "check the timeline." in approved.feedback
            assert "- 1: evidence 3" in approved.feedback
            revised = await server_row(desk, waiting.review_id)
            assert "Clear containment plan." in revised.feedback and "Document the timeline." in revised.feedback
        finally:
            await desk.store.close()
            await desk.client.aclose()
