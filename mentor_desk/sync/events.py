"""What the sync engine tells its observers (plain dataclasses; the UI adapts them to Qt signals)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from mentor_desk.store import Conflict, OutboxState


class ConnectionState(enum.StrEnum):
    OFFLINE = "offline"  # the platform cannot be reached; work continues locally
    ONLINE = "online"  # reachable and idle
    SYNCING = "syncing"  # a push/pull round is running
    SIGNED_OUT = "signed_out"  # the session ended; paused until the app signs in again


@dataclass(frozen=True, slots=True)
class StateChanged:
    state: ConnectionState


@dataclass(frozen=True, slots=True)
class OutboxChanged:
    """Outbox entries per state after a change (e.g. for "3 waiting to sync")."""

    counts: Mapping[OutboxState, int]


@dataclass(frozen=True, slots=True)
class ConflictRaised:
    conflict: Conflict


@dataclass(frozen=True, slots=True)
class PullDone:
    """The cached queue changed for these review ids (added, updated or removed)."""

    changed_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Tier5Pulled:
    """The cached Tier-5 board was pulled again."""


@dataclass(frozen=True, slots=True)
class NeedsSignIn:
    """The session was refused; sync is paused until :meth:`SyncEngine.resume` after a new sign-in."""

    message: str


@dataclass(frozen=True, slots=True)
class SyncError:
    """Something went wrong that the mentor may want to read (an entry failed, the store is full...)."""

    message: str
    entry_id: int | None = None


SyncEvent = StateChanged | OutboxChanged | ConflictRaised | PullDone | Tier5Pulled | NeedsSignIn | SyncError


@dataclass(frozen=True, slots=True)
class SyncReport:
    """The outcome of one :meth:`SyncEngine.sync_once` round.

    ``pushed`` and ``pulled`` count this round's work; ``pending``, ``conflicts`` and ``failed`` count what is
    left open in the outbox afterwards (waiting to be sent, needing a conflict resolution, needing attention).
    """

    pushed: int = 0
    pulled: int = 0
    pending: int = 0
    conflicts: int = 0
    failed: int = 0
    changed_ids: tuple[str, ...] = field(default=())

    @property
    def all_sent(self) -> bool:
        """Nothing is left in the outbox in any open state."""
        return self.pending == self.conflicts == self.failed == 0
