"""What a figure is: the app's measurement beside a baseline measured in the same run, judged by their ratio.

Absolute times move by 2× from one shared virtual machine to the next; the ratio of the app's time to the time of
the simplest honest way to do the same work, measured on the same machine in the same run, does not. So every
figure is a :class:`Figure` with the app's ``value``, the ``baseline``'s, their ``ratio`` and a ``target`` on the
ratio; ``ok`` judges the ratio (plus an absolute limit where a person's perception sets one, e.g. one frame).

Measure with :func:`interleaved` (app and baseline samples alternate, so a busy neighbour slows both alike) and
build the figure with :func:`ratio_figure` (medians of each side). A figure whose limit is absolute by nature
(``ui_stall_ms``: a person sees a 50 ms freeze on any machine) uses :func:`absolute_figure`, still with a baseline
that shows what the machine itself does meanwhile.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

RUNS = 5
"""Samples per side at least: a median of five is what the suite's rule asks of every figure."""


@dataclass(frozen=True)
class Figure:
    """One line of ``run.py``'s output."""

    name: str
    value: float  # the app's median (for information: it moves with the machine)
    unit: str
    baseline: float  # the baseline's median, same unit, same run
    ratio: float | None  # value / baseline (what ``target`` judges, unless it says otherwise); None if baseline is 0
    target: str  # e.g. "ratio <= 2.0" or "ratio <= 3.0 and value < 16 ms"
    ok: bool
    detail: Mapping[str, object] = field(default_factory=dict)  # extra numbers worth a look (sample counts, p99s)

    def as_dict(self) -> dict[str, object]:
        line: dict[str, object] = {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "target": self.target,
            "ok": self.ok,
        }
        if self.detail:
            line["detail"] = dict(self.detail)
        return line


REGISTRY: dict[str, Callable[[], Figure]] = {}


class Skipped(Exception):
    """Raised by a figure that cannot be measured on this machine for a reason that is not a fault of the app (the
    figure of the built package, before ``packaging/build.sh`` has run): its message says why and what to do.
    ``run.py`` prints it as a skipped line, which is not a miss."""


def figure(name: str) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register a benchmark under ``name`` (the name ``--only`` selects and the figure's ``name``)."""

    def register(func: Callable[[], Figure]) -> Callable[[], Figure]:
        if name in REGISTRY:
            raise ValueError(f"two benchmarks are called {name!r}")
        REGISTRY[name] = func
        return func

    return register


def median(samples: Sequence[float]) -> float:
    if not samples:
        raise ValueError("no samples")
    return statistics.median(samples)


def percentile(samples: Sequence[float], pct: float) -> float:
    """The nearest-rank ``pct``-th percentile (``pct`` in 0–100) of ``samples``."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def interleaved(
    app: Callable[[], float], baseline: Callable[[], float], runs: int = RUNS
) -> tuple[list[float], list[float]]:
    """``runs`` samples of each, alternating app/baseline then baseline/app, so that a slow spell of the machine
    (another process, a cache flush) falls on both sides alike. Returns (app samples, baseline samples)."""
    app_samples: list[float] = []
    base_samples: list[float] = []
    for n in range(runs):
        pair = ((app, app_samples), (baseline, base_samples))
        for measure, samples in pair if n % 2 == 0 else reversed(pair):
            samples.append(measure())
    return app_samples, base_samples


def _rounded(value: float) -> float:
    return round(value, 4)


def ratio_figure(
    name: str,
    unit: str,
    app: Sequence[float],
    baseline: Sequence[float],
    limit: float,
    *,
    below_value: float | None = None,
    detail: Mapping[str, object] | None = None,
) -> Figure:
    """The figure of paired samples: ``ok`` when median(app) / median(baseline) ≤ ``limit`` (and, with
    ``below_value``, the app's median is also under that absolute value, in ``unit``)."""
    if len(app) < RUNS or len(baseline) < RUNS:
        raise ValueError(f"{name}: {len(app)} app and {len(baseline)} baseline samples, {RUNS} each needed")
    value, base = median(app), median(baseline)
    ratio = value / base
    ok = ratio <= limit
    target = f"ratio <= {limit}"
    if below_value is not None:
        ok = ok and value < below_value
        target += f" and value < {below_value} {unit}"
    info = {"samples": len(app), "baseline_samples": len(baseline), **(detail or {})}
    return Figure(name, _rounded(value), unit, _rounded(base), _rounded(ratio), target, ok, info)


def absolute_figure(
    name: str,
    unit: str,
    value: float,
    baseline: float,
    limit: float,
    *,
    ok: bool | None = None,
    target: str | None = None,
    detail: Mapping[str, object] | None = None,
) -> Figure:
    """A figure judged by its absolute ``value`` < ``limit`` (or by ``ok`` and ``target`` when the rule has more
    parts); the baseline and ratio are still reported, for reading the value against the machine."""
    return Figure(
        name,
        _rounded(value),
        unit,
        _rounded(baseline),
        _rounded(value / baseline) if baseline > 0 else None,
        target or f"value < {limit} {unit}",
        value < limit if ok is None else ok,
        dict(detail or {}),
    )
