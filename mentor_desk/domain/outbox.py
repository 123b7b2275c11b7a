"""Local work on its way to the platform, as the store keeps it and the screens show it: outbox entries and their
states, the conflicts they ran into, and the badges the queue shows per review. Pure data (the store reads and
writes it, :mod:`mentor_desk.store.outbox`)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mentor_desk.domain.draft import ReviewDraft


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DONE = "done"
    CONFLICT = "conflict"
    FAILED = "failed"
    DISCARDED = "discarded"


OPEN_STATES = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.CONFLICT, OutboxState.FAILED)


def waiting_and_conflicts(counts: Mapping[OutboxState, int]) -> tuple[int, int]:
    """From the outbox's counts per state: how many entries still have to reach the platform (pending, being
    sent, or failed and to be retried), and how many wait for the mentor to settle a conflict."""
    waiting = sum(counts.get(state, 0) for state in (OutboxState.PENDING, OutboxState.SENDING, OutboxState.FAILED))
    return waiting, counts.get(OutboxState.CONFLICT, 0)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    review_id: str
    stage: str
    operation: str
    client_op_id: str
    base_version: int | None
    payload: dict[str, Any]
    state: OutboxState
    attempts: int
    last_error: str | None
    created_at: str
    updated_at: str
    next_attempt_at: str

    @property
    def draft(self) -> ReviewDraft:
        """The review draft a review operation (``stage_review``, ``v1_review``) carries in its payload."""
        return ReviewDraft.from_json(self.payload)


DETAILS_ERROR = "details_error"
"""Key of a conflict's ``theirs`` saying why the server's details could not be read (absent when they were)."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """The server moved on under an outbox entry: ``mine`` (what we wanted to send) vs ``theirs`` (the server)."""

    id: int
    outbox_id: int
    review_id: str
    mine: dict[str, Any]
    theirs: dict[str, Any]
    created_at: str
    resolved_at: str | None
    resolution: str | None

    @property
    def details_error(self) -> str | None:
        """Why the server's details of ``theirs`` could not be read (None when they were)."""
        value = self.theirs.get(DETAILS_ERROR)
        return str(value) if value else None


@dataclass(frozen=True, slots=True)
class Badges:
    """What the queue shows next to a review."""

    has_draft: bool = False
    waiting_to_sync: bool = False
    conflict: bool = False
    failed: bool = False
    available_offline: bool = False
    """Its details and evidence are on this computer (opened before, or prefetched)."""
