"""What the main window asks of the rest of the app (implemented in the composition root, ``app.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from mentor_desk.domain.queue import QueueItem
from mentor_desk.store.cache import QueueHead
from mentor_desk.store.outbox import Badges, OutboxState
from mentor_desk.ui.review.services import Mode, ReviewServices

if TYPE_CHECKING:
    from mentor_desk.ui.sync_panel import SyncServices


class DeskServices(Protocol):
    """The queue's data and the few actions the main window starts. Every coroutine runs on the qasync loop.

    Platform failures are raised as the api's ``PlatformError`` subclasses (``SessionExpired`` included),
    local ones as the store's ``StoreError`` subclasses; both carry ``user_message``.
    """

    @property
    def server(self) -> str: ...

    @property
    def user_name(self) -> str: ...

    @property
    def mode(self) -> Mode: ...

    @property
    def review_services(self) -> ReviewServices: ...

    @property
    def sync_services(self) -> SyncServices: ...

    async def cached_queue(self) -> list[QueueItem]:
        """The queue as the store has it (works offline)."""
        ...

    async def cached_queue_head(self, limit: int) -> QueueHead:
        """The first ``limit`` items of :meth:`cached_queue` and how many it holds (a first screenful)."""
        ...

    async def badges(self) -> Mapping[str, Badges]:
        """Local badges per review id (drafts, waiting to sync, conflicts)."""
        ...

    async def outbox_counts(self) -> Mapping[OutboxState, int]:
        """How many outbox entries are in each state (for the status bar)."""
        ...

    async def pull(self) -> None:
        """Fetch the queue from the server into the store (no-op while working offline)."""
        ...

    async def claim(self, review_id: str) -> str | None:
        """Claim the review before opening it (layer B). Returns the other mentor's name when it is taken."""
        ...
