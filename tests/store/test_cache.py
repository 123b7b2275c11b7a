"""The read cache: queue items (full and incremental), documents, rubric versions, sync state."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.queue import QueueItem
from mentor_desk.store import DocumentKind, Store

pytestmark = pytest.mark.asyncio


def _item(review_id: str, **changes: object) -> QueueItem:
    base = QueueItem(
        id=review_id,
        kind="capstone",
        mission_id="m1",
        mission_title="Incident <b>response</b>",
        status="mentor_review",
        learner_name="Ada",
        submitted_at=datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
        ai_score=71.5,
        version=3,
        extra={"note": "kept"},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


async def test_queue_items_round_trip(store: Store) -> None:
    item = _item("r1")
    await store.replace_queue([item])
    assert await store.queue() == [item]
    assert await store.queue_item("r1") == item
    assert await store.queue_item("nope") is None


async def test_queue_head_is_the_first_screenful_of_the_queue(store: Store) -> None:
    items = [_item(f"r{n:03d}", submitted_at=datetime(2026, 11, 1, tzinfo=UTC).replace(hour=n % 24)) for n in range(60)]
    await store.replace_queue(items)
    whole = await store.queue()
    head = await store.queue_head(25)
    assert head.total == 60 and head.items == whole[:25]
    everything = await store.queue_head(100)
    assert everything.total == 60 and everything.items == whole


async def test_the_queue_is_read_in_order_from_an_index_not_sorted(store: Store) -> None:
    plan = await store.call(
        lambda conn: conn.execute(
            "EXPLAIN QUERY PLAN SELECT data FROM queue_items ORDER BY submitted_at, id LIMIT 200"
        ).fetchall()
    )
    details = " ".join(row[-1] for row in plan)
    assert "USING INDEX queue_items_order" in details and "TEMP B-TREE" not in details


async def test_queue_rows_of_other_versions_still_read(store: Store) -> None:
    """Rows written by an older mentor_desk (pydantic's JSON, 'Z' times) or a newer one (unknown keys) read."""
    older = (
        '{"id":"r9","kind":"mission","mission_id":"m9","mission_title":"APT hunt","status":"submitted",'
        '"learner_name":"Kofi","submitted_at":"2026-11-02T08:00:00Z","updated_at":null,"ai_score":null,'
        '"assigned":true,"extra":{},"from_the_future":[1,2]}'
    )
    await store.call(
        lambda conn: conn.execute(
            "INSERT INTO queue_items (id, kind, status, mission_title, learner_name, data)"
            " VALUES ('r9', 'mission', 'submitted', 'APT hunt', 'Kofi', ?)",
            (older,),
        )
    )
    item = await store.queue_item("r9")
    assert item is not None and item.learner_name == "Kofi" and item.attempt == 1
    assert item.submitted_at == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


async def test_replace_reports_changes(store: Store) -> None:
    await store.replace_queue([_item("r1"), _item("r2")])
    changed = await store.replace_queue([_item("r1"), _item("r2", status="approved"), _item("r3")])
    assert changed == ["r2", "r3"]
    changed = await store.replace_queue([_item("r3")])
    assert changed == ["r1", "r2"]
    assert [i.id for i in await store.queue()] == ["r3"]


async def test_upsert_merges_and_drops_unassigned(store: Store) -> None:
    await store.replace_queue([_item("r1"), _item("r2")])
    changed = await store.upsert_queue([_item("r2", version=4), _item("r1", assigned=False), _item("r9")])
    assert changed == ["r2", "r1", "r9"]
    assert {i.id: i.version for i in await store.queue()} == {"r2": 4, "r9": 3}
    # an incremental pull overlaps the previous one (clock-skew margin): rows seen again unchanged are no change
    again = [_item("r2", version=4), _item("r9", status="approved"), _item("r1", assigned=False)]
    changed = await store.upsert_queue(again)
    assert changed == ["r9"]


async def test_documents(store: Store) -> None:
    await store.put_document(DocumentKind.REVIEW_DETAIL, "r1", {"id": "r1", "files": []}, version=3)
    await store.put_document(DocumentKind.REVIEW_DETAIL, "r1", {"id": "r1", "files": [1]}, version=4)
    cached = await store.document(DocumentKind.REVIEW_DETAIL, "r1")
    assert cached is not None and cached.version == 4 and cached.data == {"id": "r1", "files": [1]}
    assert await store.document(DocumentKind.MISSION, "r1") is None


async def test_rubric_versions_are_all_kept(store: Store) -> None:
    await store.put_rubric("rb", 1, {"v": 1})
    await store.put_rubric("rb", 2, {"v": 2})
    assert await store.rubric("rb") == {"v": 2}
    assert await store.rubric("rb", 1) == {"v": 1}
    assert await store.rubric("rb", 3) is None


async def test_sync_state(store: Store) -> None:
    assert await store.sync_state("last_event_id") is None
    await store.set_sync_state("last_event_id", "42")
    await store.set_sync_state("last_event_id", "43")
    assert await store.sync_state("last_event_id") == "43"


async def test_reads_do_not_wait_for_a_large_write(store: Store) -> None:
    await store.save_draft("r1", "", ReviewDraft(feedback_written="open me"))
    items = [_item(f"bulk{i}") for i in range(60_000)]
    writing = asyncio.create_task(store.replace_queue(items))
    await asyncio.sleep(0.05)  # the write is under way on the writer thread
    draft = await store.draft("r1", "")
    assert draft is not None and not writing.done()
    assert await writing
    assert len(await store.queue()) == 60_000  # and once written, reads see it
