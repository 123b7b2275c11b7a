"""Text someone else wrote, shown as it is: never as rich text or HTML, never with "&" taken for a mnemonic.

Qt interprets text in several places a reviewer does not expect: a QLabel in its default ``Qt.AutoText`` format
and every tooltip render text as HTML when ``Qt::mightBeRichText`` says it looks like markup (``<b>x</b>``,
``<img src=x>``), and buttons, group box titles and actions read ``&x`` as a keyboard mnemonic (the "&" vanishes
and Alt+X triggers it). Learner, mentor and server text goes through these helpers before it reaches them.
"""

from __future__ import annotations

import html

from PySide6 import QtGui
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
    """A tooltip (or a model's ``ToolTipRole`` value) that shows ``text`` literally: Qt's own conversion of plain
    text to HTML (``<`` and ``&`` escaped, line breaks kept, long lines wrapped; runs of spaces show as one)."""
    return QtGui.Qt.convertFromPlainText(text, QtGui.Qt.WhiteSpaceMode.WhiteSpaceNormal) if text else ""


def no_mnemonic(text: str) -> str:
    """``text`` for a button, a group box title or an action, with every "&" shown as itself."""
    return text.replace("&", "&&")


PRINTED_CHARS = 10_000
"""How much of one text a printed record (PDF) shows: Qt lays a long unbroken line out in quadratic time (a
1 MB line in a meeting record's PDF took 157 s) and nobody reads 300 pages of one field on paper."""


def printable(text: str, limit: int = PRINTED_CHARS) -> str:
    """Text someone else wrote, for the HTML of a printed record: escaped (shown as typed, never as markup)
    and cut after ``limit`` characters with a note of how many more there are."""
    if len(text) > limit:
        text = f"{text[:limit]} … ({len(text) - limit:,} more characters not printed)"
    return html.escape(text)
