"""No screen shows the platform's raw values: track codes (``DEFENDER_5``), stage names (``design_remediation``),
ISO times (``2026-11-27T19:54:35.290326Z``) or API addresses; they read as the catalog's names and local times
in words (``27 Nov 19:54``). Tooltips may add the code beside the name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTabBar,
    QWidget,
)
from screens import tour

from mentor_desk.domain.words import TRACK_NAMES

RAW = {
    "a track code": re.compile(r"\b(DEFENDER|OFFENSIVE|GRC|INNOVATION|LEADERSHIP)_\d\b"),
    "a stage name": re.compile(r"\b(decision_making|design_remediation)\b"),
    "an ISO time": re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d"),
    "an API address": re.compile(r"https?://\S+/api/"),
}
ROWS_READ = 60


def _texts(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, (QLabel, QAbstractButton)):
        yield widget.text()
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QTabBar):
        yield from (widget.tabText(i) for i in range(widget.count()))
    elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView) and widget.model() is not None:
        yield from _cells(widget.model(), QModelIndex())


def _cells(model, parent: QModelIndex) -> Iterator[str]:
    """The first rows' cells and the headers (columns counted by index: some Qt models keep the count private)."""
    for row in range(min(model.rowCount(parent), ROWS_READ)):
        column = 0
        while (index := model.index(row, column, parent)).isValid():
            yield str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
            yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            if model.index(0, 0, index).isValid():
                yield from _cells(model, index)
            column += 1


def raw_values(top: QWidget) -> Iterator[str]:
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        texts = [widget.windowTitle()] if widget.isWindow() else []
        for text in [*texts, *_texts(widget)]:
            for what, pattern in RAW.items():
                found = pattern.search(text)
                if found:
                    where = f"{type(widget).__name__} {widget.objectName()!r}"
                    yield f"{where} shows {what}: “{found.group(0)}” in “{text[:80]}”"


def test_screens_show_names_and_local_times_not_platform_codes(shell, settings, sandbox, run, until) -> None:
    found = {}
    for screen in tour(shell, settings, run, until, sandbox.url):
        raw = list(dict.fromkeys(raw_values(screen.widget)))
        if screen.name.startswith("review"):  # the header names the mission's track (from the review's mission)
            header = screen.widget.workspace().subtitle.text()
            if not any(name in header for name in TRACK_NAMES.values()):
                raw.append(f"the header names no track: “{header}”")
        if raw:
            found[screen.name] = raw
    assert not found, "\n".join(f"{name}: {what}" for name, items in found.items() for what in items)
