"""Errors the store raises, each with a sentence a mentor can act on.

Following qutebrowser's ``misc/sql.py``: the SQLite failures we *expect* on a user's machine (disk full, a file
that is not a database, a file written by a newer mentor_desk) become :class:`StoreError` subclasses with a
``user_message``; anything else is a bug and propagates unchanged.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A problem with the local database that the user should be told about."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class StoreTooNew(StoreError):
    """The file was written by a newer mentor_desk whose schema this version cannot read safely."""

    def __init__(self, path: Path, found: tuple[int, int], supported: tuple[int, int]) -> None:
        super().__init__(
            f"The local data file {path} was written by a newer version of mentor_desk "
            f"(schema {found[0]}.{found[1]}; this version understands {supported[0]}.x). "
            "Update mentor_desk to open it. The file was left untouched."
        )
        self.path = path
        self.found = found
        self.supported = supported


class StoreCorrupt(StoreError):
    """The file was damaged; it was moved aside and a fresh one will be created."""

    def __init__(self, path: Path, moved_to: Path, reason: str) -> None:
        super().__init__(
            f"The local data file {path} was damaged ({reason}). It was kept as {moved_to} and a new, empty "
            "one will be used: cached reviews will be downloaded again, but drafts that were only in the "
            "damaged file may need to be recovered from the copy."
        )
        self.path = path
        self.moved_to = moved_to
        self.reason = reason


class DiskFull(StoreError):
    """A write failed because the disk (or the user's quota) is full. Nothing was half-written."""

    def __init__(self, path: Path | None = None) -> None:
        where = f" holding {path.parent}" if path is not None else ""
        super().__init__(
            f"The disk{where} is full, so the last change could not be saved. Free some space; your earlier "
            "work is safe and saving resumes as soon as there is room."
        )
        self.path = path


class FolderNotWritable(StoreError):
    """A write failed because the folder is read-only (or not the user's to write). Nothing was half-written."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"mentor_desk cannot write to {folder}: the folder is read-only or not yours to write, so the last "
            "change could not be saved. Your earlier work is safe; make the folder writable (or choose another "
            "data folder) and try again."
        )
        self.folder = folder


def is_not_writable(error: BaseException) -> bool:
    """Whether ``error`` is a write refused by a read-only filesystem or by permissions (SQLite's too)."""
    if isinstance(error, sqlite3.Error):
        return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF == sqlite3.SQLITE_READONLY
    return isinstance(error, OSError) and error.errno in (errno.EROFS, errno.EACCES, errno.EPERM)


def write_failure(error: BaseException, db_path: Path, folder: Path | None = None) -> StoreError | None:
    """The store's sentence for a failed write into ``folder`` (default: the data file's), or None when the
    failure is neither a full disk nor a folder it may not write to."""
    if is_disk_full(error):
        return DiskFull(db_path)
    if is_not_writable(error):
        return FolderNotWritable(folder or db_path.parent)
    return None


def is_disk_full(error: BaseException) -> bool:
    """Whether ``error`` is SQLite's SQLITE_FULL or an OS-level ENOSPC/EDQUOT."""
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "database or disk is full" in str(
            error
        )
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)
