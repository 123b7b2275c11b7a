"""Issue 16, hole 11: a server-supplied file id (``ReviewFile.sha256``) never becomes a local path.

A hostile server answered ``sha256 = "../../…"``; the file cache created folders and wrote outside the data
folder. Every id the server supplies is checked before it touches the file system, wherever it is used."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest

from mentor_desk.services.account import Account
from mentor_desk.services.reviews import PlatformReviews
from mentor_desk.store import Store

from .tally import TALLY

HOSTILE_IDS = ["../../escape", "../" * 8 + "tmp/x", "/etc/passwd", "aa/../../bb", "ab" + "/" * 62,
               "g" * 64, "0" * 63, "0" * 65, "", "..", "a\x00" * 32, "é" * 64, " " + "0" * 63]


@dataclass(frozen=True)
class FileRef:
    id: str
    filename: str
    sha256: str
    url: str


def outside(root: Path, before: set[Path]) -> set[Path]:
    return {p for p in root.rglob("*")} - before


@pytest.mark.parametrize("sha256", HOSTILE_IDS)
def test_a_malformed_sha256_is_refused_before_the_file_system(tmp_path: Path, sha256: str) -> None:
    data = tmp_path / "deep" / "data"
    data.mkdir(parents=True)
    source = tmp_path / "download.bin"
    source.write_bytes(b"evidence")
    before = set(tmp_path.rglob("*"))

    async def attempt() -> list[BaseException]:
        store = await Store.open_path(data / "db.sqlite3")
        account = Account(store, server="http://127.0.0.1:9", mode="full", user_name="Mentor")
        errors: list[BaseException] = []
        try:
            for call in (store.cached_file(sha256), store.add_file(source, sha256, move=False),
                         PlatformReviews(account, data).fetch_file(
                             FileRef("f1", "report.pdf", sha256, "http://127.0.0.1:9/f1"))):
                try:
                    await call
                except Exception as exc:  # each refusal is checked below
                    errors.append(exc)
        finally:
            await store.close()
        return errors

    errors = asyncio.run(attempt())
    TALLY.tried_cases("server ids", 3)
    made = {p for p in outside(tmp_path, before) if data not in p.parents and p != data}
    if made:
        TALLY.bad("server ids", "authorisation holes", f"sha256 {sha256!r} created {sorted(map(str, made))}")
    assert not made
    assert len(errors) == 3, errors
    for error in errors:
        message = getattr(error, "user_message", "")
        assert "file" in message and "server" in message, repr(error)


REVIEW_IDS = ["../../../etc/evil", "/abs/path", "x" * 400, "\u202e" * 100 + "é" * 200, "a\x00b", "..", "CON"]


@pytest.mark.parametrize("review_id", REVIEW_IDS)
def test_keeping_theirs_exports_mine_under_a_plain_name_whatever_the_review_id(tmp_path: Path,
                                                                                review_id: str) -> None:
    """A conflict over a review with a hostile id: keeping the server's version first exports mine into the
    exports folder under a plain, short name (a 400-character id made the name too long: a bare OSError, the
    conflict unresolvable)."""
    from mentor_desk.domain.draft import ReviewDraft

    async def keep_theirs() -> tuple[Path, Path]:
        store = await Store.open_path(tmp_path / "data" / "db.sqlite3")
        try:
            entry = await store.submit_draft(review_id, "final", "stage_review",
                                             ReviewDraft(feedback_written="mine", base_version=1))
            conflict = await store.raise_conflict(entry.id, {"version": 2}, "the review moved on")
            return await store.take_theirs(conflict.id), store.exports_dir
        finally:
            await store.close()

    TALLY.tried_cases("server ids")
    try:
        export, folder = asyncio.run(keep_theirs())
    except OSError as error:
        TALLY.bad("server ids", "crashes", f"keeping theirs for review id {review_id[:20]!r}: {error.strerror}")
        raise
    plain = export.parent == folder and len(export.name.encode()) <= 160 and export.name.isascii()
    if not plain:
        TALLY.bad("server ids", "unsafe text", f"review id {review_id[:20]!r} exported as {export}")
    assert plain and "mine" in export.read_text(encoding="utf-8"), export
