"""Files no built-in viewer understands: say so and offer the system's application, after a warning."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from .base import EvidenceViewer


class ExternalViewer(EvidenceViewer):
    kind = "other"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path: Path | None = None
        self.button = QPushButton("Open with the system's application…", self)
        self.button.clicked.connect(self.open_externally)

    async def load(self, path: Path) -> None:
        self._path = path
        size = (await asyncio.to_thread(path.stat)).st_size
        self.show_message(f"mentor_desk has no built-in viewer for “{self.display_name}” ({size:,} bytes).\n"
                          "It can be opened with another application on this computer.")
        self._layout.addWidget(self.button)
        self._layout.addStretch(1)

    def open_externally(self) -> bool:
        """Warn that learner files may be hostile, then hand the file to the desktop. Returns True if opened."""
        if self._path is None:
            return False
        answer = QMessageBox.warning(
            self, "Open a learner's file",
            f"“{self.display_name}” was uploaded by a learner and will be opened by another program outside "
            "mentor_desk. Files can be hostile: open it only if you trust this program with it.",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Open:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(named_copy(self._path, self.filename))))


def named_copy(path: Path, filename: str) -> Path:
    """A private temporary copy under the file's real (sanitised) name, so the desktop picks the right app."""
    safe = Path(filename.replace("\\", "/")).name.lstrip(".") or path.name
    folder = Path(tempfile.mkdtemp(prefix="mentor-desk-open-"))
    return Path(shutil.copy2(path, folder / safe))
