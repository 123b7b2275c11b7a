"""The workspace's keyboard map and the cheat sheet shown on F1 or “?”."""

from __future__ import annotations

import re

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

PANE_KEYS = [
    ("Up / Down", "Previous / next criterion (in the rubric scorer)"),
    ("Left / Right", "Previous / next subtask"),
    ("0 … 9", "Choose the level worth that many points (or the n-th level)"),
    ("Backspace / Delete", "Clear the current criterion's score"),
    ("+ / − / 0", "Zoom an image in / out / to fit"),
    ("Ctrl+F", "Find in the open text or code file"),
    ("Alt+PgDown / Alt+PgUp", "Next / previous page of a long text file"),
]


_MNEMONIC = re.compile(r"&(.)", re.DOTALL)


def without_mnemonics(text: str) -> str:
    """``text`` as Qt shows it in a menu: a single "&" marks the next character as the mnemonic and is not
    shown; "&&" is a literal "&"."""
    return _MNEMONIC.sub(r"\1", text)


class CheatSheet(QDialog):
    """Every shortcut of the workspace, read from its actions so the list cannot drift."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts — review workspace")
        rows = [
            (
                " / ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts()),
                without_mnemonics(a.text()),
            )
            for a in actions
            if a.shortcuts()
        ] + PANE_KEYS
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels(["Keys", "Action"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, text) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def rows(self) -> list[tuple[str, str]]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1)) for r in range(self.table.rowCount())]
