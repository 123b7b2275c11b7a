"""Imports every figure module (``benchmarks/bench_*.py``) so that their figures register, in name order.

A new figure needs no line here: put it in a ``bench_<topic>.py`` module of its own (see ``benchmarks/__init__``).
A module that cannot be imported (e.g. :mod:`benchmarks.compare` running it over an older app that lacks what it
measures) takes only its own figures down: :func:`load` reports it and imports the others.
"""

from __future__ import annotations

import importlib
import pkgutil
import traceback
from pathlib import Path

PREFIX = "bench_"


def load() -> dict[str, str]:
    """Import the figure modules; returns those that failed to import, with the reason."""
    names = sorted(
        info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)]) if info.name.startswith(PREFIX)
    )
    failed: dict[str, str] = {}
    for name in names:
        try:
            importlib.import_module(f"benchmarks.{name}")
        except Exception as error:  # reported as a miss of that module's figures
            failed[name] = "".join(traceback.format_exception_only(error)).strip()
    return failed
