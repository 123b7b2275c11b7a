"""Holding the claim on the review being worked on (layer B): renewed while it is open, released when the
mentor leaves it or quits.

The platform's claims last 30 minutes and are renewed by claiming again; renewing one's own claim changes
nothing else (docs/contract-notes.md), so drafts stay current. A claim that cannot be renewed or released is
only logged: it runs out by itself, and reviewing from the cache goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mentor_desk.services.account import Account

log = logging.getLogger(__name__)

CLAIM_RENEW_S = 20 * 60.0
"""How often a held claim is renewed: well inside the platform's 30 minutes, with room for a failed try."""


class ClaimService(Protocol):
    """The claim the main window holds for the review on screen."""

    @property
    def held(self) -> str | None:
        """The review whose claim is held (and renewed), if any."""
        ...

    async def hold(self, review_id: str) -> None:
        """Keep the claim just taken on ``review_id`` (releasing any other one held) and renew it while held."""
        ...

    async def release(self) -> None:
        """Stop renewing and give the claim back (leaving the review, signing out, quitting)."""
        ...


class PlatformClaims:
    """:class:`ClaimService` over the account's platform client."""

    def __init__(self, account: Account, *, renew_every_s: float | None = None) -> None:
        self._account = account
        self._renew_every_s = CLAIM_RENEW_S if renew_every_s is None else renew_every_s
        self._held: str | None = None
        self._renewing: asyncio.Task[None] | None = None

    @property
    def held(self) -> str | None:
        return self._held

    async def hold(self, review_id: str) -> None:
        if self._held == review_id:
            return
        await self.release()
        self._held = review_id
        self._renewing = asyncio.ensure_future(self._renew(review_id))

    async def release(self) -> None:
        review_id, self._held = self._held, None
        renewing, self._renewing = self._renewing, None
        if renewing is not None:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
        client = self._account.client
        if review_id is None or client is None or self._account.offline:
            return
        from mentor_desk.api.errors import PlatformError

        try:
            await client.release_claim(review_id)
        except PlatformError as err:  # it runs out by itself
            log.info("the claim on review %s was not released: %s", review_id, type(err).__name__)

    async def _renew(self, review_id: str) -> None:
        from mentor_desk.api.errors import ClaimedByOther, PlatformError

        while True:
            await asyncio.sleep(self._renew_every_s)
            client = self._account.client
            if client is None or self._account.offline:
                continue
            try:
                await client.claim(review_id)
            except ClaimedByOther:  # it ran out and another mentor took it: not ours to renew any more
                log.info("the claim on review %s went to another mentor", review_id)
                self._held = None
                return
            except PlatformError as err:  # offline for a moment: try again at the next turn
                log.info("the claim on review %s was not renewed: %s", review_id, type(err).__name__)
