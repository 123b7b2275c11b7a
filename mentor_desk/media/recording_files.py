"""What a recording leaves on disk while it records, so that a crash loses at most about a second of it.

A recording in progress is three files in the store's media folder, all named by the recording's id:

* ``<id>.recording.<suffix>``: QMediaRecorder's output. MP4 writes its index (the ``moov`` box) only when the
  recording stops, so after a crash this file cannot be played.
* ``<id>.recording.pcm``: the journal, the microphone's raw sound (signed 16-bit, mono) appended and flushed to
  disk about once a second by a writer thread. After a crash it is encoded into a playable ``.m4a``.
* ``<id>.recording.json``: what the recording is (kind, suffix, the journal's sample rate, when it started).

A finished recording is renamed ``<sha256>.<suffix>`` and the journal and description are removed.
This module has no Qt: the writer thread and the folder's bookkeeping only.
"""

from __future__ import annotations

import json
import os
import queue
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from mentor_desk.store.files import sha256_of

PART = ".recording"
JOURNAL_RATE = 48000
"""Samples per second in the journal (mono, signed 16-bit little-endian)."""
JOURNAL_BYTES_PER_SECOND = JOURNAL_RATE * 2
FLUSH_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Description:
    """The ``.recording.json`` beside a recording in progress."""

    recording_id: str
    kind: str  # "audio" | "camera" | "screen"
    suffix: str  # ".m4a" | ".mp4"
    started_at: str
    journal_rate: int = JOURNAL_RATE


@dataclass(frozen=True, slots=True)
class PartFiles:
    """The paths of one recording in progress."""

    folder: Path
    recording_id: str
    suffix: str

    @property
    def output(self) -> Path:
        return self.folder / f"{self.recording_id}{PART}{self.suffix}"

    @property
    def journal(self) -> Path:
        return self.folder / f"{self.recording_id}{PART}.pcm"

    @property
    def description(self) -> Path:
        return self.folder / f"{self.recording_id}{PART}.json"

    def remove(self) -> None:
        """Delete whatever of the three files exists."""
        for path in (self.output, self.journal, self.description):
            path.unlink(missing_ok=True)


def write_description(files: PartFiles, description: Description) -> None:
    """Write the description durably (before the first sound is recorded)."""
    files.folder.mkdir(parents=True, exist_ok=True)
    with files.description.open("w", encoding="utf-8") as handle:
        json.dump(asdict(description), handle)
        handle.flush()
        os.fsync(handle.fileno())


def read_description(path: Path) -> Description | None:
    """The description at ``path``, or None when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Description(**data)
    except (OSError, ValueError, TypeError):
        return None


def leftovers(folder: Path) -> list[PartFiles]:
    """Recordings in progress found in ``folder`` (after a crash: none is in progress at start-up)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob(f"*{PART}.json")):
        description = read_description(path)
        recording_id = path.name.removesuffix(f"{PART}.json")
        suffix = description.suffix if description is not None else ".m4a"
        found.append(PartFiles(folder, recording_id, suffix))
    return found


class JournalWriter:
    """Appends sound to the journal on its own thread; flushes to disk about once a second.

    :meth:`write` never blocks (it queues). A write error (a full disk) stops the writer and calls
    ``on_error(error)`` on the writer thread: the caller re-emits it to the GUI thread.
    """

    def __init__(self, path: Path, on_error: Callable[[OSError], None]) -> None:
        self.path = path
        self._on_error = on_error
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="recording-journal", daemon=True)
        self.written = 0
        self._thread.start()

    def write(self, data: bytes) -> None:
        if data:
            self._queue.put(data)

    def close(self) -> None:
        """Write what is queued, then stop (blocks until the thread has ended: call it off the GUI thread or
        when little is queued)."""
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        last_sync = 0
        try:
            with self.path.open("ab") as handle:
                while (data := self._queue.get()) is not None:
                    handle.write(data)
                    self.written += len(data)
                    if self.written - last_sync >= JOURNAL_BYTES_PER_SECOND * FLUSH_SECONDS:
                        handle.flush()
                        os.fsync(handle.fileno())
                        last_sync = self.written
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            self._on_error(error)
            while self._queue.get() is not None:  # drain, so that close() returns
                pass


@dataclass(frozen=True, slots=True)
class Recording:
    """A finished recording in the media folder, named by its content hash."""

    path: Path
    sha256: str
    size: int
    kind: str
    duration_ms: int

    @property
    def content_type(self) -> str:
        return "audio/mp4" if self.path.suffix == ".m4a" else "video/mp4"


def _boxes(handle: BinaryIO, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload offset, payload end) of the MP4 boxes between ``start`` and ``end``."""
    at = start
    while at + 8 <= end:
        handle.seek(at)
        header = handle.read(16)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header[:8])
        payload = at + 8
        if size == 1 and len(header) == 16:
            size = struct.unpack(">Q", header[8:16])[0]
            payload = at + 16
        elif size == 0:
            size = end - at
        if size < payload - at or at + size > end:
            return  # cut short: a recording that never finished
        yield kind, payload, at + size
        at += size


def mp4_duration_ms(path: Path) -> int | None:
    """The duration from the MP4 index (``moov/mvhd``), or None when the file has no complete index (a
    recording that was interrupted before QMediaRecorder wrote it)."""
    try:
        with path.open("rb") as handle:
            end = os.fstat(handle.fileno()).st_size
            for kind, payload, box_end in _boxes(handle, 0, end):
                if kind != b"moov":
                    continue
                for inner, data, _ in _boxes(handle, payload, box_end):
                    if inner == b"mvhd":
                        handle.seek(data)
                        version = handle.read(4)[0]
                        fields = handle.read(28)
                        if version == 1:
                            timescale, duration = struct.unpack(">IQ", fields[16:28])
                        else:
                            timescale, duration = struct.unpack(">II", fields[8:16])
                        return duration * 1000 // timescale if timescale else None
    except (OSError, IndexError, struct.error):
        return None
    return None


def seal(files: PartFiles, kind: str, source: Path | None = None) -> Recording:
    """Hash the finished output (or ``source``), rename it ``<sha256><suffix>`` and remove the journal and the
    description. Blocking: run it off the GUI thread. Raises ``ValueError`` when the file has no index."""
    path = source or files.output
    duration = mp4_duration_ms(path)
    if duration is None:
        raise ValueError(f"{path.name} is not a complete MP4 file")
    digest = sha256_of(path)
    final = files.folder / f"{digest}{path.suffix}"
    os.replace(path, final)
    files.remove()
    return Recording(final, digest, final.stat().st_size, kind, duration)
