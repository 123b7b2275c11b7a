"""Sign-in, MFA, refresh rotation, expiry and sign-out against the sandbox over loopback."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pyotp
import pytest

from mentor_desk.api import errors
from mentor_desk.api.client import PlatformClient
from mentor_desk.api.session import Session
from mentor_desk.sandbox.accounts import demo_totp_secret
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer

from .sandbox_clients import MENTOR, MFA_MENTOR, sign_in


@pytest.mark.asyncio
async def test_login_me_and_session(sandbox_v1: SandboxServer) -> None:
    changes: list[Session | None] = []
    async with PlatformClient(sandbox_v1.url) as client:
        client.on_session_changed = changes.append
        session = await client.login(MENTOR, "mentor-demo")
        me = await client.me()
    assert session.user_id == me.id and isinstance(me.id, int)
    assert me.is_mentor and me.email == MENTOR and me.name
    assert "mentor" in session.roles and session.access_token not in repr(session)
    assert changes == [session]


@pytest.mark.asyncio
async def test_wrong_password(sandbox_v1: SandboxServer) -> None:
    async with PlatformClient(sandbox_v1.url) as client:
        with pytest.raises(errors.InvalidCredentials) as caught:
            await client.login(MENTOR, "not-the-password")
    assert client.session is None
    assert "password" in caught.value.user_message and "not-the-password" not in caught.value.user_message


@pytest.mark.asyncio
async def test_not_signed_in(sandbox_v1: SandboxServer) -> None:
    async with PlatformClient(sandbox_v1.url) as client:
        with pytest.raises(errors.SessionExpired):
            await client.me()  # 401 without credentials: sign in


@pytest.mark.asyncio
async def test_mfa_flow_and_refresh_rotation(sandbox_v1: SandboxServer) -> None:
    totp = pyotp.TOTP(demo_totp_secret())
    async with PlatformClient(sandbox_v1.url) as client:
        with pytest.raises(errors.MfaRequired) as needed:
            await client.login(MFA_MENTOR, "mfa-mentor-demo")
        challenge = needed.value.challenge
        assert client.session is None and challenge.mfa_method == "totp"
        assert challenge.refresh_token not in repr(challenge)
        with pytest.raises(errors.InvalidMfaCode):
            await client.complete_mfa(challenge, str((int(totp.now()) + 1) % 1_000_000).zfill(6))
        session = await client.complete_mfa(challenge, totp.now())
        assert (await client.me()).email == MFA_MENTOR
        with pytest.raises(errors.SessionExpired):  # a challenge is good for one sign-in only
            await client.complete_mfa(challenge, totp.now())

        renewed = await client.refresh()
        assert renewed.refresh_token != session.refresh_token and renewed.user_id == session.user_id
        # Rotation: the old refresh token is dead now.
        client.restore_session(session)
        with pytest.raises(errors.SessionExpired):
            await client.refresh()
        assert client.session is None


@pytest.mark.asyncio
async def test_plain_login_refresh_means_sign_in_again(sandbox_v1: SandboxServer) -> None:
    """OCH answers 403 mfa_required when refreshing a session that never passed MFA (contract 02)."""
    async with await sign_in(sandbox_v1.url) as client:
        with pytest.raises(errors.SessionExpired) as caught:
            await client.refresh()
    assert "sign in again" in caught.value.user_message.lower()
    assert caught.value.status == 403


@pytest.mark.asyncio
async def test_expired_access_token_is_refreshed_transparently(short_lived_sandbox: SandboxServer) -> None:
    changes: list[Session | None] = []
    async with await sign_in(short_lived_sandbox.url, MFA_MENTOR) as client:
        first = client.session
        client.on_session_changed = changes.append
        await asyncio.sleep(2.1)  # past the 2-second access token lifetime
        me = await client.me()  # 401 token_not_valid → refresh → retried
        assert me.email == MFA_MENTOR
        assert client.session is not None and first is not None
        assert client.session.refresh_token != first.refresh_token
        assert changes and changes[-1] == client.session
        # Many requests failing together refresh once and all succeed.
        await asyncio.sleep(2.1)  # past the 2-second access token lifetime
        results = await asyncio.gather(*(client.me() for _ in range(4)))
        assert {r.id for r in results} == {me.id}


@pytest.mark.asyncio
async def test_expired_token_with_refused_refresh(short_lived_sandbox: SandboxServer) -> None:
    async with await sign_in(short_lived_sandbox.url, MENTOR) as client:
        await asyncio.sleep(2.1)  # past the 2-second access token lifetime
        with pytest.raises(errors.SessionExpired):
            await client.me()
        assert client.session is None


@pytest.mark.asyncio
async def test_logout_revokes(sandbox_v1: SandboxServer) -> None:
    changes: list[Session | None] = []
    async with await sign_in(sandbox_v1.url, MFA_MENTOR) as client:
        session = client.session
        assert session is not None
        client.on_session_changed = changes.append
        await client.logout()
        assert client.session is None and changes == [None]
        client.restore_session(session)
        with pytest.raises(errors.SessionExpired):
            await client.refresh()


@pytest.mark.asyncio
async def test_server_down() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with PlatformClient(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(errors.Unreachable) as caught:
            await client.login(MENTOR, "mentor-demo")
    assert errors.is_transient(caught.value)
    assert "cannot be reached" in caught.value.user_message


@pytest.mark.asyncio
async def test_slow_server_times_out(tmp_path: Path) -> None:
    config = SandboxConfig(db_path=tmp_path / "slow.sqlite3", profile="och-v1", latency_ms=600)
    with SandboxServer(config) as slow:
        async with PlatformClient(slow.url, timeout=0.2) as client:
            with pytest.raises(errors.TimedOut) as caught:
                await client.login(MENTOR, "mentor-demo")
    assert errors.is_transient(caught.value) and "too long" in caught.value.user_message
