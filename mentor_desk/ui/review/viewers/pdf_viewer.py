"""PDF reports in QtPdf's viewer with text search (QPdfSearchModel), opened off the GUI thread."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QModelIndex, QThread
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from .base import EvidenceViewer

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

PAGES_PER_YIELD = 20
"""Page sizes read between two GIL hand-overs (~2-3 ms of PDFium work)."""
_REASONS = {
    "FileNotFound": "the file is missing",
    "InvalidFileFormat": "it is damaged or not a PDF",
    "IncorrectPassword": "it is protected by a password",
    "UnsupportedSecurityScheme": "it is encrypted in a way QtPdf cannot read",
}


def open_pdf(path: Path, gui_thread: QThread) -> tuple[QPdfDocument, str]:
    """Load ``path`` and read every page's size (blocking: run it in a worker thread). Returns the document,
    moved to ``gui_thread``, and why it failed ("" if it loaded).

    A 50 MB, 2,000-page report parses in ~10 ms, but QPdfView then lays out every page from its size, which
    PDFium reads on first request: ~135 ms on the GUI thread. Read here, the sizes are cached and the view's
    layout takes ~6 ms. PySide holds the GIL in each call and a thread calling it back to back can keep the GUI
    thread from the GIL for the whole loop (measured: 110-170 ms), so the loop yields every few pages. A damaged
    file's repair scan (~80 ms for 50 MB) is one call: that pause remains.
    """
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    error = document.load(str(path))
    if error == QPdfDocument.Error.None_:
        for page in range(document.pageCount()):
            document.pagePointSize(page)
            if page % PAGES_PER_YIELD == 0:
                time.sleep(0)  # let the GUI thread take the GIL
    document.moveToThread(gui_thread)
    if error == QPdfDocument.Error.None_:
        return document, ""
    return document, _REASONS.get(error.name, f"QtPdf reports {error.name}")


class PdfViewer(EvidenceViewer):
    """QtPdf renders pages in its own worker threads; the document is opened in a worker thread too."""

    kind = "pdf"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtPdf import QPdfSearchModel  # heavy: imported when a PDF is first shown
        from PySide6.QtPdfWidgets import QPdfView

        self.document: QPdfDocument | None = None
        self.search_model = QPdfSearchModel(self)
        self.view = QPdfView(self)
        self.view.setSearchModel(self.search_model)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        bar = QHBoxLayout()
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Search the PDF (Enter: next match)")
        self.field.setClearButtonEnabled(True)
        self.matches = QLabel(self)
        next_match = QPushButton("Next", self)
        bar.addWidget(self.field, 1)
        bar.addWidget(self.matches)
        bar.addWidget(next_match)
        self._layout.addLayout(bar)
        self._layout.addWidget(self.view, 1)
        self._current = -1
        self.match_count = 0
        self.field.textChanged.connect(self.search)
        for signal in (self.search_model.modelReset, self.search_model.rowsInserted, self.search_model.rowsRemoved):
            signal.connect(self._count_matches)
        self.field.returnPressed.connect(self.next_match)
        next_match.clicked.connect(self.next_match)

    async def load(self, path: Path) -> None:
        document, problem = await asyncio.to_thread(open_pdf, path, self.thread())
        if not shiboken6.isValid(self):
            return  # closed while loading
        if problem:
            self.view.setVisible(False)
            self.show_message(f"This PDF could not be opened: {problem}.")
            return
        document.setParent(self)
        self.document = document
        self.search_model.setDocument(document)
        self.view.setDocument(document)
        self.summary = f"pdf: {document.pageCount()} page(s)"
        if self.field.text():
            self.search(self.field.text())

    def search(self, text: str) -> None:
        """Start searching the document; QPdfSearchModel fills in matches page by page (see ``match_count``)."""
        self._current = -1
        self.search_model.setSearchString(text)
        self._count_matches()

    def _count_matches(self, *_: object) -> None:
        self.match_count = self.search_model.rowCount(QModelIndex())
        self.matches.setText(f"{self.match_count} match(es)" if self.search_model.searchString() else "")

    def next_match(self) -> None:
        count = self.search_model.rowCount(QModelIndex())
        if not count:
            return
        self._current = (self._current + 1) % count
        self.view.setCurrentSearchResultIndex(self._current)
