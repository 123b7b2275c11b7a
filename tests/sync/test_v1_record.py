"""What OCH v1 records of a review sent in compatibility mode: the rubric's mission score in OCH's "raw" shape
(issue 10 item 14), not the 100 / 50 / 0 OCH derives from a bare decision."""

from __future__ import annotations

import pytest

from mentor_desk.domain.review_rules import v1_record

from .conftest import Desk
from .scenarios import awaiting, server_row, v1_draft

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize(("decision", "status"), [("approve", "approved"), ("request_revision", "rejected")])
async def test_the_platform_records_the_mission_score_the_mentor_gave(
    v1_desk: Desk, decision: str, status: str
) -> None:
    (item,) = await awaiting(v1_desk)
    draft = v1_draft(item, decision, mission_score=64.5)
    await v1_desk.engine.submit(item.id, "", draft)

    report = await v1_desk.engine.sync_once()

    assert (report.pushed, report.conflicts, report.failed) == (1, 0, 0)
    row = await server_row(v1_desk, item.id)
    assert (row.status, row.mentor_score) == (status, 65)
    assert "Mission score: 64.5 / 100" in row.feedback
    record = v1_record(draft)
    assert record is not None and (record.approved, record.score) == (decision == "approve", 65)
