"""Swap a scroll area's content per review without making the mentor wait for the old content's teardown.

``QScrollArea.setWidget`` destroys the previous widget at once, and taking it out first reparents its whole
tree (style, font and palette resolved again for every child): for a large review either costs more than
building the new one. A :class:`PageHost` keeps one container in the scroll area; each review gets a page in
it, and the previous page is hidden and only destroyed after the new one has been painted.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget


class _FirstPaint(QObject):
    """Calls ``callback`` once: after ``widget``'s first paint, or after ``timeout_ms`` if it is not shown."""

    def __init__(self, widget: QWidget, callback: Callable[[], None], timeout_ms: int) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(timeout_ms, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._fire)  # once this paint is over
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            self._widget.removeEventFilter(self)
            callback()


def after_first_paint(widget: QWidget, callback: Callable[[], None], timeout_ms: int = 250) -> None:
    """Run ``callback`` once ``widget`` has been painted (or after ``timeout_ms``, should it stay hidden)."""
    _FirstPaint(widget, callback, timeout_ms)


class PageHost:
    """One page at a time in ``scroll``: :meth:`new_page`, fill it, then :meth:`show_page`."""

    def __init__(self, scroll: QScrollArea) -> None:
        self._container = QWidget(scroll)
        self._layout = QVBoxLayout(self._container)
        self._layout.setContentsMargins(0, 0, 0, 0)
        scroll.setWidget(self._container)
        self.page: QWidget | None = None

    def new_page(self) -> QWidget:
        """An empty page for the next review (not shown until :meth:`show_page`)."""
        return QWidget(self._container)

    def show_page(self, page: QWidget, then: Callable[[], None] | None = None) -> None:
        """Show ``page`` in place of the current one; the old page is destroyed, and ``then`` called, once
        ``page`` has been painted."""
        retired, self.page = self.page, page
        if retired is not None:
            retired.hide()
        self._layout.addWidget(page)

        def painted() -> None:
            if retired is not None:
                retired.deleteLater()
            if then is not None:
                then()

        after_first_paint(page, painted)
