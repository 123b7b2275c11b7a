"""Reviews in progress: one draft per (review, stage), saved whole on every autosave."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.store.database import transaction, utc_now


@dataclass(frozen=True, slots=True)
class Draft:
    """A saved draft. ``payload`` is its stored JSON: a review draft's (:attr:`draft`), or another capability's
    work in progress kept per (key, stage), such as a meeting member's scores."""

    review_id: str
    stage: str
    payload: dict[str, Any]
    base_version: int | None
    state: str  # "editing" | "submitted" (an outbox entry carries it now)
    created_at: str
    updated_at: str

    @property
    def draft(self) -> ReviewDraft:
        """The payload read as a review draft."""
        return ReviewDraft.from_json(self.payload)


_COLUMNS = "review_id, stage, payload, base_version, state, created_at, updated_at"


def _draft(row: tuple[Any, ...]) -> Draft:
    return Draft(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5], row[6])


def write_json_file(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically (temp file + rename), readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Drafts:
    """Draft rows over one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def save(self, review_id: str, stage: str, payload: Mapping[str, Any]) -> Draft:
        """Insert or replace the draft (back to ``editing`` if it had been submitted). Durable on return."""
        now = utc_now()
        base_version = payload.get("base_version")
        with transaction(self._conn):
            self._conn.execute(
                f"INSERT INTO drafts ({_COLUMNS}) VALUES (?, ?, ?, ?, 'editing', ?, ?)"
                " ON CONFLICT (review_id, stage) DO UPDATE SET payload = excluded.payload,"
                " base_version = excluded.base_version, state = 'editing', updated_at = excluded.updated_at",
                (review_id, stage, json.dumps(payload, ensure_ascii=False), base_version, now, now),
            )
        draft = self.get(review_id, stage)
        assert draft is not None
        return draft

    def get(self, review_id: str, stage: str) -> Draft | None:
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM drafts WHERE review_id = ? AND stage = ?", (review_id, stage)
        ).fetchone()
        return _draft(row) if row else None

    def for_review(self, review_id: str) -> list[Draft]:
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM drafts WHERE review_id = ? ORDER BY stage", (review_id,)
        ).fetchall()
        return [_draft(row) for row in rows]

    def all(self) -> list[Draft]:
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM drafts ORDER BY updated_at").fetchall()
        return [_draft(row) for row in rows]

    def delete(self, review_id: str, stage: str) -> bool:
        with transaction(self._conn):
            cursor = self._conn.execute("DELETE FROM drafts WHERE review_id = ? AND stage = ?", (review_id, stage))
        return cursor.rowcount > 0
