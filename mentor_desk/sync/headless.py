"""``mentor-desk sync --once``: push what is waiting and pull the queue, without the GUI.

It signs in with the session the app keeps for the account (the keyring's, else the opt-in file's in the data
directory), so a mentor who signed in to the app once can run it from cron; the password is asked for only
when there is no usable session. A session the platform renews on the way (refresh tokens rotate) is written
back where it was found, so the app's next start still resumes it.

Exit codes: 0 everything reached the platform (nothing pending, no conflict, nothing failed); 1 work is left
(still pending after the time allowed, conflicts/failures that need the mentor in the app, or the platform
refused a request); 2 could not sign in; 3 the platform could not be reached; 4 the local store could not be
used.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.credentials import FILE_NAME, StoredSession, TokenVault, VaultError
from mentor_desk.api.errors import MfaRequired, PlatformError, SessionExpired, is_transient
from mentor_desk.api.session import Session
from mentor_desk.domain.preferences import DEFAULT_TLS, TlsSettings
from mentor_desk.paths import PASSWORD_ENV, default_data_dir
from mentor_desk.store import Store, StoreError
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.sync.events import SyncReport

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_WORK_LEFT = 1
EXIT_SIGN_IN = 2
EXIT_UNREACHABLE = 3
EXIT_STORE = 4


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


async def sync_once_headless(
    server_url: str,
    email: str,
    data_dir: Path | None = None,
    *,
    password: str | None = None,
    ask_password: Callable[[], str] | None = None,
    vault: TokenVault | None = None,
    allow_insecure_http: bool = False,
    tls: TlsSettings = DEFAULT_TLS,
    time_limit: float = 120.0,
    say: Callable[[str], None] = _stderr,
) -> int:
    """Sign in, then sync until nothing is pending or ``time_limit`` seconds pass (entries rescheduled after a
    transient error are retried when due). Reports in sentences through ``say``; returns an exit code (see the
    module docstring).

    The session kept in ``vault`` (by default the app's: the keyring, or the opt-in file in ``data_dir`` when
    the user opted in) is used first. Only when there is none, or the platform refuses it, is a password
    used: ``password``, else ``$MENTOR_DESK_PASSWORD``, else what ``ask_password`` (a terminal prompt) answers.
    """
    if vault is None:
        vault_file = (data_dir or default_data_dir()) / FILE_NAME
        vault = TokenVault(vault_file, allow_file=vault_file.exists())  # the file exists only if opted in
    try:
        client = PlatformClient(server_url, allow_insecure_http=allow_insecure_http, tls=tls)
    except PlatformError as error:
        say(error.user_message)
        return EXIT_UNREACHABLE
    async with client:
        kept = _KeptSession(vault, client.server_url, email, await vault.lookup(client.server_url, email))
        client.on_session_changed = kept.renewed
        try:
            code = await _sign_in(client, email, kept.stored, password, ask_password, say)
            if code is not None:
                return code
            return await _sync_into_store(client, email, data_dir, time_limit, say)
        finally:
            client.on_session_changed = None
            await kept.written(say)


class _KeptSession:
    """The stored session in use, written back where it was found whenever the platform renews it.

    A session the platform refuses is not erased (the app may hold a newer one by now); a password sign-in
    after it takes its place. Without a stored session nothing is written: signing in here with a password
    does not start keeping one."""

    def __init__(self, vault: TokenVault, server_url: str, email: str, stored: StoredSession | None) -> None:
        self.stored = stored
        self._vault = vault
        self._server_url = server_url
        self._email = email
        self._latest: Session | None = None
        self._writing: asyncio.Task[None] | None = None
        self._failure: VaultError | None = None

    def renewed(self, session: Session | None) -> None:
        """``client.on_session_changed``: write ``session`` back (one write at a time, the latest last)."""
        if session is None or self.stored is None:
            return
        self._latest = session
        if self._writing is None or self._writing.done():
            self._writing = asyncio.ensure_future(self._write())

    async def _write(self) -> None:
        assert self.stored is not None
        while self._latest is not None:
            session, self._latest = self._latest, None
            try:
                await self._vault.save(self._server_url, self._email, session, into=self.stored.backend)
            except VaultError as error:
                self._failure = error

    async def written(self, say: Callable[[str], None]) -> None:
        """Wait for the last write; say so if it failed (the app will then ask for the password)."""
        if self._writing is not None:
            await self._writing
        if self._failure is not None:
            say(f"The renewed session could not be saved ({self._failure}): the app will ask you to sign in again.")


async def _sign_in(
    client: PlatformClient,
    email: str,
    stored: StoredSession | None,
    password: str | None,
    ask_password: Callable[[], str] | None,
    say: Callable[[str], None],
) -> int | None:
    try:
        if stored is not None:
            client.restore_session(stored.session)
            try:
                await client.me()
                return None
            except SessionExpired:
                log.info("the stored session was refused; signing in with the password if there is one")
        if password is None:
            password = os.environ.get(PASSWORD_ENV)
        if password is None and ask_password is not None:
            password = await asyncio.to_thread(ask_password)
        if password is None:
            say(
                "The stored session was refused (it expired or was signed out) and no password was given: "
                f"sign in with the app or set {PASSWORD_ENV}."
                if stored is not None
                else f"No password given and no stored session: sign in with the app or set {PASSWORD_ENV}."
            )
            return EXIT_SIGN_IN
        await client.login(email, password)
    except MfaRequired:
        say("This account needs a verification code: sign in once in the app, then run the sync again.")
        return EXIT_SIGN_IN
    except PlatformError as error:
        say(error.user_message)
        return EXIT_UNREACHABLE if is_transient(error) else EXIT_SIGN_IN
    return None


async def _sync_into_store(
    client: PlatformClient, email: str, data_dir: Path | None, time_limit: float, say: Callable[[str], None]
) -> int:
    try:
        store = await Store.open(client.server_url, email, data_dir=data_dir)
    except StoreError as error:
        say(error.user_message)
        return EXIT_STORE
    try:
        if store.recovered is not None:
            say(store.recovered.user_message)
        return await _sync(client, store, time_limit, say)
    finally:
        await store.close()


async def _sync(client: PlatformClient, store: Store, time_limit: float, say: Callable[[str], None]) -> int:
    deadline = time.monotonic() + time_limit
    try:
        info = await client.discover()
        engine = SyncEngine(client, store, mode=info.mode)
        while True:
            report = await _round(engine, deadline)
            due = await store.next_attempt_at()
            if report.pending == 0 or due is None:
                break
            wait = (datetime.fromisoformat(due) - datetime.now(UTC)).total_seconds()
            if time.monotonic() + wait > deadline:
                break
            await asyncio.sleep(max(0.0, wait))
    except SessionExpired as error:
        say(error.user_message)
        return EXIT_SIGN_IN
    except PlatformError as error:
        say(error.user_message)
        return EXIT_UNREACHABLE if is_transient(error) else EXIT_WORK_LEFT
    except StoreError as error:
        say(error.user_message)
        return EXIT_STORE
    say(_summary(report))
    return EXIT_OK if report.all_sent else EXIT_WORK_LEFT


async def _round(engine: SyncEngine, deadline: float) -> SyncReport:
    """One sync round, repeated after a transient failure while time allows."""
    while True:
        try:
            return await engine.sync_once()
        except PlatformError as error:
            if not is_transient(error) or time.monotonic() + 1 > deadline:
                raise
            await asyncio.sleep(1)


def _summary(report: SyncReport) -> str:
    parts = [f"{report.pushed} sent", f"{report.pulled} queue changes received"]
    if report.pending:
        parts.append(f"{report.pending} still waiting to be sent")
    if report.conflicts:
        parts.append(f"{report.conflicts} in conflict (resolve them in the app)")
    if report.failed:
        parts.append(f"{report.failed} refused by the platform (see the sync panel in the app)")
    return "Sync finished: " + ", ".join(parts) + "."
