"""Marking what a resubmission's review changed compared with the previous attempt's review.

A :class:`ChangeMarker` watches one plain-text editor: the passages that differ from the baseline text (the
previous review's feedback) are highlighted in place, and a note beside the editor says so in words, so the
mark never relies on colour alone.
"""

from __future__ import annotations

import difflib
import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit

CHANGED_BACKGROUND = QColor(255, 200, 0, 90)  # readable on light and dark palettes


_TOKEN = re.compile(r"\w+|[^\w\s]")  # a word, or one punctuation mark; spacing is not a change


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def changed_spans(before: str, after: str) -> list[tuple[int, int]]:
    """``(start, end)`` character ranges of ``after`` covering the whole words that are new or rewritten compared
    with ``before`` (compared word by word, so a rewritten word is marked whole, never as broken fragments).

    A pure deletion is marked on the word after it (or before it, at the end), so it still shows.
    """
    old = [m.group() for m in _tokens(before)]
    new = _tokens(after)
    spans: list[tuple[int, int]] = []
    matcher = difflib.SequenceMatcher(None, old, [m.group() for m in new], autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            spans.append((new[j1].start(), new[j2 - 1].end()))
        elif tag == "delete" and new:
            word = new[min(j1, len(new) - 1)]
            spans.append((word.start(), word.end()))
    return spans


class ChangeMarker(QObject):
    """Highlights in ``editor`` what differs from a baseline; ``note`` states it (hidden without a baseline)."""

    def __init__(self, editor: QPlainTextEdit, note: QLabel) -> None:
        super().__init__(editor)
        self.editor = editor
        self.note = note
        self.note.setObjectName("changeNote")
        self.note.setVisible(False)
        self.baseline: str | None = None
        self.attempt = 0
        self.spans: list[tuple[int, int]] = []
        editor.document().contentsChanged.connect(self.refresh)  # also fires while the editor blocks signals

    def set_baseline(self, text: str | None, attempt: int = 0) -> None:
        """Compare with ``text`` (the previous attempt's review), or stop marking when it is None."""
        self.baseline, self.attempt = text, attempt
        self.refresh()

    def refresh(self) -> None:
        current = self.editor.toPlainText()
        self.spans = [] if self.baseline is None else changed_spans(self.baseline, current)
        selections = []
        for start, end in self.spans:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.editor.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            char_format = QTextCharFormat()
            char_format.setBackground(CHANGED_BACKGROUND)
            selection.cursor, selection.format = cursor, char_format
            selections.append(selection)
        self.editor.setExtraSelections(selections)
        if self.baseline is None:
            self.note.setVisible(False)
            return
        self.note.setText(
            f"Changed since the review of attempt {self.attempt} (changes highlighted)"
            if self.spans
            else f"Same as the review of attempt {self.attempt}"
        )
        self.note.setVisible(True)
