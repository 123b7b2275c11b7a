"""The benchmark suite's machinery (not its timings: those live in ``benchmarks/`` and are not run here)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import compare, run, suite
from benchmarks.figures import REGISTRY, RUNS, Figure, absolute_figure, interleaved, percentile, ratio_figure

KEYS = ["name", "value", "unit", "baseline", "ratio", "target", "ok"]


def test_interleaved_alternates_which_side_goes_first() -> None:
    calls: list[str] = []

    def side(name: str, value: float):
        def sample() -> float:
            calls.append(name)
            return value

        return sample

    app, bare = interleaved(side("app", 2.0), side("bare", 1.0), runs=4)
    assert (app, bare) == ([2.0] * 4, [1.0] * 4)
    assert calls == ["app", "bare", "bare", "app", "app", "bare", "bare", "app"]


def test_ratio_figure_judges_the_ratio_of_the_medians() -> None:
    app = [10.0, 11.0, 12.0, 100.0, 13.0]  # median 12
    fig = ratio_figure("x_ms", "ms", app, [5.0, 6.0, 6.0, 6.0, 1.0], 2.0)
    assert (fig.value, fig.baseline, fig.ratio, fig.ok) == (12.0, 6.0, 2.0, True)
    assert fig.target == "ratio <= 2.0"
    assert not ratio_figure("x_ms", "ms", app, [5.0] * 5, 2.0).ok


def test_an_absolute_limit_is_judged_as_well() -> None:
    fig = ratio_figure("k_ms", "ms", [17.0] * RUNS, [10.0] * RUNS, 3.0, below_value=16.0)
    assert fig.ratio == 1.7 and not fig.ok
    assert fig.target == "ratio <= 3.0 and value < 16.0 ms"


def test_a_figure_needs_enough_samples_on_both_sides() -> None:
    with pytest.raises(ValueError, match="baseline samples"):
        ratio_figure("x_ms", "ms", [1.0] * RUNS, [1.0] * (RUNS - 1), 2.0)


def test_a_figure_prints_the_agreed_keys_in_order() -> None:
    line = ratio_figure("x_ms", "ms", [3.0] * RUNS, [2.0] * RUNS, 2.0).as_dict()
    assert list(line)[: len(KEYS)] == KEYS
    assert line["detail"] == {"samples": RUNS, "baseline_samples": RUNS}
    assert json.loads(json.dumps(line)) == line


def test_absolute_figure_keeps_a_baseline_and_its_own_rule() -> None:
    fig = absolute_figure("stall_ms", "ms", 30.0, 10.0, 50.0)
    assert (fig.ratio, fig.ok, fig.target) == (3.0, True, "value < 50.0 ms")
    assert absolute_figure("lost", "problems", 0, 0, 1).ratio is None
    assert not absolute_figure("stall_ms", "ms", 30.0, 10.0, 50.0, ok=False, target="p99 < 20 ms").ok


def test_percentile_is_the_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 99) == 99.0
    assert percentile(samples, 100) == 100.0
    assert percentile([7.0], 99) == 7.0


def test_the_suite_registers_every_figure_module() -> None:
    assert suite.load() == {}
    expected = {"open_review_ms", "score_keystroke_ms", "sandbox_boot_s", "sync_push_1000_s", "sync_pull_10000_s",
                "ui_stall_ms", "crash_kills_lost", "startup_ratio", "queue_filter_ms"}
    assert expected <= set(REGISTRY)


def test_a_figure_that_cannot_be_measured_is_a_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> Figure:
        raise RuntimeError("the sandbox did not start")

    monkeypatch.setitem(REGISTRY, "broken_s", broken)
    line = run.measure("broken_s")
    assert list(line)[: len(KEYS)] == KEYS
    assert line["ok"] is False and line["error"] == "the sandbox did not start"


def test_a_figure_module_that_cannot_be_imported_takes_only_its_own_figures_down(tmp_path: Any) -> None:
    bench = tmp_path / "benchmarks"
    shutil.copytree(Path(suite.__file__).parent, bench, ignore=shutil.ignore_patterns("__pycache__", "bench_*"))
    (bench / "bench_good.py").write_text(
        "from benchmarks.figures import figure, ratio_figure\n"
        "@figure('good_ms')\n"
        "def good():\n"
        "    return ratio_figure('good_ms', 'ms', [2.0] * 5, [1.0] * 5, 3.0)\n"
    )
    (bench / "bench_newer.py").write_text("from mentor_desk.app import SomethingThisVersionLacks\n")
    proc = subprocess.run([sys.executable, str(bench / "run.py")], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)}, check=False)
    lines = {line["name"]: line for line in map(json.loads, proc.stdout.splitlines())}
    assert proc.returncode == 1
    assert lines["good_ms"]["ok"] is True and lines["good_ms"]["ratio"] == 2.0
    assert "SomethingThisVersionLacks" in str(lines["bench_newer"]["error"])
    only = subprocess.run([sys.executable, str(bench / "run.py"), "--only", "newer_ms"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(tmp_path)}, check=False)
    assert only.returncode == 1 and "bench_newer" in json.loads(only.stdout)["error"]


def test_the_bundle_figure_is_skipped_in_words_without_a_built_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from benchmarks import bench_package

    monkeypatch.setattr(bench_package, "DIST", tmp_path)
    monkeypatch.setattr(bench_package, "BUNDLE", tmp_path / "mentor-desk" / "mentor-desk")
    line = run.measure("bundle_start_ratio")
    assert list(line)[: len(KEYS)] == KEYS
    assert line["ok"] is True and line["value"] is None, "a skip is not a miss"
    assert "packaging/build.sh" in str(line["skipped"])
    assert not compare.worse({"name": "bundle_start_ratio", "ratio": 1.5, "ok": True}, line, 0.1)
