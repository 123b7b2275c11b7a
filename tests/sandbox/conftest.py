"""Helpers for the sandbox's own tests: plain httpx clients signed in as the demo accounts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer


def sign_in(origin: str, email: str, password: str | None = None) -> httpx.Client:
    """An httpx client on ``{origin}/api/v1`` carrying the access token of a demo account."""
    password = password or email.split("@")[0] + "-demo"
    response = httpx.post(f"{origin}/api/v1/auth/login", timeout=10,
                          json={"email": email, "password": password, "device_fingerprint": "pytest"})
    assert response.status_code == 200, response.text
    return httpx.Client(base_url=f"{origin}/api/v1", timeout=10,
                        headers={"Authorization": f"Bearer {response.json()['access_token']}"})


Serve = Callable[..., SandboxServer]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start private sandboxes with custom options: ``serve(access_ttl=1)`` returns the running server."""
    servers: list[SandboxServer] = []

    def start(**options: Any) -> SandboxServer:
        config = SandboxConfig(db_path=tmp_path / f"db{len(servers)}.sqlite3", **options)
        server = SandboxServer(config)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def mentor(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with sign_in(sandbox.url, "mentor@demo.och") as client:
        yield client
