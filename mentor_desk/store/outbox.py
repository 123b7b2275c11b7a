"""Writes waiting to reach the platform, the conflicts they ran into, and the per-review badges.

Lifecycle of an entry::

    pending ──▶ sending ──▶ done
       ▲           │ transient error (outcome unknown): back to pending with a later next_attempt_at
       └───────────┤ 409 / server moved on: conflict ──▶ resolved "mine"/merged: pending (new op id)
                   │                                  └▶ resolved "theirs": discarded
                   └ permanent error: failed ──▶ retry(): pending, or discard(): discarded

Entries for one review are sent strictly in order: an entry waits while an older one for the same review is
still open (pending, sending, conflict or failed).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Mapping
from typing import Any

from mentor_desk.domain.outbox import OPEN_STATES, Badges, Conflict, OutboxEntry, OutboxState
from mentor_desk.store.database import transaction, utc_now

_ENTRY_COLUMNS = (
    "id, review_id, stage, operation, client_op_id, base_version, payload, state, attempts, last_error,"
    " created_at, updated_at, next_attempt_at"
)
_CONFLICT_COLUMNS = "id, outbox_id, review_id, mine, theirs, created_at, resolved_at, resolution"


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    values = list(row)
    values[6] = json.loads(values[6])
    values[7] = OutboxState(values[7])
    return OutboxEntry(*values)


def _conflict(row: tuple[Any, ...]) -> Conflict:
    values = list(row)
    values[3] = json.loads(values[3])
    values[4] = json.loads(values[4])
    return Conflict(*values)


def _inserted(cursor: sqlite3.Cursor) -> int:
    """The rowid an INSERT just created."""
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _dumps(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False)


class Outbox:
    """Outbox and conflict rows over one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # -- adding --------------------------------------------------------------------------------------------

    def submit_draft(
        self, review_id: str, stage: str, operation: str, payload: Mapping[str, Any], base_version: int | None
    ) -> OutboxEntry:
        """In one transaction: save ``payload`` as the draft marked ``submitted`` and queue it for sending.

        If a not-yet-attempted entry for the same review and stage is still pending, it is updated in place
        (the mentor re-submitted before it went out); otherwise a new entry with a fresh ``client_op_id``.
        """
        now = utc_now()
        body = _dumps(payload)
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO drafts (review_id, stage, payload, base_version, state, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, 'submitted', ?, ?) ON CONFLICT (review_id, stage) DO UPDATE SET"
                " payload = excluded.payload, base_version = excluded.base_version, state = 'submitted',"
                " updated_at = excluded.updated_at",
                (review_id, stage, body, base_version, now, now),
            )
            entry_id = self._queue(review_id, stage, operation, body, base_version, now)
        return self.get(entry_id)

    def enqueue(self, key: str, stage: str, operation: str, payload: Mapping[str, Any]) -> OutboxEntry:
        """Queue a write that has no draft (e.g. a Tier-5 sign-off; ``key`` stands in for the review id), with
        the same in-place update as :meth:`submit_draft` while a previous one has not been attempted yet."""
        with transaction(self._conn):
            entry_id = self._queue(key, stage, operation, _dumps(payload), None, utc_now())
        return self.get(entry_id)

    def _queue(self, review_id: str, stage: str, operation: str, body: str, base_version: int | None, now: str) -> int:
        """Inside a transaction: update the not-yet-attempted pending entry for the same target, or add one."""
        waiting = self._conn.execute(
            "SELECT id FROM outbox WHERE review_id = ? AND stage = ? AND operation = ? AND state = 'pending'"
            " AND attempts = 0 ORDER BY id DESC LIMIT 1",
            (review_id, stage, operation),
        ).fetchone()
        if waiting is not None:
            self._conn.execute(
                "UPDATE outbox SET payload = ?, base_version = ?, updated_at = ? WHERE id = ?",
                (body, base_version, now, waiting[0]),
            )
            return int(waiting[0])
        return _inserted(
            self._conn.execute(
                "INSERT INTO outbox (review_id, stage, operation, client_op_id, base_version, payload, state,"
                " created_at, updated_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
                (review_id, stage, operation, str(uuid.uuid4()), base_version, body, now, now, now),
            )
        )

    # -- reading -------------------------------------------------------------------------------------------

    def get(self, entry_id: int) -> OutboxEntry:
        row = self._conn.execute(f"SELECT {_ENTRY_COLUMNS} FROM outbox WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise KeyError(f"no outbox entry {entry_id}")
        return _entry(row)

    def entries(self, states: tuple[OutboxState, ...] = OPEN_STATES) -> list[OutboxEntry]:
        """Entries in any of ``states``, oldest first."""
        marks = ", ".join("?" * len(states))
        rows = self._conn.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM outbox WHERE state IN ({marks}) ORDER BY id", [s.value for s in states]
        ).fetchall()
        return [_entry(row) for row in rows]

    def ready(self, now: str | None = None) -> list[OutboxEntry]:
        """Entries due for sending, oldest first, at most one per review (the oldest open one)."""
        rows = self._conn.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM outbox AS o WHERE state IN ('pending', 'sending')"
            " AND next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM outbox AS p WHERE p.review_id = o.review_id"
            " AND p.id < o.id AND p.state NOT IN ('done', 'discarded')) ORDER BY id",
            (now or utc_now(),),
        ).fetchall()
        return [_entry(row) for row in rows]

    def next_attempt_at(self) -> str | None:
        """When the earliest waiting entry becomes due (None when nothing is waiting)."""
        row = self._conn.execute(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE state IN ('pending', 'sending')"
        ).fetchone()
        return row[0]

    def counts(self) -> dict[OutboxState, int]:
        rows = self._conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall()
        counts = dict.fromkeys(OutboxState, 0)
        counts.update({OutboxState(state): n for state, n in rows})
        return counts

    # -- state changes -------------------------------------------------------------------------------------

    def _update(self, entry_id: int, sql: str, params: tuple[Any, ...]) -> OutboxEntry:
        with transaction(self._conn):
            self._conn.execute(f"UPDATE outbox SET {sql}, updated_at = ? WHERE id = ?", (*params, utc_now(), entry_id))
        return self.get(entry_id)

    def mark_sending(self, entry_id: int) -> OutboxEntry:
        """Record that a send is about to start (before the request leaves: a crash leaves ``sending``)."""
        return self._update(entry_id, "state = 'sending', attempts = attempts + 1", ())

    def mark_done(self, entry_id: int) -> OutboxEntry:
        """The server has it. The draft it came from is no longer needed."""
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE outbox SET state = 'done', last_error = NULL, updated_at = ? WHERE id = ?",
                (utc_now(), entry_id),
            )
            self._conn.execute(
                "DELETE FROM drafts WHERE state = 'submitted' AND (review_id, stage) IN"
                " (SELECT review_id, stage FROM outbox WHERE id = ?)",
                (entry_id,),
            )
        return self.get(entry_id)

    def mark_retry(self, entry_id: int, error: str, next_attempt_at: str) -> OutboxEntry:
        """A transient failure: try again (with the same client_op_id) at ``next_attempt_at``."""
        return self._update(
            entry_id, "state = 'pending', last_error = ?, next_attempt_at = ?", (error, next_attempt_at)
        )

    def mark_failed(self, entry_id: int, error: str) -> OutboxEntry:
        """A permanent failure the mentor has to look at (e.g. the server rejected the scores)."""
        return self._update(entry_id, "state = 'failed', last_error = ?", (error,))

    def retry(self, entry_id: int) -> OutboxEntry:
        """Put a failed entry back in line at once (the mentor asked for it)."""
        return self._update(entry_id, "state = 'pending', next_attempt_at = ?", (utc_now(),))

    def discard(self, entry_id: int) -> OutboxEntry:
        """Give up on an entry (the caller exports it first). Its open conflict, if any, is closed."""
        now = utc_now()
        with transaction(self._conn):
            self._conn.execute("UPDATE outbox SET state = 'discarded', updated_at = ? WHERE id = ?", (now, entry_id))
            self._conn.execute(
                "UPDATE conflicts SET resolved_at = ?, resolution = 'discarded'"
                " WHERE outbox_id = ? AND resolved_at IS NULL",
                (now, entry_id),
            )
        return self.get(entry_id)

    def prune(self, before: str) -> int:
        """Forget entries that reached the platform or were discarded before ``before`` (with their conflicts)."""
        with transaction(self._conn):
            cursor = self._conn.execute(
                "DELETE FROM outbox WHERE state IN ('done', 'discarded') AND updated_at < ?", (before,)
            )
        return cursor.rowcount

    # -- conflicts -----------------------------------------------------------------------------------------

    def raise_conflict(self, entry_id: int, theirs: Mapping[str, Any], error: str) -> Conflict:
        """Park the entry as a conflict, keeping its payload (mine) beside the server's state (theirs)."""
        now = utc_now()
        with transaction(self._conn):
            entry = self.get(entry_id)
            self._conn.execute(
                "UPDATE outbox SET state = 'conflict', last_error = ?, updated_at = ? WHERE id = ?",
                (error, now, entry_id),
            )
            conflict_id = _inserted(
                self._conn.execute(
                    "INSERT INTO conflicts (outbox_id, review_id, mine, theirs, created_at) VALUES (?, ?, ?, ?, ?)",
                    (entry_id, entry.review_id, _dumps(entry.payload), _dumps(theirs), now),
                )
            )
        return self.conflict(conflict_id)

    def conflict(self, conflict_id: int) -> Conflict:
        row = self._conn.execute(f"SELECT {_CONFLICT_COLUMNS} FROM conflicts WHERE id = ?", (conflict_id,)).fetchone()
        if row is None:
            raise KeyError(f"no conflict {conflict_id}")
        return _conflict(row)

    def conflicts(self, *, unresolved_only: bool = True) -> list[Conflict]:
        where = "WHERE resolved_at IS NULL" if unresolved_only else ""
        rows = self._conn.execute(f"SELECT {_CONFLICT_COLUMNS} FROM conflicts {where} ORDER BY id").fetchall()
        return [_conflict(row) for row in rows]

    def update_theirs(self, conflict_id: int, theirs: Mapping[str, Any]) -> Conflict:
        """Replace an open conflict's ``theirs`` (the server's side, read again)."""
        with transaction(self._conn):
            self._open_conflict(conflict_id)
            self._conn.execute("UPDATE conflicts SET theirs = ? WHERE id = ?", (_dumps(theirs), conflict_id))
        return self.conflict(conflict_id)

    def requeue_conflict(
        self, conflict_id: int, resolution: str, payload: Mapping[str, Any], base_version: int | None
    ) -> OutboxEntry:
        """Resolve by sending ``payload`` against the server's newer state, under a new client_op_id."""
        now = utc_now()
        with transaction(self._conn):
            conflict = self._open_conflict(conflict_id)
            self._conn.execute(
                "UPDATE conflicts SET resolved_at = ?, resolution = ? WHERE id = ?", (now, resolution, conflict_id)
            )
            self._requeue(conflict.outbox_id, payload, base_version, now)
        return self.get(conflict.outbox_id)

    def rebase(self, entry_id: int, base_version: int) -> OutboxEntry:
        """Re-send an entry against a newer version whose change does not concern it (e.g. a claim)."""
        with transaction(self._conn):
            entry = self.get(entry_id)
            self._requeue(entry_id, {**entry.payload, "base_version": base_version}, base_version, utc_now())
        return self.get(entry_id)

    def _requeue(self, entry_id: int, payload: Mapping[str, Any], base_version: int | None, now: str) -> None:
        """Back to pending with a new body, hence a new client_op_id (an op id never changes its body)."""
        self._conn.execute(
            "UPDATE outbox SET state = 'pending', payload = ?, base_version = ?, client_op_id = ?,"
            " attempts = 0, last_error = NULL, next_attempt_at = ?, updated_at = ? WHERE id = ?",
            (_dumps(payload), base_version, str(uuid.uuid4()), now, now, entry_id),
        )

    def drop_conflict(self, conflict_id: int) -> OutboxEntry:
        """Resolve by taking the server's version: the entry is discarded and its draft removed."""
        now = utc_now()
        with transaction(self._conn):
            conflict = self._open_conflict(conflict_id)
            self._conn.execute(
                "UPDATE conflicts SET resolved_at = ?, resolution = 'theirs' WHERE id = ?", (now, conflict_id)
            )
            self._conn.execute(
                "UPDATE outbox SET state = 'discarded', updated_at = ? WHERE id = ?", (now, conflict.outbox_id)
            )
            self._conn.execute(
                "DELETE FROM drafts WHERE (review_id, stage) IN (SELECT review_id, stage FROM outbox WHERE id = ?)",
                (conflict.outbox_id,),
            )
        return self.get(conflict.outbox_id)

    def _open_conflict(self, conflict_id: int) -> Conflict:
        conflict = self.conflict(conflict_id)
        if conflict.resolved_at is not None:
            raise ValueError(f"conflict {conflict_id} was already resolved ({conflict.resolution})")
        return conflict

    # -- badges --------------------------------------------------------------------------------------------

    def badges(self) -> dict[str, Badges]:
        """Badges for every review that has any (drafts and open outbox entries only: cheap at any queue size)."""
        rows = self._conn.execute(
            "SELECT review_id, MAX(d), MAX(w), MAX(c), MAX(f) FROM ("
            " SELECT review_id, 1 AS d, 0 AS w, 0 AS c, 0 AS f FROM drafts WHERE state = 'editing'"
            " UNION ALL SELECT review_id, 0, state IN ('pending', 'sending'), state = 'conflict', state = 'failed'"
            " FROM outbox WHERE state NOT IN ('done', 'discarded')"
            ") GROUP BY review_id"
        ).fetchall()
        return {row[0]: Badges(bool(row[1]), bool(row[2]), bool(row[3]), bool(row[4])) for row in rows}
