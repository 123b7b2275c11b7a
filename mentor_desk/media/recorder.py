"""The mentor's recorder: microphone, camera or screen into the store's media folder, never losing what it got.

One :class:`Recorder` records one thing at a time through QtMultimedia (``QMediaCaptureSession`` +
``QMediaRecorder``): sound as ``.m4a`` (AAC), camera or screen as ``.mp4`` (MPEG-4 Part 2 video, the encoder
Qt's bundled FFmpeg has; it has no H.264). Beside it a ``QAudioSource`` on the same microphone feeds the level
meter and the journal (:mod:`mentor_desk.media.recording_files`), which lets a recording interrupted by a crash
be recovered (:mod:`mentor_desk.media.recovery`).

A recording stops by itself, keeping what it has, when the disk is nearly full, when the microphone goes away,
or when it reaches the size limit of the platform it is for; :attr:`Recorder.notice` says why. Finishing (hashing,
renaming) runs on a worker thread; :attr:`Recorder.finished` brings the :class:`Recording`.
"""

from __future__ import annotations

import array
import enum
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QIODevice, QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtMultimedia import (
    QAudio,
    QAudioDevice,
    QAudioFormat,
    QAudioInput,
    QAudioSource,
    QCamera,
    QMediaCaptureSession,
    QMediaDevices,
    QMediaFormat,
    QMediaRecorder,
    QScreenCapture,
)

from mentor_desk.media.recording_files import (
    JOURNAL_RATE,
    Description,
    JournalWriter,
    PartFiles,
    Recording,
    seal,
    write_description,
)


class Kind(enum.StrEnum):
    AUDIO = "audio"
    CAMERA = "camera"
    SCREEN = "screen"


NO_MICROPHONE = "No microphone was found. Connect one (or allow access to it), then try again."
NO_CAMERA = "No camera was found on this computer."
NO_SCREEN = "The screen cannot be recorded on this display."
MICROPHONE_GONE = "The microphone was disconnected, so the recording stopped at {at}. What was recorded is kept."
DISK_FULL = "The disk is nearly full, so the recording stopped at {at}. What was recorded is kept."
SIZE_LIMIT = "The recording stopped at {at}: it reached the {limit} this platform accepts. What was recorded is kept."
SIZE_WARNING = (
    "This recording will soon reach the {limit} this platform accepts for a recording. Stop soon, or record "
    "sound only (or a smaller video) to say more."
)
RECORDER_ERROR = "The recording failed: {reason}"

DISK_RESERVE_BYTES = 64 * 1024**2
"""A recording stops when less than this is left on its disk (the store and the journal need room too)."""
WARN_AT = 0.8
WARN_AHEAD_MS = 10_000
"""The size warning comes at 80 % of the limit, or earlier when less than this much recording time is left."""
STOP_AT = 0.97
STOP_AHEAD_MS = 1250
"""A recording stops this long before it would reach the limit: the next checks may come late, and the encoder
still writes what it holds when it stops."""
RATE_WINDOW_MS = 2000
AUDIO_BITRATE = 96_000
VIDEO_BITRATE = 1_500_000
SMALL_VIDEO_BITRATE = 400_000
CONTAINER_OVERHEAD = 1.05
FINISH_TIMEOUT_MS = 15_000
"""How long QMediaRecorder may take to finish its file after a stop."""
_POLL_MS = 40
_CHECK_MS = 250

_SEALER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recording-seal")
"""Finishes recordings (close the journal, hash, rename) one at a time, off the GUI thread."""


def clock(ms: int) -> str:
    """``m:ss`` of a duration in milliseconds."""
    seconds = max(ms, 0) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def _megabytes(limit: int) -> str:
    return f"{limit / 1e6:.0f} MB" if limit >= 10e6 else f"{limit / 1e6:.2g} MB"


def journal_format() -> QAudioFormat:
    audio = QAudioFormat()
    audio.setSampleRate(JOURNAL_RATE)
    audio.setChannelCount(1)
    audio.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return audio


def microphones() -> list[QAudioDevice]:
    return list(QMediaDevices.audioInputs())


def camera_unavailable() -> str | None:
    """Why the camera cannot be used here, or None when there is one."""
    return None if QMediaDevices.videoInputs() else NO_CAMERA


def screen_unavailable() -> str | None:
    return None if QGuiApplication.primaryScreen() is not None else NO_SCREEN


class _Relay(QObject):
    """Carries a worker thread's result to the GUI thread."""

    sealed = Signal(object)  # Recording | Exception
    journal_failed = Signal(str)


class Recorder(QObject):
    """Records one thing at a time into ``folder``. States: "idle", "recording", "paused", "finishing".

    Signals: ``state_changed(str)``; ``elapsed_changed(int ms)``; ``level_changed(float 0..1)``;
    ``notice(str)`` for a recording that stopped by itself (what was recorded is kept) or a size warning;
    ``failed(str)`` when a recording could not start or produced nothing; ``finished(Recording)``.
    """

    state_changed = Signal(str)
    elapsed_changed = Signal(int)
    level_changed = Signal(float)
    notice = Signal(str)
    failed = Signal(str)
    finished = Signal(object)

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.size_limit: int | None = None
        """Bytes the platform accepts for one recording (OCH v1: 10 MB); None when it is not a concern."""
        self.disk_reserve = DISK_RESERVE_BYTES
        self._state = "idle"
        self._relay = _Relay()
        self._relay.sealed.connect(self._on_sealed, Qt.ConnectionType.QueuedConnection)
        self._relay.journal_failed.connect(self._on_journal_failed, Qt.ConnectionType.QueuedConnection)
        self._session: QMediaCaptureSession | None = None
        self._recorder: QMediaRecorder | None = None
        self._source: QAudioSource | None = None
        self._source_io: QIODevice | None = None
        self._device: QAudioDevice | None = None
        self._journal: JournalWriter | None = None
        self._files: PartFiles | None = None
        self._kind = Kind.AUDIO
        self._odd = b""
        self._bytes_per_ms = 0.0
        self._written: list[tuple[int, int]] = []  # (elapsed ms, bytes in the output) at each check
        self._warned = False
        self._stop_reason: str | None = None
        self._devices = QMediaDevices(self)
        self._devices.audioInputsChanged.connect(self._on_inputs_changed)
        self._poll = QTimer(self, interval=_POLL_MS)
        self._poll.timeout.connect(self._read_microphone)
        self._check = QTimer(self, interval=_CHECK_MS)
        self._check.timeout.connect(self._check_room)
        self._finish_by = QTimer(self, interval=FINISH_TIMEOUT_MS, singleShot=True)
        self._finish_by.timeout.connect(self._on_finish_timeout)
        self._sealing = False

    # -- queries

    def state(self) -> str:
        return self._state

    def elapsed(self) -> int:
        return self._recorder.duration() if self._recorder is not None else 0

    def kind(self) -> Kind:
        return self._kind

    # -- commands

    def start(
        self,
        kind: Kind = Kind.AUDIO,
        *,
        microphone: QAudioDevice | None = None,
        with_microphone: bool = True,
        small_video: bool = False,
    ) -> bool:
        """Start recording; False (and ``failed`` emitted) when the source is missing."""
        if self._state != "idle":
            return False
        device = microphone if microphone is not None and not microphone.isNull() else QMediaDevices.defaultAudioInput()
        use_microphone = kind is Kind.AUDIO or with_microphone
        problem = {Kind.CAMERA: camera_unavailable(), Kind.SCREEN: screen_unavailable()}.get(kind)
        if use_microphone and (device.isNull() or not microphones()):
            problem = problem or NO_MICROPHONE
        if problem:
            self.failed.emit(problem)
            return False
        self._kind, self._warned, self._stop_reason, self._written = kind, False, None, []
        suffix = ".m4a" if kind is Kind.AUDIO else ".mp4"
        self._files = files = PartFiles(self.folder, uuid.uuid4().hex, suffix)
        try:
            write_description(files, Description(files.recording_id, kind.value, suffix, datetime.now(UTC).isoformat()))
        except OSError as error:
            self.failed.emit(RECORDER_ERROR.format(reason=error.strerror or error))
            return False
        self._session = session = QMediaCaptureSession(self)
        self._recorder = recorder = QMediaRecorder(self)
        session.setRecorder(recorder)
        container = QMediaFormat.FileFormat.Mpeg4Audio if kind is Kind.AUDIO else QMediaFormat.FileFormat.MPEG4
        media_format = QMediaFormat(container)
        media_format.setAudioCodec(QMediaFormat.AudioCodec.AAC)
        recorder.setEncodingMode(QMediaRecorder.EncodingMode.ConstantBitRateEncoding)
        recorder.setAudioBitRate(AUDIO_BITRATE)
        bitrate = AUDIO_BITRATE if use_microphone else 0
        if kind is not Kind.AUDIO:
            media_format.setVideoCodec(QMediaFormat.VideoCodec.MPEG4)
            recorder.setVideoFrameRate(15)
            video_bitrate = SMALL_VIDEO_BITRATE if small_video else VIDEO_BITRATE
            recorder.setVideoBitRate(video_bitrate)
            bitrate += video_bitrate
            if small_video:
                recorder.setVideoResolution(QSize(640, 360))
        self._bytes_per_ms = bitrate / 8000 * CONTAINER_OVERHEAD
        recorder.setMediaFormat(media_format)
        recorder.setOutputLocation(QUrl.fromLocalFile(str(files.output)))
        if use_microphone:
            session.setAudioInput(QAudioInput(device, session))
            self._start_journal(device, files)
        if kind is Kind.CAMERA:
            camera = QCamera(session)
            session.setCamera(camera)
            camera.start()
        elif kind is Kind.SCREEN:
            screen = QScreenCapture(session)
            screen.setScreen(QGuiApplication.primaryScreen())
            session.setScreenCapture(screen)
            screen.setActive(True)
        recorder.durationChanged.connect(self._on_duration)
        recorder.recorderStateChanged.connect(self._on_recorder_state)
        recorder.errorOccurred.connect(self._on_recorder_error)
        recorder.record()
        self._check.start()
        self._set_state("recording")
        return True

    def pause(self) -> None:
        if self._state == "recording" and self._recorder is not None:
            self._recorder.pause()
            self._set_state("paused")

    def resume(self) -> None:
        if self._state == "paused" and self._recorder is not None:
            self._recorder.record()
            self._set_state("recording")

    def stop(self) -> None:
        """Stop and finish the recording (``finished`` follows once it is hashed and renamed)."""
        if self._state not in ("recording", "paused") or self._recorder is None:
            return
        self._set_state("finishing")
        self._poll.stop()
        self._check.stop()
        self._stop_microphone()
        if self._recorder.recorderState() == QMediaRecorder.RecorderState.StoppedState:
            self._seal()
        else:
            self._recorder.stop()
            self._finish_by.start()

    # -- microphone: level meter and journal

    def _start_journal(self, device: QAudioDevice, files: PartFiles) -> None:
        self._device = device
        self._journal = JournalWriter(files.journal, lambda error: self._relay.journal_failed.emit(str(error)))
        self._source = QAudioSource(device, journal_format(), self)
        self._source.stateChanged.connect(self._on_source_state)
        self._source_io = self._source.start()
        self._odd = b""
        self._poll.start()

    def _read_microphone(self) -> None:
        if self._source_io is None:
            return
        data = self._odd + bytes(self._source_io.readAll().data())
        usable = len(data) & ~1
        data, self._odd = data[:usable], data[usable:]
        if not data:
            return
        samples = array.array("h", data)
        self.level_changed.emit(max(max(samples), -min(samples)) / 32768)
        if self._state == "recording" and self._journal is not None:
            self._journal.write(data)

    def _stop_microphone(self) -> None:
        if self._source is not None:
            self._read_microphone()
            self._source.stop()
            self._source.deleteLater()
        self._source = self._source_io = None
        self.level_changed.emit(0.0)

    # -- stopping by itself

    def _check_room(self) -> None:
        """Four times a second: room on the disk and the platform's size limit."""
        if self._files is None:
            return
        elapsed = self.elapsed()
        at = clock(elapsed)
        try:
            free = shutil.disk_usage(self.folder).free
            written = self._files.output.stat().st_size
        except OSError:
            return
        if free < self.disk_reserve:
            self._stop_by_itself(DISK_FULL.format(at=at))
        elif self.size_limit is not None:
            rate = self._rate(elapsed, written)
            # the encoder and the muxer hold back a second or two: expect what the rate makes of the elapsed time
            size = max(written, elapsed * rate)
            room_ms = (self.size_limit * STOP_AT - size) / rate - STOP_AHEAD_MS
            if room_ms <= 0:
                self._stop_by_itself(SIZE_LIMIT.format(at=at, limit=_megabytes(self.size_limit)))
            elif (size >= self.size_limit * WARN_AT or room_ms <= WARN_AHEAD_MS) and not self._warned:
                self._warned = True
                self.notice.emit(SIZE_WARNING.format(limit=_megabytes(self.size_limit)))

    def _rate(self, elapsed: int, written: int) -> float:
        """Bytes per ms the recording grows by: the nominal bitrates, or what the output grew by over the last
        two seconds when that is more (Qt's encoder takes every frame the screen gives, whatever rate it was asked
        for, so a screen recording can come out several times its nominal bitrate)."""
        self._written.append((elapsed, written))
        while len(self._written) > 2 and elapsed - self._written[1][0] >= RATE_WINDOW_MS:
            del self._written[0]
        then, before = self._written[0]
        observed = (written - before) / (elapsed - then) if elapsed - then >= RATE_WINDOW_MS else 0.0
        return max(self._bytes_per_ms, observed)

    def _on_inputs_changed(self) -> None:
        if self._device is None or self._state not in ("recording", "paused"):
            return
        if all(device.id() != self._device.id() for device in microphones()):
            self._stop_by_itself(MICROPHONE_GONE.format(at=clock(self.elapsed())))

    def _on_source_state(self, _state: QAudio.State) -> None:
        if self._source is not None and self._source.error() in (QAudio.Error.OpenError, QAudio.Error.IOError):
            self._stop_by_itself(MICROPHONE_GONE.format(at=clock(self.elapsed())))

    def _on_journal_failed(self, reason: str) -> None:
        self._stop_by_itself(DISK_FULL.format(at=clock(self.elapsed())))

    def _stop_by_itself(self, sentence: str) -> None:
        if self._state in ("recording", "paused"):
            self._stop_reason = sentence
            self.stop()

    # -- QMediaRecorder

    def _on_duration(self, ms: int) -> None:
        self.elapsed_changed.emit(ms)

    def _on_recorder_error(self, _error: QMediaRecorder.Error, reason: str) -> None:
        if self._state in ("recording", "paused"):
            self._stop_reason = RECORDER_ERROR.format(reason=reason)
            self.stop()

    def _on_recorder_state(self, state: QMediaRecorder.RecorderState) -> None:
        if state == QMediaRecorder.RecorderState.StoppedState and self._state in ("recording", "paused", "finishing"):
            if self._state != "finishing":  # stopped by QMediaRecorder itself (an error)
                self._set_state("finishing")
                self._stop_microphone()
            self._seal()

    def _on_finish_timeout(self) -> None:
        """QMediaRecorder never said it stopped (seen once in eight when the disk filled up): finish without it;
        the file it did not complete leaves the journal's sound to be recovered."""
        if self._state == "finishing" and not self._sealing:
            self._stop_reason = self._stop_reason or RECORDER_ERROR.format(reason="the file was not completed.")
            self._seal()

    def _seal(self) -> None:
        self._finish_by.stop()
        files, journal, kind = self._files, self._journal, self._kind.value
        self._journal = None
        if files is None or self._sealing:
            return
        self._sealing = True
        relay = self._relay

        def work() -> None:
            if journal is not None:
                journal.close()
            try:
                result: Recording | Exception = seal(files, kind)
            except (OSError, ValueError) as error:
                result = error
            relay.sealed.emit(result)

        _SEALER.submit(work)

    def _on_sealed(self, result: Recording | Exception) -> None:
        files = self._files
        self._release()
        if self._stop_reason:
            self.notice.emit(self._stop_reason)
        if isinstance(result, Recording):
            self.finished.emit(result)
        else:
            # QMediaRecorder wrote no playable file (an error before it could): the journal is all there is.
            # Leave the parts for recovery when there is sound; otherwise nothing was recorded.
            if files is not None and not (files.journal.exists() and files.journal.stat().st_size):
                files.remove()
            self.failed.emit(self._stop_reason or RECORDER_ERROR.format(reason="nothing was recorded."))

    def _release(self) -> None:
        if self._session is not None:
            self._session.deleteLater()
        if self._recorder is not None:
            self._recorder.deleteLater()
        self._session = self._recorder = None
        self._device = None
        self._files = None
        self._sealing = False
        self._set_state("idle")

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)
