"""Sandbox figures: how fast a fresh, seeded platform is ready to answer."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.figures import Figure, below, figure, median


def _boot_once() -> float:
    """Seconds from launching ``python -m mentor_desk.sandbox`` on an empty db to its first answered request."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "platform.sqlite3"
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "mentor_desk.sandbox", "--port", "0", "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("listening on "):
                    url = line.split()[-1]
                    break
            else:
                raise RuntimeError("the sandbox exited before listening")
            httpx.get(f"{url}/api/v1/health/", timeout=10).raise_for_status()
            return time.perf_counter() - start
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@figure("sandbox_boot_s")
def sandbox_boot_s() -> Figure:
    return below("sandbox_boot_s", median([_boot_once() for _ in range(3)]), "s", 2.0)
