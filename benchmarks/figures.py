"""The registry of performance figures: each one a function returning a :class:`Figure`."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: str  # e.g. "< 2.0" or "<= 2.0"
    ok: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


REGISTRY: dict[str, Callable[[], Figure]] = {}


def figure(name: str) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register a benchmark under ``name`` (the name ``--only`` selects)."""

    def register(func: Callable[[], Figure]) -> Callable[[], Figure]:
        REGISTRY[name] = func
        return func

    return register


def below(name: str, value: float, unit: str, limit: float, *, inclusive: bool = False) -> Figure:
    """A figure that must stay under ``limit`` (``<=`` when ``inclusive``)."""
    ok = value <= limit if inclusive else value < limit
    return Figure(name, round(value, 4), unit, f"{'<=' if inclusive else '<'} {limit}", ok)


def median(samples: list[float]) -> float:
    return statistics.median(samples)
