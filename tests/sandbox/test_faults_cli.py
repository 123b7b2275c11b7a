"""Fault knobs (latency, 503s, connections cut mid-body) and the foreground command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer

from .conftest import Serve, sign_in


def test_latency(serve: Serve) -> None:
    server = serve(latency_ms=300)
    started = time.perf_counter()
    response = httpx.post(f"{server.url}/api/v1/auth/login", json={"email": "x@y.z", "password": "p"})
    assert response.status_code == 401 and time.perf_counter() - started >= 0.3


def test_error_rate_spares_health(serve: Serve) -> None:
    server = serve(error_rate=1.0)
    failed = httpx.get(f"{server.url}/api/v1/auth/me")
    assert (failed.status_code, failed.json()) == (503, {"detail": "Service temporarily unavailable"})
    assert httpx.get(f"{server.url}/api/v1/health/").status_code == 200


def test_partial_error_rate_is_reproducible(serve: Serve) -> None:
    codes = []
    for _ in range(2):
        server = serve(error_rate=0.5, seed=11)
        codes.append([httpx.get(f"{server.url}/api/v1/auth/me").status_code for _ in range(20)])
    assert codes[0] == codes[1] and {401, 503} == set(codes[0])


def test_drop_rate_cuts_the_body(serve: Serve) -> None:
    server = serve(drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.post(f"{server.url}/api/v1/auth/login",
                   json={"email": "mentor@demo.och", "password": "mentor-demo"})
    assert httpx.get(f"{server.url}/api/v1/health/").status_code == 200


def test_drop_happens_after_the_write(tmp_path: Path) -> None:
    """A dropped answer does not undo the write: a client must re-read before retrying."""
    db = tmp_path / "shared.sqlite3"
    with SandboxServer(SandboxConfig(db_path=db)) as clean:
        client = sign_in(clean.url, "mentor@demo.och")
        row = client.get("/mentor/reviews", params={"status": "ai_reviewed", "limit": 1}).json()["results"][0]
        token = client.headers["Authorization"]
    with SandboxServer(SandboxConfig(db_path=db, drop_rate=1.0)) as flaky, pytest.raises(httpx.RemoteProtocolError):
        httpx.post(f"{flaky.url}/api/v1/mentor/reviews/{row['id']}/claim", headers={"Authorization": token})
    with SandboxServer(SandboxConfig(db_path=db)) as clean:
        after = httpx.get(f"{clean.url}/api/v1/mentor/reviews/{row['id']}", headers={"Authorization": token}).json()
    assert after["claimed_by"]["id"] == 1 and after["version"] == row["version"] + 1


def run_cli(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "mentor_desk.sandbox", "--port", "0", "--db",
                             str(tmp_path / "cli.sqlite3"), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def test_cli_prints_url_and_stops_on_sigterm(tmp_path: Path) -> None:
    process = run_cli(tmp_path, "--print-demo-secrets", "--profile", "och-v1")
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert first.startswith("listening on http://127.0.0.1:")
        url = first.removeprefix("listening on ")
        assert httpx.get(f"{url}/api/v1/health/").json()["status"] == "healthy"
        rest = []  # what it prints about itself, up to the TOTP secret (asked for), which comes last
        while len(rest) < 20 and not (rest and "TOTP secret" in rest[-1]):
            rest.append(process.stdout.readline())
        assert any("mfa-mentor@demo.och" in line for line in rest)
        assert any("TOTP secret" in line for line in rest)
        assert sign_in(url, "mentor@demo.och").get("/mentor/capabilities").status_code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_cli_rejects_bad_options(tmp_path: Path) -> None:
    process = run_cli(tmp_path, "--error-rate", "2")
    assert process.wait(timeout=30) == 2
    assert "error_rate" in (process.stderr.read() if process.stderr else "")
