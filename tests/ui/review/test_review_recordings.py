"""The review's Recordings tab: a recording made from the keyboard (PulseAudio's virtual microphone playing a
tone) is attached to the chosen part of the review and saved with the draft; deleting takes it off again."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from mentor_desk.domain.draft import AttachmentTarget, TargetKind
from mentor_desk.services.media import size_limit

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class FolderMedia:
    """The media service's folder and limit (uploads are the sync tests' business)."""

    def __init__(self, folder: Path, mode: str = "full") -> None:
        self.media_dir = folder
        self.size_limit = size_limit("och-v1" if mode == "och-v1" else "full")

    def watch_uploads(self, observer: Any) -> Any:
        return lambda: None

    def cancel_upload(self, sha256: str) -> None:
        pass


def _pulse_ready() -> bool:
    if not (shutil.which("pactl") and shutil.which("paplay") and shutil.which("sox")):
        return False
    info = subprocess.run(["pactl", "info"], capture_output=True, text=True, timeout=10)
    return info.returncode == 0 and "Default Source: virtmic" in info.stdout


@contextmanager
def recordings_tab(details: list[Any], workspace: Any, run: Any, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """A review with several subtasks open, its Recordings tab shown with the second subtask chosen, and a 440 Hz
    tone playing into PulseAudio's virtual microphone while the block runs; gives (review, tab)."""
    if not _pulse_ready():
        pytest.skip("no PulseAudio null sink with the virtmic source (scripts/pulse-null-sink.sh)")
    detail = next(d for d in details if len(d.mission.subtasks) > 1)
    assert run(workspace.open_review(detail.id))
    workspace.add_recordings(FolderMedia(tmp_path / "media"))
    panel = workspace.recordings
    workspace.side_tabs.setCurrentWidget(panel)
    panel.target.setCurrentIndex(2)  # the second subtask
    wav = tmp_path / "tone.wav"
    subprocess.run(["sox", "-n", "-r", "48000", "-c", "2", str(wav), "synth", "30", "sine", "440", "vol", "0.5"],
                   check=True, timeout=30)
    tone = subprocess.Popen(["paplay", "--latency-msec=20", str(wav)])
    try:
        yield detail, panel
    finally:
        tone.terminate()
        tone.wait(timeout=10)


def test_a_recording_made_from_the_keyboard_is_attached_and_saved(
    details: list[Any], workspace: Any, services: Any, run: Any, qtbot: Any, tmp_path: Path
) -> None:
    with recordings_tab(details, workspace, run, tmp_path) as (detail, panel):
        panel.list.setFocus()
        qtbot.keyClick(panel.list, Qt.Key.Key_R, CTRL_SHIFT)
        qtbot.waitUntil(lambda: panel.recorder.elapsed() >= 1500, timeout=15000)
        assert panel.record_button.text() == "Stop" and not panel.target.isEnabled()
        qtbot.keyClick(panel.list, Qt.Key.Key_R, CTRL_SHIFT)
        qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=15000)
    subtask = str(detail.mission.subtasks[1].id)

    (attached,) = workspace.document.draft.attachments
    assert attached.kind == "audio" and attached.target == AttachmentTarget(TargetKind.SUBTASK, subtask)
    assert (tmp_path / "media" / f"{attached.sha256}.m4a").is_file()
    assert panel.list.item(0).text().startswith("Audio 0:0") and "Subtask" in panel.list.item(0).text()
    run(workspace.flush_drafts())
    saved = run(services.load_draft(detail.id, workspace.document.review.stage))
    assert saved is not None and saved.attachments == (attached,)

    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert workspace.document.draft.attachments == () and panel.list.count() == 0
    workspace.undo()
    assert workspace.document.draft.attachments == (attached,)
    assert panel.list.count() == 1, "the undone deletion shows the recording again"


def test_re_record_replaces_the_recording_for_the_same_part_and_undo_brings_it_back(
    details: list[Any], workspace: Any, run: Any, qtbot: Any, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QApplication

    with recordings_tab(details, workspace, run, tmp_path) as (_detail, panel):
        panel.list.setFocus()
        qtbot.keyClick(panel.list, Qt.Key.Key_R, CTRL_SHIFT)
        qtbot.waitUntil(lambda: panel.recorder.elapsed() >= 1000, timeout=15000)
        qtbot.keyClick(panel.list, Qt.Key.Key_R, CTRL_SHIFT)
        qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=15000)
        (first,) = workspace.document.draft.attachments
        panel.target.setCurrentIndex(0)  # the mentor looked elsewhere meanwhile
        panel.list.setCurrentRow(0)
        panel.rerecord_button.setFocus()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
        assert panel.recorder.state() == "recording" and panel.target.currentIndex() == 2
        qtbot.waitUntil(lambda: panel.recorder.elapsed() >= 2000, timeout=15000)
        qtbot.keyClick(panel.list, Qt.Key.Key_R, CTRL_SHIFT)
        qtbot.waitUntil(lambda: workspace.document.draft.attachments != (first,), timeout=15000)

    (second,) = workspace.document.draft.attachments
    assert second.sha256 != first.sha256 and second.target == first.target and panel.list.count() == 1
    assert second.duration_ms > first.duration_ms
    workspace.undo()
    assert workspace.document.draft.attachments == (first,)
