"""Recordings interrupted by a crash, SIGKILL or power cut, found in the media folder at the next start.

For each one left behind (:func:`mentor_desk.media.recording_files.leftovers`):

* its output is a complete MP4 (the app died while hashing it): it is finished as usual;
* otherwise its journal holds sound: the sound is encoded into an ``.m4a`` (QMediaRecorder fed through a
  ``QAudioBufferInput``; the journal is read by a worker thread) and finished; the picture of a camera or screen
  recording cannot be recovered, and the sentence says so;
* otherwise nothing of it reached the disk, and the sentence says that it could not be recovered;
* when finishing or encoding fails (a full disk, say), what was written is kept for the next start, and the
  sentence says so.

:class:`Salvage` works through them one at a time and reports each with a sentence for the mentor.
"""

from __future__ import annotations

import queue
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioBuffer, QAudioBufferInput, QMediaCaptureSession, QMediaFormat, QMediaRecorder

from mentor_desk.media.recorder import clock, journal_format
from mentor_desk.media.recording_files import (
    JOURNAL_BYTES_PER_SECOND,
    JOURNAL_RATE,
    PartFiles,
    Recording,
    leftovers,
    mp4_duration_ms,
    read_description,
    seal,
)

KEPT = ("A recording {when} could not be recovered now: {reason}. What was written of it is kept and tried again "
        "at the next start.")
FULL_DISK_BYTES = 4 * 1024**2
"""Less room than this on the media folder's disk: a recovery that failed is said to have failed for want of room."""
_CHUNK = JOURNAL_BYTES_PER_SECOND // 2
_MIN_SOUND = JOURNAL_BYTES_PER_SECOND // 10
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recording-salvage")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one interrupted recording: the recovered recording (or None) and a sentence."""

    recording: Recording | None
    sentence: str


def _when(files: PartFiles) -> str:
    description = read_description(files.description)
    try:
        started = datetime.fromisoformat(description.started_at) if description else None
    except ValueError:
        started = None
    return f"started {started.astimezone():%d %b %Y at %H:%M}" if started else "of an earlier session"


def _inspect(files: PartFiles) -> Outcome | int:
    """Worker thread: finish a complete output, or give the journal's size (0: nothing to recover)."""
    description = read_description(files.description)
    kind = description.kind if description else "audio"
    if files.output.exists() and mp4_duration_ms(files.output) is not None:
        when = _when(files)
        recording = seal(files, kind)
        return Outcome(recording, f"A recording {when} was recovered whole ({clock(recording.duration_ms)}).")
    try:
        return files.journal.stat().st_size
    except OSError:
        return 0


class _JournalReader:
    """Reads a journal in half-second chunks on its own thread, a few chunks ahead of the encoder."""

    def __init__(self, path: Path) -> None:
        self.chunks: queue.Queue[bytes] = queue.Queue(maxsize=8)
        threading.Thread(target=self._run, args=(path,), name="journal-reader", daemon=True).start()

    def _run(self, path: Path) -> None:
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    usable = len(chunk) & ~1
                    if usable:
                        self.chunks.put(chunk[:usable])
        except OSError:
            pass
        self.chunks.put(b"")  # the end


class _Relay(QObject):
    done = Signal(object)  # Outcome | int | Exception


class Salvage(QObject):
    """Recovers every interrupted recording in ``folder``; ``recovered(Outcome)`` for each, then ``done``."""

    recovered = Signal(object)
    done = Signal()

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self._pending: list[PartFiles] = []
        self._current: PartFiles | None = None
        self._relay = _Relay()
        self._relay.done.connect(self._on_worker, Qt.ConnectionType.QueuedConnection)
        self._session: QMediaCaptureSession | None = None
        self._input: QAudioBufferInput | None = None
        self._recorder: QMediaRecorder | None = None
        self._reader: _JournalReader | None = None
        self._held = b""  # a chunk the encoder did not take yet
        self._sent = 0
        self._finished_sending = False

    def start(self) -> None:
        """Look for leftovers (on a worker thread) and recover them one by one."""
        self._submit(leftovers, self.folder)

    def _submit(self, fn: object, *args: object) -> None:
        relay = self._relay

        def work() -> None:
            try:
                relay.done.emit(fn(*args))  # type: ignore[operator]
            except (OSError, ValueError) as error:
                relay.done.emit(error)

        _WORKER.submit(work)

    def _on_worker(self, result: object) -> None:
        if isinstance(result, list):  # the leftovers
            self._pending = result
            self._next()
        elif isinstance(result, Outcome):
            self.recovered.emit(result)
            self._next()
        elif isinstance(result, int):  # the journal's size
            self._encode() if result >= _MIN_SOUND else self._lost()
        elif self._current is not None:  # finishing or encoding it failed: keep it for the next start
            self._kept()
        else:  # the media folder could not be read
            self.done.emit()

    def _next(self) -> None:
        if not self._pending:
            self._current = None
            self.done.emit()
            return
        self._current = self._pending.pop(0)
        self._submit(_inspect, self._current)

    def _lost(self) -> None:
        files = self._current
        assert files is not None
        sentence = f"A recording {_when(files)} could not be recovered: none of it had been written to the disk."
        files.remove()
        self._encoded_path(files).unlink(missing_ok=True)
        self.recovered.emit(Outcome(None, sentence))
        self._next()

    def _kept(self) -> None:
        files = self._current
        assert files is not None
        self._encoded_path(files).unlink(missing_ok=True)
        try:
            full = shutil.disk_usage(files.folder).free < FULL_DISK_BYTES
        except OSError:
            full = False
        reason = "the disk is full" if full else "it could not be made into a playable file"
        self.recovered.emit(Outcome(None, KEPT.format(when=_when(files), reason=reason)))
        self._next()

    # -- encoding the journal

    def _encode(self) -> None:
        files = self._current
        assert files is not None
        # the unfinished output cannot be played: its room (on a full disk, the only room) goes to the sound
        files.output.unlink(missing_ok=True)
        self._sent, self._finished_sending, self._held = 0, False, b""
        self._reader = _JournalReader(files.journal)
        self._session = QMediaCaptureSession(self)
        self._input = QAudioBufferInput(journal_format(), self._session)
        self._session.setAudioBufferInput(self._input)
        self._recorder = QMediaRecorder(self._session)
        self._session.setRecorder(self._recorder)
        media_format = QMediaFormat(QMediaFormat.FileFormat.Mpeg4Audio)
        media_format.setAudioCodec(QMediaFormat.AudioCodec.AAC)
        self._recorder.setMediaFormat(media_format)
        self._recorder.setOutputLocation(QUrl.fromLocalFile(str(self._encoded_path(files))))
        self._recorder.setAutoStop(True)
        self._input.readyToSendAudioBuffer.connect(self._feed)
        self._recorder.recorderStateChanged.connect(self._on_encoder_state)
        stopped = QMediaRecorder.RecorderState.StoppedState
        self._recorder.errorOccurred.connect(lambda *_: self._on_encoder_state(stopped))
        self._recorder.record()

    @staticmethod
    def _encoded_path(files: PartFiles) -> Path:
        return files.folder / f"{files.recording_id}.recovered.m4a"

    def _feed(self) -> None:
        """Send the journal's chunks while the encoder takes them; an empty buffer ends the recording."""
        if self._input is None or self._reader is None or self._finished_sending:
            return
        while True:
            try:
                chunk, self._held = self._held or self._reader.chunks.get_nowait(), b""
            except queue.Empty:
                QTimer.singleShot(5, self._feed)  # the reader is behind
                return
            if not chunk:
                self._finished_sending = True
                self._input.sendAudioBuffer(QAudioBuffer())
                return
            start_us = self._sent // 2 * 1_000_000 // JOURNAL_RATE
            buffer = QAudioBuffer(QByteArray(chunk), journal_format(), start_us)
            if not self._input.sendAudioBuffer(buffer):
                self._held = chunk  # not taken: the next readyToSend sends it again
                return
            self._sent += len(chunk)

    def _on_encoder_state(self, state: QMediaRecorder.RecorderState) -> None:
        if state != QMediaRecorder.RecorderState.StoppedState or self._session is None:
            return
        files = self._current
        assert files is not None
        self._session.deleteLater()
        self._session = self._input = self._recorder = None
        self._reader = None
        description = read_description(files.description)
        picture = description is not None and description.kind != "audio"
        when = _when(files)

        def finish() -> Outcome:
            recording = seal(files, "audio", source=self._encoded_path(files))
            sentence = f"The sound of a recording {when} was recovered ({clock(recording.duration_ms)})"
            return Outcome(recording, sentence + ("; its picture could not be." if picture else "."))

        self._submit(finish)
