"""The app's services over the real parts: :class:`PlatformDesk` implements
:class:`~mentor_desk.ui.desk.DeskServices` (main window), :class:`~mentor_desk.ui.sync_panel.SyncServices`
(outbox panel) and :class:`~mentor_desk.ui.review.services.ReviewServices` (review workspace) over the platform
client, the store and the sync engine.

Reads prefer the network while online and fall back to the store's cache when the platform cannot be reached,
so a mentor can keep reviewing offline; writes always go to the store first (drafts, outbox) and reach the
server through the sync engine.

The desk exists before the platform client does: start-up shows the cached queue first and loads the network
stack (httpx, pydantic models, keyring) afterwards, then hands the client and the engine over with
:meth:`PlatformDesk.connect`. Calls that need them wait until then; the wire models are imported on first use.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mentor_desk.store.cache import DocumentKind, QueueHead
from mentor_desk.store.outbox import Badges, Conflict, OutboxEntry, OutboxState
from mentor_desk.ui.review.services import DraftPayload, EvidenceFileRef, Mode, ProgressCallback

if TYPE_CHECKING:
    from mentor_desk.api.client import PlatformClient
    from mentor_desk.api.models import ReviewDetail
    from mentor_desk.domain.queue import QueueItem
    from mentor_desk.store.store import Store

log = logging.getLogger(__name__)

COMMENT_LIBRARY_FILE = "comment_library.json"


class SyncPort(Protocol):
    """The parts of the sync engine the desk uses."""

    async def sync_once(self) -> Any: ...

    async def submit(self, review_id: str, stage: str, payload: Mapping[str, Any]) -> Any: ...

    async def resolve_conflict(self, conflict_id: int, resolution: str | Mapping[str, Any]) -> Any: ...

    def wake(self) -> None: ...


class PlatformDesk:
    """One signed-in (or offline) mentor on one server."""

    def __init__(self, store: Store, *, server: str, mode: Mode, user_name: str, data_dir: Path) -> None:
        self.store = store
        self.client: PlatformClient | None = None
        self.sync: SyncPort | None = None
        self._server = server
        self._mode: Mode = mode
        self._user_name = user_name
        self._data_dir = data_dir
        self._connection: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.offline = False

    def connect(self, client: PlatformClient, sync: SyncPort) -> None:
        """Hand over the platform client and the sync engine; calls waiting for them go on."""
        self.client, self.sync = client, sync
        self._server = client.server_url
        self._connection.set_result(None)

    def cannot_connect(self, error: Exception) -> None:
        """No client can be made (e.g. a refused server address): calls that need one raise ``error``."""
        self._connection.set_exception(error)
        self._connection.exception()  # retrieved here: asyncio need not warn about it

    @property
    def connected(self) -> bool:
        return self._connection.done() and self._connection.exception() is None

    async def _client(self) -> PlatformClient:
        await self._connection
        assert self.client is not None
        return self.client

    async def _engine(self) -> SyncPort:
        await self._connection
        assert self.sync is not None
        return self.sync

    def set_identity(self, *, mode: Mode | None = None, user_name: str | None = None) -> None:
        """What the server said once reached: its API layer and the mentor's name."""
        self._mode = mode or self._mode
        self._user_name = user_name or self._user_name

    # -- DeskServices -------------------------------------------------------------------------------------

    @property
    def server(self) -> str:
        return self._server

    @property
    def user_name(self) -> str:
        return self._user_name

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def review_services(self) -> PlatformDesk:
        return self

    @property
    def sync_services(self) -> PlatformDesk:
        return self

    async def cached_queue(self) -> list[QueueItem]:
        return await self.store.queue()

    async def outbox_counts(self) -> Mapping[OutboxState, int]:
        return await self.store.outbox_counts()

    async def cached_queue_head(self, limit: int) -> QueueHead:
        return await self.store.queue_head(limit)

    async def badges(self) -> Mapping[str, Badges]:
        return await self.store.badges()

    async def pull(self) -> None:
        """One sync round: send what waits in the outbox, then fetch the queue."""
        if not self.offline:
            await (await self._engine()).sync_once()

    async def claim(self, review_id: str) -> str | None:
        """Claim the review; returns who else holds it, or None when it is mine now.

        Claiming bumps the review's version on the server. A draft of mine that started from the version just
        before my claim is moved onto the new one, so that its first push does not meet a needless conflict; a
        draft from an older version is left alone (someone else changed the review meanwhile).
        """
        from mentor_desk.api.errors import ClaimedByOther

        client = await self._client()
        try:
            await client.claim(review_id)
        except ClaimedByOther as err:
            holder = err.claimed_by
            if isinstance(holder, Mapping):
                return str(holder.get("name") or holder.get("email") or "another mentor")
            return str(holder or "another mentor")
        if self._mode == "full":
            await self._rebase_drafts_on_claim(client, review_id)
        return None

    async def _rebase_drafts_on_claim(self, client: PlatformClient, review_id: str) -> None:
        drafts = await self.store.drafts_for(review_id)
        if not drafts:
            return
        version = (await client.get_review(review_id)).version  # the re-read after claiming
        for draft in drafts:
            if draft.state == "editing" and draft.base_version == version - 1:
                await self.store.save_draft(review_id, draft.stage, {**draft.payload, "base_version": version})

    # -- ReviewServices -----------------------------------------------------------------------------------

    @property
    def comment_library_path(self) -> Path:
        return self._data_dir / COMMENT_LIBRARY_FILE

    async def load_review(self, review_id: str) -> ReviewDetail:
        """From the server while online (and cached), else from the cache."""
        from mentor_desk.api.errors import NotFound, PlatformError, is_transient
        from mentor_desk.api.models import ReviewDetail

        if not self.offline:
            try:
                detail = await self._fetch_review(review_id)
            except PlatformError as err:
                if not is_transient(err):
                    raise
                log.info("review %s: platform unreachable (%s), using the cache", review_id, type(err).__name__)
            else:
                data = detail.model_dump(mode="json")
                await self.store.put_document(DocumentKind.REVIEW_DETAIL, review_id, data, detail.version)
                return detail
        cached = await self.store.document(DocumentKind.REVIEW_DETAIL, review_id)
        if cached is None:
            raise NotFound("This review has not been opened on this computer before, so it is not available offline.")
        return ReviewDetail.model_validate(cached.data)

    async def _fetch_review(self, review_id: str) -> ReviewDetail:
        client = await self._client()
        if self._mode == "full":
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

        item = await self.store.queue_item(review_id)
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
            }
        )

    async def load_draft(self, review_id: str, stage: str) -> DraftPayload | None:
        draft = await self.store.draft(review_id, stage)
        return draft.payload if draft is not None else None  # type: ignore[return-value]

    async def save_draft(self, review_id: str, stage: str, payload: DraftPayload) -> None:
        await self.store.save_draft(review_id, stage, payload)

    async def fetch_file(self, file: EvidenceFileRef, progress: ProgressCallback | None = None) -> Path:
        cached = await self.store.cached_file(file.sha256)
        if cached is not None:
            return cached
        staged = self.store.staging_dir / f"{file.sha256}.download"
        await (await self._client()).download_file(file.url, staged, expected_sha256=file.sha256, progress=progress)
        return await self.store.add_file(staged, file.sha256, filename=file.filename)

    async def submit(self, review_id: str, stage: str, payload: DraftPayload) -> None:
        await (await self._engine()).submit(review_id, stage, payload)

    # -- SyncServices (the outbox panel) ----------------------------------------------------------------------

    async def outbox_entries(self) -> list[OutboxEntry]:
        return await self.store.outbox()

    async def retry(self, entry_id: int) -> None:
        await self.store.retry_entry(entry_id)
        if self.sync is not None:
            self.sync.wake()

    async def discard(self, entry_id: int) -> Path:
        """Export the entry to a file, then drop it. Returns the export's path."""
        return await self.store.discard_entry(entry_id)

    async def conflict_for(self, entry_id: int) -> Conflict | None:
        return next((c for c in await self.store.conflicts() if c.outbox_id == entry_id), None)

    async def resolve_conflict(self, conflict_id: int, resolution: str | dict[str, Any]) -> object:
        """Settle a conflict through the sync engine, which tells its observers (the status bar's counts).

        Taking theirs needs no network: before the engine exists (start-up, offline, a refused server) the
        store does it at once (exports mine, returns the export's path) rather than waiting for a connection.
        """
        if resolution == "theirs" and self.sync is None:
            return await self.store.take_theirs(conflict_id)
        return await (await self._engine()).resolve_conflict(conflict_id, resolution)

    async def names_for(self, review_id: str) -> dict[str, str]:
        """Titles of the review's subtasks and rubric criteria by id, from the cached detail (may be empty)."""
        from mentor_desk.api.models import ReviewDetail

        cached = await self.store.document(DocumentKind.REVIEW_DETAIL, review_id)
        if cached is None:
            return {}
        detail = ReviewDetail.model_validate(cached.data)
        names = {subtask.id: subtask.title for subtask in detail.mission.subtasks if subtask.title}
        for rubric in detail.rubrics.values():
            names.update({criterion.id: criterion.title for criterion in rubric.criteria if criterion.title})
        return names
