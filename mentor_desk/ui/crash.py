"""Logging with tokens redacted, written on a thread of its own; the handler for unexpected errors that keeps the
app alive.

An unexpected exception — in a Qt slot, a coroutine on the qasync loop, anywhere — is logged (redacted) and
shown in a dialog that says the drafts are safe (they are saved to the store on every edit). The app keeps
running: the mentor decides whether to carry on or quit.
"""

from __future__ import annotations

import atexit
import logging
import queue
import sys
import traceback
from collections.abc import Callable
from logging.handlers import QueueHandler, QueueListener, RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from mentor_desk.api.redaction import redact

log = logging.getLogger("mentor_desk")

LOG_FILE = "mentor_desk.log"
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
PROBLEM_TITLE = "mentor_desk hit a problem"
PROBLEM_TEXT = (
    "mentor_desk hit a problem; your drafts are safe.\n\n"
    "Every change to a review is saved on this computer as you make it. You can carry on working; if something "
    "looks wrong, quit and start mentor_desk again."
)


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


class CrashHandler(QObject):
    """Installed as ``sys.excepthook`` and as the asyncio loop's exception handler."""

    def __init__(self, parent_window: Callable[[], QWidget | None] = lambda: None) -> None:
        super().__init__()
        self._parent_window = parent_window
        self._dialog: QMessageBox | None = None
        self.count = 0

    def install(self, loop: Any | None = None) -> None:
        sys.excepthook = self.excepthook
        if loop is not None:
            loop.set_exception_handler(self.loop_exception)

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        self.count += 1
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        details = redact("".join(traceback.format_exception(exc_type, exc, tb)))
        # Never open a dialog from inside the failing call: show it once control is back in the event loop.
        QTimer.singleShot(0, lambda: self._show(details))

    def loop_exception(self, loop: Any, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self.excepthook(type(exc), exc, exc.__traceback__)
        else:
            log.error("asyncio: %s", context.get("message"))

    def _show(self, details: str) -> None:
        if self._dialog is not None and self._dialog.isVisible():
            self._dialog.setDetailedText(f"{self._dialog.detailedText()}\n\n{details}")
            return
        dialog = QMessageBox(self._parent_window())
        dialog.setObjectName("crashDialog")
        dialog.setIcon(QMessageBox.Icon.Warning)
        dialog.setWindowTitle(PROBLEM_TITLE)
        dialog.setTextFormat(Qt.TextFormat.PlainText)
        dialog.setText(PROBLEM_TEXT)
        dialog.setDetailedText(details)
        dialog.setStandardButtons(QMessageBox.StandardButton.Ok)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "_dialog", None))
        self._dialog = dialog
        dialog.open()

    @property
    def dialog(self) -> QMessageBox | None:
        return self._dialog
