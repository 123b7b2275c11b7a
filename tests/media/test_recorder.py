"""The recorder against a PulseAudio virtual microphone playing a known tone, and Qt's screen capture offscreen:
what is recorded is checked with ffprobe and by its dominant frequency, not just that a file exists."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from recording_helpers import decode, dominant_hz, need_pulse, probe, tone

from mentor_desk.media import recorder as recorder_module
from mentor_desk.media.recorder import Kind, Recorder
from mentor_desk.media.recording_files import PART, Recording

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(scope="module")
def warm_microphone(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The first recording after PulseAudio starts comes out short: make a throwaway one first."""
    need_pulse()
    from PySide6.QtCore import QEventLoop, QTimer

    folder = tmp_path_factory.mktemp("warm-up")
    recorder = Recorder(folder)
    loop = QEventLoop()
    recorder.finished.connect(loop.quit)
    recorder.failed.connect(loop.quit)
    QTimer.singleShot(20000, loop.quit)
    with tone(folder, 440):
        recorder.start()
        QTimer.singleShot(1000, recorder.stop)
        loop.exec()


@pytest.fixture
def media_dir(tmp_path: Path, warm_microphone: None) -> Path:
    return tmp_path / "media"


def record(qtbot: Any, recorder: Recorder, ms: int, kind: Kind = Kind.AUDIO, **options: Any) -> Recording:
    """Record until the recorder has ``ms`` (on a loaded machine PulseAudio drops sound: not wall time)."""
    assert recorder.start(kind, **options)
    qtbot.waitUntil(lambda: recorder.elapsed() >= ms, timeout=ms * 5)
    with qtbot.waitSignal(recorder.finished, timeout=15000) as finished:
        recorder.stop()
    return finished.args[0]  # type: ignore[no-any-return]


def test_a_tone_is_recorded_as_aac_with_its_duration_and_frequency(qtbot: Any, media_dir: Path, tmp_path: Path) -> None:
    recorder = Recorder(media_dir)
    levels: list[float] = []
    recorder.level_changed.connect(levels.append)
    with tone(tmp_path, 440):
        qtbot.wait(800)  # the first sound after the daemon starts arrives late
        recording = record(qtbot, recorder, 3000)

    assert recording.path.parent == media_dir
    assert recording.path.name == f"{recording.sha256}.m4a"
    assert hashlib.sha256(recording.path.read_bytes()).hexdigest() == recording.sha256
    assert not list(media_dir.glob(f"*{PART}*")), "the journal and description are removed when finished"
    info = probe(recording.path)
    assert [s["codec_name"] for s in info["streams"]] == ["aac"]  # type: ignore[index]
    assert 2.9 <= float(info["format"]["duration"]) <= 3.5  # type: ignore[index]
    assert abs(recording.duration_ms - 3000) < 500
    assert dominant_hz(decode(recording.path)) == pytest.approx(440, abs=5)
    assert max(levels) > 0.2, "the level meter followed the tone"
    assert recorder.state() == "idle"


def test_pause_leaves_the_paused_time_out(qtbot: Any, media_dir: Path, tmp_path: Path) -> None:
    recorder = Recorder(media_dir)
    with tone(tmp_path, 660):
        qtbot.wait(500)
        assert recorder.start()
        qtbot.waitUntil(lambda: recorder.elapsed() >= 1500, timeout=10000)
        recorder.pause()
        assert recorder.state() == "paused"
        paused_at = recorder.elapsed()
        qtbot.wait(1500)
        assert recorder.elapsed() - paused_at < 300
        recorder.resume()
        qtbot.waitUntil(lambda: recorder.elapsed() >= 3000, timeout=10000)
        with qtbot.waitSignal(recorder.finished, timeout=15000) as finished:
            recorder.stop()
    recording: Recording = finished.args[0]
    assert 2900 <= recording.duration_ms <= 3600
    assert dominant_hz(decode(recording.path)) == pytest.approx(660, abs=7)


def test_the_screen_is_recorded_as_mpeg4_part2_video(qtbot: Any, media_dir: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QLabel

    window = QLabel("evidence")
    qtbot.addWidget(window)
    window.show()
    recorder = Recorder(media_dir)
    with tone(tmp_path, 440):
        recording = record(qtbot, recorder, 2500, Kind.SCREEN)
    assert recording.path.name == f"{recording.sha256}.mp4"
    assert recording.content_type == "video/mp4"
    streams = {s["codec_type"]: s for s in probe(recording.path)["streams"]}  # type: ignore[attr-defined]
    video = streams["video"]
    size = QGuiApplication.primaryScreen().size()
    assert (video["codec_name"], video["width"], video["height"]) == ("mpeg4", size.width(), size.height())
    assert int(video["nb_read_frames"]) >= 15
    assert streams["audio"]["codec_name"] == "aac"


def test_the_platform_size_limit_warns_then_stops_and_keeps(qtbot: Any, media_dir: Path, tmp_path: Path) -> None:
    recorder = Recorder(media_dir)
    recorder.size_limit = 100_000  # 8 s of sound at 96 kbit/s
    notices: list[str] = []
    recorder.notice.connect(notices.append)
    with tone(tmp_path, 440), qtbot.waitSignal(recorder.finished, timeout=60000) as finished:
        assert recorder.start()
    recording: Recording = finished.args[0]
    assert notices[0].startswith("This recording will soon reach the 0.1 MB this platform accepts")
    assert "reached the" in notices[-1] and "What was recorded is kept." in notices[-1]
    assert recording.size <= 100_000
    assert 6000 < recording.duration_ms < 8500


def test_a_microphone_unplugged_mid_recording_stops_it_and_keeps_it(
    qtbot: Any, media_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PulseAudio moves a stream to another source when its source goes away, and Qt 6.11 does not report the
    removal here: the device list is the edge replaced (what Qt reports when a USB microphone is pulled)."""
    recorder = Recorder(media_dir)
    notices: list[str] = []
    recorder.notice.connect(notices.append)
    with tone(tmp_path, 440):
        assert recorder.start()
        qtbot.waitUntil(lambda: recorder.elapsed() >= 1500, timeout=10000)
        monkeypatch.setattr(recorder_module, "microphones", list)
        with qtbot.waitSignal(recorder.finished, timeout=15000) as finished:
            recorder._devices.audioInputsChanged.emit()
    assert notices == [recorder_module.MICROPHONE_GONE.format(at="0:01")]
    recording: Recording = finished.args[0]
    assert recording.duration_ms > 1000
    assert dominant_hz(decode(recording.path)) == pytest.approx(440, abs=5)


def test_no_microphone_is_a_sentence_not_a_hang(tmp_path: Path) -> None:
    """A process whose PulseAudio server does not exist sees no microphone at all."""
    script = (
        "import sys; from pathlib import Path; from PySide6.QtWidgets import QApplication;"
        "from mentor_desk.media.recorder import Recorder; app = QApplication([]);"
        f"r = Recorder(Path({str(tmp_path)!r})); r.failed.connect(print); print(r.start())"
    )
    env = {**__import__("os").environ, "PULSE_SERVER": "unix:/nonexistent/native", "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([__import__("sys").executable, "-c", script], env=env, capture_output=True, text=True,
                         timeout=60).stdout
    assert recorder_module.NO_MICROPHONE in out
    assert out.strip().endswith("False")
    assert not list(tmp_path.iterdir())


def test_the_camera_is_disabled_with_its_reason_when_there_is_none(qapp: Any) -> None:
    from PySide6.QtMultimedia import QMediaDevices

    expected = None if QMediaDevices.videoInputs() else recorder_module.NO_CAMERA
    assert recorder_module.camera_unavailable() == expected


@pytest.mark.parametrize(("small_video", "limit"), [(False, 4_000_000), (True, 1_500_000)])
def test_a_screen_recording_warns_then_stops_under_the_platform_limit(
    qtbot: Any, media_dir: Path, tmp_path: Path, small_video: bool, limit: int
) -> None:
    """Qt's FFmpeg encoder takes every frame the screen gives (60 a second offscreen), not the 15 asked for, so
    the video comes out several times the nominal bitrate: the limit must follow the size actually written."""
    from PySide6.QtWidgets import QLabel

    window = QLabel("evidence")
    qtbot.addWidget(window)
    window.show()
    recorder = Recorder(media_dir)
    recorder.size_limit = limit
    notices: list[str] = []
    recorder.notice.connect(notices.append)
    with tone(tmp_path, 440), qtbot.waitSignal(recorder.finished, timeout=90000) as finished:
        assert recorder.start(Kind.SCREEN, small_video=small_video)
    recording: Recording = finished.args[0]
    assert "reached the" in notices[-1] and "What was recorded is kept." in notices[-1]
    assert notices[0].startswith(f"This recording will soon reach the {limit / 1e6:.2g} MB this platform accepts")
    # a loaded machine writes in bursts, which can make it stop early, never late
    assert limit * 0.3 <= recording.size <= limit, "stopped under the limit, not long before it"
    video = next(s for s in probe(recording.path)["streams"] if s["codec_type"] == "video")  # type: ignore[attr-defined]
    assert int(video["nb_read_frames"]) >= 10


@pytest.fixture
def nearly_full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system (tmpfs) with only a little more room than the recorder keeps in reserve."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    size = recorder_module.DISK_RESERVE_BYTES + 600 * 1024
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_stops_the_recording_with_a_sentence_and_keeps_it(
    qtbot: Any, nearly_full_disk: Path, tmp_path: Path, warm_microphone: None
) -> None:
    folder = nearly_full_disk / "media"
    recorder = Recorder(folder)
    notices: list[str] = []
    recorder.notice.connect(notices.append)
    with tone(tmp_path, 440), qtbot.waitSignal(recorder.finished, timeout=60000) as finished:
        assert recorder.start()
    recording: Recording = finished.args[0]
    assert len(notices) == 1 and notices[0].startswith("The disk is nearly full, so the recording stopped at 0:0")
    assert notices[0].endswith("What was recorded is kept.")
    assert recording.path.parent == folder and recording.path.name == f"{recording.sha256}.m4a"
    assert not list(folder.glob(f"*{PART}*")), "finished as usual: named by its hash, the journal removed"
    assert float(probe(recording.path)["format"]["duration"]) >= 1.0  # type: ignore[index]
    assert dominant_hz(decode(recording.path)) == pytest.approx(440, abs=5)
    assert shutil.disk_usage(folder).free > 0


def fill_up(disk: Path) -> None:
    """Take every byte left on ``disk``, as another program would."""
    with (disk / "another program").open("wb") as handle:
        try:
            while True:
                handle.write(b"x" * 65536)
                handle.flush()
        except OSError:
            pass


def test_a_disk_filled_by_another_program_keeps_the_sound_for_the_next_start(
    qtbot: Any, nearly_full_disk: Path, tmp_path: Path, warm_microphone: None
) -> None:
    """Another program takes all the room left mid-recording: the MP4 cannot be finished and there is no room to
    recover the sound now; the journal is kept, and once there is room again the next start offers the sound."""
    from mentor_desk.ui.review.recorder_panel import RecorderPanel

    folder = nearly_full_disk / "media"
    panel = RecorderPanel(folder)
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()
    panel.list.setFocus()
    qtbot.waitUntil(panel.list.hasFocus)
    with tone(tmp_path, 440):
        qtbot.keyClick(panel.list, Qt.Key.Key_R, CTRL_SHIFT)
        qtbot.waitUntil(lambda: panel.recorder.elapsed() >= 2500, timeout=20000)
        fill_up(nearly_full_disk)
        qtbot.waitUntil(lambda: "tried again" in panel.message.text(), timeout=60000)
    said = panel.message.text()
    assert said.startswith("The disk is nearly full, so the recording stopped at 0:0")
    assert said.endswith("could not be recovered now: the disk is full. What was written of it is kept and tried "
                         "again at the next start.")
    assert panel.list.count() == 0
    assert list(folder.glob(f"*{PART}.pcm")), "the sound is kept"

    (nearly_full_disk / "another program").unlink()
    again = RecorderPanel(folder)  # the next start
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.list.count() == 1, timeout=60000)
    assert again.message.text().startswith("The sound of a recording started ")
    found = again.list.item(0).data(Qt.ItemDataRole.UserRole)
    assert isinstance(found, Recording) and found.path.parent == folder
    assert found.duration_ms >= 1500
    assert dominant_hz(decode(found.path)) == pytest.approx(440, abs=5)
    assert sorted(p.name for p in folder.iterdir()) == [found.path.name]


@pytest.mark.parametrize("kind", [Kind.AUDIO, Kind.SCREEN])
def test_a_recording_plays_through_libvlc_to_its_end(qtbot: Any, media_dir: Path, tmp_path: Path, kind: Kind) -> None:
    """What the recorder makes is what the player plays: the mentor previews it before attaching it."""
    from PySide6.QtCore import QObject

    from mentor_desk.media.playback import VlcPlayer

    with tone(tmp_path, 440):
        recording = record(qtbot, Recorder(media_dir), 2000, kind)
    owner = QObject()
    player = VlcPlayer(parent=owner)
    try:
        with qtbot.waitSignal(player.duration_changed, timeout=10000):
            player.open(recording.path)
        assert abs(player.duration() - recording.duration_ms) <= 150
        with qtbot.waitSignal(player.ended, timeout=30000):
            player.play()
        assert player.state() == "ended"
    finally:
        player.close()


def test_the_screen_can_be_recorded_without_sound(qtbot: Any, media_dir: Path) -> None:
    from PySide6.QtWidgets import QLabel

    window = QLabel("evidence")
    qtbot.addWidget(window)
    window.show()
    recording = record(qtbot, Recorder(media_dir), 2000, Kind.SCREEN, with_microphone=False)
    assert [s["codec_type"] for s in probe(recording.path)["streams"]] == ["video"]  # type: ignore[index]
    assert recording.path.suffix == ".mp4" and recording.duration_ms >= 1900
    assert not list(media_dir.glob(f"*{PART}*")), "no journal is left behind"
