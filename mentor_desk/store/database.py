"""Opening the per-(server, user) SQLite file: location, permissions, pragmas, health check and migrations.

Durability choice: WAL with ``synchronous=FULL``. With WAL, ``NORMAL`` already survives a killed process (a
committed transaction is in the WAL file in the OS cache) but may lose the last commits on power loss; ``FULL``
fsyncs the WAL at every commit, so a draft the UI was told is saved stays saved even if the machine loses power.
The cost is one fsync per transaction, which is cheap here: drafts are saved at most about once a second per
review and bulk cache writes are batched into one transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from mentor_desk.paths import default_data_dir
from mentor_desk.store.errors import StoreCorrupt, StoreTooNew
from mentor_desk.store.schema import MIGRATIONS, Migration

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


def database_path(server_url: str, user: str, data_dir: Path | None = None) -> Path:
    """Where the database for ``user`` on ``server_url`` lives: readable name plus a hash that keeps it unique."""
    parts = urlsplit(server_url)
    host = parts.netloc or parts.path
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{host}-{user}").strip("_")[:80]
    digest = hashlib.sha256(f"{server_url.rstrip('/')}\n{user}".encode()).hexdigest()[:12]
    return (data_dir or default_data_dir()) / f"{readable}-{digest}.sqlite3"


def schema_version(conn: sqlite3.Connection) -> tuple[int, int]:
    """The (major, minor) schema version recorded in the file; (0, 0) for a new file."""
    value = conn.execute("PRAGMA user_version").fetchone()[0]
    return value >> 16, value & 0xFFFF


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception. The connection is in autocommit mode."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # SQLite has already rolled back after e.g. SQLITE_FULL
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> None:
    """Apply every migration newer than the file; refuse a file from a newer major version."""
    found = schema_version(conn)
    latest = migrations[-1].version
    if found[0] > latest[0]:
        raise StoreTooNew(path, found, latest)
    for migration in migrations:
        if migration.version <= found:
            continue
        log.info("Migrating %s to schema %d.%d (%s)", path.name, *migration.version, migration.description)
        major, minor = migration.version
        with transaction(conn):
            # executescript() would COMMIT first; run the statements one by one inside our transaction.
            for statement in _statements(migration.script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {major << 16 | minor}")


def _statements(script: str) -> Iterator[str]:
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending!r}")


def connect(path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path``, check its health and bring its schema up to date.

    Raises :class:`StoreTooNew` (file untouched) or :class:`StoreCorrupt` (file moved aside; calling again
    creates a fresh one). The connection is in autocommit mode: use :func:`transaction` for writes.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        _configure(conn)
        problem = _health_problem(conn)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise _move_aside(path, str(error)) from error
    if problem is not None:
        conn.close()
        raise _move_aside(path, problem)
    try:
        migrate(conn, path, migrations)
    except BaseException:
        conn.close()
        raise
    return conn


def connect_reader(path: Path) -> sqlite3.Connection:
    """A second, query-only connection to an open store: with WAL it reads while the writer writes."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA query_only = ON")
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def _health_problem(conn: sqlite3.Connection) -> str | None:
    """``None`` when SQLite's quick check passes, else its first complaint."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    first = rows[0][0] if rows else "no answer from the integrity check"
    return None if first == "ok" else first


def _move_aside(path: Path, reason: str) -> StoreCorrupt:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{target}{suffix}"))
    log.error("Local database %s is damaged (%s); moved to %s", path, reason, target)
    return StoreCorrupt(path, target, reason)


def utc_now() -> str:
    """The current time as the store writes it: ISO 8601 UTC with microseconds, so text order is time order."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
