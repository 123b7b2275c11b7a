"""SIGKILL a process that edits and syncs, many times, at random moments: nothing acknowledged is lost, the
database stays intact, and every review reaches the platform exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.crashcheck import run_crash_check
from mentor_desk.sandbox.runner import SandboxServer


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_fifty_kills_against_the_review_api(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    result = run_crash_check(fresh_sandbox.url, tmp_path / "desk", kills=50, seed=1)
    assert result.ok, result.problems
    assert result.kills == 50
    assert result.edits > 50 and result.submits > 10  # the children really worked between kills


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_kills_in_compatibility_mode(v1_platform: SandboxServer, tmp_path: Path) -> None:
    result = run_crash_check(v1_platform.url, tmp_path / "desk", kills=10, seed=2)
    assert result.ok, result.problems
    assert result.submits > 2
