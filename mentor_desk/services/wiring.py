"""What the main window is given for one mentor on one server: who and where (:class:`Identity`) and one
service per capability. A new capability adds its field here and its module beside this one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mentor_desk.services.account import Account, Identity
from mentor_desk.services.claims import ClaimService, PlatformClaims
from mentor_desk.services.media import MediaService, PlatformMedia
from mentor_desk.services.meetings_access import PlatformMeetings
from mentor_desk.services.outbox import OutboxService, PlatformOutbox
from mentor_desk.services.prefetch import PlatformPrefetch
from mentor_desk.services.queue import PlatformQueue, QueueService
from mentor_desk.services.reviews import PlatformReviews, ReviewService

if TYPE_CHECKING:
    from mentor_desk.services.tier5 import Tier5Services


@dataclass(frozen=True)
class Services:
    identity: Identity
    queue: QueueService
    reviews: ReviewService
    outbox: OutboxService
    tier5: Callable[[], Tier5Services]
    """The Tier-5 board's services, made (and their modules loaded) on first call: not at start-up."""
    claims: ClaimService
    prefetch: PlatformPrefetch
    """Offline copies of the queue's reviews within the mentor's disk budget."""
    meetings: PlatformMeetings | None = None
    media: MediaService | None = None
    """The mentor's recordings (the review's Recordings tab); None where nothing may be recorded."""


def platform_services(account: Account, data_dir: Path) -> Services:
    """The services of ``account`` over its store, platform client and sync engine."""
    reviews = PlatformReviews(account, data_dir)
    return Services(
        identity=account,
        queue=PlatformQueue(account),
        reviews=reviews,
        outbox=PlatformOutbox(account),
        tier5=_on_first_use_tier5(account),
        claims=PlatformClaims(account),
        prefetch=PlatformPrefetch(account, reviews),
        meetings=PlatformMeetings(account, reviews),
        media=PlatformMedia(account),
    )


def _on_first_use_tier5(account: Account) -> Callable[[], Tier5Services]:
    made: list[Tier5Services] = []

    def tier5() -> Tier5Services:
        if not made:
            from mentor_desk.services.tier5 import platform_tier5

            made.append(platform_tier5(account))
        return made[0]

    return tier5
