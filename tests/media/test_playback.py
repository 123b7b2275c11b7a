"""VlcPlayer against real libVLC and real files: duration, playing to the end, seeking, pausing, speed,
damaged files, a machine without VLC, and players torn down while VLC is still playing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject

from mentor_desk.media import playback
from mentor_desk.media.playback import LibVlc, VlcPlayer


class Recorder:
    """Everything a player emits, with the thread each signal arrived on."""

    def __init__(self, player: VlcPlayer) -> None:
        self.positions: list[int] = []
        self.states: list[str] = []
        self.failures: list[str] = []
        self.threads: set[str] = set()
        player.position_changed.connect(lambda ms: self._note(self.positions, ms))
        player.state_changed.connect(lambda state: self._note(self.states, state))
        player.failed.connect(lambda sentence: self._note(self.failures, sentence))
        player.ended.connect(lambda: self._note(self.states, "<ended>"))

    def _note(self, into: list[Any], value: Any) -> None:
        into.append(value)
        self.threads.add(threading.current_thread().name)

    @property
    def count(self) -> int:
        return len(self.positions) + len(self.states) + len(self.failures)


@pytest.fixture
def player(qtbot: Any) -> Iterator[VlcPlayer]:
    owner = QObject()
    vlc_player = VlcPlayer(parent=owner)
    yield vlc_player
    vlc_player.close()


def opened(qtbot: Any, player: VlcPlayer, path: Path) -> Recorder:
    recorder = Recorder(player)
    with qtbot.waitSignal(player.duration_changed, timeout=5000):
        player.open(path)
    return recorder


def play_until(qtbot: Any, player: VlcPlayer, state: str) -> None:
    qtbot.waitUntil(lambda: player.state() == state, timeout=5000)


def test_duration_is_known_before_playing(qtbot: Any, player: VlcPlayer, seeded_mp4: Path) -> None:
    opened(qtbot, player, seeded_mp4)
    assert player.duration() == 2000  # ffprobe: 00:00:02.00
    assert player.state() == "opening" and player.position() == 0


def test_plays_to_the_end_reporting_progress_on_the_gui_thread(qtbot: Any, player: VlcPlayer, seeded_mp4: Path) -> None:
    recorder = opened(qtbot, player, seeded_mp4)
    player.seek(800)  # the last 1.2 s are enough to see progress
    with qtbot.waitSignal(player.ended, timeout=8000):
        player.play()
    assert recorder.states == ["opening", "playing", "ended", "<ended>"]
    assert len(recorder.positions) >= 2 and recorder.positions == sorted(recorder.positions)
    assert player.position() == player.duration() == 2000
    assert recorder.threads == {threading.main_thread().name}, "VLC's threads reach Qt only through queued signals"


def test_ended_media_plays_again_from_a_seek(qtbot: Any, player: VlcPlayer, video_only_mp4: Path) -> None:
    recorder = opened(qtbot, player, video_only_mp4)
    player.seek(2500)  # before playback: playback starts there
    assert player.position() == 2500
    with qtbot.waitSignal(player.ended, timeout=5000):
        player.play()
    from_vlc = [ms for ms in recorder.positions if ms not in (2500, 3000)]
    assert all(ms >= 2500 for ms in from_vlc), f"VLC started at the seek position: {recorder.positions}"
    recorder.positions.clear()
    player.seek(2200)  # after the end, as a mentor replaying the last moments
    with qtbot.waitSignal(player.ended, timeout=5000):
        player.play()
    assert min(recorder.positions) >= 2200 and recorder.positions[-1] == 3000


def test_pause_toggle_and_seek_while_paused(qtbot: Any, player: VlcPlayer, video_only_mp4: Path) -> None:
    recorder = opened(qtbot, player, video_only_mp4)
    player.toggle()
    play_until(qtbot, player, "playing")
    player.toggle()
    play_until(qtbot, player, "paused")
    paused_at = player.position()
    qtbot.wait(400)  # VLC reports time about every 250-500 ms while playing
    assert player.position() == paused_at < 2000
    recorder.positions.clear()
    player.seek(2000)
    player.toggle()
    play_until(qtbot, player, "playing")
    qtbot.waitUntil(lambda: len(recorder.positions) >= 2, timeout=3000)
    assert recorder.positions[0] == 2000 and recorder.positions[1] >= 2000, "VLC moved to the seek position"
    player.seek(10_000_000)  # past the end: clamped to the file
    assert player.position() == 3000


def test_speed_set_before_opening_reaches_libvlc_for_the_next_file(
    qtbot: Any, player: VlcPlayer, video_only_mp4: Path
) -> None:
    # libVLC's clock then runs at that rate; wall time is not asserted (the dummy outputs are unclocked).
    player.set_rate(2.0)  # set before opening: kept for the next file
    opened(qtbot, player, video_only_mp4)
    player.play()
    play_until(qtbot, player, "playing")
    assert player._slot.current.player.get_rate() == pytest.approx(2.0)
    qtbot.waitSignal(player.ended, timeout=5000).wait()
    assert player.rate() == 2.0


@pytest.mark.parametrize("damage", ["random", "truncated", "empty", "text", "missing"])
def test_damaged_or_non_media_files_fail_with_a_sentence(
    damage: str, qtbot: Any, player: VlcPlayer, seeded_mp4: Path, tmp_path: Path
) -> None:
    good = seeded_mp4.read_bytes()
    contents = {
        "random": os.urandom(50_000),
        "truncated": good[: len(good) // 3],
        "empty": b"",
        "text": b"not a video\n" * 200,
    }
    path = tmp_path / "presentation.mp4"
    if damage in contents:
        path.write_bytes(contents[damage])
    recorder = Recorder(player)
    with qtbot.waitSignal(player.failed, timeout=playback.PARSE_TIMEOUT_MS + 2000) as failure:
        player.open(path)
    sentence = failure.args[0]
    assert sentence.startswith("VLC ") and sentence.endswith(".") and "damaged" in sentence
    player.play()  # a failed file stays failed: no playback, no second message
    qtbot.wait(100)
    assert player.state() == "failed" and recorder.failures == [sentence] and "playing" not in recorder.states


@pytest.mark.parametrize("factory_result", ["none", "NameError", "OSError"])
def test_without_libvlc_the_player_says_how_to_get_it(
    factory_result: str, qtbot: Any, player: VlcPlayer, seeded_mp4: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def factory(_args: Any) -> Any:
        if factory_result == "none":
            return None  # libvlc5 without vlc-plugin-base
        raise {"NameError": NameError, "OSError": OSError}[factory_result]("libvlc")

    monkeypatch.setattr(playback, "LIBVLC", LibVlc(factory))
    with qtbot.waitSignal(player.failed, timeout=1000) as failure:
        player.open(seeded_mp4)
    assert failure.args == [playback.UNAVAILABLE]
    assert "install VLC (vlc-plugin-base)" in playback.UNAVAILABLE
    player.toggle()
    player.seek(1000)
    assert player.state() == "failed"


def test_instance_options_follow_the_display_and_sound() -> None:
    assert "--no-xlib" in playback.instance_args(embed=True, sound=True)
    headless = playback.instance_args(embed=False, sound=False)
    assert "--vout=dummy" in headless and "--aout=dummy" in headless and "--no-xlib" not in headless
    assert "--aout=dummy" not in playback.instance_args(embed=False, sound=True)


def _vlc_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_players_destroyed_while_playing_stop_and_never_call_back(
    qtbot: Any, video_only_mp4: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Switching reviews quickly: each player's owner is deleted mid-playback, without close()."""
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    playback.preload()
    threads_before = _vlc_threads()
    sessions, recorders = [], []
    for _ in range(4):
        owner = QObject()
        vlc_player = VlcPlayer(parent=owner)
        recorders.append(Recorder(vlc_player))
        vlc_player.open(video_only_mp4)
        vlc_player.play()
        qtbot.waitUntil(lambda p=vlc_player: p.state() == "playing", timeout=5000)
        sessions.append(vlc_player._slot.current)
        owner.deleteLater()
        del owner, vlc_player
        qtbot.wait(30)
    qtbot.wait(100)
    assert all(session is not None and session.closed for session in sessions)
    counts = [recorder.count for recorder in recorders]
    qtbot.wait(500)  # VLC would report time within this if anything still played
    assert [recorder.count for recorder in recorders] == counts
    assert not unraisable, unraisable
    assert _vlc_threads() <= threads_before + 2, "every libVLC player's threads ended"


def test_close_stops_signals_and_is_idempotent(qtbot: Any, player: VlcPlayer, seeded_mp4: Path) -> None:
    recorder = opened(qtbot, player, seeded_mp4)
    player.play()
    play_until(qtbot, player, "playing")
    first = player._slot.current
    assert first is not None
    player.close()
    player.close()
    count = recorder.count
    qtbot.wait(500)
    assert recorder.count == count and player.state() == "closed"
    recorder.states.clear()
    with qtbot.waitSignal(player.duration_changed, timeout=5000):
        player.open(seeded_mp4)  # a closed player can open the next file
    # an event VLC queued for the first file just before it closed must not end the second one
    player._relay.fired.emit(first.number, "ended", 0)
    qtbot.wait(20)
    assert recorder.states == ["opening"] and player.position() == 0


def test_closing_during_playback_stops_libvlc_off_the_gui_thread(
    qtbot: Any, player: VlcPlayer, video_only_mp4: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libVLC 3's stop joins its playback threads (1-14 ms of the GUI thread measured on close): a worker
    thread stops and releases the player; close() only detaches the callbacks."""
    vlc = playback._vlc()
    calls: list[tuple[str, str]] = []

    def spying(name: str) -> Any:
        original = getattr(vlc.MediaPlayer, name)

        def spy(self: Any) -> Any:
            calls.append((name, threading.current_thread().name))
            return original(self)

        return spy

    opened(qtbot, player, video_only_mp4)
    player.play()
    play_until(qtbot, player, "playing")
    for name in ("stop", "release"):
        monkeypatch.setattr(vlc.MediaPlayer, name, spying(name))
    player.close()
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=5000)
    assert [name for name, _thread in calls] == ["stop", "release"]
    assert threading.main_thread().name not in {thread for _name, thread in calls}


def test_a_player_left_open_at_exit_is_released_without_a_traceback(seeded_mp4: Path) -> None:
    """Qt deletes a viewer's player after Python stopped taking new threads: the release happens there and then."""
    code = (
        "import sys, time; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
        "from mentor_desk.media.playback import VlcPlayer; "
        f"player = VlcPlayer(); player.open({str(seeded_mp4)!r}); player.play(); "
        "deadline = time.monotonic() + 5\n"
        "while player.state() != 'playing' and time.monotonic() < deadline: app.processEvents(); time.sleep(0.01)\n"
        "print(player.state())"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == "playing", done.stderr
    assert "Traceback" not in done.stderr, done.stderr
