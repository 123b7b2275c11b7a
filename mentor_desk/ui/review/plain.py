"""Widgets for text someone else wrote: always plain text, never rich text or HTML."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str = "", parent: QWidget | None = None, *, selectable: bool = True) -> QLabel:
    """A word-wrapping QLabel that can never interpret its text as rich text."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setText(text)
    return label


def isolate(text: str) -> str:
    """Wrap text someone else wrote in a Unicode bidi isolate (FSI … PDI) before putting it into a sentence.

    An embedded RIGHT-TO-LEFT OVERRIDE (U+202E) then reverses only that text, never the words around it.
    """
    return f"\u2068{text}\u2069"


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally. Qt renders tooltips as rich text whenever they look like markup,
    so ``<img src=x>`` in a description would be interpreted: escape it and mark the result as rich text."""
    return f"<qt>{html.escape(text)}</qt>" if text else ""
