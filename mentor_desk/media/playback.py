"""Student media played through libVLC (python-vlc), presented as a QObject with Qt signals.

libVLC calls its event callbacks on its own threads. Those callbacks do one thing: emit a signal of a small relay
object, delivered queued to the player on the GUI thread. Closing a player detaches the callbacks first, on the
GUI thread (libVLC 3 runs callbacks under its event manager's lock, so once ``event_detach`` returns none is
running and none will start); then a worker thread stops and releases the libVLC player, because libVLC 3's stop
joins its playback threads (1-14 ms measured on close during playback, more for slow sources). Closing happens on
:meth:`VlcPlayer.close` and, at the latest, when the player's QObject is destroyed, so a deleted viewer can never
receive a late VLC event.

``vlc`` is imported on first use (it costs ~40 ms), and creating the process's libVLC instance loads VLC's plugins
(~0.1-0.3 s): call :func:`preload` in a worker thread before the first :meth:`VlcPlayer.open`.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

UNAVAILABLE = "Video playback is unavailable: install VLC (vlc-plugin-base)."
PARSE_TIMEOUT_MS = 5000
"""How long libVLC may take to read a file's header; past that the file counts as unplayable."""

NOT_MEDIA = "VLC found no audio or video it can play in this file; it may be damaged or not a media file."
UNREADABLE = "VLC could not open this file; it may be missing, empty or damaged."
TOO_SLOW = f"VLC could not read this file within {PARSE_TIMEOUT_MS // 1000} seconds; it may be damaged."
PLAYBACK_ERROR = "VLC stopped with an error while playing this file; it may be damaged or in a format it cannot decode."

InstanceFactory = Callable[[Sequence[str]], Any]


def _vlc() -> Any:
    """The python-vlc module, imported on first use (~40 ms, paid when media is first shown)."""
    import vlc

    return vlc


def _vlc_instance(args: Sequence[str]) -> Any:
    return _vlc().Instance(list(args))


def _sound_server_present() -> bool:
    """Whether a PulseAudio/PipeWire socket or an ALSA device exists (else audio goes to VLC's dummy output)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    sockets = [Path(runtime, "pulse", "native"), Path(runtime, "pipewire-0")] if runtime else []
    return bool(os.environ.get("PULSE_SERVER")) or any(p.exists() for p in sockets) or Path("/dev/snd").is_dir()


def embeds_video() -> bool:
    """Whether libVLC can draw into a Qt widget here (an X11 window, i.e. Qt's ``xcb`` platform)."""
    return QGuiApplication.platformName() == "xcb"


def instance_args(*, embed: bool, sound: bool) -> list[str]:
    """libVLC options: quiet, no title overlay; the X11 embedding flag or the dummy video output; dummy audio
    when there is no sound server."""
    args = ["--quiet", "--no-video-title-show", "--no-snapshot-preview", "--no-stats"]
    args.append("--no-xlib" if embed else "--vout=dummy")
    if not sound:
        args.append("--aout=dummy")
    return args


class LibVlc:
    """The process's one libVLC instance, created on first use; or the reason there is none."""

    def __init__(self, factory: InstanceFactory = _vlc_instance) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._instance: Any = None
        self._unavailable = False

    def instance(self) -> Any:
        """The libVLC instance, or None when libVLC or its plugins are missing. Blocks on first use."""
        with self._lock:
            if self._instance is None and not self._unavailable:
                args = instance_args(embed=embeds_video(), sound=_sound_server_present())
                try:
                    self._instance = self._factory(args)
                except (ImportError, OSError, NameError):  # no libvlc: python-vlc fails on first use
                    self._instance = None
                self._unavailable = self._instance is None  # libvlc without plugins returns None
            return self._instance


LIBVLC = LibVlc()
"""Shared by every player; tests replace it to simulate a machine without VLC."""


def preload() -> None:
    """Import python-vlc and create the shared libVLC instance (blocking: run it off the GUI thread)."""
    LIBVLC.instance()


_RELEASER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vlc-release")
"""Stops and releases closed players, one at a time, off the GUI thread. Its thread starts on first use, and the
interpreter waits for it at exit, so every libVLC player is released before the process ends."""


def _stop_and_release(player: Any, media: Any) -> None:
    """Runs on the release thread: stopping blocks until libVLC's playback threads have ended."""
    player.stop()
    player.release()
    media.release()


class _Relay(QObject):
    """Carries VLC events from VLC's threads to the GUI thread (the only object VLC's callbacks touch)."""

    fired = Signal(int, str, int)  # session number, event kind, value


# libVLC event name -> (our event kind, the event field that carries its value, or "")
_PLAYER_EVENTS = {
    "MediaPlayerTimeChanged": ("time", "new_time"),
    "MediaPlayerLengthChanged": ("length", "new_length"),
    "MediaPlayerPlaying": ("playing", ""),
    "MediaPlayerPaused": ("paused", ""),
    "MediaPlayerStopped": ("stopped", ""),
    "MediaPlayerEndReached": ("ended", ""),
    "MediaPlayerEncounteredError": ("error", ""),
}
_MEDIA_EVENTS = {"MediaParsedChanged": ("parsed", "new_status")}


def _relay_event(event: Any, number: int, kind: str, field: str, relay: _Relay) -> None:
    """Runs on a VLC thread: nothing but a queued signal."""
    relay.fired.emit(number, kind, int(getattr(event.u, field)) if field else 0)


class _Session:
    """One opened file: a libVLC media player, its media, and the event callbacks attached to both."""

    _numbers = itertools.count(1)

    def __init__(self, instance: Any, path: Path, relay: _Relay, window_id: int) -> None:
        vlc = _vlc()
        self.number = next(self._numbers)  # tells this file's queued events from a previous file's
        self.media = instance.media_new_path(str(path))
        self.player = instance.media_player_new()
        self.player.set_media(self.media)
        if window_id:
            self.player.set_xwindow(window_id)
        # python-vlc keeps the C callback in the EventManager wrapper: keep the wrappers to detach through them
        self._attached: list[tuple[Any, Any]] = []
        for source, events in ((self.player, _PLAYER_EVENTS), (self.media, _MEDIA_EVENTS)):
            manager = source.event_manager()
            for name, (kind, field) in events.items():
                event_type = getattr(vlc.EventType, name)
                manager.event_attach(event_type, _relay_event, self.number, kind, field, relay)
                self._attached.append((manager, event_type))
        self.parsing = self.media.parse_with_options(vlc.MediaParseFlag.local, PARSE_TIMEOUT_MS) == 0
        self.has_video = False
        self.closed = False

    def verdict(self, parse_status: int) -> str | None:
        """Why the file cannot be played, judged from libVLC's header parse; None if it can (or nothing is known:
        a skipped parse leaves it to playback). Also notes whether the file has a picture."""
        status = _vlc().MediaParsedStatus
        if parse_status == status.done.value:
            kinds = self._stream_kinds()
            self.has_video = "video" in kinds
            return None if kinds else NOT_MEDIA
        return {status.timeout.value: TOO_SLOW, status.failed.value: UNREADABLE}.get(parse_status)

    def _stream_kinds(self) -> set[str]:
        """Which of "audio" and "video" the parsed media has streams of."""
        vlc = _vlc()
        first = ctypes.POINTER(vlc.MediaTrack)()  # out-parameter: libVLC stores an array of track pointers
        count = vlc.libvlc_media_tracks_get(self.media, ctypes.byref(first))
        if not count:
            return set()
        tracks = ctypes.cast(first, ctypes.POINTER(ctypes.POINTER(vlc.MediaTrack)))
        try:
            types = {tracks[i].contents.type.value for i in range(count)}
        finally:
            vlc.libvlc_media_tracks_release(tracks, count)
        names = {vlc.TrackType.audio.value: "audio", vlc.TrackType.video.value: "video"}
        return {names[t] for t in types if t in names}

    def close(self) -> None:
        """Detach the callbacks now, then stop and release the libVLC objects on the release thread
        (idempotent)."""
        if self.closed:
            return
        self.closed = True
        for manager, event_type in self._attached:
            manager.event_detach(event_type)
        self._attached.clear()
        try:
            _RELEASER.submit(_stop_and_release, self.player, self.media)
        except RuntimeError:  # the interpreter is exiting (Qt deletes the viewer last): no new threads now
            _stop_and_release(self.player, self.media)


class _SessionSlot:
    """The player's current session, reachable from the ``destroyed`` handler without the player itself."""

    def __init__(self) -> None:
        self.current: _Session | None = None

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None


class VlcPlayer(QObject):
    """One libVLC media player for one file at a time.

    States (``state_changed``): "idle", "opening", "playing", "paused", "stopped", "ended", "failed", "closed".
    Times are milliseconds. ``failed(sentence)`` fires once per file, for a missing libVLC, an unreadable or
    non-media file (decided from libVLC's header parse, bounded by :data:`PARSE_TIMEOUT_MS`), or a playback error.
    """

    position_changed = Signal(int)
    duration_changed = Signal(int)
    state_changed = Signal(str)
    ended = Signal()
    failed = Signal(str)

    def __init__(self, video: QWidget | None = None, parent: QObject | None = None) -> None:
        """``video`` is the widget VLC draws into (on X11). The player becomes its child, so the player is
        destroyed, and closed, before that widget's window goes away."""
        super().__init__(video if video is not None else parent)
        self._video = video
        self._relay = _Relay()
        self._relay.fired.connect(self._on_vlc_event, Qt.ConnectionType.QueuedConnection)
        self._slot = _SessionSlot()
        slot = self._slot
        self.destroyed.connect(lambda *_: slot.close())  # must not reference self: it is being destroyed
        self._state = "idle"
        self._duration = 0
        self._position = 0
        self._start_at = 0
        self._volume = 100
        self._rate = 1.0

    # -- queries

    def state(self) -> str:
        return self._state

    def duration(self) -> int:
        """The length in ms once known (from the header parse or from playback), else 0."""
        return self._duration

    def position(self) -> int:
        return self._position

    def rate(self) -> float:
        return self._rate

    def volume(self) -> int:
        return self._volume

    def has_video(self) -> bool:
        """Whether the open file has a picture (known with the duration, from the header parse)."""
        return self._slot.current is not None and self._slot.current.has_video

    # -- commands

    def open(self, path: Path) -> None:
        """Open ``path`` paused at 0:00 and read its header; ``duration_changed`` or ``failed`` follows."""
        self._slot.close()
        self._duration = self._position = self._start_at = 0
        instance = LIBVLC.instance()
        if instance is None:
            self._fail(UNAVAILABLE)
            return
        window = int(self._video.winId()) if self._video is not None and embeds_video() else 0
        session = self._slot.current = _Session(instance, path, self._relay, window)
        session.player.set_rate(self._rate)
        self._set_state("opening")
        if not session.parsing:
            self._fail(UNREADABLE)

    def play(self) -> None:
        session = self._live()
        if session is None:
            return
        if self._state in ("ended", "stopped"):
            session.player.stop()  # libVLC needs a stop before an ended media plays again
        if session.player.play() != 0:
            self._fail(PLAYBACK_ERROR)

    def pause(self) -> None:
        session = self._live()
        if session is not None and self._state == "playing":
            session.player.set_pause(1)

    def toggle(self) -> None:
        """Pause when playing, else play."""
        if self._state == "playing":
            self.pause()
        else:
            self.play()

    def seek(self, ms: int) -> None:
        """Move to ``ms`` (clamped to the file); before playback starts, playback will start there."""
        session = self._live()
        if session is None:
            return
        ms = max(0, min(ms, self._duration)) if self._duration else max(0, ms)
        if self._state in ("playing", "paused"):
            session.player.set_time(ms)
        else:
            self._start_at = ms
        self._set_position(ms)

    def set_volume(self, volume: int) -> None:
        """Volume 0..100 (kept across files)."""
        self._volume = max(0, min(volume, 100))
        session = self._live()
        if session is not None:
            session.player.audio_set_volume(self._volume)

    def set_rate(self, rate: float) -> None:
        """Playback speed, 1.0 = normal (kept across files)."""
        self._rate = rate
        session = self._live()
        if session is not None:
            session.player.set_rate(rate)

    def stop(self) -> None:
        session = self._live()
        if session is not None:
            session.player.stop()
            self._start_at = 0
            self._set_position(0)
            self._set_state("stopped")

    def close(self) -> None:
        """Stop and release libVLC's player (finished on the release thread); no signal of this file fires
        afterwards."""
        self._slot.close()
        if self._state != "closed":
            self._set_state("closed")

    # -- internals

    def _live(self) -> _Session | None:
        return self._slot.current if self._state not in ("failed", "closed") else None

    def _on_vlc_event(self, number: int, kind: str, value: int) -> None:
        session = self._live()
        if session is None or session.number != number:
            return  # a late event of a closed, failed or previous file
        if kind == "time":
            if self._state in ("playing", "paused"):
                self._set_position(value)
        elif kind == "length":
            self._set_duration(value)
        elif kind == "parsed":
            problem = session.verdict(value)
            if problem:
                self._fail(problem)
            else:
                self._set_duration(session.media.get_duration())
        elif kind == "playing":
            session.player.audio_set_volume(self._volume)
            if self._start_at:
                session.player.set_time(self._start_at)
                self._start_at = 0
            self._set_state("playing")
        elif kind == "paused":
            self._set_state("paused")
        elif kind == "stopped":
            if self._state not in ("ended", "stopped"):
                self._set_state("stopped")
        elif kind == "ended":
            self._set_position(self._duration or self._position)
            self._set_state("ended")
            self.ended.emit()
        elif kind == "error":
            self._fail(PLAYBACK_ERROR)

    def _fail(self, sentence: str) -> None:
        self._slot.close()
        self._set_state("failed")
        self.failed.emit(sentence)

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def _set_duration(self, ms: int) -> None:
        if ms > 0 and ms != self._duration:
            self._duration = ms
            self.duration_changed.emit(ms)

    def _set_position(self, ms: int) -> None:
        if ms != self._position:
            self._position = ms
            self.position_changed.emit(ms)
