"""Offline copies of the queue: the details and evidence of the reviews waiting for the mentor, fetched in the
background within a disk budget the mentor sets, so that a review never opened before can be opened offline.

Reviews are taken in the queue's order; a review counts as available offline once its details are cached and
every evidence file of it is in the store's file cache. The budget is the file cache's cap: a review whose
files would not fit is left for when there is room (reviews already copied are never evicted to make room).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from mentor_desk.domain.status import is_awaiting_mentor
from mentor_desk.services.errors import ServiceError, says_why

if TYPE_CHECKING:
    from mentor_desk.domain.queue import QueueItem
    from mentor_desk.services.account import Account
    from mentor_desk.services.reviews import EvidenceFileRef, PlatformReviews

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OfflineCopies:
    """What is on this computer: the reviews that open offline, and the disk the evidence takes."""

    ready: frozenset[str]
    used_bytes: int
    budget_bytes: int


class PlatformPrefetch:
    """Copies reviews for offline work through the account's review service (which caches what it loads)."""

    def __init__(self, account: Account, reviews: PlatformReviews) -> None:
        self._account = account
        self._reviews = reviews

    @says_why
    async def set_budget(self, budget_bytes: int) -> None:
        """The disk the evidence may take; files beyond it go at once, least recently used first."""
        await self._account.store.set_file_cache_cap(budget_bytes)

    @says_why
    async def copies(self, items: Iterable[QueueItem], budget_bytes: int) -> OfflineCopies:
        """Which of ``items`` are on this computer now (no network)."""
        store = self._account.store
        ready = frozenset([item.id for item in items if await self._on_disk(item.id)])
        return OfflineCopies(ready, await store.file_cache_bytes(), budget_bytes)

    @says_why
    async def prefetch(self, items: Sequence[QueueItem], budget_bytes: int) -> OfflineCopies:
        """Copy the reviews of ``items`` that wait for the mentor, in order, while their evidence fits."""
        store = self._account.store
        for item in items:
            if self._account.offline or not is_awaiting_mentor(item.status) or await self._on_disk(item.id):
                continue
            try:
                detail = await self._reviews.load_review(item.id)
                needed = 0
                for file in detail.files:
                    if not await self._has(file.sha256):
                        needed += file.file_size or 0
                if await store.file_cache_bytes() + needed > budget_bytes:
                    continue  # no room for this one: maybe for a smaller one further on
                for file in detail.files:
                    if file.sha256:  # a file without a content hash cannot be cached: the review never counts
                        await self._reviews.fetch_file(cast("EvidenceFileRef", file))
            except ServiceError as err:  # offline or refused: what is copied stays, the rest waits
                log.info("prefetch of review %s stopped: %s", item.id, err.user_message)
                break
        return await self.copies(items, budget_bytes)

    async def _on_disk(self, review_id: str) -> bool:
        from mentor_desk.api.models import ReviewDetail
        from mentor_desk.store import DocumentKind

        cached = await self._account.store.document(DocumentKind.REVIEW_DETAIL, review_id)
        if cached is None:
            return False
        files = ReviewDetail.model_validate(cached.data).files
        for file in files:
            if not await self._has(file.sha256):
                return False
        return True

    async def _has(self, sha256: str | None) -> bool:
        if not sha256:
            return False
        try:
            return await self._account.store.cached_file(sha256) is not None
        except ValueError:  # not a content hash: never cached
            return False
