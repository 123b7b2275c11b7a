"""``mentor-desk sandbox`` keeps its database in the user data folder (or a temporary one with --demo), never in
the current folder, and says where."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest


def serve(args: list[str], cwd: Path, data_dir: Path) -> tuple[subprocess.Popen[str], list[str]]:
    env = {**os.environ, "MENTOR_DESK_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mentor_desk", "sandbox", "--port", "0", *args],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert proc.stdout is not None
    lines = []
    while not any(line.startswith("database: ") for line in lines):
        line = proc.stdout.readline()
        if not line:
            pytest.fail(f"the sandbox stopped before saying where its database is: {lines}")
        lines.append(line.strip())
    return proc, lines


def stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=90) == 0


def database_line(lines: list[str]) -> str:
    return next(line for line in lines if line.startswith("database: "))


def test_the_database_goes_to_the_user_data_folder_and_is_named(tmp_path: Path) -> None:
    cwd, data_dir = tmp_path / "here", tmp_path / "data"
    cwd.mkdir()
    proc, lines = serve(["--profile", "och-v1"], cwd, data_dir)
    try:
        expected = data_dir / "sandbox" / "sandbox-och-v1.sqlite3"
        assert database_line(lines).startswith(f"database: {expected} (kept between runs")
        assert expected.exists()
        assert list(cwd.iterdir()) == []  # nothing written where the command was typed
    finally:
        stop(proc)


def test_demo_uses_a_temporary_folder_that_goes_away(tmp_path: Path) -> None:
    cwd, data_dir = tmp_path / "here", tmp_path / "data"
    cwd.mkdir()
    proc, lines = serve(["--demo"], cwd, data_dir)
    try:
        line = database_line(lines)
        assert line.endswith("(temporary: deleted when the sandbox stops)")
        database = Path(line.removeprefix("database: ").split(" (")[0])
        assert database.exists() and not database.is_relative_to(data_dir) and not database.is_relative_to(cwd)
    finally:
        stop(proc)
    assert not database.parent.exists()
    assert list(cwd.iterdir()) == [] and not data_dir.exists()
