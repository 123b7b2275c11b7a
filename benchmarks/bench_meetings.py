"""``meeting_event_latency_ms``: a panel member hands in their scores → the lead's screen shows it (loopback).

The limit is absolute (a lead watching the panel waits on it): median < 500 ms. The baseline, measured for the
same submissions in the same process, is the platform's raw delivery of the ``meeting.updated`` event to a bare
SSE reader; the ratio says what the page's own machinery (reading the meeting, repainting) adds to it. The
measurement runs in a process of its own (:mod:`benchmarks.meeting_latency_child`) on a fresh platform.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.bench_sync_setup import platform_process, work_dir
from benchmarks.figures import RUNS, Figure, absolute_figure, figure, median, percentile

REPO = Path(__file__).resolve().parent.parent
LIMIT_MS = 500.0


def _measure(url: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.meeting_latency_child", url],
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [""]
        raise RuntimeError(f"the meetings process failed (exit code {proc.returncode}): {lines[-1]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


@figure("meeting_event_latency_ms")
def meeting_event_latency_ms() -> Figure:
    with platform_process(work_dir("meetings-platform") / "platform.sqlite3") as url:
        result = _measure(url)
    app, raw = result["app_ms"], result["raw_ms"]
    if len(app) < RUNS or len(raw) != len(app):
        raise RuntimeError(f"{len(app)} submissions measured, {RUNS} needed")
    return absolute_figure(
        "meeting_event_latency_ms", "ms", median(app), median(raw), LIMIT_MS,
        detail={"samples": len(app), "p90": percentile(app, 90), "raw_p90": percentile(raw, 90)},
    )
