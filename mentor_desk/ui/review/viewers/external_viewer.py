"""Files no built-in viewer understands: say so and offer the system's application, after a warning."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from mentor_desk.ui.background import spawn

from .base import EvidenceViewer


class ExternalViewer(EvidenceViewer):
    """A file of a kind mentor_desk cannot show: says so, and opens a copy elsewhere only after a warning."""

    kind = "other"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path: Path | None = None
        self.button = QPushButton("Open with the system's application…", self)
        self.button.clicked.connect(self.open_externally)
        self.setFocusProxy(self.button)

    async def load(self, path: Path) -> None:
        self._path = path
        size = (await asyncio.to_thread(path.stat)).st_size
        self.show_message(
            f"mentor_desk has no built-in viewer for “{self.display_name}” ({size:,} bytes).\n"
            "It can be opened with another application on this computer."
        )
        self._layout.addWidget(self.button)
        self._layout.addStretch(1)

    def open_externally(self) -> QMessageBox | None:
        """Warn that learner files may be hostile; the file goes to the desktop only if the mentor says Open.

        The question is window-modal but does not block the event loop; it is returned for callers and tests.
        """
        if self._path is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Open a learner's file",
            f"“{self.display_name}” was uploaded by a learner and will be opened by another program outside "
            "mentor_desk. Files can be hostile: open it only if you trust this program with it.",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(self._answered)
        box.open()
        return box

    def _answered(self, result: int) -> None:
        if result == QMessageBox.StandardButton.Open and self._path is not None:
            spawn(self._open_copy(self._path))

    async def _open_copy(self, path: Path) -> None:
        """Copy the file in a worker thread (a learner's upload can be large), then hand the copy to the desktop."""
        try:
            copy = await asyncio.to_thread(named_copy, path, self.filename)
        except OSError as err:
            if shiboken6.isValid(self):
                self.show_message(
                    f"“{self.display_name}” could not be handed to another application: {err.strerror or err}."
                )
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))


def named_copy(path: Path, filename: str) -> Path:
    """A private temporary copy under the file's real (sanitised) name, so the desktop picks the right app."""
    safe = Path(filename.replace("\\", "/")).name.lstrip(".") or path.name
    folder = Path(tempfile.mkdtemp(prefix="mentor-desk-open-"))
    return Path(shutil.copy2(path, folder / safe))
