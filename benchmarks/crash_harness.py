"""The long crash-safety run: SIGKILL an editing, syncing mentor_desk process many times, then check everything.

    python benchmarks/crash_harness.py [--kills N] [--seed S]

Starts a sandbox platform in its own process, then runs :func:`benchmarks.crashcheck.run_crash_check`
(a child signs in, autosaves drafts, submits and syncs; it is killed at random moments; after every kill the
store must pass ``PRAGMA integrity_check`` and hold every acknowledged edit; at the end the outbox is drained
and every submitted review must be on the platform once, with its last edit). Prints one JSON summary and
exits 1 if anything was lost, applied twice or damaged.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_sync_setup import PASSWORD, platform_process, work_dir
from benchmarks.crashcheck import CrashCheckResult, run_crash_check

KILLS_PER_SCALE = 25
"""A kill round submits up to about four reviews; a sandbox scale unit has about a hundred the demo mentor can
decide, so the child does not run out of real reviews (it would go on editing scratch drafts only)."""


def crash_run(kills: int, *, seed: int = 0) -> CrashCheckResult:
    """Run the kill loop ``kills`` times against a fresh platform with enough reviews to go round."""
    scale = max(1, -(-kills // KILLS_PER_SCALE))
    db = work_dir("crash-platform") / "platform.sqlite3"
    with platform_process(db, scale=scale) as url:
        return run_crash_check(url, work_dir("crash-store"), kills=kills, seed=seed, password=PASSWORD)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=1000, help="how many times to kill the child (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random kill moments and edits")
    args = parser.parse_args(argv)
    if args.kills < 1:
        parser.error("--kills must be at least 1")
    start = time.perf_counter()
    result = crash_run(args.kills, seed=args.seed)
    summary = {
        "kills": result.kills,
        "edits_acknowledged": result.edits,
        "submits_acknowledged": result.submits,
        "problems": result.problems,
        "ok": result.ok,
        "seconds": round(time.perf_counter() - start, 1),
    }
    print(json.dumps(summary), flush=True)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
