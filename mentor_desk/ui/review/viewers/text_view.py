"""A read-only plain-text view with line numbers and a find bar (shared by the code and text viewers)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget


class _LineNumbers(QWidget):
    def __init__(self, editor: NumberedTextEdit) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_gutter(event)


class NumberedTextEdit(QPlainTextEdit):
    """QPlainTextEdit (read-only, monospace, no wrapping) with a line-number gutter.

    ``first_line`` offsets the numbers so a paged file shows its real line numbers.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_line = 1
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._gutter = _LineNumbers(self)
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self._update_margins()

    def gutter_width(self) -> int:
        digits = len(str(self.first_line + max(1, self.blockCount())))
        return 12 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_margins(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.alternateBase())
        painter.setPen(QColor(palette.placeholderText().color()))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._gutter.width() - 6
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible():
                number = str(block.blockNumber() + self.first_line)
                painter.drawText(0, top, width, height, Qt.AlignmentFlag.AlignRight, number)
            top += round(self.blockBoundingRect(block).height())
            block = block.next()


class FindBar(QWidget):
    """A one-line search field for a :class:`QPlainTextEdit`: Enter or F3 finds the next match, Shift+Enter or
    Shift+F3 the previous one; Ctrl+F comes here from anywhere in ``parent`` (the viewer)."""

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in file (Ctrl+F; Enter: next, Shift+Enter: previous)")
        self.field.setClearButtonEnabled(True)
        self.status = QLabel(self)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.status)
        self.field.returnPressed.connect(self.find_next)
        previous = QShortcut(QKeySequence("Shift+Return"), self.field)
        previous.activated.connect(self.find_previous)
        keys = (
            (QKeySequence.StandardKey.Find, self.focus_field),
            (QKeySequence.StandardKey.FindNext, self.find_next),  # F3 (and Ctrl+G)
            (QKeySequence.StandardKey.FindPrevious, self.find_previous),  # Shift+F3
        )
        for key, slot in keys:  # from anywhere in the viewer (the text, this bar, its buttons)
            shortcut = QShortcut(key, parent if parent is not None else editor)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def focus_field(self) -> None:
        """Put the cursor in the search field, its text selected to be typed over."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def find_next(self) -> bool:
        return self._find(QTextDocument.FindFlag(0))

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward)

    def _find(self, flags: QTextDocument.FindFlag) -> bool:
        needle = self.field.text()
        if not needle:
            return False
        found = self._editor.find(needle, flags)
        if not found:  # wrap around once
            cursor = self._editor.textCursor()
            backward = bool(flags & QTextDocument.FindFlag.FindBackward)
            cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
            self._editor.setTextCursor(cursor)
            found = self._editor.find(needle, flags)
        self.status.setText("" if found else "Not found")
        return found
