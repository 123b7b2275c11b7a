"""Sandbox figures: how fast a fresh platform is ready to answer, against a bare FastAPI app on uvicorn."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from benchmarks.bench_sync_setup import platform_process
from benchmarks.figures import Figure, figure, interleaved, ratio_figure

BARE_SERVER = """
import socket, sys, threading, time
import fastapi, uvicorn
app = fastapi.FastAPI()
@app.get("/api/v1/health/")
def health():
    return {"status": "ok"}
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
while not server.started:
    time.sleep(0.005)
print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
threading.Event().wait()
"""
"""The baseline: ``import fastapi, uvicorn``, one route, uvicorn bound and started the way the sandbox starts."""


@contextmanager
def _bare_server() -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, "-c", BARE_SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError(f"the bare server did not start (exit code {proc.wait()})")
        yield line.split()[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _answered(url: str, start: float) -> float:
    httpx.get(f"{url}/api/v1/health/", timeout=10).raise_for_status()
    return time.perf_counter() - start


def _sandbox_boot() -> float:
    """Seconds from launching ``python -m mentor_desk.sandbox`` on an empty db to its first answered request."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with platform_process(Path(tmp) / "platform.sqlite3") as url:
            return _answered(url, start)


def _bare_boot() -> float:
    start = time.perf_counter()
    with _bare_server() as url:
        return _answered(url, start)


@figure("sandbox_boot_s")
def sandbox_boot_s() -> Figure:
    _sandbox_boot(), _bare_boot()  # warm-up: bytecode compiled, files in the page cache
    app, bare = interleaved(_sandbox_boot, _bare_boot)
    return ratio_figure("sandbox_boot_s", "s", app, bare, 1.5)
