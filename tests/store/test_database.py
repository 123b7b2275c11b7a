"""Opening the database: permissions, pragmas, migrations, newer-major refusal, corrupt files, disk full."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.store import DiskFull, Store, StoreCorrupt, StoreError, StoreTooNew
from mentor_desk.store.database import connect, database_path, schema_version
from mentor_desk.store.schema import MIGRATIONS, Migration

NEXT_MINOR = (MIGRATIONS[-1].version[0], MIGRATIONS[-1].version[1] + 1)
"""The version a future minor migration (one that only adds) would have."""

SERVER = "http://127.0.0.1:8765"
USER = "mentor@demo.och"


def test_one_file_per_server_and_user(tmp_path: Path) -> None:
    a = database_path(SERVER, USER, tmp_path)
    assert a == database_path(SERVER + "/", USER, tmp_path)
    assert a != database_path(SERVER, "mentor2@demo.och", tmp_path)
    assert a != database_path("https://och.example.org", USER, tmp_path)
    assert a.parent == tmp_path and "/" not in a.name


def test_new_file_is_private_wal_and_current(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "db.sqlite3"
    conn = connect(path)
    try:
        conn.execute("INSERT INTO sync_state VALUES ('k', 'v')")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(Path(f"{path}-wal").stat().st_mode) == 0o600
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert schema_version(conn) == MIGRATIONS[-1].version
    finally:
        conn.close()


def test_minor_migration_applies_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = connect(path)
    conn.execute("INSERT INTO sync_state (key, value) VALUES ('k', 'v')")
    conn.close()
    newer = (*MIGRATIONS, Migration(NEXT_MINOR, "add a column", "ALTER TABLE sync_state ADD COLUMN note TEXT;"))
    conn = connect(path, newer)
    assert schema_version(conn) == NEXT_MINOR
    assert conn.execute("SELECT key, value, note FROM sync_state").fetchall() == [("k", "v", None)]
    conn.close()
    # An older mentor_desk still opens a file that only gained a minor version.
    conn = connect(path)
    assert schema_version(conn) == NEXT_MINOR
    conn.close()


def test_failed_migration_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    connect(path).close()
    broken = (*MIGRATIONS, Migration(NEXT_MINOR, "broken", "CREATE TABLE extra (x);\nINSERT INTO nowhere VALUES (1);"))
    with pytest.raises(sqlite3.OperationalError):
        connect(path, broken)
    conn = connect(path)
    assert schema_version(conn) == MIGRATIONS[-1].version
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'extra'").fetchone() is None
    conn.close()


def test_newer_major_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = connect(path)
    conn.execute(f"PRAGMA user_version = {2 << 16 | 3}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreTooNew) as caught:
        connect(path)
    assert "newer version of mentor_desk" in caught.value.user_message
    assert "2.3" in caught.value.user_message
    assert path.read_bytes() == before


@pytest.mark.asyncio
async def test_an_unusable_folder_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreError) as caught:
        await Store.open(SERVER, USER, data_dir=blocker)
    assert str(blocker) in caught.value.user_message and "cannot be opened" in caught.value.user_message


@pytest.mark.asyncio
async def test_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is certainly not an SQLite file" * 100)
    store = await Store.open_path(path)
    try:
        assert isinstance(store.recovered, StoreCorrupt)
        kept = store.recovered.moved_to
        assert kept.name.startswith("db.sqlite3.corrupt-")
        assert kept.read_bytes() == b"this is certainly not an SQLite file" * 100
        assert str(kept) in store.recovered.user_message
        await store.save_draft("r1", "", ReviewDraft(feedback_written="fresh start works"))
        assert (await store.draft("r1", "")) is not None
    finally:
        await store.close()


def test_damaged_pages_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = connect(path)
    conn.execute("CREATE INDEX drafts_updated ON drafts (updated_at)")
    for i in range(400):
        conn.execute("INSERT INTO drafts VALUES (?, '', ?, NULL, 'editing', 'c', ?)", (f"r{i}", "x" * 200, f"{i:05}"))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):  # scribble over every other page after the header
        data[offset + 8 : offset + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))
    with pytest.raises(StoreCorrupt) as caught:
        connect(path)
    assert not path.exists()
    assert caught.value.moved_to.exists()


@pytest.mark.asyncio
async def test_disk_full_is_reported_and_earlier_work_kept(tmp_path: Path) -> None:
    """Injected: cap the file's size so SQLite itself answers SQLITE_FULL."""
    store = await Store.open_path(tmp_path / "db.sqlite3")
    try:
        await store.save_draft("kept", "", ReviewDraft(feedback_written="before the disk filled"))
        pages = await store.call(lambda conn: conn.execute("PRAGMA page_count").fetchone()[0])
        await store.call(lambda conn: conn.execute(f"PRAGMA max_page_count = {pages}"))
        with pytest.raises(DiskFull) as caught:
            await store.save_draft("big", "", ReviewDraft(feedback_written="y" * 200_000))
        assert "full" in caught.value.user_message
        kept = await store.draft("kept", "")
        assert kept is not None and kept.draft.feedback_written == "before the disk filled"
        assert await store.draft("big", "") is None
    finally:
        await store.close()


@pytest.fixture
def tiny_fs(tmp_path: Path):  # type: ignore[no-untyped-def]
    mount = tmp_path / "tiny"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mount)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.asyncio
async def test_real_full_filesystem(tiny_fs: Path) -> None:
    store = await Store.open_path(tiny_fs / "db.sqlite3")
    try:
        await store.save_draft("first", "", ReviewDraft(feedback_written="safe"))
        with pytest.raises(DiskFull):
            for i in range(1000):
                await store.save_draft(f"r{i}", "", ReviewDraft(feedback_written="z" * 4000))
        kept = await store.draft("first", "")
        assert kept is not None and kept.draft == ReviewDraft(feedback_written="safe")
        evidence = tiny_fs.parent / "evidence.bin"  # outside the full filesystem
        evidence.write_bytes(b"0" * 200_000)
        with pytest.raises(DiskFull):
            await store.add_file(evidence, hashlib.sha256(evidence.read_bytes()).hexdigest(), move=False)
        assert evidence.exists()
        assert not [p for p in store.files_dir.rglob("*") if p.is_file()]
    finally:
        await store.close()


def test_a_file_of_schema_1_0_gains_the_outbox_state_index(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    connect(path, MIGRATIONS[:1]).close()
    conn = connect(path)
    try:
        plan = conn.execute("EXPLAIN QUERY PLAN SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall()
        assert any("outbox_state" in row[-1] for row in plan), plan
    finally:
        conn.close()
