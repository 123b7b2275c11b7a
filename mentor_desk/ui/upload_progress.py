"""The status bar's upload progress: the recordings the sync engine is uploading, how far they are, and Cancel
(an upload cancelled resumes where it stopped when the mentor retries it in the outbox)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from mentor_desk.services.media import MediaService
from mentor_desk.ui.plain import plain_label


class UploadProgress(QWidget):
    """Hidden while nothing uploads; otherwise "Uploading a recording: 3.1 of 8.0 MB", a bar and Cancel."""

    def __init__(self, media: MediaService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._media = media
        self._uploads: dict[str, tuple[int, int]] = {}
        self.label = plain_label("", self, selectable=False)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(140)
        self.bar.setAccessibleName(self.tr("Upload progress"))
        self.cancel_button = QPushButton(self.tr("Cancel upload"), self)
        self.cancel_button.setToolTip(self.tr("Stop uploading; retry it in the outbox (Ctrl+Shift+S) to continue"))
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.setVisible(False)
        stop = media.watch_uploads(self._on_progress)
        self.destroyed.connect(lambda _object=None: stop())

    def _on_progress(self, sha256: str, sent: int, total: int) -> None:
        if total:
            self._uploads[sha256] = (sent, total)
        else:
            self._uploads.pop(sha256, None)
        if not self._uploads:
            self.setVisible(False)
            return
        sent = sum(done for done, _ in self._uploads.values())
        total = sum(size for _, size in self._uploads.values())
        count = len(self._uploads)
        what = self.tr("a recording") if count == 1 else self.tr("{count} recordings").format(count=count)
        self.label.setText(
            self.tr("Uploading {what}: {sent} of {total} MB").format(what=what, sent=f"{sent / 1e6:.1f}",
                                                                       total=f"{total / 1e6:.1f}")
        )
        self.bar.setValue(round(1000 * sent / total))
        self.setVisible(True)

    def cancel(self) -> None:
        """Cancel every upload shown (each stops after its current chunk)."""
        for sha256 in list(self._uploads):
            self._media.cancel_upload(sha256)
