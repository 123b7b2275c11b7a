"""The store's async facade: every SQLite call runs on one dedicated worker thread that owns the connection.

The UI awaits these methods on the qasync loop and never blocks; the headless sync awaits them on a plain
asyncio loop. Known SQLite/OS failures come back as :class:`~mentor_desk.store.errors.StoreError` subclasses.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.queue import QueueHead, QueueItem
from mentor_desk.store.cache import Cache, CachedDocument, DocumentKind
from mentor_desk.store.database import connect, connect_reader, database_path
from mentor_desk.store.drafts import Draft, Drafts, write_json_file
from mentor_desk.store.errors import DiskFull, StoreCorrupt, StoreError, is_disk_full, write_failure
from mentor_desk.store.files import DEFAULT_CAP_BYTES, FileCache, checked_sha256, sha256_of
from mentor_desk.store.outbox import OPEN_STATES, Badges, Conflict, Outbox, OutboxEntry, OutboxState

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
EXPORT_NAME_CHARS = 80
"""The most of a review id and stage an export's file name carries (a digest of the whole follows when cut)."""


class _Worker:
    """One SQLite connection owned by one dedicated thread (sqlite3 connections stay on their thread)."""

    def __init__(self, name: str) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    def submit(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queue ``fn`` behind the jobs already submitted (no event loop needed)."""
        return self._executor.submit(fn, *args, **kwargs)

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await asyncio.wrap_future(self.submit(fn, *args, **kwargs))

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


_Writer = tuple[sqlite3.Connection, StoreCorrupt | None]


def _connect_writer(path: Path) -> _Writer:
    """The writing connection; a damaged file is moved aside and a fresh one started (returned with why)."""
    try:
        return connect(path), None
    except StoreCorrupt as error:
        return connect(path), error


def _connect_reader_after(writing: Future[_Writer], path: Path) -> sqlite3.Connection:
    """The query-only connection, once the writer has checked the file and brought its schema up to date."""
    writing.result()
    return connect_reader(path)


class StoreOpening:
    """A store being opened on its two worker threads (health check, migrations, both connections).

    Start-up begins this before the rest of the app is imported, so that SQLite's work (which runs without the
    GIL) overlaps the imports; :meth:`store` awaits the result. :meth:`Store.open_path` is the same in one step.
    """

    def __init__(self, path: Path, *, file_cache_cap: int = DEFAULT_CAP_BYTES) -> None:
        self.path = path
        self._file_cap = file_cache_cap
        self._writer, self._reader = _Worker("mentor-desk-store"), _Worker("mentor-desk-store-read")
        self._writing = self._writer.submit(_connect_writer, path)
        self._reading = self._reader.submit(_connect_reader_after, self._writing, path)

    async def store(self) -> Store:
        """The open store; raises :class:`StoreError` (with a ``user_message``) when it cannot be opened."""
        path = self.path
        try:
            conn, recovered = await asyncio.wrap_future(self._writing)
            read_conn = await asyncio.wrap_future(self._reading)
        except BaseException as error:
            self._writer.shutdown()
            self._reader.shutdown()
            if is_disk_full(error):
                raise DiskFull(path) from error
            if isinstance(error, OSError | sqlite3.OperationalError):
                raise StoreError(
                    f"The local data file {path} cannot be opened ({error}). Check that its folder exists and "
                    "that you may write to it, or choose another data folder."
                ) from error
            raise
        store = Store(path, (self._writer, self._reader), (conn, read_conn), self._file_cap)
        store.recovered = recovered
        return store

    async def discard(self) -> None:
        """Close the store unused (start-up opened another one); a store that failed to open is let go."""
        with contextlib.suppress(StoreError, sqlite3.Error):
            await (await self.store()).close()


class Store:
    """Local cache, drafts and outbox for one (server, user). Create with :meth:`open`; ``await close()``.

    Writes run in order on the writer thread; reads run on a second, query-only connection and thread, so the
    UI can read the queue or a draft while a large pull is being written (WAL readers never wait for writers).
    """

    def __init__(
        self,
        path: Path,
        workers: tuple[_Worker, _Worker],
        conns: tuple[sqlite3.Connection, sqlite3.Connection],
        file_cap: int,
    ) -> None:
        self.path = path
        self.files_dir = path.with_name(f"{path.stem}.files")
        self.exports_dir = path.with_name("exports")
        self.recovered: StoreCorrupt | None = None
        """Set when the file was damaged on open and a fresh one was started (tell the user once)."""
        (self._writer, self._reader), (self._conn, self._read_conn) = workers, conns
        self._cache = Cache(self._conn)
        self._drafts = Drafts(self._conn)
        self._outbox = Outbox(self._conn)
        self._files = FileCache(self._conn, self.files_dir, file_cap)
        self._read_cache = Cache(self._read_conn)
        self._read_drafts = Drafts(self._read_conn)
        self._read_outbox = Outbox(self._read_conn)

    @classmethod
    async def open(
        cls,
        server_url: str,
        user: str,
        *,
        data_dir: Path | None = None,
        file_cache_cap: int = DEFAULT_CAP_BYTES,
    ) -> Store:
        """Open the store for ``user`` on ``server_url`` under ``data_dir`` (default: the platform data dir)."""
        return await cls.open_path(database_path(server_url, user, data_dir), file_cache_cap=file_cache_cap)

    @classmethod
    async def open_path(cls, path: Path, *, file_cache_cap: int = DEFAULT_CAP_BYTES) -> Store:
        """Open the store file at ``path``. A damaged file is moved aside and replaced (see ``recovered``)."""
        return await StoreOpening(path, file_cache_cap=file_cache_cap).store()

    async def close(self) -> None:
        """Close both connections (each on its thread) and stop the workers."""
        await self._read(self._read_conn.close)
        await self._run(self._conn.close)
        self._reader.shutdown()
        self._writer.shutdown()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a write (or a read that must see the writer's state) on the writer thread."""
        try:
            return await self._writer.run(fn, *args, **kwargs)
        except (sqlite3.Error, OSError) as error:
            if (failure := write_failure(error, self.path)) is not None:
                raise failure from error
            raise

    async def _read(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a read on the reader thread; it sees every write that has returned."""
        return await self._reader.run(fn, *args, **kwargs)

    async def call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(connection)`` on the worker thread (for maintenance and checks; prefer the methods below)."""
        return await self._run(fn, self._conn)

    # -- cache ---------------------------------------------------------------------------------------------

    async def queue(self) -> list[QueueItem]:
        """Every cached queue item."""
        return await self._read(self._read_cache.queue)

    async def queue_head(self, limit: int) -> QueueHead:
        """The first ``limit`` cached items in queue order, and how many there are (see :meth:`queue`)."""
        return await self._read(self._read_cache.queue_head, limit)

    async def queue_items(self, ids: Iterable[str]) -> dict[str, QueueItem]:
        """Those of ``ids`` that are cached, by id (a review not among them has left the queue)."""
        return await self._read(self._read_cache.queue_items, list(ids))

    async def queue_item(self, review_id: str) -> QueueItem | None:
        return await self._read(self._read_cache.queue_item, review_id)

    async def upsert_queue(self, items: Iterable[QueueItem]) -> list[str]:
        """Merge an incremental pull; returns the changed ids."""
        return await self._run(self._cache.upsert_queue, list(items))

    async def replace_queue(self, items: Iterable[QueueItem]) -> list[str]:
        """Replace the cached queue with a full pull; returns the changed ids."""
        return await self._run(self._cache.replace_queue, list(items))

    async def put_document(self, kind: DocumentKind, key: str, data: Any, version: int | None = None) -> None:
        await self._run(self._cache.put_document, kind, key, data, version)

    async def document(self, kind: DocumentKind, key: str) -> CachedDocument | None:
        return await self._read(self._read_cache.document, kind, key)

    async def document_versions(self, kind: DocumentKind) -> dict[str, int | None]:
        """Key → version of every cached document of ``kind``."""
        return await self._read(self._read_cache.document_versions, kind)

    async def put_rubric(self, rubric_id: str, version: int, data: Any) -> None:
        await self._run(self._cache.put_rubric, rubric_id, version, data)

    async def rubric(self, rubric_id: str, version: int | None = None) -> Any | None:
        return await self._read(self._read_cache.rubric, rubric_id, version)

    async def set_sync_state(self, key: str, value: str) -> None:
        await self._run(self._cache.set_sync_state, key, value)

    async def sync_state(self, key: str) -> str | None:
        return await self._read(self._read_cache.sync_state, key)

    # -- drafts --------------------------------------------------------------------------------------------

    async def save_draft(self, review_id: str, stage: str, draft: ReviewDraft | Mapping[str, Any]) -> Draft:
        """Save a review draft (or the JSON of another capability's work in progress, such as a meeting member's
        scores); durable (fsynced) when this returns."""
        return await self._run(self._drafts.save, review_id, stage, _json(draft))

    async def draft(self, review_id: str, stage: str) -> Draft | None:
        return await self._read(self._read_drafts.get, review_id, stage)

    async def drafts_for(self, review_id: str) -> list[Draft]:
        return await self._read(self._read_drafts.for_review, review_id)

    async def drafts(self) -> list[Draft]:
        return await self._read(self._read_drafts.all)

    async def delete_draft(self, review_id: str, stage: str) -> bool:
        return await self._run(self._drafts.delete, review_id, stage)

    async def export_drafts(self, path: Path) -> int:
        """Write every draft, and every outbox entry not yet on the platform, to ``path`` as JSON (a copy the
        mentor keeps before signing out or discarding anything). Returns how many items were written."""
        return await self._run(self._export_unsynced, path)

    def _export_unsynced(self, path: Path) -> int:
        drafts = [asdict(draft) for draft in self._drafts.all()]
        outbox = [asdict(entry) for entry in self._outbox.entries()]
        write_json_file(path, {"exported_at": datetime.now(UTC).isoformat(), "drafts": drafts, "outbox": outbox})
        return len(drafts) + len(outbox)

    # -- outbox --------------------------------------------------------------------------------------------

    async def submit_draft(
        self,
        review_id: str,
        stage: str,
        operation: str,
        draft: ReviewDraft | Mapping[str, Any],
        base_version: int | None = None,
    ) -> OutboxEntry:
        """Mark the draft submitted and queue it for the sync engine, in one transaction, against
        ``base_version`` (a review draft's own by default)."""
        if isinstance(draft, ReviewDraft) and base_version is None:
            base_version = draft.base_version
        return await self._run(self._outbox.submit_draft, review_id, stage, operation, _json(draft), base_version)

    async def enqueue(self, key: str, stage: str, operation: str, payload: Mapping[str, Any]) -> OutboxEntry:
        """Queue a write that has no draft for the sync engine (see :meth:`Outbox.enqueue`)."""
        return await self._run(self._outbox.enqueue, key, stage, operation, dict(payload))

    async def outbox(self, states: tuple[OutboxState, ...] = OPEN_STATES) -> list[OutboxEntry]:
        return await self._read(self._read_outbox.entries, states)

    async def outbox_entry(self, entry_id: int) -> OutboxEntry:
        return await self._read(self._read_outbox.get, entry_id)

    async def ready_entries(self) -> list[OutboxEntry]:
        """Entries due now, oldest first, one per review."""
        return await self._read(self._read_outbox.ready)

    async def next_attempt_at(self) -> str | None:
        return await self._read(self._read_outbox.next_attempt_at)

    async def outbox_counts(self) -> dict[OutboxState, int]:
        return await self._read(self._read_outbox.counts)

    async def mark_sending(self, entry_id: int) -> OutboxEntry:
        return await self._run(self._outbox.mark_sending, entry_id)

    async def mark_done(self, entry_id: int) -> OutboxEntry:
        return await self._run(self._outbox.mark_done, entry_id)

    async def mark_retry(self, entry_id: int, error: str, next_attempt_at: str) -> OutboxEntry:
        return await self._run(self._outbox.mark_retry, entry_id, error, next_attempt_at)

    async def mark_failed(self, entry_id: int, error: str) -> OutboxEntry:
        return await self._run(self._outbox.mark_failed, entry_id, error)

    async def retry_entry(self, entry_id: int) -> OutboxEntry:
        return await self._run(self._outbox.retry, entry_id)

    async def discard_entry(self, entry_id: int) -> Path:
        """Export the entry's payload to the exports folder, then discard it. Returns the export's path."""
        entry = await self.outbox_entry(entry_id)
        export = await self._export("discarded", entry.review_id, entry.stage, asdict(entry))
        await self._run(self._outbox.discard, entry_id)
        return export

    async def prune_outbox(self, before: str) -> int:
        """Forget done and discarded entries last changed before ``before`` (ISO time). Returns how many."""
        return await self._run(self._outbox.prune, before)

    async def raise_conflict(self, entry_id: int, theirs: Mapping[str, Any], error: str) -> Conflict:
        return await self._run(self._outbox.raise_conflict, entry_id, dict(theirs), error)

    async def conflicts(self, *, unresolved_only: bool = True) -> list[Conflict]:
        return await self._read(self._read_outbox.conflicts, unresolved_only=unresolved_only)

    async def conflict(self, conflict_id: int) -> Conflict:
        return await self._read(self._read_outbox.conflict, conflict_id)

    async def update_theirs(self, conflict_id: int, theirs: Mapping[str, Any]) -> Conflict:
        """Replace an open conflict's server side (when its details could be read after all)."""
        return await self._run(self._outbox.update_theirs, conflict_id, dict(theirs))

    async def requeue_conflict(self, conflict_id: int, resolution: str, draft: ReviewDraft) -> OutboxEntry:
        """Resolve by re-sending ``draft`` (mine or merged) against its base version."""
        return await self._run(
            self._outbox.requeue_conflict, conflict_id, resolution, draft.to_json(), draft.base_version
        )

    async def rebase_entry(self, entry_id: int, base_version: int) -> OutboxEntry:
        """Re-send against ``base_version`` under a new client_op_id (the newer version does not concern it)."""
        return await self._run(self._outbox.rebase, entry_id, base_version)

    async def take_theirs(self, conflict_id: int) -> Path:
        """Resolve by keeping the server's version: export mine, then discard it. Returns the export's path."""
        conflict = await self.conflict(conflict_id)
        entry = await self.outbox_entry(conflict.outbox_id)
        export = await self._export("conflict", conflict.review_id, entry.stage, asdict(conflict))
        await self._run(self._outbox.drop_conflict, conflict_id)
        return export

    async def badges(self) -> dict[str, Badges]:
        """Per review id: has a draft / waiting to sync / in conflict / failed (only reviews with a badge)."""
        return await self._read(self._read_outbox.badges)

    async def _export(self, reason: str, review_id: str, stage: str, data: Any) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"{review_id}-{stage}"
        safe = "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "_" for c in name)
        if len(safe) > EXPORT_NAME_CHARS:  # the ids are the server's: a long one must not make the name too long
            safe = f"{safe[:EXPORT_NAME_CHARS]}-{hashlib.sha256(name.encode()).hexdigest()[:12]}"
        path = self.exports_dir / f"{reason}-{safe}-{stamp}.json"
        await self._run(write_json_file, path, data)
        return path

    # -- files ---------------------------------------------------------------------------------------------

    @property
    def media_dir(self) -> Path:
        """The mentor's own recordings (while they record, then named by content hash)."""
        return self.path.with_name(f"{self.path.stem}.media")

    @property
    def staging_dir(self) -> Path:
        """Where downloads land before :meth:`add_file` takes them in (same filesystem: the move is a rename)."""
        return self.files_dir / ".staging"

    async def cached_file(self, sha256: str) -> Path | None:
        """The cached file with this content hash, or None."""
        return await self._run(self._files.get, sha256)

    async def add_file(self, source: Path, sha256: str, *, filename: str = "", move: bool = True) -> Path:
        """Hash ``source`` (off the store thread), check it against ``sha256`` and take it into the cache.

        Raises :class:`~mentor_desk.store.files.HashMismatch` when the content differs (a moved source is deleted),
        :class:`~mentor_desk.store.files.BadFileId` when ``sha256`` is not one.
        """
        checked_sha256(sha256)
        try:
            actual = await asyncio.to_thread(sha256_of, source)
        except OSError as error:
            if is_disk_full(error):
                raise DiskFull(self.path) from error
            raise
        return await self._run(self._files.add, source, sha256, actual, filename=filename, move=move)

    async def evict_files(self) -> list[str]:
        return await self._run(self._files.evict)

    async def file_cache_bytes(self) -> int:
        """What the cached evidence files take on disk."""
        return await self._run(self._files.total_bytes)

    async def set_file_cache_cap(self, cap_bytes: int) -> list[str]:
        """Change the file cache's budget; files beyond it (least recently used first) go at once."""

        def apply() -> list[str]:
            self._files.cap_bytes = cap_bytes
            return self._files.evict()

        return await self._run(apply)

def _json(draft: ReviewDraft | Mapping[str, Any]) -> dict[str, Any]:
    """What the drafts and outbox tables keep of a draft."""
    return draft.to_json() if isinstance(draft, ReviewDraft) else dict(draft)
