"""The Tier-5 board and the mentor's sign-off, for the board page (no Qt).

The board is read from the store (so it works offline) and refreshed through the sync engine's Tier-5 part.
Each row joins the learner's status with what this computer knows besides: a sign-off or revoke still waiting in
the outbox ("pending confirmation": never shown as done before the platform confirms it), one the platform
refused (with its reason), and, for each missing requirement, the cached reviews that can be what blocks it.

A sign-off is refused here already when anything but the approval is missing (the platform would answer 409
``requirements_not_met``); a revoke needs a comment; on OCH v1 no sign-off is offered at all.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import pydantic

from mentor_desk.api.client import MODE_FULL
from mentor_desk.api.errors import PlatformError, Unreachable
from mentor_desk.api.models import Tier5Learner
from mentor_desk.domain.mastery import MasteryRecord, csv_rows, mastery_record
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.tier5 import (
    MissingKind,
    Readiness,
    Tier5Counts,
    blocks,
    closeness,
    missing_kind,
)
from mentor_desk.domain.words import track_title
from mentor_desk.store import OutboxEntry, OutboxState, Store, StoreError
from mentor_desk.sync.tier5 import APPROVAL_STAGE, OP_TIER5_APPROVAL, Tier5Sync, approval_key, cached_board

if TYPE_CHECKING:
    from mentor_desk.services.account import Account

NO_SIGN_OFF_ON_V1 = (
    "This server runs OCH v1, which has no way to record a mentor's Tier-5 approval, so sign-off is not offered."
)
OWN_STATUS_ONLY = (
    "OCH v1 lets a mentor read only their own Tier-5 status, not their learners': the rows below are yours."
)
_WAITING = (OutboxState.PENDING, OutboxState.SENDING)
FAILURES = (PlatformError, StoreError)
"""What the board's calls may raise besides :class:`SignOffRefused`; each carries a ``user_message``."""


class SignOffRefused(Exception):
    """A sign-off or revoke this app will not queue; ``user_message`` says why, ``missing`` lists requirements."""

    def __init__(self, user_message: str, missing: Sequence[str] = ()) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.missing = tuple(missing)


@dataclass(frozen=True, slots=True)
class BlockingReview:
    """A cached review of the learner's track that can be what keeps a requirement missing."""

    review_id: str
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class MissingItem:
    text: str  # the platform's own words
    reviews: tuple[BlockingReview, ...] = ()


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One learner on one Tier-5 track, as the board shows it."""

    learner_id: int
    learner_name: str
    learner_email: str
    track_code: str
    track_name: str
    counts: Tier5Counts
    completion: float  # the platform's completion percentage
    readiness: Readiness
    missing: tuple[MissingItem, ...]  # everything but the approval itself
    closeness: float  # 0–1, see domain.tier5.closeness
    approved: bool
    approved_by: str = ""
    approved_at: str = ""
    mastery_complete: bool = False
    pending: bool | None = None  # a sign-off (True) or revoke (False) waits for the platform's confirmation
    refused: str = ""  # why the platform refused the last sign-off or revoke

    @property
    def key(self) -> str:
        return approval_key(self.track_code, self.learner_id)

    @property
    def ready_for_sign_off(self) -> bool:
        """Everything but the approval holds, the approval is required and not given, nothing waits."""
        return self.readiness.can_approve and self.counts.mentor_approval_required and self.pending is None


@dataclass(frozen=True, slots=True)
class Board:
    rows: tuple[BoardRow, ...]
    fetched_at: str | None  # None: never pulled on this computer
    sign_off_offered: bool
    note: str = ""  # what this server cannot provide, in one sentence (empty in full mode)


class Tier5Services(Protocol):
    """What the board page asks for. Store failures raise ``StoreError``, platform ones ``PlatformError``."""

    async def cached_board(self) -> Board:
        """The board as this computer has it (works offline)."""
        ...

    async def refresh_board(self) -> Board:
        """Pull the board from the platform, then :meth:`cached_board`."""
        ...

    async def mastery_record(self, row: BoardRow) -> MasteryRecord:
        """The learner's record on the row's track, from the details of their reviews there."""
        ...

    async def export_csv(self, record: MasteryRecord, path: Path) -> None:
        """Write the record's scores to ``path`` as CSV (in a worker thread)."""
        ...

    async def sign_off(self, row: BoardRow, *, approved: bool, comment: str) -> None:
        """Queue a sign-off (``approved``) or revoke; raises :class:`SignOffRefused` when it cannot be sent."""
        ...


class EnginePort(Protocol):
    tier5: Tier5Sync

    def wake(self) -> None: ...


class Tier5Service:
    """:class:`Tier5Services` over the store and (once connected) the sync engine."""

    def __init__(
        self,
        store: Store,
        mode: Callable[[], str],
        engine: Callable[[], EnginePort | None],
        load_review: Callable[[str], Awaitable[Any]] | None = None,
    ) -> None:
        """``mode``: the desk's current mode; ``engine``: the running sync engine, None before it exists;
        ``load_review``: a review's detail (online, else cached), for mastery records."""
        self._store = store
        self._mode = mode
        self._engine = engine
        self._load_review = load_review

    async def mastery_record(self, row: BoardRow) -> MasteryRecord:
        if self._load_review is None:
            raise Unreachable("Review details cannot be read here, so there is no mastery record to show.")
        items = [i for i in await self._store.queue() if i.learner_id == row.learner_id and i.track == row.track_code]
        details = []
        for item in items:
            detail = await self._load_review(item.id)
            details.append(detail.model_dump(mode="json") if hasattr(detail, "model_dump") else dict(detail))
        return await asyncio.to_thread(mastery_record, row.learner_name, row.learner_email, row.track_code, details)

    async def export_csv(self, record: MasteryRecord, path: Path) -> None:
        await asyncio.to_thread(_write_csv, path, csv_rows(record))

    @property
    def sign_off_offered(self) -> bool:
        return self._mode() == MODE_FULL

    async def cached_board(self) -> Board:
        data = await cached_board(self._store)
        entries = [e for e in await self._store.outbox() if e.operation == OP_TIER5_APPROVAL]
        queue = await self._store.queue() if data and data.get("rows") else []
        rows = await asyncio.to_thread(build_rows, (data or {}).get("rows") or [], entries, queue)
        return Board(
            rows=rows,
            fetched_at=data.get("fetched_at") if data else None,
            sign_off_offered=self.sign_off_offered,
            note="" if self.sign_off_offered else f"{OWN_STATUS_ONLY} {NO_SIGN_OFF_ON_V1}",
        )

    async def refresh_board(self) -> Board:
        engine = self._engine()
        if engine is None:
            raise Unreachable("Not connected to the platform yet: showing the board as this computer has it.")
        await engine.tier5.pull()
        return await self.cached_board()

    async def sign_off(self, row: BoardRow, *, approved: bool, comment: str) -> None:
        if not self.sign_off_offered:
            raise SignOffRefused(NO_SIGN_OFF_ON_V1)
        comment = comment.strip()
        if not comment:
            raise SignOffRefused("Write a comment: the platform keeps it with the " + _what(approved) + ".")
        if approved and row.readiness.blocking:
            raise SignOffRefused(
                "Not every requirement but the approval holds yet: " + "; ".join(row.readiness.blocking) + ".",
                row.readiness.blocking,
            )
        if approved and row.approved:
            raise SignOffRefused(f"{row.learner_name} is already signed off on {track_title(row.track_code)}.")
        if not approved and not row.approved:
            raise SignOffRefused(f"{row.learner_name} has no approval on {track_title(row.track_code)} to revoke.")
        for entry in await self._store.outbox((OutboxState.FAILED,)):
            if entry.review_id == row.key:  # a refused attempt would hold the new one back: keep a copy, drop it
                await self._store.discard_entry(entry.id)
        payload = {"track_code": row.track_code, "learner_id": row.learner_id, "approved": approved, "comment": comment}
        await self._store.enqueue(row.key, APPROVAL_STAGE, OP_TIER5_APPROVAL, payload)
        engine = self._engine()
        if engine is not None:
            engine.wake()


def platform_tier5(account: Account) -> Tier5Service:
    """The board's services over ``account``'s store and, once connected, its sync engine."""

    def engine() -> EnginePort | None:
        sync = account.sync
        return cast("EnginePort", sync) if account.connected and hasattr(sync, "tier5") else None

    from mentor_desk.services.reviews import PlatformReviews

    reviews = PlatformReviews(account, account.store.path.parent)
    return Tier5Service(account.store, lambda: account.mode, engine, reviews.load_review)


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _what(approved: bool) -> str:
    return "sign-off" if approved else "revoke"


def build_rows(
    rows: Iterable[Mapping[str, Any]], entries: Iterable[OutboxEntry], queue: Iterable[QueueItem]
) -> tuple[BoardRow, ...]:
    """Board rows from the cached learner rows, the open ``tier5_approval`` outbox entries and the cached queue
    (for the reviews that block a requirement). Rows that cannot be read are left out, not fatal."""
    open_entries: dict[str, OutboxEntry] = {}
    for entry in entries:  # oldest first: the newest open entry of a learner wins
        open_entries[entry.review_id] = entry
    reviews: dict[tuple[int | None, str], list[QueueItem]] = {}
    for item in queue:
        reviews.setdefault((item.learner_id, item.track), []).append(item)
    board = []
    for raw in rows:
        try:
            learner = Tier5Learner.model_validate(raw)
        except pydantic.ValidationError:
            continue
        if learner.learner.id is None:
            continue
        board.append(_row(learner, open_entries, reviews.get((learner.learner.id, learner.track_code), [])))
    return tuple(board)


def _row(learner: Tier5Learner, entries: Mapping[str, OutboxEntry], items: list[QueueItem]) -> BoardRow:
    status = learner.status
    learner_id = int(learner.learner.id or 0)
    entry = entries.get(approval_key(learner.track_code, learner_id))
    pending = bool(entry.payload.get("approved")) if entry is not None and entry.state in _WAITING else None
    refused = (entry.last_error or "The platform refused it.") if entry and entry.state is OutboxState.FAILED else ""
    readiness = status.readiness()
    approver = learner.approved_by
    return BoardRow(
        learner_id=learner_id,
        learner_name=learner.learner.name or learner.learner.email or f"Learner {learner_id}",
        learner_email=learner.learner.email,
        track_code=learner.track_code,
        track_name=status.track_name or learner.track_code,
        counts=status.requirements,
        completion=status.completion_percentage,
        readiness=readiness,
        missing=tuple(
            MissingItem(text, _blocking(missing_kind(text), items))
            for text in status.missing_requirements
            if missing_kind(text) is not MissingKind.APPROVAL
        ),
        closeness=closeness(status.requirements),
        approved=learner.tier5_mentor_approval or status.requirements.mentor_approval,
        approved_by=(approver.name or approver.email) if approver is not None else "",
        approved_at=learner.approved_at.isoformat() if learner.approved_at else "",
        mastery_complete=status.mastery_complete,
        pending=pending,
        refused=refused,
    )


def _blocking(kind: MissingKind, items: list[QueueItem]) -> tuple[BlockingReview, ...]:
    found = [
        item for item in items if blocks(kind, capstone=item.kind == "capstone", approved=item.status == "approved")
    ]
    found.sort(key=lambda item: (item.submitted_at is None, item.submitted_at))
    return tuple(BlockingReview(item.id, item.mission_title, item.status) for item in found)
