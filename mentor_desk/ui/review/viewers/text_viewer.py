"""Text and log files: decoded leniently, searchable, and paged so a huge log never loads whole."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from mentor_desk.ui.background import spawn

from .base import EvidenceViewer
from .text_view import FindBar, NumberedTextEdit

TEXT_SUFFIXES = frozenset(
    {
        ".txt",
        ".log",
        ".md",
        ".csv",
        ".json",
        ".xml",
        ".yaml",
        ".yml",
        ".ini",
        ".conf",
        ".cfg",
        ".toml",
        ".rules",
        ".eml",
        ".out",
        ".evtx.txt",
    }
)
PAGE_BYTES = 512 * 1024
LINE_BYTES = 64 * 1024
"""The longest line a page holds: a longer one is shown in pieces of this size, each a page. Qt lays a line out on
the GUI thread in time that grows with its length (a 512 KB line took 0.7 s, so did each page of a sparse log's
hole), while as many bytes in ordinary lines take 0.07 s."""


@dataclass(frozen=True, slots=True)
class TextPage:
    """One page of a text file: its text (invalid UTF-8 replaced by U+FFFD) and where it sits."""

    text: str
    start: int  # byte offset of the page in the file
    end: int  # byte offset just after it
    size: int  # the whole file's size
    replaced: int  # how many undecodable sequences became U+FFFD


def read_page(path: Path, start: int, page_bytes: int = PAGE_BYTES) -> TextPage:
    """Read about ``page_bytes`` from ``start``, ending at a line break when there is one (blocking)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(start)
        raw = _short_lines(handle.read(page_bytes))
    end = start + len(raw)
    if end < size:
        cut = raw.rfind(b"\n")
        if cut > 0:
            raw = raw[: cut + 1]
            end = start + cut + 1
    text = raw.decode("utf-8", errors="replace")
    return TextPage(text, start, end, size, text.count("\ufffd") - raw.decode("utf-8", "ignore").count("\ufffd"))


def _short_lines(raw: bytes) -> bytes:
    """``raw`` up to its first line longer than :data:`LINE_BYTES`; a piece of that line (ending on a whole
    UTF-8 character) when it is the first."""
    line_start = 0
    while line_start < len(raw):
        line_end = raw.find(b"\n", line_start) + 1 or len(raw)
        if line_end - line_start > LINE_BYTES:
            if line_start:
                return raw[:line_start]
            cut = LINE_BYTES
            while cut > LINE_BYTES - 3 and raw[cut] & 0xC0 == 0x80:  # not inside a multi-byte character
                cut -= 1
            return raw[:cut]
        line_start = line_end
    return raw


class TextViewer(EvidenceViewer):
    """Shows a text file page by page; Alt+PgDown / Alt+PgUp (or the buttons) move between pages."""

    kind = "text"

    def __init__(self, parent: QWidget | None = None, page_bytes: int = PAGE_BYTES) -> None:
        super().__init__(parent)
        self._page_bytes = page_bytes
        self._path: Path | None = None
        self._pages: list[tuple[int, int]] = []  # (byte offset, first line number) of pages seen so far
        self._index = 0
        self.page: TextPage | None = None
        self.editor = NumberedTextEdit(self)
        self.find_bar = FindBar(self.editor, self)
        nav = QHBoxLayout()
        self._previous = QPushButton("◀ Previous page", self)
        self._next = QPushButton("Next page ▶", self)
        self._position = QLabel(self)
        for button in (self._previous, self._next):
            button.setVisible(False)
        nav.addWidget(self._position, 1)
        nav.addWidget(self._previous)
        nav.addWidget(self._next)
        self._layout.addWidget(self.find_bar)
        self._layout.addWidget(self.editor, 1)
        self.setFocusProxy(self.editor)
        self._layout.addLayout(nav)
        for button, keys, step in ((self._previous, "Alt+PgUp", -1), (self._next, "Alt+PgDown", 1)):
            button.clicked.connect(lambda _checked=False, step=step: spawn(self.show_page(self._index + step)))
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(button.click)
            button.setToolTip(keys)

    async def load(self, path: Path) -> None:
        self._path = path
        self._pages = [(0, 1)]
        await self.show_page(0)

    async def show_page(self, index: int) -> None:
        """Show page ``index`` (0-based); pages are discovered in order as the mentor moves forward."""
        if self._path is None or not 0 <= index < len(self._pages):
            return
        start, first_line = self._pages[index]
        page = await asyncio.to_thread(read_page, self._path, start, self._page_bytes)
        if not shiboken6.isValid(self):  # another file replaced this viewer while it turned the page
            return
        self.page, self._index = page, index
        if page.end < page.size and index + 1 == len(self._pages):
            self._pages.append((page.end, first_line + page.text.count("\n")))
        self.editor.first_line = first_line
        self.editor.setPlainText(page.text)
        paged = page.size > self._page_bytes
        self._previous.setVisible(paged)
        self._next.setVisible(paged)
        self._previous.setEnabled(index > 0)
        self._next.setEnabled(page.end < page.size)
        notes = []
        if paged:
            notes.append(f"bytes {page.start:,}–{page.end:,} of {page.size:,}")
        if page.replaced:
            notes.append(f"{page.replaced} undecodable byte sequence(s) shown as �")
        self._position.setText("; ".join(notes))
        self.summary = f"{self.kind}: {page.size:,} bytes" + (f" ({'; '.join(notes)})" if notes else "")
