"""``mentor-desk sync --once`` without the GUI: exit codes and sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentor_desk.api.credentials import TokenVault
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.sync.headless import EXIT_OK, EXIT_SIGN_IN, EXIT_UNREACHABLE, EXIT_WORK_LEFT, sync_once_headless

from .conftest import MENTOR, MFA_MENTOR, open_desk, signed_in
from .scenarios import awaiting, server_row, v1_draft

pytestmark = pytest.mark.asyncio


async def _queue_offline(url: str, data_dir: Path, count: int = 1, **overrides: object) -> list[str]:
    """Submit reviews into the outbox as the app would, without syncing them."""
    desk = await open_desk(url, data_dir)
    try:
        items = await awaiting(desk, count)
        for item in items:
            await desk.engine.submit(item.id, "", v1_draft(item, **overrides))
        return [item.id for item in items]
    finally:
        await desk.store.close()
        await desk.client.aclose()


async def test_sends_what_is_waiting_and_exits_zero(v1_platform: SandboxServer, tmp_path: Path) -> None:
    ids = await _queue_offline(v1_platform.url, tmp_path, 2)
    said: list[str] = []
    code = await sync_once_headless(v1_platform.url, MENTOR[0], tmp_path, password=MENTOR[1], say=said.append)
    assert code == EXIT_OK
    assert said[-1].startswith("Sync finished: 2 sent")
    checker = await open_desk(v1_platform.url, tmp_path / "checker")
    try:
        for review_id in ids:
            assert (await server_row(checker, review_id)).status == "approved"
    finally:
        await checker.store.close()
        await checker.client.aclose()


async def test_a_stored_session_is_enough(sandbox: SandboxServer, tmp_path: Path) -> None:
    client = await signed_in(sandbox.url)
    assert client.session is not None
    vault = TokenVault(tmp_path / "session.json", use_keyring=False)  # kept in memory
    await vault.save(sandbox.url, MENTOR[0], client.session)
    await client.aclose()
    said: list[str] = []
    code = await sync_once_headless(sandbox.url, MENTOR[0], tmp_path, vault=vault, say=said.append)
    assert code == EXIT_OK, said
    assert "queue changes received" in said[-1]


async def test_work_left_in_conflict_exits_one(v1_platform: SandboxServer, tmp_path: Path) -> None:
    await _queue_offline(v1_platform.url, tmp_path, 1, server_updated_at="2020-01-01T00:00:00+00:00")
    said: list[str] = []
    code = await sync_once_headless(v1_platform.url, MENTOR[0], tmp_path, password=MENTOR[1], say=said.append)
    assert code == EXIT_WORK_LEFT
    assert "1 in conflict (resolve them in the app)" in said[-1]


async def test_sign_in_problems_exit_two(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    assert await sync_once_headless(sandbox.url, MENTOR[0], tmp_path, password="wrong", say=said.append) == 2
    assert "password is not correct" in said[-1]
    code = await sync_once_headless(sandbox.url, MFA_MENTOR[0], tmp_path, password=MFA_MENTOR[1], say=said.append)
    assert code == EXIT_SIGN_IN and "verification code" in said[-1]
    monkeypatch.delenv("MENTOR_DESK_PASSWORD", raising=False)
    assert await sync_once_headless(sandbox.url, MENTOR[0], tmp_path, say=said.append) == EXIT_SIGN_IN
    assert "MENTOR_DESK_PASSWORD" in said[-1]
    monkeypatch.setenv("MENTOR_DESK_PASSWORD", MENTOR[1])
    assert await sync_once_headless(sandbox.url, MENTOR[0], tmp_path, say=said.append) == EXIT_OK
    assert not any(MENTOR[1] in line for line in said)


async def test_unreachable_platform_exits_three(tmp_path: Path) -> None:
    from .conftest import free_port

    said: list[str] = []
    code = await sync_once_headless(
        f"http://127.0.0.1:{free_port()}", MENTOR[0], tmp_path, password=MENTOR[1], say=said.append
    )
    assert code == EXIT_UNREACHABLE
    assert "cannot be reached" in said[-1]
