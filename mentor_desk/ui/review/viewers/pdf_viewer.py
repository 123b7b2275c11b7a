"""PDF reports in QtPdf's viewer with text search (QPdfSearchModel), opened off the GUI thread.

Ctrl+F reaches the search field from anywhere in the viewer; Enter or F3 go to the next match, Shift+Enter or
Shift+F3 to the previous one. In the pages, Space and Shift+Space scroll a screenful, ← and → go to the previous
and next page; Ctrl++ and Ctrl+− zoom, Ctrl+0 fits the page width again.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QModelIndex, QPointF, Qt, QThread
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractSlider, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from .base import EvidenceViewer

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 8.0)
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
        self.field.setPlaceholderText("Search the PDF (Ctrl+F)")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search the PDF")
        self.field.setAccessibleDescription("Enter or F3: next match; Shift+Enter or Shift+F3: previous match")
        self.field.setToolTip("Enter or F3: next match · Shift+Enter or Shift+F3: previous match")
        self.matches = QLabel(self)
        self.zoom = QLabel("Fit width", self)
        self.zoom.setToolTip("Ctrl++ / Ctrl+− zoom, Ctrl+0 fits the width")
        previous_match = QPushButton("Previous", self)
        next_match = QPushButton("Next", self)
        bar.addWidget(self.matches, 1)
        bar.addWidget(previous_match)
        bar.addWidget(next_match)
        bar.addWidget(self.zoom)
        self._layout.addWidget(self.field)  # a line of its own: the evidence pane is narrow
        self._layout.addLayout(bar)
        self._layout.addWidget(self.view, 1)
        self.setFocusProxy(self.view)  # opening the file puts the keyboard in the pages
        self._current = -1
        self.match_count = 0
        self.field.textChanged.connect(self.search)
        for signal in (self.search_model.modelReset, self.search_model.rowsInserted, self.search_model.rowsRemoved):
            signal.connect(self._count_matches)
        self.field.returnPressed.connect(self.next_match)
        previous_match.clicked.connect(self.previous_match)
        next_match.clicked.connect(self.next_match)
        self._add_keys()

    def _add_keys(self) -> None:
        bar = self.view.verticalScrollBar()
        viewer_keys = (
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.FindNext, self.next_match),  # F3 (and Ctrl+G)
            (QKeySequence.StandardKey.FindPrevious, self.previous_match),  # Shift+F3 (and Ctrl+Shift+G)
            (QKeySequence.StandardKey.ZoomIn, lambda: self.zoom_by(ZOOM_STEP)),  # Ctrl++
            (QKeySequence("Ctrl+="), lambda: self.zoom_by(ZOOM_STEP)),  # the same key without Shift
            (QKeySequence.StandardKey.ZoomOut, lambda: self.zoom_by(1 / ZOOM_STEP)),
            (QKeySequence("Ctrl+0"), self.fit_width),
        )
        page_keys = (  # in the pages only: the search field keeps its own Space and arrows
            (QKeySequence(Qt.Key.Key_Space), lambda: bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)),
            (QKeySequence("Shift+Space"), lambda: bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepSub)),
            (QKeySequence(Qt.Key.Key_Right), lambda: self.go_to_page(self.current_page() + 1)),
            (QKeySequence(Qt.Key.Key_Left), lambda: self.go_to_page(self.current_page() - 1)),
        )
        for keys, context, owner in (
            (viewer_keys, Qt.ShortcutContext.WidgetWithChildrenShortcut, self),
            (page_keys, Qt.ShortcutContext.WidgetShortcut, self.view),
        ):
            for key, action in keys:
                shortcut = QShortcut(key, owner)
                shortcut.setContext(context)
                shortcut.activated.connect(action)
        previous = QShortcut(QKeySequence("Shift+Return"), self.field)  # plain Enter is returnPressed
        previous.setContext(Qt.ShortcutContext.WidgetShortcut)
        previous.activated.connect(self.previous_match)

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        """Show the top of ``page`` (0-based; pages outside the document are ignored)."""
        if self.document is not None and 0 <= page < self.document.pageCount():
            self.view.pageNavigator().jump(page, QPointF(0, 0), self.view.pageNavigator().currentZoom())

    def zoom_by(self, factor: float) -> None:
        """Zoom in (``factor`` > 1) or out from the zoom shown now, fit-width included."""
        from PySide6.QtPdfWidgets import QPdfView

        low, high = ZOOM_RANGE
        self.view.setZoomFactor(min(max(self.shown_zoom() * factor, low), high))
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.zoom.setText(f"{self.view.zoomFactor():.0%}")

    def fit_width(self) -> None:
        from PySide6.QtPdfWidgets import QPdfView

        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.zoom.setText("Fit width")

    def shown_zoom(self) -> float:
        """The zoom factor the pages are drawn at (fit-width computes its own from the view's width)."""
        from PySide6.QtPdfWidgets import QPdfView

        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.document is None or not self.document.pageCount():
            return self.view.zoomFactor()
        page = self.document.pagePointSize(self.current_page())
        margins = self.view.documentMargins()
        usable = self.view.viewport().width() - margins.left() - margins.right()
        return usable / (page.width() * self.logicalDpiX() / 72) if page.width() > 0 else self.view.zoomFactor()

    def focus_search(self) -> None:
        """Put the cursor in the search field, its text selected to be typed over."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

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
        self._step_match(1)

    def previous_match(self) -> None:
        self._step_match(-1)

    def _step_match(self, step: int) -> None:
        """Show the match ``step`` away from the current one, wrapping around (the first step back from no
        match shows the last)."""
        count = self.search_model.rowCount(QModelIndex())
        if not count:
            return
        start = self._current if self._current >= 0 or step > 0 else 0
        self._current = (start + step) % count
        self.view.setCurrentSearchResultIndex(self._current)
