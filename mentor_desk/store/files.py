"""A content-addressed file cache for evidence and recordings, with a size cap and LRU eviction.

Bytes live in ``<root>/<sha256[:2]>/<sha256>``; the ``files`` table holds size and last access. A file enters
the cache only when its content matches the hash it claims.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import sqlite3
from pathlib import Path

from mentor_desk.store.database import transaction, utc_now
from mentor_desk.store.errors import StoreError

log = logging.getLogger(__name__)

DEFAULT_CAP_BYTES = 2 * 1024**3
_CHUNK = 1 << 20


class HashMismatch(ValueError):
    """The file's content does not match the expected SHA-256."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(
            f"The downloaded file is not the one the server described (checksum {actual[:12]}… instead of "
            f"{expected[:12]}…); it was not kept. Try again; if it persists, tell the platform team."
        )
        self.user_message = str(self)
        self.expected = expected
        self.actual = actual


class BadFileId(StoreError, ValueError):
    """A file id from the server that is not a SHA-256 (hex, 64 digits): it never becomes a path. (A
    :class:`StoreError`, so services say it in words; a ``ValueError`` for callers asking "is it cached?")."""

    def __init__(self, value: object) -> None:
        super().__init__(
            f"The server described a file with an invalid checksum ({str(value)[:40]!r}); mentor_desk did not "
            "open or save it. Tell the platform team."
        )


_SHA256 = re.compile(r"[0-9a-f]{64}")


def checked_sha256(value: object) -> str:
    """``value`` as a lower-case SHA-256 hex digest; :class:`BadFileId` for anything else (``../``, ``/``, …)."""
    text = value.lower() if isinstance(value, str) else ""
    if not _SHA256.fullmatch(text):
        raise BadFileId(value)
    return text


def sha256_of(path: Path) -> str:
    """Hash a file in chunks (never whole in memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class FileCache:
    """Cached files under ``root``, at most ``cap_bytes`` in total (least recently used go first)."""

    def __init__(self, conn: sqlite3.Connection, root: Path, cap_bytes: int = DEFAULT_CAP_BYTES) -> None:
        self._conn = conn
        self.root = root
        self.cap_bytes = cap_bytes

    def _path(self, sha256: str) -> Path:
        sha256 = checked_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def get(self, sha256: str) -> Path | None:
        """The cached file for this hash (marking it used), or None if absent."""
        sha256 = checked_sha256(sha256)
        path = self._path(sha256)
        known = self._conn.execute("SELECT 1 FROM files WHERE sha256 = ?", (sha256,)).fetchone()
        if known is None or not path.exists():
            if known is not None:
                self._forget(sha256)
            return None
        with transaction(self._conn):
            self._conn.execute("UPDATE files SET accessed_at = ? WHERE sha256 = ?", (utc_now(), sha256))
        return path

    def add(self, source: Path, sha256: str, actual_sha256: str, *, filename: str = "", move: bool = True) -> Path:
        """Take ``source`` (already hashed by the caller as ``actual_sha256``) into the cache.

        Raises :class:`HashMismatch` (and deletes ``source`` when moving) if the hashes differ.
        """
        sha256, actual_sha256 = checked_sha256(sha256), actual_sha256.lower()
        if sha256 != actual_sha256:
            if move:
                source.unlink(missing_ok=True)
            raise HashMismatch(sha256, actual_sha256)
        target = self._path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = target.with_name(f".{target.name}.part")
        try:
            if move:
                shutil.move(source, temp)
            else:
                shutil.copyfile(source, temp)
            temp.replace(target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        size = target.stat().st_size
        now = utc_now()
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO files (sha256, size, filename, created_at, accessed_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (sha256) DO UPDATE SET accessed_at = excluded.accessed_at",
                (sha256, size, filename, now, now),
            )
        self.evict(keep=sha256)
        return target

    def total_bytes(self) -> int:
        return self._conn.execute("SELECT COALESCE(SUM(size), 0) FROM files").fetchone()[0]

    def evict(self, keep: str | None = None) -> list[str]:
        """Delete least recently used files until the cache fits its cap. Returns the evicted hashes."""
        total = self.total_bytes()
        evicted: list[str] = []
        if total <= self.cap_bytes:
            return evicted
        rows = self._conn.execute("SELECT sha256, size FROM files ORDER BY accessed_at, sha256").fetchall()
        for sha256, size in rows:
            if total <= self.cap_bytes:
                break
            if sha256 == keep:
                continue
            self._forget(sha256)
            total -= size
            evicted.append(sha256)
        if evicted:
            log.info("File cache over its cap: evicted %d file(s)", len(evicted))
        return evicted

    def _forget(self, sha256: str) -> None:
        with transaction(self._conn):
            self._conn.execute("DELETE FROM files WHERE sha256 = ?", (sha256,))
        self._path(sha256).unlink(missing_ok=True)
