"""Every screen at 1280×800, with the desktop's text size and with text at 200 %: no label, button, field,
choice or tab is cut or elided, the window fits the screen and the toolbar shows all of its actions.

A choice may show less than its whole item only when its tooltip has the item whole (``ui.fit.narrow_combo``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QTableView,
    QToolBar,
    QWidget,
)
from screens import WINDOW_SIZE, tour

from mentor_desk.ui.fit import ElidedLabel, title_width

STRETCHED_COLUMN_CHARACTERS = 24


def _name(widget: QWidget) -> str:
    text = next(
        (value() for attribute in ("text", "currentText", "placeholderText")
         if callable(value := getattr(widget, attribute, None)) and value()),
        "",
    )
    return f"{type(widget).__name__} {widget.objectName()!r} “{text[:60]}”"


def _label_cut(label: QLabel) -> str:
    if not label.text() or isinstance(label, ElidedLabel):  # elides on purpose, whole in its tooltip
        return ""
    hint = label.sizeHint()
    needed = (label.width(), label.heightForWidth(label.width())) if label.wordWrap() else (hint.width(), hint.height())
    if needed[0] > label.width() + 1 or needed[1] > label.height() + 1:
        return f"is cut: needs {needed[0]}×{needed[1]}, has {label.width()}×{label.height()}"
    return ""


def _combo_cut(combo: QComboBox) -> str:
    text = combo.currentText()
    if combo.isEditable() or not text or text in QTextDocumentFragment.fromHtml(combo.toolTip()).toPlainText():
        return ""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    elided = combo.fontMetrics().horizontalAdvance(text) > field.width()
    return f"is elided ({field.width()} px for the text)" if elided else ""


def _field_cut(field: QLineEdit) -> str:
    """The placeholder of an empty field (Qt elides it when it does not fit)."""
    if field.text() or not field.placeholderText():
        return ""
    margins = field.textMargins()
    room = field.width() - margins.left() - margins.right() - 12  # the frame and the text's own margins
    if field.isClearButtonEnabled():
        room -= field.height()
    return "has its placeholder elided" if field.fontMetrics().horizontalAdvance(field.placeholderText()) > room else ""


def _button_cut(button: QAbstractButton) -> str:
    hint = button.sizeHint()
    if button.text() and (hint.width() > button.width() + 1 or hint.height() > button.height() + 1):
        return f"is cut: needs {hint.width()}×{hint.height()}, has {button.width()}×{button.height()}"
    return ""


def _tabs_cut(tabs: QTabBar) -> str:
    elided = [tabs.tabText(i) for i in range(tabs.count())
              if tabs.isTabVisible(i) and tabs.tabRect(i).width() < tabs.tabSizeHint(i).width()]
    return f"elides the tabs {elided}" if elided else ""


def _toolbar_cut(toolbar: QToolBar) -> str:
    extension = toolbar.findChild(QAbstractButton, "qt_toolbar_ext_button")
    return "overflows: some actions are behind »" if extension is not None and extension.isVisible() else ""


def _headers_cut(header: QHeaderView) -> str:
    """Column titles that do not fit their columns (as the header itself measures them; the sort arrow's room
    only on the sorted column, the only one that draws it)."""
    if header.orientation() != Qt.Orientation.Horizontal or header.model() is None:
        return ""
    cut = [
        str(header.model().headerData(i, Qt.Orientation.Horizontal))
        for i in range(header.count())
        if not header.isSectionHidden(i) and title_width(header, i) > header.sectionSize(i) + 1
    ]
    return f"cuts the column titles {cut}" if cut else ""


def _column_squeezed(header: QHeaderView) -> str:
    """The first column (it names the row: the queue's missions) and one that takes the rest of a table's width
    keep room for a title, unless the table wraps its text."""
    if not isinstance(header.parentWidget(), QTableView) or header.parentWidget().wordWrap():
        return ""
    room = header.fontMetrics().averageCharWidth() * STRETCHED_COLUMN_CHARACTERS
    squeezed = [
        str(header.model().headerData(i, header.orientation()))
        for i in range(header.count())
        if (i == 0 or header.sectionResizeMode(i) == QHeaderView.ResizeMode.Stretch) and header.sectionSize(i) < room
    ]
    return f"squeezes the column {squeezed} below {STRETCHED_COLUMN_CHARACTERS} characters" if squeezed else ""


CHECKS = ((QLabel, _label_cut), (QComboBox, _combo_cut), (QLineEdit, _field_cut), (QAbstractButton, _button_cut),
          (QTabBar, _tabs_cut), (QToolBar, _toolbar_cut), (QHeaderView, _column_squeezed), (QHeaderView, _headers_cut))


def cut_texts(top: QWidget) -> Iterator[str]:
    """What ``top`` (a window or dialog on screen) shows cut or elided."""
    if top.width() > WINDOW_SIZE[0] or top.height() > WINDOW_SIZE[1]:
        hint = top.minimumSizeHint()
        yield f"the window is {top.width()}×{top.height()} (at least {hint.width()}×{hint.height()})"
    for widget in top.findChildren(QWidget):
        if widget.isVisible():
            for kind, check in CHECKS:
                problem = isinstance(widget, kind) and check(widget)
                if problem:
                    yield f"{_name(widget)} {problem}"


@pytest.fixture(params=[1.0, 2.0], ids=["text-100", "text-200"])
def text_scale(request, qapp) -> Iterator[float]:
    """The application's text at the desktop's size, or doubled (as the preferences' text size does)."""
    font = qapp.font()
    scaled = qapp.font()
    scaled.setPointSizeF(font.pointSizeF() * request.param)
    qapp.setFont(scaled)
    yield request.param
    qapp.setFont(font)


def test_no_text_is_cut_on_any_screen(text_scale, shell, settings, sandbox, run, until) -> None:
    found = {}
    for screen in tour(shell, settings, run, until, sandbox.url):
        cut = list(dict.fromkeys(cut_texts(screen.widget)))
        if cut:
            found[screen.name] = cut
    assert not found, "\n".join(f"{name}: {what}" for name, cuts in found.items() for what in cuts)
