"""One app per data folder: a second launch brings the running window to the front and exits."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from mentor_desk.single_instance import SingleInstance


def test_a_second_guard_on_the_same_folder_asks_the_first_to_come_forward(qtbot, tmp_path: Path) -> None:
    first, second = SingleInstance(tmp_path / "data"), SingleInstance(tmp_path / "data")
    other = SingleInstance(tmp_path / "elsewhere")
    try:
        assert first.claim()
        with qtbot.waitSignal(first.raise_requested, timeout=10_000):
            assert not second.claim()
        assert other.claim()  # another data folder is another app
        first.release()
        assert second.claim()  # the folder is free again once the first app is gone
    finally:
        for guard in (first, second, other):
            guard.release()


def _app_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "MENTOR_DESK_DATA_DIR": str(data_dir), "XDG_CONFIG_HOME": str(data_dir / "config")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_a_second_launch_of_the_app_raises_the_running_one(qtbot, tmp_path: Path) -> None:
    """This test holds the folder as the running app would; ``mentor-desk`` launched on it exits at once."""
    running = SingleInstance(tmp_path)
    assert running.claim()
    try:
        with qtbot.waitSignal(running.raise_requested, timeout=30_000):
            second = subprocess.Popen([sys.executable, "-m", "mentor_desk"], env=_app_env(tmp_path),
                                      stderr=subprocess.PIPE, text=True)
        _, err = second.communicate(timeout=30)
        assert second.returncode == 0 and "already running" in err
        assert not (tmp_path / "logs").exists()  # it started nothing of its own
    finally:
        running.release()


def test_two_real_apps_on_one_data_folder(tmp_path: Path) -> None:
    """The demo app runs; a second ``mentor-desk --demo`` on its folder does not start a second one (which would
    have deleted the running demo's platform) and the first hears of it."""
    env = _app_env(tmp_path)
    first = subprocess.Popen([sys.executable, "-m", "mentor_desk", "--demo"], env=env, stderr=subprocess.DEVNULL)
    log_file = tmp_path / "logs" / "mentor_desk.log"
    try:
        _wait_for(lambda: log_file.exists() and "main window open" in log_file.read_text(), first)
        second = subprocess.run([sys.executable, "-m", "mentor_desk", "--demo"], env=env, capture_output=True,
                                text=True, timeout=60)
        assert second.returncode == 0 and "already running" in second.stderr
        _wait_for(lambda: "a second launch on this data folder" in log_file.read_text(), first)
        assert log_file.read_text().count("mentor_desk starting") == 1
    finally:
        first.terminate()
        first.wait(timeout=10)


def _wait_for(condition, proc: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert proc.poll() is None, "the app exited"
        assert time.monotonic() < deadline, "the app did not get there"
        time.sleep(0.2)


def test_the_shell_brings_its_minimised_window_back(shell, run, until) -> None:
    """What the running app does when a second launch asks: here its window is the sign-in dialog."""
    dialog = run(shell.show_sign_in())
    dialog.showMinimized()
    until(dialog.isMinimized)
    shell.raise_window()
    assert dialog.isVisible() and not dialog.isMinimized()
