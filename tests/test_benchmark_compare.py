"""benchmarks/compare.py: each side runs its own suite against its own code (not its timings: none are taken here)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import compare

OLDER = "7ead123~1"  # before the typed draft: its bench_sync_setup.py cannot run against today's mentor_desk


def _side(root: Path, label: str, names: list[str]) -> compare.Version:
    """A fake checkout whose ``benchmarks/run.py`` lists ``names`` and answers each figure with its own label."""
    (root / "benchmarks").mkdir(parents=True)
    (root / "benchmarks" / "run.py").write_text(
        "import json, sys\n"
        f"if sys.argv[1] == '--list':\n    print({' '.join(names)!r})\n"
        f"else:\n    print(json.dumps({{'name': sys.argv[2], 'value': 1, 'baseline': 1, 'ratio': 1.0, 'ok': True,"
        f" 'side': {label!r}}}))\n"
    )
    return compare.Version(label, root)


def test_each_side_answers_from_its_own_suite_and_only_common_figures_are_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _side(tmp_path / "old", "old", ["a_ms", "b_ms"])
    new = _side(tmp_path / "new", "new", ["b_ms", "c_ms"])
    assert compare.common_figures([old, new], sys.executable, None) == ["b_ms"]
    said = capsys.readouterr().err
    assert "not in old's suite, not compared: c_ms" in said and "not in new's suite, not compared: a_ms" in said
    assert compare.common_figures([old, new], sys.executable, ["a_ms"]) == []
    assert compare.run_figure(old, "b_ms", sys.executable)["side"] == "old"
    assert compare.run_figure(new, "b_ms", sys.executable)["side"] == "new"


def test_a_checkout_keeps_its_own_benchmarks(tmp_path: Path) -> None:
    with compare.checkout(OLDER, tmp_path) as version:
        ours = (version.root / "benchmarks" / "bench_sync_setup.py").read_text()
    theirs = subprocess.run(["git", "-C", str(compare.REPO), "show", f"{OLDER}:benchmarks/bench_sync_setup.py"],
                            capture_output=True, text=True, check=True).stdout
    assert ours == theirs
    assert not (tmp_path / version.root.name).exists()  # removed again


def test_a_suite_that_cannot_list_its_figures_is_said_in_words(tmp_path: Path) -> None:
    broken = compare.Version("broken", tmp_path)
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "run.py").write_text("raise SystemExit('no --list here')\n")
    with pytest.raises(ValueError, match=re.escape("broken: its benchmarks/run.py --list failed (no --list here)")):
        compare.figure_names(broken, sys.executable)
    assert compare.run_figure(broken, "x", sys.executable)["ok"] is False


def test_a_suite_older_than_baselines_is_compared_by_its_times_and_shown_without_one() -> None:
    old = {"name": "open_review_ms", "value": 100.0, "unit": "ms", "target": 150, "ok": True}  # no baseline yet
    new = {"name": "open_review_ms", "value": 130.0, "unit": "ms", "baseline": 80.0, "ratio": 1.62, "ok": False}
    assert compare.worse(old, new, tolerance=0.15)
    assert not compare.worse(old, {**new, "value": 110.0}, tolerance=0.15)
    assert "no baseline" in compare._cell(old) and "(130.0 / 80.0 ms)" in compare._cell(new)
