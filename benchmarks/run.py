"""Run mentor_desk's performance suite: one JSON object per figure and line; exit 1 if any misses its target.

    python benchmarks/run.py [--only NAME ...] [--list]

Each line is ``{"name", "value", "unit", "baseline", "ratio", "target", "ok"}`` (plus ``"detail"`` where a
figure has more to say): the app's median, the median of a baseline doing the same work the simplest honest way
in the same run, and their ratio, which ``ok`` judges. See ``benchmarks/__init__.py`` for how to add a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

from benchmarks import suite
from benchmarks.figures import REGISTRY, Skipped


def measure(name: str, broken: dict[str, str] | None = None) -> dict[str, object]:
    """Run one figure; a figure that cannot be measured (or is unknown) is a miss, reported as such."""
    if name not in REGISTRY:
        unknown = f"no figure {name!r} here"
        return miss(name, f"{unknown}; modules that failed to import: {broken}" if broken else unknown)
    try:
        return REGISTRY[name]().as_dict()
    except Skipped as reason:
        return unmeasured(name, ok=True, skipped=str(reason))
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return miss(name, str(exc))


def miss(name: str, error: str) -> dict[str, object]:
    """The line of a figure that could not be measured."""
    return unmeasured(name, ok=False, error=error)


def unmeasured(name: str, *, ok: bool, **why: str) -> dict[str, object]:
    """The line of a figure without a measurement: a miss (``error``) or a skip that is not one (``skipped``)."""
    return {"name": name, "value": None, "unit": "", "baseline": None, "ratio": None, "target": "", "ok": ok, **why}


def main(argv: list[str] | None = None) -> int:
    broken = suite.load()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", metavar="NAME", help="run just this figure (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(REGISTRY))
        return 0
    failed = False
    for module, reason in broken.items():  # figures that could not even be imported are misses
        print(f"benchmarks.{module} cannot be imported: {reason}", file=sys.stderr)
        if not args.only:
            failed = True
            print(json.dumps(miss(module, reason)), flush=True)
    for name in args.only or list(REGISTRY):
        result = measure(name, broken)
        failed |= not result["ok"]
        print(json.dumps(result), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
