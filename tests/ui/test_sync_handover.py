"""The app and ``mentor-desk sync --once`` share the stored session: after a headless sync renewed it (the
platform rotates refresh tokens), the app's next start resumes it without asking for the password."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.credentials import FILE_NAME, TokenVault
from mentor_desk.api.errors import MfaRequired
from mentor_desk.api.session import Session
from mentor_desk.app import AppShell
from mentor_desk.paths import PASSWORD_ENV, AppPaths
from mentor_desk.sandbox.accounts import demo_totp_secret
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.sync.headless import EXIT_OK, sync_once_headless
from mentor_desk.ui.crash import CrashHandler
from mentor_desk.ui.settings import AppSettings

Runner = Callable[..., Any]

EMAIL, PASSWORD = "mfa-mentor@demo.och", "mfa-mentor-demo"  # an MFA-verified session is one OCH renews
ACCESS_TTL = 2  # seconds: short, so that every start renews; not so short that a renewed token dies in a slow retry


@pytest.fixture
def short_lived(tmp_path: Path) -> Iterator[SandboxServer]:
    """A platform whose access tokens expire after a second: every start has to renew the session."""
    with SandboxServer(SandboxConfig(db_path=tmp_path / "platform.sqlite3", access_ttl=ACCESS_TTL)) as server:
        yield server


@pytest.fixture
def apps(run: Runner) -> Iterator[list[AppShell]]:
    made: list[AppShell] = []
    yield made
    for app in made:
        run(app.shutdown())
        if app.window is not None:
            app.window.closed.disconnect()  # in the app, closing the main window quits
            app.window.close()


async def mfa_session(url: str) -> Session:
    async with PlatformClient(url) as client:
        try:
            await client.login(EMAIL, PASSWORD)
        except MfaRequired as needed:
            assert needed.challenge is not None
            await client.complete_mfa(needed.challenge, pyotp.TOTP(demo_totp_secret()).now())
        assert client.session is not None
        return client.session


def test_the_app_resumes_the_session_a_headless_sync_renewed(
    short_lived: SandboxServer,
    apps: list[AppShell],
    settings: AppSettings,
    paths: AppPaths,
    run: Runner,
    until: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    settings.remember_server(short_lived.url, EMAIL)
    settings.set_token_file_opt_in(True)
    vault = TokenVault(paths.data_dir / FILE_NAME, allow_file=True, use_keyring=False)
    signed_in = run(mfa_session(short_lived.url))
    run(vault.save(short_lived.url, EMAIL, signed_in))
    run(asyncio.sleep(ACCESS_TTL + 0.1))

    said: list[str] = []
    assert run(sync_once_headless(short_lived.url, EMAIL, paths.data_dir, say=said.append)) == EXIT_OK, said
    renewed = run(vault.load(short_lived.url, EMAIL))
    assert renewed is not None and renewed.refresh_token != signed_in.refresh_token
    run(asyncio.sleep(ACCESS_TTL + 0.1))  # the app, too, must renew: with the token the sync wrote back

    app = AppShell(settings, paths, CrashHandler())
    apps.append(app)
    run(app.start())
    window, account = app.window, app.account
    assert app.sign_in is None and window is not None and account is not None, "the stored session was resumed"
    until(lambda: account.connected and window.status_connectivity.text().endswith("Online"), 30)
    assert app._reauth is None, "the app did not have to ask for the password"
    run(renewal_of(vault, short_lived.url, renewed))


async def renewal_of(vault: TokenVault, url: str, session: Session) -> Session:
    """The session ``vault`` keeps once the app renewed ``session`` in turn (it saves in the background)."""
    for _ in range(200):
        kept = await vault.load(url, EMAIL)
        if kept is not None and kept.refresh_token != session.refresh_token:
            return kept
        await asyncio.sleep(0.05)
    raise AssertionError("the app did not keep a renewed session")
