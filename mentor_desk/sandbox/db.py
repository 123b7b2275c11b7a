"""The sandbox's SQLite database: schema and a thread-safe connection wrapper.

One connection (WAL) is shared by uvicorn's worker threads behind a lock: the sandbox favours simple,
correct transactions over concurrency.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, uuid_id TEXT UNIQUE NOT NULL, email TEXT UNIQUE NOT NULL,
    password_hash TEXT, first_name TEXT NOT NULL, last_name TEXT NOT NULL, role TEXT NOT NULL,
    is_mentor INTEGER NOT NULL DEFAULT 0, mfa_secret TEXT, track_code TEXT, cohort_id TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS users_role ON users (role);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, user_id INTEGER NOT NULL, refresh_jti TEXT UNIQUE NOT NULL,
    mfa_verified INTEGER NOT NULL, device_fingerprint TEXT, revoked INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS session_families (session_id TEXT PRIMARY KEY, family TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS session_families_family ON session_families (family);
CREATE TABLE IF NOT EXISTS denied_tokens (jti TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS trusted_devices (user_id INTEGER, fingerprint TEXT, PRIMARY KEY (user_id, fingerprint));
CREATE TABLE IF NOT EXISTS tracks (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, tier INTEGER NOT NULL, track_key TEXT NOT NULL,
    progression_mode TEXT NOT NULL, require_mentor_approval INTEGER NOT NULL, primary_mentor_id INTEGER
);
CREATE TABLE IF NOT EXISTS missions (
    id TEXT PRIMARY KEY, code TEXT UNIQUE NOT NULL, track_code TEXT NOT NULL, mission_type TEXT NOT NULL,
    title TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rubrics (
    id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (id, version)
);
CREATE TABLE IF NOT EXISTS assignments (
    id TEXT PRIMARY KEY, mentor_id INTEGER NOT NULL, mentee_id INTEGER NOT NULL, status TEXT NOT NULL,
    assignment_type TEXT NOT NULL, track_code TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS assignments_mentor ON assignments (mentor_id, status);
CREATE INDEX IF NOT EXISTS assignments_mentee ON assignments (mentee_id, status);
CREATE TABLE IF NOT EXISTS reviews (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, mission_id TEXT NOT NULL, learner_id INTEGER NOT NULL,
    status TEXT NOT NULL, final_status TEXT, stage_index INTEGER NOT NULL, attempt INTEGER NOT NULL,
    submitted_at TEXT, ai_score REAL, mentor_score REAL, claimed_by INTEGER, claimed_at TEXT,
    claim_expires_at TEXT, version INTEGER NOT NULL, updated_at TEXT NOT NULL,
    legacy_status TEXT, legacy_score REAL, legacy_feedback TEXT, reviewed_at TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_learner ON reviews (learner_id);
CREATE TABLE IF NOT EXISTS blobs (sha256 TEXT PRIMARY KEY, content BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY, review_id TEXT NOT NULL, subtask_id INTEGER, file_type TEXT NOT NULL,
    filename TEXT NOT NULL, content_type TEXT NOT NULL, sha256 TEXT NOT NULL, file_size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS files_review ON files (review_id);
CREATE TABLE IF NOT EXISTS operations (
    op_id TEXT NOT NULL, user_id INTEGER NOT NULL, body_hash TEXT NOT NULL, status_code INTEGER NOT NULL,
    response TEXT NOT NULL, PRIMARY KEY (op_id, user_id)
);
CREATE TABLE IF NOT EXISTS media (
    id TEXT NOT NULL, owner_id INTEGER NOT NULL, content_type TEXT NOT NULL, total INTEGER NOT NULL,
    received INTEGER NOT NULL, sha256 TEXT NOT NULL, complete INTEGER NOT NULL DEFAULT 0,
    duration_seconds REAL, PRIMARY KEY (id, owner_id)
);
CREATE TABLE IF NOT EXISTS interactions (
    id TEXT PRIMARY KEY, mentor_id INTEGER NOT NULL, mentee_id INTEGER NOT NULL, data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY, assignment_id TEXT NOT NULL, sender_id INTEGER NOT NULL, data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS track_progress (
    user_id INTEGER NOT NULL, track_code TEXT NOT NULL, modules_completed INTEGER NOT NULL,
    mentor_approval INTEGER NOT NULL DEFAULT 0, approved_by INTEGER, approved_at TEXT, comment TEXT,
    completed_at TEXT, PRIMARY KEY (user_id, track_code)
);
CREATE TABLE IF NOT EXISTS meetings (
    id TEXT PRIMARY KEY, review_id TEXT NOT NULL, lead_id INTEGER NOT NULL, blind INTEGER NOT NULL,
    state TEXT NOT NULL, version INTEGER NOT NULL, consensus TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meeting_panel (
    meeting_id TEXT NOT NULL, mentor_id INTEGER NOT NULL, scores TEXT, comment TEXT, submitted_at TEXT,
    PRIMARY KEY (meeting_id, mentor_id)
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, event TEXT NOT NULL, data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_user ON events (user_id, id);
"""


class Database:
    """A single SQLite connection guarded by a lock; ``tx()`` yields it inside one transaction."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)
