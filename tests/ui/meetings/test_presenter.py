"""Presenter mode on a second screen: the Qt offscreen platform configured with a laptop and a projector screen,
in a process of its own (a QApplication's screens are fixed when it starts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCREENS = {"screens": [
    {"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
    {"name": "projector", "x": 1280, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96,
     "dpr": 1},
]}


def test_presenter_fills_the_projector_and_steps_with_the_keys(tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    script = Path(__file__).with_name("two_screens.py")
    picture = tmp_path / "projector.png"
    done = subprocess.run([sys.executable, str(script), str(picture)], env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["screen"] == "projector" and result["full_screen"]
    assert result["geometry"] == result["projector"] == [1280, 0, 1920, 1080]
    headings = result["headings"]
    assert headings[0].startswith("1 / 6 · Initial Threat Assessment — Scoping")
    assert [h.split(" ·")[0] for h in headings] == ["1 / 6", "2 / 6", "3 / 6", "2 / 6", "6 / 6", "6 / 6"]
    texts = result["texts"]
    assert "Learner 7F3A21" in texts and "α = " in texts and "Median" in texts
    assert result["heading_px"] >= 1080 // 24  # large type for the back of the room
    assert result["background"] == "#000000" and result["chart_yellow"]  # high contrast; the spread is drawn
    assert picture.stat().st_size > 10_000
