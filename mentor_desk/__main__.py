"""Command-line entry point: ``mentor-desk [--demo] | sandbox | doctor | sync``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from mentor_desk.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
