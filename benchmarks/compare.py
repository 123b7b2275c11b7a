"""Run the benchmark suite on two versions of the app side by side, in one run, and print the ratios of each.

    python benchmarks/compare.py A B [--only NAME ...]     # two commits (any git revision)
    python benchmarks/compare.py --against REF [--only NAME ...]   # REF against this working tree

Each side runs its own ``benchmarks/`` against its own ``mentor_desk``: each revision is checked out with
``git worktree add`` into a scratch folder and its suite run there with ``PYTHONPATH`` pointing at that checkout
(the same virtualenv serves both: a version with other dependencies needs ``--python``). A suite's setup uses its
own version's types (``bench_sync_setup`` builds drafts with what its ``mentor_desk`` has), so one suite cannot
measure another version's code across a refactor. Only the figures both suites name are compared; the others are
listed as missing on one side. Figure by figure, the two versions take turns (which one goes first alternates), so
a busy spell of the machine falls on both. Each side's ratio is against its own same-run baseline.

Prints a table (``--json``: one JSON object per figure with both sides). Exits 1 when a figure's ratio on the
second version is worse than on the first by more than ``--tolerance`` (default 15 %), or failed to measure.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIGURE_TIMEOUT_S = 3600


@dataclass(frozen=True)
class Version:
    """One side of the comparison: a label and the folder holding its ``mentor_desk`` and its ``benchmarks``."""

    label: str
    root: Path


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True).stdout.strip()


def resolve(ref: str) -> str:
    """The commit id ``ref`` names; ``ValueError`` with a sentence when it names none."""
    try:
        return _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except subprocess.CalledProcessError:
        raise ValueError(f"{ref!r} is not a commit of {REPO}") from None


@contextmanager
def checkout(ref: str, scratch: Path) -> Iterator[Version]:
    """``ref`` checked out (detached) under ``scratch``, its own ``benchmarks/`` and all."""
    commit = resolve(ref)
    root = scratch / f"{ref.replace('/', '_')}-{commit[:10]}"
    _git("worktree", "add", "--detach", "--quiet", str(root), commit)
    try:
        yield Version(f"{ref} ({commit[:7]})", root)
    finally:
        _git("worktree", "remove", "--force", str(root))


def run_figure(version: Version, name: str, python: str) -> dict[str, object]:
    """One figure of ``version``'s suite, in a process of its own: its JSON line (or a miss saying why)."""
    proc = subprocess.run(
        [python, str(version.root / "benchmarks" / "run.py"), "--only", name],
        cwd=version.root, env=_env(version), capture_output=True, text=True, timeout=FIGURE_TIMEOUT_S, check=False,
    )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            result: dict[str, object] = json.loads(line)
            return result
    reason = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
    return {"name": name, "value": None, "baseline": None, "ratio": None, "ok": False, "error": reason}


def _env(version: Version) -> dict[str, str]:
    """The environment a side's suite runs in: its checkout first on the import path."""
    return {**os.environ, "PYTHONPATH": str(version.root)}


def figure_names(version: Version, python: str) -> list[str]:
    """The figures ``version``'s own suite names; ``ValueError`` with a sentence when it cannot list them."""
    proc = subprocess.run(
        [python, str(version.root / "benchmarks" / "run.py"), "--list"],
        cwd=version.root, env=_env(version), capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        reason = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        raise ValueError(f"{version.label}: its benchmarks/run.py --list failed ({reason})")
    return proc.stdout.split()


def common_figures(versions: Sequence[Version], python: str, only: Sequence[str] | None) -> list[str]:
    """The figures to compare: those both suites name (in the first's order), or ``only`` of them; what one side
    lacks is said on stderr."""
    first, second = (figure_names(version, python) for version in versions)
    for version, names, other in ((versions[0], first, second), (versions[1], second, first)):
        missing = [name for name in other if name not in names and (not only or name in only)]
        if missing:
            print(f"not in {version.label}'s suite, not compared: {', '.join(missing)}", file=sys.stderr)
    return [name for name in first if name in second and (not only or name in only)]


TIME_UNITS = ("ms", "s")


def worse(a: dict[str, object], b: dict[str, object], tolerance: float) -> bool:
    """Whether ``b`` measured worse than ``a``: its ratio more than ``tolerance`` above, or it failed."""
    ratio_a, ratio_b = a.get("ratio"), b.get("ratio")
    if b.get("skipped"):
        return False
    if b.get("value") is None:
        return True
    if isinstance(ratio_a, float | int) and isinstance(ratio_b, float | int):
        return ratio_b > ratio_a * (1 + tolerance)
    value_a, value_b = a.get("value"), b.get("value")
    same_time_unit = a.get("unit") == b.get("unit") in TIME_UNITS
    if same_time_unit and isinstance(value_a, float | int) and isinstance(value_b, float | int):
        return value_b > value_a * (1 + tolerance)  # a suite older than baselines: the same run's times compare
    return bool(a.get("ok")) and not b.get("ok")


def _cell(result: dict[str, object]) -> str:
    if result.get("skipped"):
        return f"skipped: {str(result['skipped'])[:40]}"
    if result.get("value") is None:
        return f"error: {str(result.get('error', ''))[:40]}"
    ratio = result.get("ratio")
    ratio_text = "—" if ratio is None else f"{ratio:.2f}"
    verdict = "ok" if result.get("ok") else "MISS"
    baseline = result.get("baseline", "no baseline")
    return f"{ratio_text} ({result['value']} / {baseline} {result.get('unit', '')}) {verdict}"


def table(labels: Sequence[str], rows: Sequence[tuple[str, dict[str, object], dict[str, object], bool]]) -> str:
    """The comparison as an aligned text table: per figure, each side's ratio (value / baseline) and verdict."""
    lines = [("figure", f"{labels[0]}: ratio (value / baseline)", f"{labels[1]}: ratio (value / baseline)", "")]
    lines += [(name, _cell(a), _cell(b), "worse" if slower else "") for name, a, b, slower in rows]
    widths = [max(len(line[column]) for line in lines) for column in range(3)]
    return "\n".join(
        ("  ".join(cell.ljust(width) for cell, width in zip(line[:3], widths, strict=True)) + f"  {line[3]}").rstrip()
        for line in lines
    )


def compare(versions: Sequence[Version], names: Sequence[str], python: str, tolerance: float,
            as_json: bool) -> int:
    first, second = versions
    rows = []
    for n, name in enumerate(names):
        order = (first, second) if n % 2 == 0 else (second, first)
        results = {version.label: run_figure(version, name, python) for version in order}
        a, b = results[first.label], results[second.label]
        slower = worse(a, b, tolerance)
        rows.append((name, a, b, slower))
        if as_json:
            print(json.dumps({"name": name, first.label: a, second.label: b, "worse": slower}), flush=True)
        else:
            print(f"{name}: {_cell(a)}  |  {_cell(b)}{'  worse' if slower else ''}", file=sys.stderr, flush=True)
    if not as_json:
        print(table([first.label, second.label], rows))
    return 1 if any(slower for *_, slower in rows) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("refs", nargs="*", metavar="REF", help="two revisions: the first is the one compared against")
    parser.add_argument("--against", metavar="REF", help="compare REF (first) with this working tree (second)")
    parser.add_argument("--only", action="append", metavar="NAME", help="run just this figure (repeatable)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter to run both suites with")
    parser.add_argument("--tolerance", type=float, default=0.15, help="how much worse a ratio may get (0.15 = 15 %%)")
    parser.add_argument("--json", action="store_true", help="one JSON object per figure instead of a table")
    args = parser.parse_args(argv)
    if len(args.refs) != (0 if args.against is not None else 2):
        parser.error("give two revisions, or --against REF")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped comparison still removes its checkouts
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mentor-desk-compare-")))
        try:
            if args.against is not None:
                versions = [stack.enter_context(checkout(args.against, scratch)), Version("this tree", REPO)]
            else:
                versions = [stack.enter_context(checkout(ref, scratch)) for ref in args.refs]
            names = common_figures(versions, args.python, args.only)
        except ValueError as error:
            parser.error(str(error))
        if not names:
            parser.error("the two suites have no figure in common" + (" among --only" if args.only else ""))
        return compare(versions, names, args.python, args.tolerance, args.json)


if __name__ == "__main__":
    sys.exit(main())
