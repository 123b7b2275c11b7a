"""The queue: what the store has cached, its local badges, a pull from the server, and claiming a review.

Reads come from the store (they work offline); :meth:`PlatformQueue.pull` runs one sync round, which writes the
server's queue into the store. Failures are raised as :class:`~mentor_desk.services.errors.ServiceError`
(:class:`~mentor_desk.services.errors.SignInNeeded` when the session has ended).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from mentor_desk.domain.outbox import Badges
from mentor_desk.domain.queue import QueueHead
from mentor_desk.services.errors import says_why

if TYPE_CHECKING:
    from mentor_desk.api.client import PlatformClient
    from mentor_desk.domain.queue import QueueItem
    from mentor_desk.services.account import Account


class QueueService(Protocol):
    """The queue's data and the actions the main window starts on it. Every coroutine runs on the qasync loop."""

    async def cached_queue(self) -> list[QueueItem]:
        """The queue as the store has it (works offline)."""
        ...

    async def cached_queue_head(self, limit: int) -> QueueHead:
        """The first ``limit`` items of :meth:`cached_queue` and how many it holds (a first screenful)."""
        ...

    async def cached_items(self, ids: Sequence[str]) -> dict[str, QueueItem]:
        """Those of ``ids`` the store has, by id (the others have left the queue)."""
        ...

    async def badges(self) -> Mapping[str, Badges]:
        """Local badges per review id (drafts, waiting to sync, conflicts)."""
        ...

    async def pull(self) -> None:
        """Fetch the queue from the server into the store (no-op while working offline)."""
        ...

    async def claim(self, review_id: str) -> str | None:
        """Claim the review before opening it (layer B). Returns the other mentor's name when it is taken."""
        ...


class PlatformQueue:
    """:class:`QueueService` over the account's store, client and sync engine."""

    def __init__(self, account: Account) -> None:
        self._account = account

    @says_why
    async def cached_queue(self) -> list[QueueItem]:
        return await self._account.store.queue()

    @says_why
    async def cached_queue_head(self, limit: int) -> QueueHead:
        return await self._account.store.queue_head(limit)

    @says_why
    async def cached_items(self, ids: Sequence[str]) -> dict[str, QueueItem]:
        return await self._account.store.queue_items(ids)

    @says_why
    async def badges(self) -> Mapping[str, Badges]:
        return await self._account.store.badges()

    @says_why
    async def pull(self) -> None:
        """One sync round: send what waits in the outbox, then fetch the queue."""
        if not self._account.offline:
            await (await self._account.engine()).sync_once()

    @says_why
    async def claim(self, review_id: str) -> str | None:
        """Claim the review; returns who else holds it, or None when it is mine now.

        Claiming bumps the review's version on the server. A draft of mine that started from the version just
        before my claim is moved onto the new one, so that its first push does not meet a needless conflict; a
        draft from an older version is left alone (someone else changed the review meanwhile).
        """
        from mentor_desk.api.errors import ClaimedByOther

        client = await self._account.connected_client()
        try:
            await client.claim(review_id)
        except ClaimedByOther as err:
            holder = err.claimed_by
            if isinstance(holder, Mapping):
                return str(holder.get("name") or holder.get("email") or "another mentor")
            return str(holder or "another mentor")
        if self._account.mode == "full":
            await self._rebase_drafts_on_claim(client, review_id)
        return None

    async def _rebase_drafts_on_claim(self, client: PlatformClient, review_id: str) -> None:
        store = self._account.store
        drafts = await store.drafts_for(review_id)
        if not drafts:
            return
        version = (await client.get_review(review_id)).version  # the re-read after claiming
        for draft in drafts:
            if draft.state == "editing" and draft.base_version == version - 1:
                await store.save_draft(review_id, draft.stage, {**draft.payload, "base_version": version})
