"""scripts/setup.sh waits (bounded, and says so) while another apt process holds the package manager's lock,
instead of failing on it. Checked with real fcntl locks, as apt and dpkg take them, on stand-in lock files."""

from __future__ import annotations

import fcntl
import subprocess
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def wait_for_apt(lock_files: list[Path], timeout_s: int) -> subprocess.CompletedProcess[str]:
    script = f"set -euo pipefail; source {ROOT / 'scripts' / 'wait-for-apt.sh'}; wait_for_apt_lock"
    env = {"PATH": "/usr/bin:/bin", "APT_LOCK_FILES": " ".join(map(str, lock_files)),
           "APT_LOCK_TIMEOUT": str(timeout_s)}
    return subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def locks(tmp_path: Path) -> list[Path]:
    files = [tmp_path / "lock-frontend", tmp_path / "lists-lock"]
    for file in files:
        file.touch()
    return files


def test_free_locks_pass_at_once_and_quietly(locks: list[Path]) -> None:
    done = wait_for_apt([*locks, locks[0].parent / "absent"], 5)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""


def test_a_held_lock_is_waited_for_and_said(locks: list[Path]) -> None:
    held = locks[1].open("r+")
    fcntl.lockf(held, fcntl.LOCK_EX)  # as apt-get update holds the lists lock
    release = threading.Timer(2.0, held.close)
    release.start()
    try:
        done = wait_for_apt(locks, 30)
    finally:
        release.cancel()
        held.close()
    assert done.returncode == 0, done.stderr
    assert f"another apt or dpkg process is running (it holds {locks[1]}); waiting up to 30 s" in done.stdout
    assert "apt is free again after" in done.stdout


def test_waiting_is_bounded_and_the_failure_explained(locks: list[Path]) -> None:
    with locks[0].open("r+") as held:
        fcntl.lockf(held, fcntl.LOCK_EX)
        done = wait_for_apt(locks, 2)
    assert done.returncode == 1
    assert "apt is still busy after 2 s" in done.stderr and "APT_LOCK_TIMEOUT" in done.stderr


def test_setup_uses_the_wait_before_each_apt_call() -> None:
    text = (ROOT / "scripts" / "setup.sh").read_text()
    apt_calls = [line for line in text.splitlines() if "apt-get" in line and not line.lstrip().startswith("#")]
    assert apt_calls and all("DPkg::Lock::Timeout" in line or "APT_WAIT" in line for line in apt_calls)
    assert text.count("wait_for_apt_lock") >= len(apt_calls)
