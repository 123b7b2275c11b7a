"""Run mentor_desk's performance suite: one JSON object per figure and line; exit 1 if any misses its target.

    python benchmarks/run.py [--only NAME ...] [--list]
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
from benchmarks.figures import REGISTRY


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", choices=sorted(REGISTRY), help="run just this figure")
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(sorted(REGISTRY)))
        return 0
    assert suite  # imported for its registrations
    failed = False
    for name in args.only or list(REGISTRY):
        try:
            result = REGISTRY[name]().as_dict()
        except Exception as exc:  # a figure that cannot be measured is a miss, reported as such
            traceback.print_exc(file=sys.stderr)
            result = {"name": name, "value": None, "unit": "", "target": "", "ok": False, "error": str(exc)}
        failed |= not result["ok"]
        print(json.dumps(result), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
