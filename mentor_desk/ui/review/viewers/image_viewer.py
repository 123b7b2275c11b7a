"""Images: decoded off the GUI thread (with an allocation cap), shown in a zoomable, pannable view."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QImageReader, QKeySequence, QPixmap, QShortcut, QWheelEvent
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsScene, QGraphicsView, QLabel, QWidget

from .base import EvidenceViewer

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".svg"})
MAX_IMAGE_MB = 256


def decode_image(path: Path) -> QImage:
    """Decode ``path`` (blocking; QImage is safe to build outside the GUI thread). Raises ValueError."""
    reader = QImageReader(str(path))
    reader.setAllocationLimit(MAX_IMAGE_MB)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        raise ValueError(reader.errorString())
    return image


class ZoomableView(QGraphicsView):
    """Wheel or +/−/0 to zoom (0 fits the window), drag to pan."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoom = 1.0
        for keys, slot in (
            ("+", lambda: self.zoom_by(1.25)),
            ("=", lambda: self.zoom_by(1.25)),
            ("-", lambda: self.zoom_by(0.8)),
            ("0", self.fit),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    def zoom_by(self, factor: float) -> None:
        factor = min(max(self.zoom * factor, 0.05), 32.0) / self.zoom
        self.zoom *= factor
        self.scale(factor, factor)

    def fit(self) -> None:
        self.fitInView(self.scene().itemsBoundingRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom = self.transform().m11()

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8)


class ImageViewer(EvidenceViewer):
    """An image decoded in a worker thread, in a view that zooms and pans."""

    kind = "image"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = ZoomableView(self)
        hint = QLabel("Wheel or + / − to zoom, 0 to fit, drag to pan", self)
        hint.setObjectName("hint")
        self._layout.addWidget(self.view, 1)
        self._layout.addWidget(hint)
        self.setFocusProxy(self.view)

    async def load(self, path: Path) -> None:
        try:
            image = await asyncio.to_thread(decode_image, path)
        except ValueError as err:
            self.view.setVisible(False)
            self.show_message(f"This image could not be decoded ({err}).")
            return
        self.view.scene().addItem(QGraphicsPixmapItem(QPixmap.fromImage(image)))
        self.summary = f"image: {image.width()}×{image.height()} px"
        if image.width() > self.view.width() or image.height() > self.view.height():
            self.view.fit()
