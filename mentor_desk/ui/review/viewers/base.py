"""The common shape of an evidence viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mentor_desk.ui.plain import plain_label


class EvidenceViewer(QWidget):
    """A widget that shows one local file. ``load`` does its heavy work off the GUI thread.

    Subclasses set :attr:`kind` (shown to the mentor) and implement :meth:`load`. After a successful load,
    :attr:`summary` holds a one-line plain-text description the tests and the status line use. A subclass makes
    its main view the viewer's focus proxy: focusing the viewer (as opening a file with Enter does) puts the
    keyboard there.
    """

    kind = "file"
    filename = ""
    """The file's real name (cached files are stored under their hash); set by :func:`viewer_for`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = ""
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)

    @property
    def display_name(self) -> str:
        return self.filename or "this file"

    async def load(self, path: Path) -> None:
        raise NotImplementedError

    def show_message(self, text: str) -> QLabel:
        """Put a plain-text explanation in the viewer (errors, refusals, unsupported files)."""
        label = plain_label(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setObjectName("viewerMessage")
        self._layout.addWidget(label)
        self.summary = text
        return label
