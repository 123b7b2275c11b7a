"""The sync panel: every review waiting in the outbox, its state and last error in words, with retry, discard
(exported to a file first) and conflict resolution.

It is drawn over the lower part of the window rather than docked beside the page, so that opening it never
squeezes the review; Ctrl+Shift+S toggles it and Esc closes it (:attr:`SyncPanel.close_requested`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.outbox import OutboxEntry, OutboxState
from mentor_desk.services.errors import ServiceError
from mentor_desk.services.media import outbox_part
from mentor_desk.services.outbox import OutboxService
from mentor_desk.ui.fit import title_width
from mentor_desk.ui.modal import answer
from mentor_desk.ui.plain import plain_tooltip

if TYPE_CHECKING:
    from mentor_desk.ui.conflict_dialog import ConflictDialog

STATE_TEXT = {
    OutboxState.PENDING: str(QT_TRANSLATE_NOOP("SyncPanel", "Waiting to send")),
    OutboxState.SENDING: str(QT_TRANSLATE_NOOP("SyncPanel", "Sending…")),
    OutboxState.CONFLICT: str(QT_TRANSLATE_NOOP("SyncPanel", "Conflict — needs you")),
    OutboxState.FAILED: str(QT_TRANSLATE_NOOP("SyncPanel", "Not accepted — needs you")),
    OutboxState.DONE: str(QT_TRANSLATE_NOOP("SyncPanel", "Sent")),
    OutboxState.DISCARDED: str(QT_TRANSLATE_NOOP("SyncPanel", "Discarded")),
}


class SyncPanel(QFrame):
    """Lists open outbox entries. ``describe(review_id)`` names a review for the mentor."""

    message = Signal(str)
    changed = Signal()
    close_requested = Signal()
    """Esc inside the panel: the window hides it and gives the focus back."""

    def __init__(
        self,
        services: OutboxService,
        describe: Callable[[str], str],
        spawn: Callable[[Coroutine[Any, Any, Any]], asyncio.Task[Any]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)  # drawn over the page: nothing of the page shows through
        self.title = QLabel(self.tr("Outbox — Esc or Ctrl+Shift+S closes it"))
        self.title.setObjectName("syncPanelTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self._services = services
        self._describe = describe
        self._spawn = spawn
        self._entries: list[OutboxEntry] = []
        self.dialog: ConflictDialog | QMessageBox | None = None

        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName(self.tr("Outbox: reviews waiting to be sent"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Review"), self.tr("State"), self.tr("Tries"), self.tr("What happened")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 280)
        self.table.setColumnWidth(1, max(170, title_width(header, 1)))
        self.table.setColumnWidth(2, max(50, title_width(header, 2)))
        self.empty = QLabel(self.tr("Nothing waiting: every submitted review has reached the server."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.retry_button = QPushButton(self.tr("Retry now"))
        self.resolve_button = QPushButton(self.tr("Resolve conflict…"))
        self.discard_button = QPushButton(self.tr("Discard…"))
        self.retry_button.clicked.connect(
            lambda: self._with_current(self._retry, self.tr("The review could not be sent again"))
        )
        self.resolve_button.clicked.connect(
            lambda: self._with_current(self._resolve, self.tr("The conflict could not be resolved"))
        )
        self.discard_button.clicked.connect(
            lambda: self._with_current(self._discard, self.tr("The review could not be discarded"))
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.resolve_button.click())

        for button, key in ((self.retry_button, "R"), (self.resolve_button, "Return"), (self.discard_button, "Delete")):
            action = QAction(button.text(), self.table)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # only while the list has the focus
            action.triggered.connect(button.click)
            self.table.addAction(action)
            button.setToolTip(f"{button.text()} ({QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)})")

        close = QAction(self.tr("Close the outbox"), self)
        close.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        close.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close.triggered.connect(self.close_requested.emit)
        self.addAction(close)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.retry_button, self.resolve_button, self.discard_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def reload(self) -> asyncio.Task[Any]:
        return self._spawn(self._reload())

    async def _reload(self) -> None:
        self._entries = await self._services.outbox_entries()
        self.table.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
            part = outbox_part(entry.operation, entry.payload) or entry.stage
            stage = f" · {part}" if part else ""
            cells = (
                f"{self._describe(entry.review_id)}{stage}",
                self.tr(STATE_TEXT[entry.state]) if entry.state in STATE_TEXT else str(entry.state),
                str(entry.attempts),
                entry.last_error or "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(text))  # names and server errors: never rendered as markup
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(self._entries))
        self.empty.setVisible(not self._entries)
        self._update_buttons()

    def current_entry(self) -> OutboxEntry | None:
        row = self.table.currentRow()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def _update_buttons(self) -> None:
        entry = self.current_entry()
        self.retry_button.setEnabled(entry is not None and entry.state in (OutboxState.PENDING, OutboxState.FAILED))
        self.resolve_button.setEnabled(entry is not None and entry.state is OutboxState.CONFLICT)
        self.discard_button.setEnabled(entry is not None and entry.state is not OutboxState.SENDING)

    def _with_current(self, action: Callable[[OutboxEntry], Coroutine[Any, Any, Any]], failure: str) -> None:
        """Run ``action`` on the selected entry; if the platform or the store fails it, say ``failure`` and why."""
        entry = self.current_entry()
        if entry is not None:
            self._spawn(self._explained(action(entry), failure))

    async def _explained(self, action: Coroutine[Any, Any, Any], failure: str) -> None:
        try:
            await action
        except ServiceError as err:
            self.message.emit(f"{failure}: {err.user_message}")
            await self._reload()

    async def _retry(self, entry: OutboxEntry) -> None:
        await self._services.retry(entry.id)
        await self._reload()
        self.changed.emit()

    async def _discard(self, entry: OutboxEntry) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Discard this review?"),
            self.tr("Your review of {review} has not reached the server. Discard it?\n\n"
                    "A copy is saved to a file first, so nothing is lost for good.").format(
                review=self._describe(entry.review_id)
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if await self._ask(box) != QMessageBox.StandardButton.Discard:
            return
        export = await self._services.discard(entry.id)
        self.message.emit(self.tr("Review discarded; a copy was saved to {file}").format(file=export))
        await self._reload()
        self.changed.emit()

    async def _resolve(self, entry: OutboxEntry) -> None:
        conflict = await self._services.conflict_for(entry.id)
        if conflict is None:
            return
        from mentor_desk.ui.conflict_dialog import ConflictDialog  # with the review views: not at start-up

        names = await self._services.names_for(entry.review_id)
        dialog = ConflictDialog(conflict, self._describe(entry.review_id), entry.last_error or "", names, self)
        if await self._ask(dialog) != QDialog.DialogCode.Accepted or dialog.resolution is None:
            return
        result = await self._services.resolve_conflict(conflict.id, dialog.resolution)
        if isinstance(result, Path):
            self.message.emit(self.tr("Took the server's version; your review was saved to {file}").format(file=result))
        else:
            self.message.emit(self.tr("Your review will be sent again."))
        await self._reload()
        self.changed.emit()

    async def _ask(self, dialog: QMessageBox | ConflictDialog) -> int:
        """Show ``dialog`` window-modal (as :attr:`dialog`) without blocking the loop; the result it ended with."""
        self.dialog = dialog
        try:
            return await answer(dialog)
        finally:
            self.dialog = None
            dialog.deleteLater()
