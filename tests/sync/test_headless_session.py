"""``mentor-desk sync --once`` on the session the app keeps: no password needed, the renewed session written back
where it was found (refresh tokens rotate), and a refused one answered with the sign-in exit code.

The platform here issues access tokens that live one second, so every stored session has to be renewed."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
from jaraco.classes.properties import classproperty

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.credentials import FILE_NAME, SERVICE, TokenVault
from mentor_desk.api.errors import SessionExpired
from mentor_desk.api.session import Session
from mentor_desk.paths import PASSWORD_ENV
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.sync.headless import EXIT_OK, EXIT_SIGN_IN, sync_once_headless

from .conftest import MENTOR, MFA_MENTOR, signed_in

pytestmark = pytest.mark.asyncio

ACCESS_TTL = 2.0  # seconds: short, so that every run renews; not so short that a renewed token dies in a slow retry


@pytest.fixture(scope="module")
def short_lived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A platform whose access tokens expire after a second (sessions do not interfere: read-only use)."""
    db = tmp_path_factory.mktemp("short-lived") / "platform.sqlite3"
    with SandboxServer(SandboxConfig(db_path=db, access_ttl=int(ACCESS_TTL))) as server:
        yield server


@pytest.fixture(autouse=True)
def no_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


async def stored_session(url: str, account: tuple[str, str]) -> Session:
    """A fresh session of ``account`` whose access token has expired by the time this returns."""
    client = await signed_in(url, account)
    session = client.session
    await client.aclose()
    assert session is not None
    await asyncio.sleep(ACCESS_TTL + 0.1)
    return session


def file_vault(data_dir: Path) -> TokenVault:
    """The app's opt-in file in ``data_dir`` (no keyring: this machine has none, and it is not asked)."""
    return TokenVault(data_dir / FILE_NAME, allow_file=True, use_keyring=False)


async def refreshable(url: str, session: Session) -> bool:
    """Whether the platform still renews ``session`` (what the app does on its next start)."""
    async with PlatformClient(url) as client:
        client.restore_session(session)
        try:
            await client.refresh()
        except SessionExpired:
            return False
        return True


async def test_a_stored_file_session_needs_no_password_and_its_renewal_is_written_back(
    short_lived: SandboxServer, tmp_path: Path
) -> None:
    before = await stored_session(short_lived.url, MFA_MENTOR)
    await file_vault(tmp_path).save(short_lived.url, MFA_MENTOR[0], before)
    said: list[str] = []
    code = await sync_once_headless(
        short_lived.url, MFA_MENTOR[0], tmp_path, vault=file_vault(tmp_path), say=said.append
    )
    assert code == EXIT_OK, said
    after = await file_vault(tmp_path).load(short_lived.url, MFA_MENTOR[0])
    assert after is not None and after.refresh_token != before.refresh_token
    assert after.email == before.email and after.name == before.name
    assert await refreshable(short_lived.url, after), "the session written back is the live one"
    # (Last: replaying a rotated refresh token ends the whole session on the platform.)
    assert not await refreshable(short_lived.url, before), "the platform rotated the old refresh token away"
    assert (tmp_path / FILE_NAME).stat().st_mode & 0o777 == 0o600


async def test_a_refused_session_without_a_password_exits_with_the_sign_in_code(
    short_lived: SandboxServer, tmp_path: Path
) -> None:
    client = await signed_in(short_lived.url, MFA_MENTOR)
    session = client.session
    assert session is not None
    await file_vault(tmp_path).save(short_lived.url, MFA_MENTOR[0], session)
    await client.logout()  # signed out elsewhere: the platform revokes the session
    await client.aclose()
    await asyncio.sleep(ACCESS_TTL + 0.1)
    said: list[str] = []
    code = await sync_once_headless(
        short_lived.url, MFA_MENTOR[0], tmp_path, vault=file_vault(tmp_path), say=said.append
    )
    assert code == EXIT_SIGN_IN
    assert said[-1].startswith("The stored session was refused") and PASSWORD_ENV in said[-1]
    assert await file_vault(tmp_path).load(short_lived.url, MFA_MENTOR[0]) == session, "left for the app to judge"
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".sqlite3")], "nothing was synced"


async def test_a_refused_session_with_a_password_signs_in_and_keeps_the_new_session(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = Session("expired-access", "expired-refresh", None, MENTOR[0], "Mentor", ("mentor",))
    await file_vault(tmp_path).save(sandbox.url, MENTOR[0], refused)
    monkeypatch.setenv(PASSWORD_ENV, MENTOR[1])
    said: list[str] = []
    code = await sync_once_headless(sandbox.url, MENTOR[0], tmp_path, vault=file_vault(tmp_path), say=said.append)
    assert code == EXIT_OK, said
    after = await file_vault(tmp_path).load(sandbox.url, MENTOR[0])
    assert after is not None and after.refresh_token != refused.refresh_token
    async with PlatformClient(sandbox.url) as client:
        client.restore_session(after)
        assert (await client.me()).email == MENTOR[0], "the app's next start resumes the new session"
    assert not any(MENTOR[1] in line or after.access_token in line for line in said)


async def test_a_password_sign_in_starts_no_file(sandbox: SandboxServer, tmp_path: Path) -> None:
    said: list[str] = []
    code = await sync_once_headless(sandbox.url, MENTOR[0], tmp_path, password=MENTOR[1], say=said.append)
    assert code == EXIT_OK, said
    assert not (tmp_path / FILE_NAME).exists(), "the user never opted into the file"


async def test_the_password_is_asked_for_only_without_a_usable_session(
    short_lived: SandboxServer, sandbox: SandboxServer, tmp_path: Path
) -> None:
    asked: list[str] = []

    def ask() -> str:
        asked.append("asked")
        return MENTOR[1]

    session = await stored_session(short_lived.url, MFA_MENTOR)
    await file_vault(tmp_path).save(short_lived.url, MFA_MENTOR[0], session)
    kept = await sync_once_headless(
        short_lived.url, MFA_MENTOR[0], tmp_path, vault=file_vault(tmp_path), ask_password=ask, say=print
    )
    assert kept == EXIT_OK and asked == []
    fresh = await sync_once_headless(sandbox.url, MENTOR[0], tmp_path / "other", ask_password=ask, say=print)
    assert fresh == EXIT_OK and asked == ["asked"]


async def test_a_renewal_that_cannot_be_written_is_said(short_lived: SandboxServer, tmp_path: Path) -> None:
    await file_vault(tmp_path).save(short_lived.url, MFA_MENTOR[0], await stored_session(short_lived.url, MFA_MENTOR))
    (tmp_path / FILE_NAME).with_suffix(".tmp").mkdir()  # where the file's new version is written first
    said: list[str] = []
    code = await sync_once_headless(
        short_lived.url, MFA_MENTOR[0], tmp_path, vault=file_vault(tmp_path), say=said.append
    )
    assert code == EXIT_OK, "the sync itself went through"
    assert any(line.startswith("The renewed session could not be saved") for line in said), said
    assert said[-1].endswith("the app will ask you to sign in again.")


async def test_the_file_loses_an_account_the_user_no_longer_keeps_there(tmp_path: Path) -> None:
    session = Session("access", "refresh", 7, "m@example.org", "M", ("mentor",))
    await file_vault(tmp_path).save("https://och.example.org", "m@example.org", session)
    await file_vault(tmp_path).save("https://och.example.org", "n@example.org", session)
    opted_out = TokenVault(tmp_path / FILE_NAME, allow_file=False, use_keyring=False)
    await opted_out.save("https://och.example.org", "m@example.org", session)
    assert await file_vault(tmp_path).load("https://och.example.org", "m@example.org") is None
    assert await file_vault(tmp_path).load("https://och.example.org", "n@example.org") == session


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring for the test: Secret Service needs a D-Bus session and a keyring daemon, which are not here."""

    @classproperty
    def priority(cls) -> float:
        raise RuntimeError("not viable: keyring must never choose it on its own, only the fixture sets it")

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


async def test_the_keyring_comes_first_and_gets_the_renewal(
    short_lived: SandboxServer, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    dead = await stored_session(short_lived.url, MENTOR)  # never renewable: it must not be the one used
    await file_vault(tmp_path).save(short_lived.url, MFA_MENTOR[0], dead)
    file_before = (tmp_path / FILE_NAME).read_text()
    before = await stored_session(short_lived.url, MFA_MENTOR)
    vault = TokenVault(tmp_path / FILE_NAME, allow_file=True)
    await vault.save(short_lived.url, MFA_MENTOR[0], before)
    key = f"{short_lived.url}|{MFA_MENTOR[0]}"
    assert Session.from_json(memory_keyring.items[SERVICE, key]) == before
    said: list[str] = []
    code = await sync_once_headless(
        short_lived.url,
        MFA_MENTOR[0],
        tmp_path,
        vault=TokenVault(tmp_path / FILE_NAME, allow_file=True),
        say=said.append,
    )
    assert code == EXIT_OK, said
    after = Session.from_json(memory_keyring.items[SERVICE, key])
    assert after.refresh_token != before.refresh_token and await refreshable(short_lived.url, after)
    assert (tmp_path / FILE_NAME).read_text() == file_before, "the file was neither used nor written"


async def test_cron_runs_sync_once_on_the_stored_session(short_lived: SandboxServer, tmp_path: Path) -> None:
    """The command as cron runs it: no password, no terminal, the app's data directory; no token is printed."""
    before = await stored_session(short_lived.url, MFA_MENTOR)
    await file_vault(tmp_path).save(short_lived.url, MFA_MENTOR[0], before)
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_ENV}
    env |= {"MENTOR_DESK_DATA_DIR": str(tmp_path), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "mentor_desk", "sync", "--once", "--server", short_lived.url, "--email", MFA_MENTOR[0]],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert "Sync finished" in done.stderr
    after = await file_vault(tmp_path).load(short_lived.url, MFA_MENTOR[0])
    assert after is not None and after.refresh_token != before.refresh_token
    assert await refreshable(short_lived.url, after)
    for token in (before.access_token, before.refresh_token, after.access_token, after.refresh_token):
        assert token not in done.stdout + done.stderr
