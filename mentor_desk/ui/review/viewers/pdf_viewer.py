"""PDF reports in QtPdf's viewer with text search (QPdfSearchModel)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from .base import EvidenceViewer


class PdfViewer(EvidenceViewer):
    """QtPdf renders pages in its own worker threads; loading a local file only parses the xref."""

    kind = "pdf"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument, QPdfSearchModel  # heavy: imported when a PDF is first shown
        from PySide6.QtPdfWidgets import QPdfView

        self.document = QPdfDocument(self)
        self.search_model = QPdfSearchModel(self)
        self.search_model.setDocument(self.document)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
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
        from PySide6.QtPdf import QPdfDocument

        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            self.view.setVisible(False)
            self.show_message(f"This PDF could not be opened ({error.name}).")
            return
        self.summary = f"pdf: {self.document.pageCount()} page(s)"

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
