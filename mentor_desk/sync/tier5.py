"""The Tier-5 board in the store, and the outbox's sign-offs on their way to the platform.

The board is one cached document (:data:`BOARD_KEY` of ``DocumentKind.TIER5_STATUS``): the rows of layer B's
``GET /mentor/tier5/learners`` (learner, track, status, approval). On OCH v1, which lets a mentor read only their
own Tier-5 status, the rows are the mentor's own status on each Tier-5 track, marked ``own_only``.

It is pulled when asked for (the board page, F5), when the platform says ``tier5.updated``, and after a sign-off
was refused; never on every sync round (a long learner list is costly for the platform to compute).

A sign-off or revoke is an outbox entry (:data:`OP_TIER5_APPROVAL`) keyed ``tier5:{track}:{learner id}``: sent
with its ``client_op_id`` (the platform replays the first answer to a repeat), and only once the platform
answered is the cached row changed; a 409 ``requirements_not_met`` leaves the entry failed with the list.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from mentor_desk.api.client import MODE_FULL, PlatformClient
from mentor_desk.api.errors import NotFound, RequirementsNotMet, ValidationFailed
from mentor_desk.api.models import MentorApproval, Tier5Status
from mentor_desk.domain.tier5 import TRACK_CODES
from mentor_desk.store import DocumentKind, OutboxEntry, Store

log = logging.getLogger(__name__)

TIER5_EVENT = "tier5.updated"
OP_TIER5_APPROVAL = "tier5_approval"
APPROVAL_STAGE = "tier5_approval"
BOARD_KEY = "board"


def approval_key(track_code: str, learner_id: int) -> str:
    """The outbox key of a learner's sign-off on a track (it stands where a review id stands)."""
    return f"tier5:{track_code}:{learner_id}"


async def cached_board(store: Store) -> dict[str, Any] | None:
    """The board as last pulled: ``{"mode", "own_only", "rows": [...]}`` plus ``fetched_at``; None if never."""
    cached = await store.document(DocumentKind.TIER5_STATUS, BOARD_KEY)
    if cached is None or not isinstance(cached.data, dict):
        return None
    return {**cached.data, "fetched_at": cached.fetched_at}


async def pull_board(client: PlatformClient, store: Store, mode: str) -> None:
    """Fetch the board from the platform into the store (see the module docstring for the two modes)."""
    if mode == MODE_FULL:
        learners = await client.tier5_learners()
        rows = [row.model_dump(mode="json") for row in learners]
        board = {"mode": mode, "own_only": False, "rows": rows}
    else:
        me = await client.me()
        rows = []
        for code in TRACK_CODES:
            try:
                status = await client.tier5_status(code)
            except (NotFound, ValidationFailed):  # no such Tier-5 track on this server
                continue
            rows.append(
                {
                    "learner": {"id": me.id, "name": me.name, "email": me.email},
                    "track_code": code,
                    "status": status.model_dump(mode="json"),
                    "tier5_mentor_approval": status.requirements.mentor_approval,
                }
            )
        board = {"mode": mode, "own_only": True, "rows": rows}
    await store.put_document(DocumentKind.TIER5_STATUS, BOARD_KEY, board)


async def _update_row(store: Store, approval: MentorApproval, status: Tier5Status) -> None:
    """Put the platform's answer to a sign-off (and the learner's status read after it) into the cached board."""
    board = await cached_board(store)
    if board is None:
        return
    board.pop("fetched_at", None)
    for row in board.get("rows", []):
        learner = row.get("learner") or {}
        if learner.get("id") == approval.learner_id and row.get("track_code") == approval.track_code:
            row["status"] = status.model_dump(mode="json")
            row.update(
                approval.model_dump(mode="json", include={"tier5_mentor_approval", "approved_by", "approved_at"})
            )
    await store.put_document(DocumentKind.TIER5_STATUS, BOARD_KEY, board)


class Tier5Sync:
    """The engine's Tier-5 part: whether the board is due for a pull, and the sender of sign-offs."""

    def __init__(self, client: PlatformClient, store: Store, mode: str) -> None:
        self._client = client
        self._store = store
        self._mode = mode
        self._due = False
        self.sender = Tier5ApprovalSender(client, store, self)

    def heard(self, event: str) -> None:
        """A platform event arrived: the board is due after ``tier5.updated``."""
        if event == TIER5_EVENT:
            self._due = True

    def request(self) -> None:
        """Pull the board in the next round."""
        self._due = True

    async def pull(self) -> None:
        self._due = False
        try:
            await pull_board(self._client, self._store, self._mode)
        except BaseException:
            self._due = True
            raise

    async def pull_if_due(self) -> bool:
        """Pull the board when it is due; whether it was pulled."""
        if not self._due:
            return False
        await self.pull()
        return True


class Tier5ApprovalSender:
    """Sends ``tier5_approval`` entries (payload: ``track_code``, ``learner_id``, ``approved``, ``comment``)."""

    operation = OP_TIER5_APPROVAL
    concurrent = True  # each request stands alone and carries its op id

    def __init__(self, client: PlatformClient, store: Store, tier5: Tier5Sync) -> None:
        self._client = client
        self._store = store
        self._tier5 = tier5

    def start_round(self) -> None:
        pass

    async def send(self, entry: OutboxEntry) -> None:
        track, learner_id, approved, comment = _approval_fields(entry.payload)
        await self._store.mark_sending(entry.id)
        try:
            approval = await self._client.set_mentor_approval(track, learner_id, approved, comment, entry.client_op_id)
        except RequirementsNotMet:
            self._tier5.request()  # the board was out of date: show what the platform says now
            raise
        status = await self._client.tier5_status(track, learner_id)
        await _update_row(self._store, approval, status)
        await self._store.mark_done(entry.id)


def _approval_fields(payload: Mapping[str, Any]) -> tuple[str, int, bool, str]:
    """The entry's fields, checked (``ValueError`` leaves the entry failed for the mentor to look at)."""
    track, learner_id, approved = payload.get("track_code"), payload.get("learner_id"), payload.get("approved")
    comment = str(payload.get("comment") or "").strip()
    if not isinstance(track, str) or not isinstance(learner_id, int) or not isinstance(approved, bool):
        raise ValueError("the sign-off does not name a track, a learner and whether it approves")
    if not comment:
        raise ValueError("a sign-off or revoke needs a comment")
    return track, learner_id, approved, comment
