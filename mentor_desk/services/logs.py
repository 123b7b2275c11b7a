"""The app's log: a rotating file with tokens and passwords redacted, written on a thread of its own.

Used by the launcher (:func:`configure_logging`, :func:`stop_logging`) and by the crash dialog
(:func:`redacted_traceback`); no Qt.
"""

from __future__ import annotations

import atexit
import logging
import queue
import traceback
from logging.handlers import QueueHandler, QueueListener, RotatingFileHandler
from pathlib import Path
from types import TracebackType

from mentor_desk.api.redaction import redact

LOG_FILE = "mentor_desk.log"
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def redacted_traceback(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The exception and its traceback as text, with tokens and passwords masked (safe to show or copy)."""
    return redact("".join(traceback.format_exception(exc_type, exc, tb)))


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks tokens and passwords anywhere in the line, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class HandOff(QueueHandler):
    """Hands each record to the thread that writes the log, redacted first.

    :meth:`prepare` (on the thread that logs) merges the arguments and the traceback into the message with a
    :class:`RedactingFormatter`; the copy that is queued keeps neither the arguments nor the exception, so no
    unredacted value leaves this handler.
    """

    def __init__(self, records: queue.Queue[logging.LogRecord]) -> None:
        super().__init__(records)
        self.records = records
        self.setFormatter(RedactingFormatter("%(message)s"))

    def flush(self) -> None:
        """Wait until the writing thread has written every record handed off so far."""
        self.records.join()


_installed: list[logging.Handler] = []
"""The handlers configure_logging put on the root logger (a HandOff, or after stop_logging the writers)."""
_listener: list[QueueListener] = []


def configure_logging(log_dir: Path, *, level: int = logging.INFO) -> Path:
    """Log to a rotating file in ``log_dir`` (and warnings to stderr). Returns the file's path.

    Records are written on a thread of their own (a :class:`~logging.handlers.QueueListener`), so a slow disk
    never holds the thread that logs, usually the GUI thread. :func:`stop_logging` ends that thread; it is
    registered with :mod:`atexit` too, so every caller's queued records are written before the process ends.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    file_writer = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    for writer in (file_writer, console):
        writer.setFormatter(RedactingFormatter(LOG_FORMAT))  # for records logged after stop_logging
    stop_logging()  # configured again (tests): replace, do not duplicate
    records: queue.Queue[logging.LogRecord] = queue.Queue()
    listener = QueueListener(records, file_writer, console, respect_handler_level=True)
    listener.start()
    _listener.append(listener)
    _install([HandOff(records)])
    logging.getLogger().setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # request lines would repeat the API's own log
    atexit.unregister(stop_logging)
    atexit.register(stop_logging)
    return path


def stop_logging() -> None:
    """Write every queued record and end the writing thread (idempotent).

    The writers then hang on the root logger themselves: a record logged later, during shutdown, is still
    written (on the thread that logs it), until :func:`logging.shutdown` closes the file.
    """
    if not _listener:
        return
    listener = _listener.pop()
    _install(list(listener.handlers))  # first, so no record lands on the queue after the end marker
    listener.stop()


def _install(handlers: list[logging.Handler]) -> None:
    """Replace the handlers configure_logging put on the root logger with ``handlers``."""
    root = logging.getLogger()
    for old in _installed:
        root.removeHandler(old)
        if old not in handlers:
            old.close()
    _installed[:] = handlers
    for new in handlers:
        root.addHandler(new)
