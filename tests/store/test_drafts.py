"""Drafts: save/replace/export, and durability against a killed process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import sys
import textwrap
from pathlib import Path

import pytest

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.store import Store

pytestmark = pytest.mark.asyncio


async def test_save_replaces_and_keeps_created_at(store: Store) -> None:
    first = await store.save_draft("r1", "investigation", ReviewDraft(base_version=4, feedback_written="one"))
    second = await store.save_draft("r1", "investigation", ReviewDraft(base_version=4, feedback_written="two"))
    assert second.draft == ReviewDraft(base_version=4, feedback_written="two")
    assert second.base_version == 4
    assert second.created_at == first.created_at and second.updated_at > first.updated_at
    assert second.state == "editing"
    assert await store.draft("r1", "reporting") is None
    assert [d.stage for d in await store.drafts_for("r1")] == ["investigation"]


async def test_learner_text_round_trips_exactly(store: Store) -> None:
    hostile = "<script>alert(1)</script> ' OR 1=1; -- \u202e\x00 😀 " + "é" * 1000
    await store.save_draft("r1", "", ReviewDraft(feedback_written=hostile))
    draft = await store.draft("r1", "")
    assert draft is not None and draft.draft.feedback_written == hostile


async def test_delete(store: Store) -> None:
    await store.save_draft("r1", "", ReviewDraft())
    assert await store.delete_draft("r1", "") is True
    assert await store.delete_draft("r1", "") is False
    assert await store.draft("r1", "") is None


async def test_export_writes_private_json(store: Store, tmp_path: Path) -> None:
    await store.save_draft("r1", "", ReviewDraft(feedback_written="a"))
    await store.save_draft("r2", "final", ReviewDraft(decision="approve"))
    entry = await store.submit_draft("r3", "", "stage_review", ReviewDraft(base_version=2, feedback_written="waiting"))
    target = tmp_path / "out" / "drafts.json"
    assert await store.export_drafts(target) == 4
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {(d["review_id"], d["stage"]) for d in data["drafts"]} == {("r1", ""), ("r2", "final"), ("r3", "")}
    assert [(e["id"], e["payload"]["feedback_written"]) for e in data["outbox"]] == [(entry.id, "waiting")]
    assert {d["review_id"]: d["payload"]["decision"] for d in data["drafts"]}["r2"] == "approve"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


_EDITOR = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from mentor_desk.domain.draft import ReviewDraft
    from mentor_desk.store import Store

    async def main() -> None:
        store = await Store.open_path(Path(sys.argv[1]))
        n = 0
        while True:
            n += 1
            await store.save_draft(f"r{n % 7}", "", ReviewDraft(attempt=n, feedback_written="x" * (n % 500)))
            print(n, flush=True)

    asyncio.run(main())
    """
)


_CHILD_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


async def test_saved_drafts_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    for _round in range(3):
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", _EDITOR, str(path), stdout=asyncio.subprocess.PIPE, env=_CHILD_ENV
        )
        assert child.stdout is not None
        acknowledged = 0
        while acknowledged < 40:
            acknowledged = int(await child.stdout.readline())
        child.send_signal(signal.SIGKILL)
        await child.wait()
        store = await Store.open_path(path)
        try:
            assert store.recovered is None
            edits = {d.review_id: d.draft.attempt for d in await store.drafts()}
            # The last acknowledged edit of every review is on disk (the child may have done one more).
            for n in range(max(1, acknowledged - 6), acknowledged + 1):
                assert edits[f"r{n % 7}"] >= n
            assert await store.call(lambda c: c.execute("PRAGMA integrity_check").fetchone()[0]) == "ok"
        finally:
            await store.close()
