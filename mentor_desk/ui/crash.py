"""The handler for unexpected errors that keeps the app alive (the log itself: :mod:`mentor_desk.services.logs`).

An unexpected exception — in a Qt slot, a coroutine on the qasync loop, anywhere — is logged (redacted) and
shown in a dialog that says the drafts are safe (they are saved to the store on every edit). The app keeps
running: the mentor decides whether to carry on or quit.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from mentor_desk.services.logs import redacted_traceback

log = logging.getLogger("mentor_desk")

PROBLEM_TITLE = "mentor_desk hit a problem"
PROBLEM_TEXT = (
    "mentor_desk hit a problem; your drafts are safe.\n\n"
    "Every change to a review is saved on this computer as you make it. You can carry on working; if something "
    "looks wrong, quit and start mentor_desk again."
)


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
        details = redacted_traceback(exc_type, exc, tb)
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
