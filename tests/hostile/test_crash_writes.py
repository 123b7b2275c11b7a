"""Issue 16, item 5 (crashes): SIGKILL at random moments while the desk uploads recordings, signs learners off
and hands in meeting scores loses nothing it acknowledged (the short run; the long one is a benchmark)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentor_desk.sandbox.runner import SandboxServer

from .crash_writes import run_write_crashes
from .peers import signed_in
from .tally import TALLY

KILLS = 12


def open_meetings(origin: str, count: int) -> None:
    """The lead opens scoring meetings on the demo mentor's capstones, the demo mentor on each panel."""
    with signed_in(origin, "lead@demo.och") as lead, signed_in(origin, "mentor@demo.och") as mentor:
        rows = mentor.get("/mentor/reviews", params={"status": "mentor_review", "limit": 1000}).json()["results"]
        for capstone in [r for r in rows if r["kind"] == "capstone"][:count]:
            made = lead.post("/scoring-meetings", json={"review_id": capstone["id"], "panel": [1, 3]})
            assert made.status_code == 201, made.text


@pytest.mark.timeout(300)
def test_kills_during_uploads_sign_offs_and_meeting_scores(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    open_meetings(fresh_sandbox.url, 6)
    result = run_write_crashes(fresh_sandbox.url, tmp_path / "desk", kills=KILLS, seed=3)
    TALLY.tried_cases("crash: writes", result.kills)
    for problem in result.problems:
        TALLY.bad("crash: writes", "lost edits", problem)
    assert result.ok, result.problems
    assert result.kills == KILLS
    assert all(result.acknowledged.values()), result.acknowledged  # the children wrote on every path
