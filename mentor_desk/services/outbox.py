"""The outbox: reviews waiting to reach the platform, their states and last errors, and the conflicts they ran
into; retry, discard (exported to a file first) and conflict resolution through the sync engine."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mentor_desk.domain.outbox import Conflict, OutboxEntry, OutboxState
from mentor_desk.services.errors import says_why
from mentor_desk.store.cache import DocumentKind

if TYPE_CHECKING:
    from mentor_desk.services.account import Account


class OutboxService(Protocol):
    """What the outbox panel and the status bar ask: the store's outbox and the sync engine."""

    async def outbox_counts(self) -> Mapping[OutboxState, int]:
        """How many outbox entries are in each state (for the status bar)."""
        ...

    async def outbox_entries(self) -> list[OutboxEntry]: ...

    async def retry(self, entry_id: int) -> None: ...

    async def discard(self, entry_id: int) -> Path:
        """Export the entry to a file, then drop it. Returns the export's path."""
        ...

    async def conflict_for(self, entry_id: int) -> Conflict | None: ...

    async def resolve_conflict(self, conflict_id: int, resolution: str | dict[str, Any]) -> object: ...

    async def names_for(self, review_id: str) -> dict[str, str]:
        """Titles of the review's subtasks and rubric criteria by id (may be empty)."""
        ...


class PlatformOutbox:
    """:class:`OutboxService` over the account's store and sync engine."""

    def __init__(self, account: Account) -> None:
        self._account = account

    @says_why
    async def outbox_counts(self) -> Mapping[OutboxState, int]:
        return await self._account.store.outbox_counts()

    @says_why
    async def outbox_entries(self) -> list[OutboxEntry]:
        return await self._account.store.outbox()

    @says_why
    async def retry(self, entry_id: int) -> None:
        await self._account.store.retry_entry(entry_id)
        if self._account.sync is not None:
            self._account.sync.wake()

    @says_why
    async def discard(self, entry_id: int) -> Path:
        return await self._account.store.discard_entry(entry_id)

    @says_why
    async def conflict_for(self, entry_id: int) -> Conflict | None:
        return next((c for c in await self._account.store.conflicts() if c.outbox_id == entry_id), None)

    @says_why
    async def resolve_conflict(self, conflict_id: int, resolution: str | dict[str, Any]) -> object:
        """Settle a conflict through the sync engine, which tells its observers (the status bar's counts).

        Taking theirs needs no network: before the engine exists (start-up, offline, a refused server) the
        store does it at once (exports mine, returns the export's path) rather than waiting for a connection.
        """
        if resolution == "theirs" and self._account.sync is None:
            return await self._account.store.take_theirs(conflict_id)
        return await (await self._account.engine()).resolve_conflict(conflict_id, resolution)

    @says_why
    async def names_for(self, review_id: str) -> dict[str, str]:
        """From the cached review detail."""
        from mentor_desk.api.models import ReviewDetail

        cached = await self._account.store.document(DocumentKind.REVIEW_DETAIL, review_id)
        if cached is None:
            return {}
        detail = ReviewDetail.model_validate(cached.data)
        names = {subtask.id: subtask.title for subtask in detail.mission.subtasks if subtask.title}
        for rubric in detail.rubrics.values():
            names.update({criterion.id: criterion.title for criterion in rubric.criteria if criterion.title})
        return names
