"""What the main window is given for one mentor on one server: who and where (:class:`Identity`) and one
service per capability. A new capability adds its field here and its module beside this one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mentor_desk.services.account import Account, Identity
from mentor_desk.services.outbox import OutboxService, PlatformOutbox
from mentor_desk.services.queue import PlatformQueue, QueueService
from mentor_desk.services.reviews import PlatformReviews, ReviewService


@dataclass(frozen=True)
class Services:
    identity: Identity
    queue: QueueService
    reviews: ReviewService
    outbox: OutboxService


def platform_services(account: Account, data_dir: Path) -> Services:
    """The services of ``account`` over its store, platform client and sync engine."""
    return Services(
        identity=account,
        queue=PlatformQueue(account),
        reviews=PlatformReviews(account, data_dir),
        outbox=PlatformOutbox(account),
    )
