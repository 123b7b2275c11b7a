"""Reviewing one submission: its detail, the mentor's draft, its evidence files and submitting it.

The review workspace never talks to httpx, SQLite or the sync engine itself: it is handed a
:class:`ReviewService`. :class:`PlatformReviews` implements it over the platform client, the store and the
sync engine; the tests also implement it over a real client and a real sandbox.

Reads prefer the network while online and fall back to the store's cache when the platform cannot be reached,
so a mentor can keep reviewing offline; writes always go to the store first (drafts, outbox) and reach the
server through the sync engine.

Every method is a coroutine awaited on the application's single qasync loop, so an implementation must not
block: SQLite work belongs on the store's worker thread, network work on httpx's async client.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.outbox import OutboxEntry, OutboxState
from mentor_desk.services.account import Mode
from mentor_desk.services.errors import says_why
from mentor_desk.store.cache import DocumentKind
from mentor_desk.store.errors import write_failure
from mentor_desk.store.files import checked_sha256

if TYPE_CHECKING:
    from mentor_desk.api.client import PlatformClient
    from mentor_desk.api.models import ReviewDetail
    from mentor_desk.domain.review import ReviewView  # the review's types load with the first review
    from mentor_desk.services.account import Account

log = logging.getLogger(__name__)

COMMENT_LIBRARY_FILE = "comment_library.json"

ProgressCallback = Callable[[int, "int | None"], None]
"""Called with (bytes received, total bytes or None) while a file downloads."""


class EvidenceFileRef(Protocol):
    """The parts of a review's file entry (``ReviewDetail.files[i]``) the workspace uses."""

    @property
    def id(self) -> str: ...

    @property
    def filename(self) -> str: ...

    @property
    def sha256(self) -> str: ...

    @property
    def url(self) -> str: ...


@runtime_checkable
class ReviewService(Protocol):
    """Everything the review workspace asks of the app. Keep it small."""

    @property
    def mode(self) -> Mode:
        """Which platform layer the signed-in server offers."""
        ...

    @property
    def comment_library_path(self) -> Path:
        """JSON file holding the mentor's reusable remarks (the workspace reads and writes it off-thread)."""
        ...

    async def load_review(self, review_id: str) -> ReviewDetail:
        """The review's full detail: from the network while online (and cached), else from the cache.

        In ``och-v1`` mode the implementation builds a ``ReviewDetail`` from what layer A offers (the queue
        row and ``GET /missions/{id}/``): subtasks without rubric ids, no files, no decision paths, no branching.
        Raises :class:`~mentor_desk.services.errors.ServiceError` when neither source has it.
        """
        ...

    async def open_review(self, review_id: str) -> ReviewView:
        """The review as the workspace shows it (at its current stage), from :meth:`load_review`'s detail,
        converted once. Raises :class:`~mentor_desk.services.errors.ServiceError` when it cannot be had."""
        ...

    async def load_draft(self, review_id: str, stage: str) -> ReviewDraft | None:
        """The saved draft for this review and stage, or None."""
        ...

    async def save_draft(self, review_id: str, stage: str, draft: ReviewDraft) -> None:
        """Persist the draft durably (the workspace calls it at most about once a second while editing)."""
        ...

    async def fetch_file(self, file: EvidenceFileRef, progress: ProgressCallback | None = None) -> Path:
        """A local path to the evidence file: from the store's file cache, else downloaded, hash-checked and
        cached. Raises :class:`~mentor_desk.services.errors.ServiceError` (hash mismatch, not found, unreachable)."""
        ...

    async def submit(self, review_id: str, stage: str, draft: ReviewDraft) -> None:
        """Turn the draft into an outbox entry for the sync engine (returns once it is safely queued)."""
        ...

    async def submission_state(self, review_id: str, stage: str) -> OutboxState | None:
        """Where this review stage's submission stands in the outbox (waiting, being sent, failed, in conflict),
        or None when none waits (never submitted here, or on the platform now)."""
        ...

    async def can_amend(self, review_id: str, stage: str) -> bool:
        """Whether this review stage's submission may still change: it waits in the outbox, not yet tried."""
        ...


class PlatformReviews:
    """:class:`ReviewService` over the account's client, store and sync engine. ``data_dir`` holds the
    comment library."""

    def __init__(self, account: Account, data_dir: Path) -> None:
        self._account = account
        self._data_dir = data_dir
        self._downloads: dict[str, asyncio.Future[Path]] = {}
        self._download_listeners: dict[str, list[ProgressCallback]] = {}

    @property
    def mode(self) -> Mode:
        return self._account.mode

    @property
    def comment_library_path(self) -> Path:
        return self._data_dir / COMMENT_LIBRARY_FILE

    @says_why
    async def load_review(self, review_id: str) -> ReviewDetail:
        from mentor_desk.api.errors import NotFound, PlatformError, is_transient
        from mentor_desk.api.models import ReviewDetail

        store = self._account.store
        if not self._account.offline:
            try:
                detail = await self._fetch_review(review_id)
            except PlatformError as err:
                if not is_transient(err):
                    raise
                log.info("review %s: platform unreachable (%s), using the cache", review_id, type(err).__name__)
            else:
                data = detail.model_dump(mode="json")
                await store.put_document(DocumentKind.REVIEW_DETAIL, review_id, data, detail.version)
                return detail
        cached = await store.document(DocumentKind.REVIEW_DETAIL, review_id)
        if cached is None:
            raise NotFound("This review has not been opened on this computer before, so it is not available offline.")
        return ReviewDetail.model_validate(cached.data)

    async def _fetch_review(self, review_id: str) -> ReviewDetail:
        client = await self._account.connected_client()
        if self._account.mode == "full":
            return await client.get_review(review_id)
        return await self._v1_review(client, review_id)

    async def _v1_review(self, client: PlatformClient, review_id: str) -> ReviewDetail:
        """OCH v1 has no review detail: build one from the queue row and ``GET /missions/{id}/``.

        Subtasks come without rubric ids (the workspace uses its own rubric files), and there are no files,
        decision paths, stages or versions (``version`` keeps the model's default, 0; the v1 push path never
        sends it): the workspace says so plainly.
        """
        from mentor_desk.api.errors import NotFound
        from mentor_desk.api.models import ReviewDetail

        item = await self._account.store.queue_item(review_id)
        if item is None:
            raise NotFound("This submission is no longer in your queue. Refresh the queue (F5).")
        mission = await client.v1_mission(item.mission_id)
        return ReviewDetail.model_validate(
            {
                "id": item.id,
                "kind": item.kind,
                "status": item.status,
                "attempt": item.attempt,
                "submitted_at": item.submitted_at.isoformat() if item.submitted_at else None,
                # the queue row's change time: drafts record it, so the sync engine sees a review that moved on
                "updated_at": item.updated_at.isoformat() if item.updated_at else None,
                "ai_score": item.ai_score,
                "learner": {
                    "id": item.learner_id,
                    "uuid_id": item.learner_uuid,
                    "name": item.learner_name,
                    "email": item.learner_email,
                },
                "mission": {
                    "id": mission.id,
                    "title": mission.title or item.mission_title,
                    "code": mission.code or item.mission_code,
                    "track": mission.track or item.track,
                    "tier": mission.tier or item.tier,
                    "subtasks": [
                        {"id": s.id, "title": s.title, "description": s.description, "weight": 1}
                        for s in mission.subtasks
                    ],
                },
                "history": await self._v1_history(review_id, item.attempt),
            }
        )

    async def _v1_history(self, review_id: str, attempt: int) -> list[dict[str, Any]]:
        """OCH v1 keeps no earlier reviews: the earlier attempts' reviews this computer delivered (the outbox keeps
        what it sent, for 30 days), so that a resubmission starts from the previous review as on layer B."""
        sent = await self._account.store.outbox((OutboxState.DONE,))
        return [
            {
                "attempt": entry.draft.attempt,
                "decision": entry.draft.decision,
                "mentor_score": entry.draft.mission_score,
                "feedback_written": entry.draft.feedback_written,
                "feedback_per_subtask": dict(entry.draft.feedback_per_subtask),
                "subtask_scores": entry.draft.subtask_scores,
                "decided_at": entry.updated_at,
            }
            for entry in sorted(sent, key=lambda entry: entry.id)
            if entry.review_id == review_id and entry.draft.decision and entry.draft.attempt < attempt
        ]

    @says_why
    async def open_review(self, review_id: str) -> ReviewView:
        from mentor_desk.services.review_view import review_view  # the wire models load with the first review

        return review_view(await self.load_review(review_id), rubric_file=self._account.rubric_file)

    @says_why
    async def load_draft(self, review_id: str, stage: str) -> ReviewDraft | None:
        saved = await self._account.store.draft(review_id, stage)
        return saved.draft if saved is not None else None

    @says_why
    async def save_draft(self, review_id: str, stage: str, draft: ReviewDraft) -> None:
        await self._account.store.save_draft(review_id, stage, draft)

    @says_why
    async def fetch_file(self, file: EvidenceFileRef, progress: ProgressCallback | None = None) -> Path:
        sha256 = checked_sha256(file.sha256)  # the server's id becomes a path below: never '../' or '/'
        cached = await self._account.store.cached_file(sha256)
        if cached is not None:
            return cached
        # One download per file: the prefetcher and the evidence pane asking for the same file share it
        # (two downloads would write the same partial file), and each caller sees its progress.
        listeners = self._download_listeners.setdefault(sha256, [])
        if progress is not None:
            listeners.append(progress)
        download = self._downloads.get(sha256)
        if download is None:
            download = self._downloads[sha256] = asyncio.ensure_future(self._download(file, sha256))
            download.add_done_callback(lambda done: self._forget_download(sha256, done))
        # a caller that gives up (a superseded open, a stopped prefetch) must not cancel the others' download
        return await asyncio.shield(download)

    async def _download(self, file: EvidenceFileRef, sha256: str) -> Path:
        def progress(done: int, total: int | None) -> None:
            for listener in tuple(self._download_listeners.get(sha256, ())):
                listener(done, total)

        store = self._account.store
        staged = store.staging_dir / f"{sha256}.download"
        client = await self._account.connected_client()
        try:
            await client.download_file(file.url, staged, expected_sha256=sha256, progress=progress)
        except OSError as error:  # writing the download: a full disk or a read-only folder is said in words
            if (failure := write_failure(error, store.path, store.files_dir)) is not None:
                raise failure from error
            raise
        return await store.add_file(staged, sha256, filename=file.filename)

    def _forget_download(self, sha256: str, download: asyncio.Future[Path]) -> None:
        self._downloads.pop(sha256, None)
        self._download_listeners.pop(sha256, None)
        if not download.cancelled():
            download.exception()  # retrieved: every caller that still waits has been told already

    @says_why
    async def submit(self, review_id: str, stage: str, draft: ReviewDraft) -> None:
        if self.mode == "och-v1":  # the server has no rubrics: the sender names criteria and levels from the desk's
            from mentor_desk.services.review_view import default_rubric_data

            own = default_rubric_data(self._account.rubric_file)
            if draft.rubric_versions.get(own["id"]) == own["version"]:
                await self._account.store.put_rubric(own["id"], own["version"], own)
        await (await self._account.engine()).submit(review_id, stage, draft)

    @says_why
    async def submission_state(self, review_id: str, stage: str) -> OutboxState | None:
        entry = latest_submission(await self._account.store.outbox(), review_id, stage)
        return entry.state if entry is not None else None

    @says_why
    async def can_amend(self, review_id: str, stage: str) -> bool:
        entry = latest_submission(await self._account.store.outbox(), review_id, stage)
        return entry is not None and entry.state is OutboxState.PENDING and entry.attempts == 0


def latest_submission(entries: Iterable[OutboxEntry], review_id: str, stage: str) -> OutboxEntry | None:
    """The newest of ``entries`` that carries this review stage's review."""
    mine = [entry for entry in entries if entry.review_id == review_id and entry.stage == stage]
    return max(mine, key=lambda entry: entry.id) if mine else None
