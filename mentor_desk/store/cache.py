"""The read cache: queue items, whole server documents, rubric versions and sync bookkeeping.

These classes are synchronous and own no thread; :class:`mentor_desk.store.Store` runs them on its worker.
"""

from __future__ import annotations

import enum
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from mentor_desk.domain.queue import QueueHead, QueueItem
from mentor_desk.store.database import transaction, utc_now

# QueueItem <-> JSON by hand rather than through pydantic: the cached queue is read at every start, before the
# first paint, and pydantic's import and schema build alone cost more than reading 10,000 rows.
_ITEM_FIELDS = frozenset(f.name for f in fields(QueueItem))
_DATETIME_FIELDS = ("submitted_at", "updated_at")


def _encode_item(item: QueueItem) -> str:
    data = {name: getattr(item, name) for name in _ITEM_FIELDS}
    for name in _DATETIME_FIELDS:
        data[name] = _iso(data[name])
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _decode_item(text: str) -> QueueItem:
    """Tolerant of rows written by other versions: unknown keys are ignored, missing ones take defaults."""
    data = {key: value for key, value in json.loads(text).items() if key in _ITEM_FIELDS}
    for name in _DATETIME_FIELDS:
        if data.get(name):
            data[name] = datetime.fromisoformat(data[name])
    return QueueItem(**data)


class DocumentKind(enum.StrEnum):
    """Kinds of whole documents the cache keeps (one row per kind and key)."""

    REVIEW_DETAIL = "review_detail"
    MISSION = "mission"
    TIER5_STATUS = "tier5_status"
    MEETING = "meeting"  # a scoring meeting as the server sent it to this mentor (blind: no one else's scores)


@dataclass(frozen=True, slots=True)
class CachedDocument:
    """A server document as it was last fetched."""

    kind: str
    key: str
    version: int | None
    data: Any
    fetched_at: str


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_PUT_ITEM = (
    "INSERT OR REPLACE INTO queue_items (id, kind, status, track, mission_title, learner_name, submitted_at,"
    " updated_at, version, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_DELETE_ITEM = "DELETE FROM queue_items WHERE id = ?"
_SELECT_QUEUE = "SELECT data FROM queue_items ORDER BY submitted_at, id"
_IDS_PER_QUERY = 500


def _row(item: QueueItem) -> tuple[Any, ...]:
    """The queue_items row for ``item``: indexed columns, then the whole item as JSON (last)."""
    return (
        item.id,
        item.kind,
        item.status,
        item.track,
        item.mission_title,
        item.learner_name,
        _iso(item.submitted_at),
        _iso(item.updated_at),
        item.version,
        _encode_item(item),
    )


class Cache:
    """Queue items, documents, rubrics and ``sync_state`` over one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # -- queue ---------------------------------------------------------------------------------------------

    def upsert_queue(self, items: Iterable[QueueItem]) -> list[str]:
        """Merge items pulled incrementally (layer B); items no longer ``assigned`` leave the cache.

        Returns the ids that changed (added, updated or removed).
        """
        items = list(items)
        changed = []
        with transaction(self._conn):
            cached = self._cached_data([item.id for item in items])
            for item in items:
                if not item.assigned:
                    if cached.pop(item.id, None) is not None:
                        self._conn.execute(_DELETE_ITEM, (item.id,))
                        changed.append(item.id)
                    continue
                row = _row(item)
                if cached.get(item.id) != row[-1]:  # a row pulled again unchanged is no change
                    self._conn.execute(_PUT_ITEM, row)
                    changed.append(item.id)
                cached[item.id] = row[-1]  # a later copy of the same item in this batch compares with this one
        return changed

    def _cached_data(self, ids: list[str]) -> dict[str, str]:
        """Id → cached JSON of those of ``ids`` in the cache (in chunks below SQLite's variable limit)."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            found.update(self._conn.execute(f"SELECT id, data FROM queue_items WHERE id IN ({marks})", chunk))
        return found

    def replace_queue(self, items: Iterable[QueueItem]) -> list[str]:
        """Make the cached queue exactly ``items`` (layer A full refresh), writing only rows that differ.

        Returns the ids added, changed or gone.
        """
        rows = {item.id: _row(item) for item in items}
        with transaction(self._conn):
            before = dict(self._conn.execute("SELECT id, data FROM queue_items").fetchall())
            gone = before.keys() - rows.keys()
            changed = [row for review_id, row in rows.items() if before.get(review_id) != row[-1]]
            self._conn.executemany(_DELETE_ITEM, [(review_id,) for review_id in gone])
            self._conn.executemany(_PUT_ITEM, changed)
        return sorted(gone | {row[0] for row in changed})

    def queue(self) -> list[QueueItem]:
        """Every cached queue item, oldest submission first."""
        rows = self._conn.execute(_SELECT_QUEUE).fetchall()
        return [_decode_item(row[0]) for row in rows]

    def queue_head(self, limit: int) -> QueueHead:
        """The first ``limit`` items of :meth:`queue` and the queue's length: a first screenful, read in a
        millisecond however long the queue."""
        rows = self._conn.execute(f"{_SELECT_QUEUE} LIMIT ?", (limit,)).fetchall()
        (total,) = self._conn.execute("SELECT COUNT(*) FROM queue_items").fetchone()
        return QueueHead([_decode_item(row[0]) for row in rows], total)

    def queue_items(self, ids: Iterable[str]) -> dict[str, QueueItem]:
        """Those of ``ids`` that are in the cache, by id."""
        return {review_id: _decode_item(data) for review_id, data in self._cached_data(list(ids)).items()}

    def queue_item(self, review_id: str) -> QueueItem | None:
        row = self._conn.execute("SELECT data FROM queue_items WHERE id = ?", (review_id,)).fetchone()
        return _decode_item(row[0]) if row else None

    # -- documents -----------------------------------------------------------------------------------------

    def put_document(self, kind: DocumentKind, key: str, data: Any, version: int | None = None) -> None:
        """Store (replacing) a JSON-serialisable document."""
        with transaction(self._conn):
            self._conn.execute(
                "INSERT OR REPLACE INTO documents (kind, key, version, data, fetched_at) VALUES (?, ?, ?, ?, ?)",
                (kind.value, key, version, json.dumps(data, ensure_ascii=False), utc_now()),
            )

    def document(self, kind: DocumentKind, key: str) -> CachedDocument | None:
        row = self._conn.execute(
            "SELECT version, data, fetched_at FROM documents WHERE kind = ? AND key = ?", (kind.value, key)
        ).fetchone()
        if row is None:
            return None
        return CachedDocument(kind.value, key, row[0], json.loads(row[1]), row[2])

    def document_versions(self, kind: DocumentKind) -> dict[str, int | None]:
        """Key → version of every cached document of ``kind`` (one query, without reading the documents)."""
        rows = self._conn.execute("SELECT key, version FROM documents WHERE kind = ?", (kind.value,)).fetchall()
        return dict(rows)

    # -- rubrics -------------------------------------------------------------------------------------------

    def put_rubric(self, rubric_id: str, version: int, data: Any) -> None:
        """Keep this rubric version (earlier versions stay: reviews refer to the version they used)."""
        with transaction(self._conn):
            self._conn.execute(
                "INSERT OR REPLACE INTO rubrics (id, version, data, fetched_at) VALUES (?, ?, ?, ?)",
                (rubric_id, version, json.dumps(data, ensure_ascii=False), utc_now()),
            )

    def rubric(self, rubric_id: str, version: int | None = None) -> Any | None:
        """The given version of a rubric, or its newest cached version when ``version`` is None."""
        if version is None:
            row = self._conn.execute(
                "SELECT data FROM rubrics WHERE id = ? ORDER BY version DESC LIMIT 1", (rubric_id,)
            ).fetchone()
        else:
            row = self._conn.execute(
                "SELECT data FROM rubrics WHERE id = ? AND version = ?", (rubric_id, version)
            ).fetchone()
        return json.loads(row[0]) if row else None

    # -- sync bookkeeping ----------------------------------------------------------------------------------

    def set_sync_state(self, key: str, value: str) -> None:
        """Remember e.g. ``last_pull:queue`` or ``last_event_id``."""
        with transaction(self._conn):
            self._conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", (key, value))

    def sync_state(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
