"""The evidence pane: the submission's files per subtask, opened in the matching viewer.

Files come through ``ReviewService.fetch_file`` (cached and hash-checked by the store) with a progress bar;
parsing happens off the GUI thread inside each viewer. Opening another file or review while one is loading
simply discards the late result: the superseded viewer is hidden at once and deleted once its load has returned
(deleting it under a running load made the load touch deleted widgets).

Keyboard: arrows in the file tree only select a file; Enter opens it and puts the focus in its viewer, and a file
the selection rests on for :data:`OPEN_PAUSE_MS` opens too (the focus stays in the tree).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QProgressBar,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.review import EvidenceFile, ReviewView
from mentor_desk.services.account import Mode
from mentor_desk.services.reviews import ProgressCallback, ReviewService
from mentor_desk.ui.background import spawn
from mentor_desk.ui.plain import plain_label, plain_tooltip

from .failures import reason
from .viewers import EvidenceViewer, viewer_for

OPEN_PAUSE_MS = 600
"""How long the tree's selection rests on a file before that file opens without Enter."""


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


class EvidencePane(QWidget):
    """File list on top, the current viewer below. ``file_opened(viewer)`` fires once a viewer has loaded."""

    file_opened = Signal(object)

    def __init__(self, services: ReviewService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._ticket = 0
        self._fetches: dict[str, asyncio.Task[Path]] = {}
        self.viewer: EvidenceViewer | None = None
        self.files = QTreeWidget(self)
        self.files.setAccessibleName("Evidence files")
        self.files.setAccessibleDescription("Grouped by subtask; Enter opens the selected file")
        self.files.setHeaderLabels(["Evidence", "Size"])
        self.files.setUniformRowHeights(True)
        self.files.header().setStretchLastSection(False)
        self.files.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.files.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.files.itemActivated.connect(lambda item: self._open_item(item, focus=True))
        self.open_pause = QTimer(self)  # the selection's rest that opens a file
        self.open_pause.setSingleShot(True)
        self.open_pause.setInterval(OPEN_PAUSE_MS)
        self.open_pause.timeout.connect(lambda: self._open_item(self.files.currentItem(), focus=False))
        self.files.currentItemChanged.connect(lambda _item, _old: self.open_pause.start())
        self._loading: set[EvidenceViewer] = set()  # viewers whose load has not returned yet
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress.setTextVisible(True)
        self.message = plain_label("", self)
        self.message.setObjectName("explanation")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._holder = QWidget(self)
        self._holder_layout = QVBoxLayout(self._holder)
        self._holder_layout.setContentsMargins(0, 0, 0, 0)
        self._holder_layout.addWidget(self.progress)
        self._holder_layout.addWidget(self.message, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.files)
        split.addWidget(self._holder)
        split.setStretchFactor(1, 3)
        split.setSizes([260, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def bind(self, review: ReviewView, mode: Mode) -> None:
        self._ticket += 1
        self._drop_viewer()
        self.files.clear()
        titles = {s.id: s.title for s in review.subtasks}
        groups: dict[str, QTreeWidgetItem] = {}
        for file in review.files:
            group = groups.get(file.subtask_id)
            if group is None:
                title = titles.get(file.subtask_id) or ("General" if not file.subtask_id else file.subtask_id)
                group = groups[file.subtask_id] = QTreeWidgetItem([title, ""])
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.files.addTopLevelItem(group)
            item = QTreeWidgetItem([file.filename, _size(file.file_size)])
            item.setData(0, Qt.ItemDataRole.UserRole, file)
            item.setToolTip(
                0, plain_tooltip(f"{file.filename}\n{file.file_type or 'file'} · sha256 {file.sha256 or 'unknown'}")
            )
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            group.addChild(item)
        self.files.expandAll()
        self.open_pause.stop()  # filling the tree moved its current item: nothing to open
        if mode == "och-v1":
            text = "This server (OCH v1) does not give mentors the learner's evidence files."
        elif not review.files:
            text = "The learner uploaded no evidence files for this submission."
        else:
            text = "Select a file to open it (Enter)."
        self.message.setText(text)
        self.message.setVisible(True)
        self.files.setVisible(bool(review.files))

    def set_enlarged(self, enlarged: bool) -> None:
        """Hide the file tree while the viewer has the whole workspace (the workspace hides the other panes)."""
        self.files.setVisible(not enlarged and self.files.topLevelItemCount() > 0)

    def file_items(self) -> list[QTreeWidgetItem]:
        items = []
        for index in range(self.files.topLevelItemCount()):
            group = self.files.topLevelItem(index)
            if group is not None:
                items += [child for i in range(group.childCount()) if (child := group.child(i)) is not None]
        return items

    def _open_item(self, item: QTreeWidgetItem | None, *, focus: bool) -> None:
        self.open_pause.stop()
        file = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        shown = self.viewer.property("evidenceId") if self.viewer is not None else None
        if not isinstance(file, EvidenceFile):
            return
        if file.id == shown and self.viewer is not None:  # already open: Enter just goes to it
            if focus:
                self.viewer.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        spawn(self.open_file(file, focus=focus))

    async def open_file(self, file: EvidenceFile, *, focus: bool = False) -> EvidenceViewer | None:
        """Fetch and show ``file`` (and put the keyboard focus in its viewer if ``focus``); returns the viewer,
        or None if superseded or it failed (message shown)."""
        self.open_pause.stop()
        self._ticket += 1
        ticket = self._ticket
        self._drop_viewer()
        self.message.setText(f"Fetching “{file.filename}”…")  # not in the bar's format: "%p" there is a placeholder
        self.message.setVisible(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)

        def progress(done: int, total: int | None) -> None:
            if ticket == self._ticket and total:
                self.progress.setRange(0, 1000)
                self.progress.setValue(int(done * 1000 / total))

        try:
            path = await self._fetch(file, progress)
        except Exception as err:  # any failure becomes a sentence in the pane; nothing else is lost
            why = reason(err, f"fetching evidence file {file.id}")
            if ticket == self._ticket:
                self.progress.setVisible(False)
                self.message.setText(f"“{file.filename}” could not be fetched: {why}")
                self.message.setVisible(True)
            return None
        if ticket != self._ticket:
            return None
        viewer = viewer_for(file.filename, self._holder)
        viewer.setProperty("evidenceId", file.id)
        self.progress.setVisible(False)
        self.message.setVisible(False)
        self._holder_layout.addWidget(viewer, 1)
        self.viewer = viewer
        self._loading.add(viewer)
        try:
            await viewer.load(path)
        finally:
            self._loading.discard(viewer)
            if viewer is not self.viewer:  # superseded meanwhile: _drop_viewer left its deletion to us
                viewer.deleteLater()
        if ticket != self._ticket:
            return None
        if focus:
            viewer.setFocus(Qt.FocusReason.OtherFocusReason)
        self.file_opened.emit(viewer)
        return viewer

    async def _fetch(self, file: EvidenceFile, progress: ProgressCallback) -> Path:
        """One download per file at a time: selecting a file and pressing Enter on it, or coming back to it
        while it downloads, waits for the same fetch instead of writing the same partial file twice."""
        key = file.sha256 or file.id
        task = self._fetches.get(key)
        if task is None:
            task = self._fetches[key] = asyncio.ensure_future(self._services.fetch_file(file, progress))
            task.add_done_callback(lambda _done: self._fetches.pop(key, None))
        return await asyncio.shield(task)  # a superseded open must not cancel the shared download

    def _drop_viewer(self) -> None:
        viewer, self.viewer = self.viewer, None
        if viewer is not None:
            viewer.hide()
            self._holder_layout.removeWidget(viewer)
            if viewer not in self._loading:  # else open_file deletes it once its load returns
                viewer.deleteLater()
        self.progress.setVisible(False)
