"""The mentor's recordings: where the recorder writes them, how large one may be on this platform, and the
uploads in progress (bytes sent, cancel). Uploads themselves are outbox entries the sync engine sends before the
review that refers to them (:mod:`mentor_desk.sync.media_upload`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mentor_desk.services.account import Mode

if TYPE_CHECKING:
    from mentor_desk.services.account import Account

OCH_V1_ATTACHMENT_BYTES = 10 * 1000 * 1000
"""OCH v1 takes message attachments up to 10 MB: a recording for it must fit."""

ProgressObserver = Callable[[str, int, int], None]
"""Called with (recording's sha256, bytes sent, total bytes) while it uploads, and (sha256, 0, 0) once it stops."""


def size_limit(mode: Mode) -> int | None:
    """The largest recording the platform takes, when the recorder must keep under it (OCH v1's attachments);
    None when the limit is far beyond any recording (layer B accepts gigabytes)."""
    return OCH_V1_ATTACHMENT_BYTES if mode == "och-v1" else None


def outbox_part(operation: str, payload: Mapping[str, Any]) -> str | None:
    """What an outbox entry that uploads a recording is, in words ("video recording, 4:00"); None for others."""
    from mentor_desk.sync.media_upload import MEDIA_OPERATIONS  # the network stack loads after the first paint

    if operation not in MEDIA_OPERATIONS:
        return None
    seconds = int(payload.get("duration_ms") or 0) // 1000
    kind = "video" if payload.get("kind") == "video" else "audio"
    return f"{kind} recording, {seconds // 60}:{seconds % 60:02d}"


class MediaService(Protocol):
    """What the recorder panel asks of the app."""

    @property
    def media_dir(self) -> Path: ...

    @property
    def size_limit(self) -> int | None: ...

    def watch_uploads(self, observer: ProgressObserver) -> Callable[[], None]:
        """Call ``observer`` after every uploaded chunk, once the sync engine runs. Returns an unsubscribe."""
        ...

    def cancel_upload(self, sha256: str) -> None: ...


class PlatformMedia:
    """:class:`MediaService` over the account's store (media folder) and sync engine (uploads)."""

    def __init__(self, account: Account) -> None:
        self._account = account
        self._waiting: set[asyncio.Future[object]] = set()

    @property
    def media_dir(self) -> Path:
        return self._account.store.media_dir

    @property
    def size_limit(self) -> int | None:
        return size_limit(self._account.mode)

    def watch_uploads(self, observer: ProgressObserver) -> Callable[[], None]:
        """Subscribe ``observer`` to the sync engine's uploads, now or once the account has connected (the window
        asks before the network is up)."""
        subscriptions: list[Callable[[], None]] = []
        watching = [True]

        def attach(sync: object) -> None:
            transfers = getattr(sync, "transfers", None)
            if watching[0] and transfers is not None:
                subscriptions.append(transfers.subscribe(observer))

        def unsubscribe() -> None:
            watching[0] = False
            while subscriptions:
                subscriptions.pop()()

        def connected(done: asyncio.Future[object]) -> None:
            self._waiting.discard(done)
            if not done.cancelled() and done.exception() is None:
                attach(done.result())

        if self._account.sync is not None:
            attach(self._account.sync)
        else:
            waiting: asyncio.Future[object] = asyncio.ensure_future(self._account.engine())
            self._waiting.add(waiting)
            waiting.add_done_callback(connected)
        return unsubscribe

    def cancel_upload(self, sha256: str) -> None:
        transfers = getattr(self._account.sync, "transfers", None)
        if transfers is not None:
            transfers.cancel(sha256)
