"""``mentor-desk sync --once``: push what is waiting and pull the queue, without the GUI.

Exit codes: 0 everything reached the platform (nothing pending, no conflict, nothing failed); 1 work is left
(still pending after the time allowed, conflicts/failures that need the mentor in the app, or the platform
refused a request); 2 could not sign in; 3 the platform could not be reached; 4 the local store could not be
used.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import MfaRequired, PlatformError, SessionExpired, is_transient
from mentor_desk.api.session import Session
from mentor_desk.store import Store, StoreError
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.sync.events import SyncReport

PASSWORD_ENV = "MENTOR_DESK_PASSWORD"

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
    session: Session | None = None,
    allow_insecure_http: bool = False,
    time_limit: float = 120.0,
    say: Callable[[str], None] = _stderr,
) -> int:
    """Sign in (with ``session`` when given and still valid, else ``password``, else the password in
    ``MENTOR_DESK_PASSWORD``), then sync until nothing is pending or ``time_limit`` seconds pass (entries
    rescheduled after a transient error are retried when due). Reports in sentences through ``say``; returns
    an exit code (see the module docstring)."""
    if password is None:
        password = os.environ.get(PASSWORD_ENV)
    try:
        client = PlatformClient(server_url, allow_insecure_http=allow_insecure_http)
    except PlatformError as error:
        say(error.user_message)
        return EXIT_UNREACHABLE
    async with client:
        code = await _sign_in(client, email, password, session, say)
        if code is not None:
            return code
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


async def _sign_in(
    client: PlatformClient, email: str, password: str | None, session: Session | None, say: Callable[[str], None]
) -> int | None:
    try:
        if session is not None:
            client.restore_session(session)
            try:
                await client.me()
                return None
            except SessionExpired:
                if password is None:
                    raise
        if password is None:
            say(f"No password given and no stored session: sign in with the app or set {PASSWORD_ENV}.")
            return EXIT_SIGN_IN
        await client.login(email, password)
    except MfaRequired:
        say("This account needs a verification code: sign in once in the app, then run the sync again.")
        return EXIT_SIGN_IN
    except PlatformError as error:
        say(error.user_message)
        return EXIT_UNREACHABLE if is_transient(error) else EXIT_SIGN_IN
    return None


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
