"""The content-addressed file cache: hash check on insert, LRU eviction under a size cap."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from mentor_desk.store import HashMismatch, Store

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def small_cache(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open_path(tmp_path / "db.sqlite3", file_cache_cap=3000)
    yield opened
    await opened.close()


def _file(tmp_path: Path, name: str, content: bytes) -> tuple[Path, str]:
    path = tmp_path / name
    path.write_bytes(content)
    return path, hashlib.sha256(content).hexdigest()


async def test_add_and_get(small_cache: Store, tmp_path: Path) -> None:
    source, digest = _file(tmp_path, "report.pdf", b"%PDF-1.7 evidence")
    cached = await small_cache.add_file(source, digest.upper(), filename="report.pdf")
    assert not source.exists()  # moved in
    assert cached.read_bytes() == b"%PDF-1.7 evidence"
    assert await small_cache.cached_file(digest) == cached
    assert await small_cache.cached_file("0" * 64) is None


async def test_hash_mismatch_is_refused(small_cache: Store, tmp_path: Path) -> None:
    source, _ = _file(tmp_path, "tampered.bin", b"not what was promised")
    with pytest.raises(HashMismatch) as caught:
        await small_cache.add_file(source, hashlib.sha256(b"promised").hexdigest())
    assert "checksum" in caught.value.user_message
    assert not source.exists()
    assert not [p for p in small_cache.files_dir.rglob("*") if p.is_file()]


async def test_least_recently_used_is_evicted(small_cache: Store, tmp_path: Path) -> None:
    a = await small_cache.add_file(*_file(tmp_path, "a", b"a" * 1000))
    b = await small_cache.add_file(*_file(tmp_path, "b", b"b" * 1000))
    c = await small_cache.add_file(*_file(tmp_path, "c", b"c" * 1000))
    assert await small_cache.cached_file(a.name) == a  # a is now more recent than b
    d = await small_cache.add_file(*_file(tmp_path, "d", b"d" * 1000))
    assert not b.exists() and await small_cache.cached_file(b.name) is None
    for kept in (a, c, d):
        assert kept.exists()


async def test_a_file_removed_behind_our_back_is_forgotten(small_cache: Store, tmp_path: Path) -> None:
    cached = await small_cache.add_file(*_file(tmp_path, "a", b"a"))
    cached.unlink()
    assert await small_cache.cached_file(cached.name) is None
