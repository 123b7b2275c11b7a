"""Fixtures for the client tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer


@pytest.fixture
def short_lived_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    """A private sandbox whose access tokens expire after 2 seconds."""
    with SandboxServer(SandboxConfig(db_path=tmp_path / "platform.sqlite3", profile="och-v1", access_ttl=2)) as s:
        yield s


@pytest.fixture
def fresh_v1(tmp_path: Path) -> Iterator[SandboxServer]:
    """A private ``och-v1`` sandbox for compatibility-mode tests that write."""
    with SandboxServer(SandboxConfig(db_path=tmp_path / "platform.sqlite3", profile="och-v1")) as server:
        yield server
