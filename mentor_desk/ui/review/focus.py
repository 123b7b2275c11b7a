"""Keyboard focus in the review workspace: Tab in reading order, and a focus ring that is always visible.

Qt's Tab chain follows the order in which widgets were created, and the workspace builds most of its widgets per
review (a viewer per opened file, a comment box per subtask, a card per decision): those landed at the end of the
chain, so Tab skipped the viewer and the subtask comments. :func:`reading_order` reads the order from the widget
tree instead, the way the panes are laid out (layouts in their order, splitters and stacks by what they show, a
tab widget's tabs before its page), and is computed afresh on each Tab press, so late-built widgets take their
place by themselves.

:class:`FocusRing` draws a frame in the highlight colour around whichever widget inside its host has the focus,
whatever the widget and the style draw themselves (some styles draw no focus indication on a tree or a tool-like
widget at all), so the mentor always sees where a key will go.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QRegion
from PySide6.QtWidgets import (
    QApplication,
    QLayout,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

RING_WIDTH = 2


def _ordered_children(widget: QWidget) -> list[QWidget]:
    """``widget``'s child widgets in the order a reader meets them."""
    if isinstance(widget, QTabWidget):
        tab = widget.currentWidget()
        return [widget.tabBar(), *([tab] if tab is not None else [])]
    if isinstance(widget, QStackedWidget):
        page = widget.currentWidget()
        return [page] if page is not None else []
    if isinstance(widget, QSplitter):
        return [w for i in range(widget.count()) if (w := widget.widget(i)) is not None]
    if isinstance(widget, QScrollArea):
        content = widget.widget()
        return [content] if content is not None else []
    children = [c for c in widget.children() if isinstance(c, QWidget) and not c.isWindow()]
    layout = widget.layout()
    laid_out = _layout_widgets(layout) if layout is not None else []
    return laid_out + [c for c in children if c not in laid_out]


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets of ``layout`` and of its nested layouts, in their order."""
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        widget, nested = item.widget(), item.layout()
        if widget is not None:
            found.append(widget)
        elif nested is not None:
            found += _layout_widgets(nested)
    return found


def focus_in_view(widget: QWidget, reason: Qt.FocusReason) -> None:
    """Focus ``widget`` and scroll each scroll area around it to show it (as Qt's own Tab does)."""
    widget.setFocus(reason)
    area = widget.parentWidget()
    while area is not None:
        if isinstance(area, QScrollArea):
            area.ensureWidgetVisible(widget)
        area = area.parentWidget()


def _tab_stop(widget: QWidget) -> bool:
    """Of an exclusive group of radio buttons only one is a Tab stop (the checked one, else the first usable);
    arrows move between them."""
    group = widget.group() if isinstance(widget, QRadioButton) else None
    if group is None or not group.exclusive():
        return True
    usable = [b for b in group.buttons() if b.isVisible() and b.isEnabled()]
    checked = group.checkedButton()
    return widget is (checked if checked in usable else usable[0] if usable else widget)


def reading_order(root: QWidget) -> list[QWidget]:
    """The visible, enabled widgets under ``root`` that Tab may focus, in reading order."""
    found: list[QWidget] = []

    def visit(widget: QWidget) -> None:
        if not widget.isVisible() or not widget.isEnabled():
            return
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None and _tab_stop(widget):
            found.append(widget)
        for child in _ordered_children(widget):
            visit(child)

    for child in _ordered_children(root):
        visit(child)
    return found


class FocusRing(QWidget):
    """A frame in the highlight colour around the focused widget inside ``host`` (hidden when the focus is
    elsewhere). It lets the mouse through, takes no focus, and follows the widget when it moves, is resized or
    scrolls, clipped to what of the widget is in view."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self._host = host
        self.target: QWidget | None = None
        self._watched: list[QWidget] = []
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not shiboken6.isValid(self):
            return
        self._follow(new if new is not None and self._host.isAncestorOf(new) else None)

    def _follow(self, widget: QWidget | None) -> None:
        for watched in self._watched:
            if shiboken6.isValid(watched):
                watched.removeEventFilter(self)
        self.target, self._watched = widget, []
        while widget is not None and widget is not self._host:  # the widget and every ancestor that can move it
            widget.installEventFilter(self)
            self._watched.append(widget)
            widget = widget.parentWidget()
        self.place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _GEOMETRY_EVENTS:
            self.place()
        return False

    def place(self) -> None:
        """Put the ring around the target's part that is in view (or hide it)."""
        target = self.target
        if target is None or not shiboken6.isValid(target) or not target.isVisible():
            self.hide()
            return
        shown = QRect(target.mapTo(self._host, QPoint(0, 0)), target.size())
        ancestor = target.parentWidget()
        while ancestor is not None and ancestor is not self._host:  # clipped by each scroll area and splitter
            shown &= QRect(ancestor.mapTo(self._host, QPoint(0, 0)), ancestor.size())
            ancestor = ancestor.parentWidget()
        ring = shown.adjusted(-RING_WIDTH, -RING_WIDTH, RING_WIDTH, RING_WIDTH) & self._host.rect()
        if shown.isEmpty() or ring.isEmpty():
            self.hide()
            return
        self.setGeometry(ring)
        inside = self.rect().adjusted(RING_WIDTH, RING_WIDTH, -RING_WIDTH, -RING_WIDTH)
        self.setMask(QRegion(self.rect()).subtracted(QRegion(inside)))
        self.raise_()
        self.show()

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Highlight))


_GEOMETRY_EVENTS = frozenset({QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide})
