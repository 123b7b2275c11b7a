"""The Meetings page's way in: cheap to import at start-up (the meeting service, the wire models and the
agreement statistics load when the page first opens)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mentor_desk.services.account import Account
from mentor_desk.services.reviews import ReviewService

if TYPE_CHECKING:
    from mentor_desk.domain.draft import ReviewDraft
    from mentor_desk.domain.review import ReviewView
    from mentor_desk.services.meetings import MeetingService


@dataclass(frozen=True, slots=True)
class MeetingsContext:
    """What the Meetings page needs once the platform answered: the service (``None`` on OCH v1, which has no
    scoring meetings: in-room only), who I am and whether I may lead."""

    service: MeetingService | None
    my_id: int | None
    may_lead: bool


class PlatformMeetings:
    """Scoring meetings over the account's client, store and sync engine (the main window's entry point)."""

    def __init__(self, account: Account, reviews: ReviewService) -> None:
        self._account = account
        self._reviews = reviews

    async def context(self) -> MeetingsContext:
        from mentor_desk.services.meetings import MeetingService

        client = await self._account.connected_client()
        engine = await self._account.engine()
        me = await client.me()
        leads = bool({role.role for role in me.roles} & {"program_director", "admin"})
        if self._account.mode != "full":
            return MeetingsContext(None, me.id, leads)
        return MeetingsContext(MeetingService(client, self._account.store, engine), me.id, leads)

    async def candidates(self) -> list[tuple[str, str]]:
        """Reviews of my cached queue a meeting can be about, capstones first: (review id, label)."""
        items = await self._account.store.queue()
        items.sort(key=lambda item: item.kind != "capstone")
        return [(item.id, f"{'Capstone' if item.kind == 'capstone' else 'Mission'} · {item.mission_title} · "
                          f"{item.learner_name} ({item.status})") for item in items]

    async def load_review(self, review_id: str) -> ReviewView:
        return await self._reviews.open_review(review_id)

    async def deliver(self, review_id: str, stage: str, draft: ReviewDraft) -> None:
        """An in-room consensus, sent as the review exactly as the workspace submits one."""
        await self._reviews.submit(review_id, stage, draft)
