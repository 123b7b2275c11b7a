"""The hostile suite: the recorded world its hostile servers serve, and its closing table (cases tried per
category and every bad outcome) after the run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mentor_desk.sandbox.runner import SandboxServer
from tests.ui.conftest import loop, run, until  # noqa: F401  (the desk's Qt and asyncio loop, for its widgets)

from .tally import TALLY, TALLY_JSON_ENV
from .world import World, record


@pytest.fixture(scope="session")
def world(sandbox: SandboxServer) -> World:
    """The genuine answers of the shared sandbox for the calls in ``world.CALLS``."""
    return record(sandbox.url)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if os.environ.get(TALLY_JSON_ENV):  # benchmarks/bench_hostile.py reads the tally from there
        Path(os.environ[TALLY_JSON_ENV]).write_text(json.dumps(TALLY.as_dict()))
    lines = TALLY.table()
    if not lines:
        return
    terminalreporter.section("hostile cases")
    for line in lines:
        terminalreporter.write_line(line)
