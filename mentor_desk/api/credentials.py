"""Where a signed-in session is kept between runs.

In order of preference: the OS keyring (Secret Service, Keychain, Credential Locker); otherwise memory only
(headless Linux has no keyring: ``keyring`` raises ``NoKeyringError``); or, only when the user opted in, a
file readable by the user alone (mode 0600), which the UI labels "stored unencrypted". Keyring calls may
block on D-Bus, so every method is a coroutine that runs them in a thread; ``keyring`` itself (slow to import:
it loads its backends) is imported there too, never on the GUI thread at start-up.

The app and ``mentor-desk sync --once`` share what is kept here (the file is :data:`FILE_NAME` in the data
directory). Both keep every renewed session, since the platform rotates refresh tokens and the old one then
stops working; the headless sync writes it back where it found it (:meth:`TokenVault.lookup`, then
``save(..., into=...)``).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from mentor_desk.api.session import Session

log = logging.getLogger(__name__)

SERVICE = "mentor_desk"
FILE_NAME = "session.json"
"""The opt-in file's name in the data directory."""


def _keyring() -> ModuleType:
    import keyring
    import keyring.errors

    return keyring


class Backend(enum.Enum):
    KEYRING = "the system keyring"
    FILE = "a file on this computer, stored unencrypted"
    MEMORY = "memory only (you will sign in again next time)"


class VaultError(Exception):
    """A session could not be written where it was to be kept (the keyring refused, or the file)."""


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A kept session and where it was found."""

    session: Session
    backend: Backend


class TokenVault:
    """Saves and loads sessions by (server, email)."""

    def __init__(self, file_path: Path, *, allow_file: bool = False, use_keyring: bool = True) -> None:
        self._file = file_path
        self.allow_file = allow_file
        self._use_keyring = use_keyring
        self._keyring_ok: bool | None = None
        self._memory: dict[str, Session] = {}

    @staticmethod
    def _key(server: str, email: str) -> str:
        return f"{server.rstrip('/')}|{email.lower()}"

    async def backend(self) -> Backend:
        if await self._keyring_works():
            return Backend.KEYRING
        return Backend.FILE if self.allow_file else Backend.MEMORY

    async def load(self, server: str, email: str) -> Session | None:
        stored = await self.lookup(server, email)
        return stored.session if stored is not None else None

    async def lookup(self, server: str, email: str) -> StoredSession | None:
        """The session kept for ``email`` on ``server``: the keyring's first, then the opt-in file's (when
        allowed), then one saved in memory by this process."""
        key = self._key(server, email)
        if await self._keyring_works():
            session = self._parse(await asyncio.to_thread(self._keyring_get, key))
            if session is not None:
                return StoredSession(session, Backend.KEYRING)
        if self.allow_file:
            session = self._parse((await asyncio.to_thread(self._read_file)).get(key))
            if session is not None:
                return StoredSession(session, Backend.FILE)
        session = self._memory.get(key)
        return StoredSession(session, Backend.MEMORY) if session is not None else None

    async def file_session(self, server: str, email: str) -> Session | None:
        """The session the opt-in file holds for ``email`` on ``server``, if allowed (no keyring involved: fast)."""
        if not self.allow_file:
            return None
        return self._parse((await asyncio.to_thread(self._read_file)).get(self._key(server, email)))

    @staticmethod
    def _parse(text: str | None) -> Session | None:
        if text:
            try:
                return Session.from_json(text)
            except ValueError:
                log.warning("ignoring an unreadable stored session")
        return None

    async def save(self, server: str, email: str, session: Session, *, into: Backend | None = None) -> Backend:
        """Keep ``session`` in ``into`` (where it was found, for a renewed session), by default in the best
        place available. Without a keyring or the user's opt-in, the file loses this account's entry: the
        user chose not to keep it there. :class:`VaultError` if the keyring or the file cannot be written."""
        key = self._key(server, email)
        self._memory[key] = session
        if into is None:
            into = await self.backend()
        if into is Backend.KEYRING:
            await asyncio.to_thread(self._keyring_set, key, session.to_json())
        elif into is Backend.FILE:
            await asyncio.to_thread(self._update_file, key, session.to_json())
        elif self._file.exists():
            await asyncio.to_thread(self._update_file, key, None)
        return into

    async def forget(self, server: str, email: str) -> None:
        key = self._key(server, email)
        self._memory.pop(key, None)
        if await self._keyring_works():
            await asyncio.to_thread(self._keyring_delete, key)
        if self._file.exists():
            await asyncio.to_thread(self._update_file, key, None)

    # -- keyring ------------------------------------------------------------------------------------------

    async def _keyring_works(self) -> bool:
        if self._keyring_ok is None:
            self._keyring_ok = self._use_keyring and await asyncio.to_thread(self._probe_keyring)
        return self._keyring_ok

    @staticmethod
    def _probe_keyring() -> bool:
        keyring = _keyring()
        try:
            keyring.get_password(SERVICE, "__probe__")
        except keyring.errors.KeyringError as exc:
            log.info("no usable keyring (%s): sessions stay in memory unless a file is allowed", type(exc).__name__)
            return False
        return True

    @staticmethod
    def _keyring_get(key: str) -> str | None:
        keyring = _keyring()
        try:
            return keyring.get_password(SERVICE, key)
        except keyring.errors.KeyringError:
            return None

    @staticmethod
    def _keyring_set(key: str, value: str) -> None:
        keyring = _keyring()
        try:
            keyring.set_password(SERVICE, key, value)
        except keyring.errors.KeyringError as exc:
            raise VaultError(f"the system keyring refused it ({type(exc).__name__})") from exc

    @staticmethod
    def _keyring_delete(key: str) -> None:
        keyring = _keyring()
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(SERVICE, key)

    # -- the opt-in file ----------------------------------------------------------------------------------

    def _read_file(self) -> dict[str, str]:
        try:
            data = json.loads(self._file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _update_file(self, key: str, value: str | None) -> None:
        data = self._read_file()
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
        tmp = self._file.with_suffix(".tmp")
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self._file)
        except OSError as exc:
            raise VaultError(f"{self._file} could not be written ({exc.strerror or type(exc).__name__})") from exc
