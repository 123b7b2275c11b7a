"""Imports every figure module (``benchmarks/bench_*.py``) so that their figures register, in name order.

A new figure needs no line here: put it in a ``bench_<topic>.py`` module of its own (see ``benchmarks/__init__``).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

PREFIX = "bench_"


def load() -> list[str]:
    """Import the figure modules; returns their names."""
    names = sorted(
        info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)]) if info.name.startswith(PREFIX)
    )
    for name in names:
        importlib.import_module(f"benchmarks.{name}")
    return names
