"""Source code with pygments highlighting (lexed off the GUI thread) and line numbers."""

from __future__ import annotations

import asyncio
from pathlib import Path

import shiboken6
from pygments.lexers import get_lexer_for_filename
from pygments.token import Comment, Keyword, Name, Number, Operator, String, _TokenType
from pygments.util import ClassNotFound
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QWidget

from .text_viewer import TextViewer

CODE_SUFFIXES = frozenset(
    {
        ".py",
        ".ps1",
        ".sh",
        ".bash",
        ".js",
        ".ts",
        ".c",
        ".h",
        ".cpp",
        ".go",
        ".rs",
        ".java",
        ".rb",
        ".php",
        ".sql",
        ".yar",
        ".yara",
        ".html",
        ".css",
        ".psm1",
        ".bat",
    }
)
HIGHLIGHT_LIMIT = 2 * 1024 * 1024  # characters; beyond this a page is shown without colours

Span = tuple[int, int, str]  # (column, length, style name) within one line


def _style_of(token: _TokenType) -> str | None:
    for parent, name in (
        (Comment, "comment"),
        (String, "string"),
        (Keyword, "keyword"),
        (Number, "number"),
        (Name.Function, "function"),
        (Name.Class, "function"),
        (Name.Builtin, "builtin"),
        (Operator.Word, "keyword"),
        (Name.Decorator, "builtin"),
    ):
        if token in parent:
            return name
    return None


def language_of(filename: str) -> str:
    """The language pygments recognises from ``filename``, or "plain text" (blocking: pygments' first lookup
    reads its lexer tables and imports the lexer, ~70 ms)."""
    try:
        return str(get_lexer_for_filename(filename).name)
    except ClassNotFound:
        return "plain text"


def lex_lines(text: str, filename: str) -> dict[int, list[Span]]:
    """Highlight spans per line number (0-based) for ``text`` (blocking; run it in a thread)."""
    try:
        lexer = get_lexer_for_filename(filename, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return {}
    spans: dict[int, list[Span]] = {}
    line, column = 0, 0
    for token, value in lexer.get_tokens(text):
        style = _style_of(token)
        for index, piece in enumerate(value.split("\n")):
            if index:
                line, column = line + 1, 0
            if piece and style:
                spans.setdefault(line, []).append((column, len(piece), style))
            column += len(piece)
    return spans


def _formats() -> dict[str, QTextCharFormat]:
    colours = {
        "comment": "#6a737d",
        "string": "#22863a",
        "keyword": "#b31d28",
        "number": "#005cc5",
        "function": "#6f42c1",
        "builtin": "#e36209",
    }
    formats = {}
    for name, colour in colours.items():
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(colour))
        if name == "keyword":
            fmt.setFontWeight(QFont.Weight.DemiBold)
        if name == "comment":
            fmt.setFontItalic(True)
        formats[name] = fmt
    return formats


class _SpanHighlighter(QSyntaxHighlighter):
    """Applies precomputed spans; all lexing happened earlier, off the GUI thread."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.spans: dict[int, list[Span]] = {}
        self._formats = _formats()

    def highlightBlock(self, text: str) -> None:
        for column, length, style in self.spans.get(self.currentBlock().blockNumber(), ()):
            self.setFormat(column, length, self._formats[style])


class CodeViewer(TextViewer):
    """A :class:`TextViewer` whose pages are syntax-highlighted by pygments."""

    kind = "code"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._highlighter = _SpanHighlighter(self.editor.document())
        self.language = ""

    async def load(self, path: Path) -> None:
        self.language = await asyncio.to_thread(language_of, self.filename or path.name)
        await super().load(path)
        self.summary = f"{self.language} {self.summary}"

    async def show_page(self, index: int) -> None:
        await super().show_page(index)
        if self.page is None or len(self.page.text) > HIGHLIGHT_LIMIT:
            self._highlighter.spans = {}
        else:
            spans = await asyncio.to_thread(lex_lines, self.page.text, self.filename)
            if not shiboken6.isValid(self):
                return
            self._highlighter.spans = spans
        self._highlighter.rehighlight()
