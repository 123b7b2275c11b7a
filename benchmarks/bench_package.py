"""Packaging figure: the built bundle's start to its first painted queue, over a bare PySide6 window's start.

Needs ``bash packaging/build.sh`` to have run (``dist/mentor-desk/``, ``dist/mentor-desk_*.deb``); without a
bundle the figure is skipped, saying so. The .deb's size goes into the figure's detail (``package_size_mb``).

Both sides are timed the same way, from outside the process: the bundle cannot run a Python hook (a PyInstaller
bundle ignores ``PYTHON*`` variables and its own ``sys.path``), so Qt's own paint log
(``QT_LOGGING_RULES=qt.widgets.painting=true``, written by Qt's C++ code in either process) tells the moment the
top-level window's first frame is flushed: for the bundle, the main window with the cached queue in it (the
stored session of ``startup_child.py seed``, the server unreachable, as ``startup_ratio`` starts the app); for
the baseline, a bare ``QMainWindow`` run by this Python (``startup_child.py bare``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.bench_ui import CHILD, CHILD_ENV
from benchmarks.figures import RUNS, Figure, Skipped, figure, interleaved, ratio_figure

DIST = Path(__file__).resolve().parent.parent / "dist"
BUNDLE = DIST / "mentor-desk" / "mentor-desk"
QUEUE_ROWS = 10_000
START_TIMEOUT_S = 120
FIRST_FRAME = re.compile(r"Flushing QRegion\(.*\) of Q?MainWindow\(")
"""Qt's log line for the first frame of a main window reaching its window (the bare ``QMainWindow``, the app's
``MainWindow``)."""
PAINT_LOG = {"QT_LOGGING_RULES": "qt.widgets.painting=true", "QT_MESSAGE_PATTERN": "%{message}",
             "QT_QPA_PLATFORM": "offscreen"}


def first_frame_after_launch(command: list[str], env: dict[str, str]) -> float:
    """Seconds from launching ``command`` to Qt's log of its main window's first frame; the process is then
    killed (every run of the bundle gets a fresh copy of the seeded folder, so no run starts after a kill)."""
    start = time.monotonic()
    proc = subprocess.Popen(command, env={**env, **PAINT_LOG}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, errors="replace")
    timer = threading.Timer(START_TIMEOUT_S, proc.kill)
    timer.start()
    tail: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if FIRST_FRAME.search(line):
                return time.monotonic() - start
            tail = [*tail[-19:], line]
        raise RuntimeError(f"{command[0]} ended without painting a main window: {''.join(tail)[-2000:]}")
    finally:
        timer.cancel()
        proc.kill()
        proc.wait()


def package_size_mb() -> float:
    """The size of the built .deb in MB (10⁶ bytes), or a :class:`Skipped` sentence when there is none."""
    debs = sorted(DIST.glob("mentor-desk_*_amd64.deb"))
    if not debs:
        raise Skipped("no .deb in dist/: run `bash packaging/build.sh` to build the package first")
    return round(debs[-1].stat().st_size / 1e6, 1)


@figure("bundle_start_ratio")
def bundle_start_ratio() -> Figure:
    """The bundle's cold start to its first painted queue (10,000 cached rows) over a bare QMainWindow's."""
    if not os.access(BUNDLE, os.X_OK):
        raise Skipped("no bundle in dist/mentor-desk/: run `bash packaging/build.sh` to build it first")
    size = package_size_mb()
    with tempfile.TemporaryDirectory() as tmp:
        seeded = Path(tmp) / "seeded"
        subprocess.run([sys.executable, str(CHILD), "seed", str(seeded), str(QUEUE_ROWS)], check=True, timeout=300,
                       env=CHILD_ENV)
        runs = iter(range(1_000_000))

        def bundle() -> float:
            data_dir = Path(tmp) / f"run-{next(runs)}"
            shutil.copytree(seeded, data_dir)
            env = {**CHILD_ENV, "MENTOR_DESK_DATA_DIR": str(data_dir), "XDG_CONFIG_HOME": str(data_dir / "config")}
            return first_frame_after_launch([str(BUNDLE)], env)

        def bare() -> float:
            return first_frame_after_launch([sys.executable, str(CHILD), "bare"], CHILD_ENV)

        bundle(), bare()  # warm-up: the bundle's and Qt's files in the page cache
        app_samples, bare_samples = interleaved(bundle, bare, RUNS)
    return ratio_figure("bundle_start_ratio", "s", app_samples, bare_samples, 2.0,
                        detail={"package_size_mb": size, "queue_rows": QUEUE_ROWS})
