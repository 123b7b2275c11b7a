"""Timestamped comments: ``Ctrl+T`` writes the playing media's position as "[mm:ss]" at the cursor of the feedback
or of a per-subtask remark, and clicking such an anchor later seeks the media there.

The media is the first open :class:`~mentor_desk.ui.review.viewers.media_viewer.MediaViewer` of the sources the
workspace names: the mentor's own recording while its window is open, else the evidence pane's audio or video (a
learner's presentation, say).
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from .viewers.media_viewer import MediaViewer, anchor_at, time_anchor

_WATCHED = "timeAnchorsWatched"


class TimeAnchors(QObject):
    """Inserts and follows "[mm:ss]" anchors in the text editors under ``root``."""

    def __init__(self, root: QWidget, *media: Callable[[], object]) -> None:
        super().__init__(root)
        self._root = root
        self._media = media

    def current(self) -> MediaViewer | None:
        """The first source's viewer that is shown; the last source's whenever it has one."""
        last = len(self._media) - 1
        for index, source in enumerate(self._media):
            viewer = source()
            if isinstance(viewer, MediaViewer) and shiboken6.isValid(viewer) and (viewer.isVisible() or index == last):
                return viewer
        return None

    def insert(self) -> bool:
        """Write the media's position at the cursor of the focused text editor; False when there is no media
        open or no editor has the focus."""
        viewer, editor = self.current(), QApplication.focusWidget()
        if viewer is None or not isinstance(editor, QPlainTextEdit) or editor.isReadOnly():
            return False
        editor.insertPlainText(f"{time_anchor(viewer.player.position())} ")
        return True

    def watch(self) -> None:
        """Follow clicks in every text editor under the root (call again after new editors appear)."""
        for editor in self._root.findChildren(QPlainTextEdit):
            if not editor.property(_WATCHED):
                editor.setProperty(_WATCHED, True)
                editor.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        left_click = isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.LeftButton
        if event.type() == QEvent.Type.MouseButtonRelease and left_click and isinstance(event, QMouseEvent):
            editor = watched.parent()
            viewer = self.current()
            if isinstance(editor, QPlainTextEdit) and viewer is not None:
                cursor = editor.cursorForPosition(event.position().toPoint())
                ms = anchor_at(cursor.block().text(), cursor.positionInBlock())
                if ms is not None:
                    viewer.player.seek(ms)
        return False
