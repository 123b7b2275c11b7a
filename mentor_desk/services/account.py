"""One mentor's account on one server: their store at once, the platform client and sync engine once
start-up has loaded them.

The account exists before the platform client does: start-up shows the cached queue first and loads the
network stack (httpx, pydantic models, keyring) afterwards, then hands the client and the engine over with
:meth:`Account.connect`. Services that need them await :meth:`Account.client` / :meth:`Account.engine`, which
wait until then.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from mentor_desk.api.client import PlatformClient
    from mentor_desk.domain.draft import ReviewDraft
    from mentor_desk.store.store import Store

Mode = Literal["full", "och-v1"]
"""``full``: the server speaks the Tier-5 review API (layer B). ``och-v1``: OCH v1 as deployed (layer A)."""


def mode_named(name: str) -> Mode:
    """The :data:`Mode` for a discovered API mode's name (anything but ``full`` is OCH v1)."""
    return "full" if name == "full" else "och-v1"


class SyncPort(Protocol):
    """The parts of the sync engine the services use."""

    async def sync_once(self) -> Any: ...

    async def submit(self, review_id: str, stage: str, draft: ReviewDraft) -> Any: ...

    async def resolve_conflict(self, conflict_id: int, resolution: str | Mapping[str, Any]) -> Any: ...

    def wake(self) -> None: ...


class Identity(Protocol):
    """Who is signed in where, as the window shows it (can change once the server answers)."""

    @property
    def server(self) -> str: ...

    @property
    def user_name(self) -> str: ...

    @property
    def mode(self) -> Mode: ...


class Account:
    """One signed-in (or offline) mentor on one server. Implements :class:`Identity`."""

    def __init__(self, store: Store, *, server: str, mode: Mode, user_name: str) -> None:
        self.store = store
        self.client: PlatformClient | None = None
        self.sync: SyncPort | None = None
        self.offline = False
        """The mentor chose to work offline: no pulls."""
        self.rubric_file = ""
        """The rubric file of the preferences, for servers without rubrics ("" for mentor_desk's own)."""
        self._server = server
        self._mode: Mode = mode
        self._user_name = user_name
        self._connection: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connect(self, client: PlatformClient, sync: SyncPort) -> None:
        """Hand over the platform client and the sync engine; calls waiting for them go on."""
        self.client, self.sync = client, sync
        self._server = client.server_url
        self._connection.set_result(None)

    def cannot_connect(self, error: Exception) -> None:
        """No client can be made (e.g. a refused server address): calls that need one raise ``error``."""
        self._connection.set_exception(error)
        self._connection.exception()  # retrieved here: asyncio need not warn about it

    @property
    def connected(self) -> bool:
        return self._connection.done() and self._connection.exception() is None

    async def connected_client(self) -> PlatformClient:
        """The platform client, once :meth:`connect` handed it over."""
        await self._connection
        assert self.client is not None
        return self.client

    async def engine(self) -> SyncPort:
        """The sync engine, once :meth:`connect` handed it over."""
        await self._connection
        assert self.sync is not None
        return self.sync

    def set_identity(self, *, mode: Mode | None = None, user_name: str | None = None) -> None:
        """What the server said once reached: its API layer and the mentor's name."""
        self._mode = mode or self._mode
        self._user_name = user_name or self._user_name

    @property
    def server(self) -> str:
        return self._server

    @property
    def user_name(self) -> str:
        return self._user_name

    @property
    def mode(self) -> Mode:
        return self._mode
