"""Zip archives: a listing with a safety verdict per member and a bounded, in-memory text preview."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTreeWidget, QTreeWidgetItem, QWidget

from mentor_desk.ui.plain import plain_label

from ..background import spawn
from .base import EvidenceViewer
from .text_view import NumberedTextEdit
from .zip_safety import UnsafeZip, ZipListing, list_zip, preview_member


class ZipViewer(EvidenceViewer):
    """The archive's members with a safety verdict each; selecting a safe one previews it as text."""

    kind = "zip"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path: Path | None = None
        self.listing: ZipListing | None = None
        self.warning = plain_label("", self)
        self.warning.setObjectName("warning")
        self.warning.setVisible(False)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Member", "Size", "Packed", "Preview"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.preview = NumberedTextEdit(self)
        self.preview.setPlaceholderText("Select a member to preview it (read into memory only, never extracted).")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.tree)
        split.addWidget(self.preview)
        self._layout.addWidget(self.warning)
        self._layout.addWidget(split, 1)
        self.tree.currentItemChanged.connect(self._on_current)

    async def load(self, path: Path) -> None:
        self._path = path
        try:
            self.listing = await asyncio.to_thread(list_zip, path)
        except UnsafeZip as err:
            self.tree.setVisible(False)
            self.preview.setVisible(False)
            self.show_message(str(err))
            return
        for member in self.listing.members:
            item = QTreeWidgetItem(
                [member.name, f"{member.size:,}", f"{member.compressed:,}", member.problem or "can preview"]
            )
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        refused = sum(1 for m in self.listing.members if not m.safe)
        notes = [self.listing.problem] if self.listing.problem else []
        if refused:
            notes.append(f"{refused} member(s) refused for safety (see the Preview column).")
        self.warning.setText(" ".join(notes))
        self.warning.setVisible(bool(notes))
        self.summary = f"zip: {len(self.listing.members)} member(s), {self.listing.total_size:,} bytes" + (
            f"; {' '.join(notes)}" if notes else ""
        )

    async def show_member(self, name: str) -> str:
        """Preview ``name``; returns the text shown (the refusal sentence when refused)."""
        assert self._path is not None
        try:
            data = await asyncio.to_thread(preview_member, self._path, name)
            text = data.decode("utf-8", errors="replace")
        except UnsafeZip as err:
            text = f"Preview refused: {err}"
        self.preview.setPlainText(text)
        return text

    def _on_current(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is not None:
            spawn(self.show_member(item.text(0)))
