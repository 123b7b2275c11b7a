"""The long run of the hostile suite: ``hostile_cases`` (mutated platform answers tried, at least 10,000) and
``hostile_failures`` (crashes, hangs, lost edits, leaked secrets and authorisation holes among them: 0), and
``hostile_write_kills_lost``: what a desk killed ``HOSTILE_BENCH_KILLS`` times (200 by default) while it uploads
recordings, signs learners off and hands in meeting scores lost or left stuck (``tests/hostile/crash_writes.py``).

It runs ``tests/hostile/test_hostile_answers.py`` in a pytest child with ``HOSTILE_EXAMPLES`` per desk call
(1,000 × 10 calls; ``HOSTILE_BENCH_EXAMPLES`` overrides) and reads the suite's tally. The baseline is the count
the run was asked for: the ratio says how much of it was really tried."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.figures import Figure, absolute_figure, figure
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from tests.hostile.crash_writes import run_write_crashes
from tests.hostile.test_crash_writes import open_meetings

ROOT = Path(__file__).resolve().parent.parent
CALLS = 10  # tests/hostile/world.py CALLS
MIN_CASES = 10_000


@functools.cache
def long_run() -> tuple[int, int, int, list[str]]:
    """(cases tried, bad outcomes, cases asked for, notes) of one long run, shared by both figures."""
    per_call = int(os.environ.get("HOSTILE_BENCH_EXAMPLES", "1000"))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "tally.json"
        env = {**os.environ, "HOSTILE_EXAMPLES": str(per_call), "HOSTILE_TALLY_JSON": str(out),
               "QT_QPA_PLATFORM": "offscreen"}
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout=0",
                        "tests/hostile/test_hostile_answers.py"], cwd=ROOT, env=env, check=False,
                       stdout=subprocess.DEVNULL)
        tally = json.loads(out.read_text())
    tried = sum(tally["tried"].values())
    bad = sum(sum(columns.values()) for columns in tally["bad"].values())
    return tried, bad, per_call * CALLS, tally["notes"]


@figure("hostile_cases")
def hostile_cases() -> Figure:
    tried, bad, asked, _ = long_run()
    return absolute_figure("hostile_cases", "cases", tried, asked, MIN_CASES, ok=tried >= MIN_CASES and bad == 0,
                           target=f"value >= {MIN_CASES:,} with hostile_failures == 0")


@figure("hostile_failures")
def hostile_failures() -> Figure:
    tried, bad, _, notes = long_run()
    for note in notes:
        print(f"hostile_failures: {note}", file=sys.stderr)
    return absolute_figure("hostile_failures", "failures", bad, tried, 1, ok=bad == 0, target="value == 0")


@figure("hostile_write_kills_lost")
def hostile_write_kills_lost() -> Figure:
    kills = int(os.environ.get("HOSTILE_BENCH_KILLS", "200"))
    with tempfile.TemporaryDirectory() as folder, \
            SandboxServer(SandboxConfig(db_path=Path(folder) / "platform.sqlite3", scale=2)) as sandbox:
        open_meetings(sandbox.url, 30)
        result = run_write_crashes(sandbox.url, Path(folder) / "desk", kills=kills, seed=7)
    for problem in result.problems:
        print(f"hostile_write_kills_lost: {problem}", file=sys.stderr)
    writes = sum(len(acked) for acked in result.acknowledged.values())
    return absolute_figure("hostile_write_kills_lost", "problems", len(result.problems), result.kills, 1,
                           ok=result.ok and result.kills == kills, target=f"0 after {kills} kills",
                           detail={"kills": result.kills, "writes_acknowledged": writes})
