"""Recordings interrupted by SIGKILL are offered back at the next start: the sound from the journal (checked by
its frequency), a complete file as it is, and nothing-written-yet as a sentence."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from recording_helpers import decode, dominant_hz, need_pulse, probe, tone

from mentor_desk.media.recording_files import PART, Description, PartFiles, Recording, write_description
from mentor_desk.media.recovery import Outcome, Salvage

CHILD = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from mentor_desk.media.recorder import Kind, Recorder
app = QApplication([])
recorder = Recorder(Path(sys.argv[1]))
recorder.failed.connect(lambda sentence: (print("failed", sentence, flush=True), app.exit(1)))
def report():
    if recorder.elapsed() >= int(sys.argv[3]):
        print("recording", recorder.elapsed(), flush=True)
        timer.stop()
timer = QTimer(interval=50)
timer.timeout.connect(report)
timer.start()
recorder.start(Kind(sys.argv[2]))
app.exec()
"""


def record_then_kill(folder: Path, kind: str, ms: int) -> int:
    """Run a recording process, SIGKILL it once it has recorded ``ms``; returns what it had recorded."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), kind, str(ms)], stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert child.stdout is not None
    line = child.stdout.readline()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert line.startswith("recording"), line
    return int(line.split()[1])


def salvage(qtbot: Any, folder: Path) -> list[Outcome]:
    outcomes: list[Outcome] = []
    work = Salvage(folder)
    work.recovered.connect(outcomes.append)
    with qtbot.waitSignal(work.done, timeout=60000):
        work.start()
    return outcomes


@pytest.mark.parametrize("kind", ["audio", "screen"])
def test_sigkill_mid_recording_recovers_the_sound(qtbot: Any, tmp_path: Path, kind: str) -> None:
    need_pulse()
    folder = tmp_path / "media"
    with tone(tmp_path, 523):
        recorded = record_then_kill(folder, kind, 2500)
    assert list(folder.glob(f"*{PART}.json")), "the killed process left its recording in progress"

    [outcome] = salvage(qtbot, folder)

    recording = outcome.recording
    assert isinstance(recording, Recording)
    assert recording.path.name == f"{recording.sha256}.m4a"
    assert outcome.sentence.startswith("The sound of a recording started ")
    assert outcome.sentence.endswith("; its picture could not be." if kind == "screen" else ").")
    assert [s["codec_name"] for s in probe(recording.path)["streams"]] == ["aac"]  # type: ignore[index]
    # the journal is flushed every second: at most about that much is lost
    assert recorded - 1300 <= recording.duration_ms <= recorded + 600
    assert dominant_hz(decode(recording.path), skip_seconds=0.2) == pytest.approx(523, abs=6)
    assert sorted(p.name for p in folder.iterdir()) == [recording.path.name]


def test_a_complete_file_left_unrenamed_is_taken_whole(qtbot: Any, tmp_path: Path, seeded_mp4: Path) -> None:
    folder = tmp_path / "media"
    files = PartFiles(folder, "abc", ".mp4")
    write_description(files, Description("abc", "camera", ".mp4", "2026-12-01T10:00:00+00:00"))
    files.output.write_bytes(seeded_mp4.read_bytes())

    [outcome] = salvage(qtbot, folder)

    assert outcome.recording is not None and outcome.recording.kind == "camera"
    assert outcome.recording.path.suffix == ".mp4"
    assert outcome.sentence.startswith("A recording started 01 Dec 2026 at ") and "recovered whole" in outcome.sentence


def test_nothing_written_is_said_plainly_and_cleared(qtbot: Any, tmp_path: Path) -> None:
    folder = tmp_path / "media"
    files = PartFiles(folder, "empty", ".m4a")
    write_description(files, Description("empty", "audio", ".m4a", "2026-12-01T10:00:00+00:00"))
    files.output.write_bytes(b"\x00\x00\x00\x20ftypM4A ")  # QMediaRecorder's first bytes, nothing more
    files.journal.write_bytes(b"")

    [outcome] = salvage(qtbot, folder)

    assert outcome.recording is None
    assert outcome.sentence.endswith("could not be recovered: none of it had been written to the disk.")
    assert list(folder.iterdir()) == []


def test_after_sigkill_the_recordings_tab_offers_the_sound_and_attaches_it_from_the_keyboard(
    qtbot: Any, tmp_path: Path
) -> None:
    """The app is killed mid-recording; at the next start the review's Recordings tab recovers the recording, says
    so, and the mentor attaches it to a subtask with the keyboard."""
    need_pulse()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from mentor_desk.ui.review.recorder_panel import RecorderPanel

    folder = tmp_path / "media"
    with tone(tmp_path, 523):
        recorded = record_then_kill(folder, "audio", 2500)

    panel = RecorderPanel(folder)  # the next start
    qtbot.addWidget(panel)
    panel.bind([("Subtask: Triage", "subtask", "st-1")], [])
    panel.show()
    panel.activateWindow()
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=60000)
    assert panel.message.text().startswith("The sound of a recording started ")
    assert panel.message.text().endswith("Select it and choose Attach to keep it with a review.")
    panel.target.setFocus()
    qtbot.waitUntil(panel.target.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)  # the whole review → the subtask
    panel.list.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Home)
    panel.attach_button.setFocus()
    with qtbot.waitSignal(panel.attachments_changed, timeout=5000) as changed:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)

    (attached,) = changed.args[0]
    assert attached["kind"] == "audio" and attached["target"] == {"kind": "subtask", "id": "st-1"}
    path = folder / f"{attached['sha256']}.m4a"
    assert recorded - 1300 <= attached["duration_ms"] <= recorded + 600
    assert dominant_hz(decode(path), skip_seconds=0.2) == pytest.approx(523, abs=6)
    assert panel.list.item(0).text().startswith("Audio 0:0") and "Subtask: Triage" in panel.list.item(0).text()
