"""The hostile suite: its closing table (cases tried per category and every bad outcome) after the run."""

from __future__ import annotations

import pytest

from .tally import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = TALLY.table()
    if not lines:
        return
    terminalreporter.section("hostile cases")
    for line in lines:
        terminalreporter.write_line(line)
