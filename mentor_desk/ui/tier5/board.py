"""The Tier-5 board page (Ctrl+Shift+T): learners on my Tier-5 tracks with their readiness checklist, filters,
what is missing with the reviews that block it, and the sign-off.

Keys: ``R`` shows only the learners ready for my sign-off (again: everyone); ``Alt+T`` / ``Alt+E`` choose the
track / readiness; ``Enter`` on a learner opens the first review that blocks them, on a review in "What is
missing" that review; ``Ctrl+Enter`` signs off (or, for an approved learner, revokes); ``M`` shows the
learner's mastery record; ``F5`` pulls the board.
The board is read from this computer's store first, so it shows offline too.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.words import local_time_in_words, track_title
from mentor_desk.services.tier5 import FAILURES, Board, BoardRow, SignOffRefused, Tier5Services
from mentor_desk.ui.background import BackgroundTasks
from mentor_desk.ui.fit import make_heading, narrow_combo, scrolling_layout, stretch_at_least, title_width
from mentor_desk.ui.modal import answer
from mentor_desk.ui.plain import isolate, plain_label, plain_tooltip
from mentor_desk.ui.tier5.mastery import MasteryDialog
from mentor_desk.ui.tier5.model import (
    BoardFilter,
    BoardModel,
    Column,
    Readiness,
    approval_text,
    track_words,
)
from mentor_desk.ui.tier5.sign_off import SignOffDialog, checklist_lines

ReviewRole = Qt.ItemDataRole.UserRole + 2
COLUMN_SAMPLES = {
    Column.LEARNER: "Wanjiru Yilmaz",
    Column.TRACK: "Innovation",
    Column.MODULES: "3/3",
    Column.MISSIONS: "2/2",
    Column.CAPSTONE: "1/1",
    Column.REFLECTIONS: "3/3",
    Column.RUBRIC: "passed",
    Column.APPROVAL: "Given by Maya Oka",
    Column.COMPLETION: "100 %",
    Column.CLOSENESS: "100 %",
}
"""Typical widest content per column, measured with the table's font once (sizing to the contents would read
every row); "What is missing" takes the rest."""
NOT_PULLED = str(QT_TRANSLATE_NOOP("Tier5Board", "Not pulled from the platform yet on this computer."))
"""In English; shown translated (``Tier5Board``)."""
translate = QCoreApplication.translate  # for the words made outside the board's widgets


class MissingTree(QTreeWidget):
    """What is missing (top level, in the platform's words) and the reviews that block it (children).
    Enter opens the selected review."""

    review_activated = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("tier5Missing")
        self.setAccessibleName(self.tr("What is missing"))
        self.setAccessibleDescription(self.tr("Enter opens the review that blocks the selected item"))
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setWordWrap(True)
        self.itemActivated.connect(self._activated)

    def show_row(self, row: BoardRow | None) -> None:
        self.clear()
        if row is None:
            return
        for missing in row.missing:
            top = QTreeWidgetItem([missing.text])
            top.setToolTip(0, plain_tooltip(missing.text))
            for review in missing.reviews:
                child = QTreeWidgetItem([f"→ {review.title} ({review.status.replace('_', ' ')})"])
                child.setData(0, ReviewRole, review.review_id)
                child.setToolTip(0, self.tr("Enter opens this review"))
                top.addChild(child)
            if not missing.reviews:
                top.setData(0, ReviewRole, "")
            self.addTopLevelItem(top)
            top.setExpanded(True)
        if not row.missing:
            done = row.approved or not row.counts.mentor_approval_required
            item = QTreeWidgetItem(
                [self.tr("Nothing is missing.") if done else self.tr("Nothing is missing but your approval.")]
            )
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.addTopLevelItem(item)
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first.child(0) or first)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        child = item.child(0)
        review_id = item.data(0, ReviewRole) or (child.data(0, ReviewRole) if child is not None else "")
        if review_id:
            self.review_activated.emit(review_id)


class Tier5Board(QWidget):
    """The board page; ``review_activated`` asks the window to open a review, ``message`` to say something."""

    review_activated = Signal(str)
    message = Signal(str)

    def __init__(self, services: Tier5Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("tier5Board")
        self._tasks = BackgroundTasks()
        self._board: Board | None = None
        self.sign_off_dialog: SignOffDialog | None = None
        self.mastery_dialog: MasteryDialog | None = None

        self.model = BoardModel(self)
        self.proxy = BoardFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("tier5Table")
        self.table.setAccessibleName(self.tr("Tier-5 learners"))
        self.table.setAccessibleDescription(
            self.tr("Enter opens the review that blocks the learner; Ctrl+Enter signs off")
        )
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.CLOSENESS, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # measured once, not per row
        metrics = self.table.fontMetrics()
        for column, sample in COLUMN_SAMPLES.items():
            header.resizeSection(column, max(metrics.horizontalAdvance(sample) + 16, title_width(header, column)))
        stretch_at_least(self.table, Column.MISSING, 16)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(self._table_activated)

        self.track_box = QComboBox()
        self.track_box.setObjectName("tier5Track")
        self.track_box.addItem(self.tr("All tracks"), "")
        self.track_box.currentIndexChanged.connect(lambda _i: self.proxy.set_track(self.track_box.currentData()))
        self.readiness_box = QComboBox()
        self.readiness_box.setObjectName("tier5Readiness")
        for readiness in Readiness:
            self.readiness_box.addItem(self.tr(readiness.value), readiness)
        self.readiness_box.currentIndexChanged.connect(self._readiness_chosen)
        track_label, readiness_label = QLabel(self.tr("&Track:")), QLabel(self.tr("R&eadiness:"))
        track_label.setBuddy(self.track_box)
        readiness_label.setBuddy(self.readiness_box)
        self.ready_button = QPushButton(self.tr("Ready for my sign-off (R)"))
        self.ready_button.setCheckable(True)
        self.ready_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ready_button.clicked.connect(lambda _checked: self.toggle_ready())
        self.sign_off_button = QPushButton(self.tr("Sign off… (Ctrl+Enter)"))
        self.sign_off_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sign_off_button.clicked.connect(lambda _checked: self.sign_off_current())
        self.count_label = QLabel("")
        self.fetched_label = QLabel(self.tr(NOT_PULLED))
        self.fetched_label.setObjectName("tier5Fetched")
        narrow_combo(self.track_box)
        bar = QHBoxLayout()  # two lines: at 200 % text one would be wider than the screen
        for widget in (track_label, self.track_box, readiness_label, self.readiness_box):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        actions = QHBoxLayout()
        actions.addWidget(self.ready_button)
        actions.addWidget(self.sign_off_button)
        actions.addStretch(1)
        actions.addWidget(self.fetched_label)

        self.note = plain_label("")
        self.note.setObjectName("tier5Note")
        self.note.setStyleSheet("background: #fff3cd; color: #664d03; padding: 6px;")
        self.note.hide()

        self.learner_title = plain_label("")
        make_heading(self.learner_title)
        self.checklist = plain_label("")
        self.checklist.setObjectName("tier5RowChecklist")
        self.missing_tree = MissingTree()
        self.missing_tree.review_activated.connect(self.review_activated)
        details = QWidget()
        side = scrolling_layout(details)
        side.addWidget(self.learner_title)
        side.addWidget(self.checklist)
        missing_title = self.tr("What is missing (Enter opens the review that blocks it):")
        side.addWidget(plain_label(missing_title, selectable=False))
        side.addWidget(self.missing_tree, 1)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(details)
        details.setMaximumWidth(details.fontMetrics().averageCharWidth() * 48)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)
        self._make_actions()

    def _make_actions(self) -> None:
        for keys, slot in (
            (["R"], self.toggle_ready),
            (["Ctrl+Return", "Ctrl+Enter"], self.sign_off_current),
            (["F5"], lambda: self._tasks.spawn(self.refresh())),
            (["M"], self.show_mastery_record),
        ):
            action = QAction(self)
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            self.addAction(action)

    # -- data ---------------------------------------------------------------------------------------------

    async def reload(self) -> None:
        """Show the board as the store has it (no network)."""
        self.show_board(await self.services.cached_board())

    async def refresh(self) -> None:
        """Show the cached board, pull it from the platform, show it again; failures are said, not fatal."""
        try:
            await self.reload()
            self.show_board(await self.services.refresh_board())
        except FAILURES as error:
            self.message.emit(
                self.tr("The Tier-5 board could not be refreshed: {error}").format(error=error.user_message)
            )

    def show_board(self, board: Board) -> None:
        current = self.current_row()
        key = current.key if current is not None else None
        self._board = board
        self.model.set_rows(board.rows)
        self._update_tracks(board)
        self.note.setText(board.note)
        self.note.setVisible(bool(board.note))
        self.sign_off_button.setVisible(board.sign_off_offered)
        self.fetched_label.setText(_fetched(board.fetched_at))
        self._update_count()
        self._select(key)

    def _update_tracks(self, board: Board) -> None:
        chosen = self.track_box.currentData()
        names = {row.track_code: track_words(row) for row in board.rows}
        tracks = sorted(names, key=names.__getitem__)
        if [self.track_box.itemData(i) for i in range(1, self.track_box.count())] == tracks:
            return
        self.track_box.blockSignals(True)
        self.track_box.clear()
        self.track_box.addItem(self.tr("All tracks"), "")
        for track in tracks:
            self.track_box.addItem(names[track], track)
        self.track_box.setCurrentIndex(max(0, self.track_box.findData(chosen)))
        self.track_box.blockSignals(False)
        self.proxy.set_track(self.track_box.currentData())

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        self.count_label.setText(
            self.tr("{shown} of {total} learners").format(shown=shown, total=total) if shown != total
            else self.tr("{total} learners").format(total=total)
        )

    def _select(self, key: str | None) -> None:
        rows = self.proxy.rowCount()
        if not rows:
            self._show_details(None)
            return
        target = 0
        if key is not None:
            target = next((r for r in range(rows) if self.proxy.board_row(r).key == key), 0)
        self.table.selectRow(target)
        self.table.setCurrentIndex(self.proxy.index(target, 0))

    # -- selection and details ----------------------------------------------------------------------------

    def current_row(self) -> BoardRow | None:
        index = self.table.currentIndex()
        return self.proxy.board_row(index.row()) if index.isValid() else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_details(self.current_row())

    def _show_details(self, row: BoardRow | None) -> None:
        if row is None:
            self.learner_title.setText(
                self.tr("No learner selected") if self.model.rowCount() else self.tr("No learners to show")
            )
            self.checklist.setText("")
            self.missing_tree.show_row(None)
            return
        self.learner_title.setText(f"{isolate(row.learner_name)} — {row.track_name}")
        lines = checklist_lines(row)
        if row.pending is not None or row.refused:
            lines.append(approval_text(row))
        self.checklist.setText("\n".join(lines))
        self.missing_tree.show_row(row)

    def _table_activated(self, index: QModelIndex) -> None:
        row = self.proxy.board_row(index.row())
        review = next((r for missing in row.missing for r in missing.reviews), None)
        if review is None:
            self.message.emit(
                self.tr("No review of {learner} blocks their Tier-5 completion on this computer.").format(
                    learner=row.learner_name
                )
            )
            return
        self.review_activated.emit(review.review_id)

    # -- filters ------------------------------------------------------------------------------------------

    def _readiness_chosen(self, _index: int) -> None:
        readiness = self.readiness_box.currentData()
        self.proxy.set_readiness(readiness)
        self.ready_button.setChecked(readiness is Readiness.READY)
        self._update_count()
        self._select(None)

    def toggle_ready(self) -> None:
        """``R``: only the learners ready for my sign-off, or everyone again."""
        target = Readiness.ALL if self.proxy.readiness is Readiness.READY else Readiness.READY
        self.readiness_box.setCurrentIndex(self.readiness_box.findData(target))
        self.table.setFocus()

    # -- mastery record -----------------------------------------------------------------------------------

    def show_mastery_record(self) -> asyncio.Task[None] | None:
        """``M``: the selected learner's mastery record (read from the platform, else from this computer)."""
        row = self.current_row()
        return self._tasks.spawn(self._show_mastery(row)) if row is not None else None

    async def _show_mastery(self, row: BoardRow) -> None:
        self.message.emit(self.tr("Reading the mastery record of {learner}…").format(learner=row.learner_name))
        try:
            record = await self.services.mastery_record(row)
        except FAILURES as error:
            self.message.emit(self.tr("The mastery record could not be read: {error}").format(error=error.user_message))
            return
        if self.mastery_dialog is not None:
            self.mastery_dialog.close()
        self.mastery_dialog = MasteryDialog(record, self.services, self)
        self.mastery_dialog.open()
        self.message.emit("")

    # -- sign-off -----------------------------------------------------------------------------------------

    def sign_off_current(self) -> asyncio.Task[None] | None:
        """``Ctrl+Enter``: the sign-off dialog for the selected learner (revoke for an approved one)."""
        row = self.current_row()
        board = self._board
        if row is None or board is None:
            return None
        if not board.sign_off_offered:
            self.message.emit(board.note)
            return None
        return self._tasks.spawn(self._sign_off(row))

    async def _sign_off(self, row: BoardRow) -> None:
        dialog = SignOffDialog(row, self)
        self.sign_off_dialog = dialog
        try:
            if await answer(dialog) != SignOffDialog.DialogCode.Accepted:
                return
            comment, approved = dialog.comment, not dialog.revoke
        finally:
            self.sign_off_dialog = None
            dialog.deleteLater()
        try:
            await self.services.sign_off(row, approved=approved, comment=comment)
        except (SignOffRefused, *FAILURES) as error:
            self.message.emit(error.user_message)
            return
        queued = (self.tr("Sign-off for {learner} queued: pending confirmation by the platform.") if approved
                  else self.tr("Revoke for {learner} queued: pending confirmation by the platform."))
        self.message.emit(queued.format(learner=row.learner_name))
        await self.reload()
        self.table.setFocus()


def describe_sign_off(key: str, board: Tier5Board | None) -> str:
    """How the outbox names a sign-off entry (its key is ``tier5:{track}:{learner id}``)."""
    row = next((r for r in board.model.rows() if r.key == key), None) if board is not None else None
    if row is not None:
        return translate("Tier5Board", "Tier-5 sign-off — {learner} ({track})").format(
            learner=row.learner_name, track=track_words(row)
        )
    _, track, learner = [*key.split(":"), "", ""][:3]
    return translate("Tier5Board", "Tier-5 sign-off — learner {learner} ({track})").format(
        learner=learner, track=track_title(track)
    )


def _fetched(stamp: str | None) -> str:
    if not stamp:
        return translate("Tier5Board", NOT_PULLED)
    try:
        when = local_time_in_words(datetime.fromisoformat(stamp), datetime.now().astimezone())
    except ValueError:
        when = stamp
    return translate("Tier5Board", "As of {when}").format(when=when)
