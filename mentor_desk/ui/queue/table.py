"""The queue page: saved views, type-to-filter, facet filters and the table itself."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.words import stage_title, track_title
from mentor_desk.ui.background import spawn
from mentor_desk.ui.fit import fitting_placeholder, stretch_at_least, title_width
from mentor_desk.ui.modal import answer
from mentor_desk.ui.plain import no_mnemonic
from mentor_desk.ui.queue.model import Column, QueueModel, ReviewIdRole, Sla
from mentor_desk.ui.queue.proxy import QueueFilter, QueueFilterProxy, matching_rows
from mentor_desk.ui.queue.views import EVERYTHING, SavedView, SavedViews

COLUMN_SAMPLES = {
    Column.LEARNER: "Wanjiru Yilmaz",
    Column.TRACK: "Innovation",
    Column.TIER: "Tier",
    Column.STATUS: "Awaiting mentor review",
    Column.STAGE: "3/6 Design & remediation",
    Column.ATTEMPT: "Attempt",
    Column.SUBMITTED: "27 Nov 2025 19:54",
    Column.AGE: "29 d ⚠",
    Column.AI_SCORE: "AI score",
    Column.BADGES: "capstone, presentation",
}
"""Typical widest content per column, measured with the table's font; the mission column takes the rest
(titles elide, the tooltip shows them whole)."""
MISSION_CHARACTERS = 24
CELL_PADDING = 4
COUNTS_DELAY_MS = 200
"""How long the saved views' counts wait for more row changes before they are counted again."""
ELSEWHERE_DELAY_MS = 250
"""How long after the last keystroke the rows matching the typed words outside the view are counted."""
SLA_NAMES = {
    Sla.NORMAL: str(QT_TRANSLATE_NOOP("QueueTable", "Under 24 h")),
    Sla.AMBER: str(QT_TRANSLATE_NOOP("QueueTable", "24–48 h")),
    Sla.RED: str(QT_TRANSLATE_NOOP("QueueTable", "Over 48 h")),
}
"""The age facet's choices, in English (shown through ``QueueTable.tr``)."""
FACETS = (
    ("status", str(QT_TRANSLATE_NOOP("QueueTable", "Status"))),
    ("track", str(QT_TRANSLATE_NOOP("QueueTable", "Track"))),
    ("tier", str(QT_TRANSLATE_NOOP("QueueTable", "Tier"))),
    ("stage", str(QT_TRANSLATE_NOOP("QueueTable", "Stage"))),
)
_FACET_TITLES = dict((*FACETS, ("sla", str(QT_TRANSLATE_NOOP("QueueTable", "Age")))))


class QueueFilterEdit(QLineEdit):
    """The filter box: Down, Enter or Return move on to the filtered table (keyboard-only work)."""

    to_table = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.to_table.emit()
            return
        super().keyPressEvent(event)


class QueueTableView(QTableView):
    """The table, with Enter opening the current review (the default would start editing)."""

    open_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


class QueueTable(QWidget):
    """Everything on the queue page. Emits :attr:`review_activated` with a review id."""

    review_activated = Signal(str)

    def __init__(self, model: QueueModel, views: SavedViews, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = QueueFilterProxy(self)
        self.proxy.setSourceModel(model)
        self._views = views
        self._current_id: str | None = None
        self._loading_total: int | None = None
        self.question: QDialog | None = None
        """The save-view question or warning on screen, if any."""

        self.view_box = QComboBox()
        self.view_box.setToolTip(self.tr("Saved views (counts are live)"))
        self.view_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.search = QueueFilterEdit()
        self.search.setObjectName("queueFilter")
        self.search.setAccessibleName(self.tr("Filter the queue"))
        self.search.setToolTip(
            self.tr("Filter by mission, learner, track, status or flag (“claimed by …”, “draft”); Ctrl+F")
        )
        self.search.setAccessibleDescription(
            self.tr("Words, flags or “claimed by …”; Down or Enter moves on to the table")
        )
        fitting_placeholder(
            self.search,
            self.tr("Filter by mission, learner, track, status, flag…  (Ctrl+F)"),
            self.tr("Filter (Ctrl+F)"),
        )
        self.search.setClearButtonEnabled(True)
        self.match_count = QLabel()
        self.match_count.setObjectName("queueMatchCount")
        self.match_count.setTextFormat(Qt.TextFormat.PlainText)
        self.match_count.setToolTip(self.tr("Rows matching the filter; Esc goes back to the view"))
        self._elsewhere = 0  # rows matching the typed words that the view (or a picked facet) hides
        self._view_counts: dict[str, int] = {}
        self.facet_buttons: dict[str, QToolButton] = {}
        self.save_view_button = QToolButton()
        self.save_view_button.setText(self.tr("Save view…"))
        self.save_view_button.setToolTip(self.tr("Keep the current filters as a named view"))

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.view_box)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.match_count)
        for key, title in _FACET_TITLES.items():
            button = QToolButton()
            button.setText(self.tr(title))
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            button.setMenu(QMenu(button))
            button.menu().aboutToShow.connect(lambda key=key: self._fill_facet_menu(key))
            self.facet_buttons[key] = button
            bar.addWidget(button)
        bar.addWidget(self.save_view_button)

        self.table = QueueTableView()
        self.table.setObjectName("queueTable")
        self.table.setAccessibleName(self.tr("Review queue"))
        self.table.setAccessibleDescription(
            self.tr("Enter opens the review; J and K move to the next and previous unreviewed")
        )
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        stretch_at_least(self.table, Column.MISSION, MISSION_CHARACTERS)  # else the table scrolls sideways
        header.setMinimumSectionSize(36)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        metrics = self.table.fontMetrics()
        for column, sample in COLUMN_SAMPLES.items():
            cells = metrics.horizontalAdvance(sample) + 4 * CELL_PADDING + 6
            self.table.setColumnWidth(column, max(cells, title_width(header, column)))

        self.empty = QLabel()
        self.empty.setObjectName("queueEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setStyleSheet("color: palette(placeholder-text); padding: 40px;")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)

        self.search.textChanged.connect(self.proxy.set_filter_text)
        self.search.to_table.connect(self.focus_table)
        self.view_box.activated.connect(self._view_chosen)
        self.save_view_button.clicked.connect(self._save_view)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        self.table.open_requested.connect(self.open_current)
        self.proxy.modelAboutToBeReset.connect(self._remember_current)
        self.proxy.modelReset.connect(self._restore_current)
        self.proxy.modelReset.connect(self._update_empty_state)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved):
            signal.connect(self._update_empty_state)
        self._elsewhere_timer = QTimer(self)  # counted once typing pauses: a second pass over every row
        self._elsewhere_timer.setSingleShot(True)
        self._elsewhere_timer.setInterval(ELSEWHERE_DELAY_MS)
        self._elsewhere_timer.timeout.connect(self._count_elsewhere)
        for signal in (self.proxy.modelReset, self.proxy.rowsInserted, self.proxy.rowsRemoved):
            signal.connect(self._filter_changed)
        self._counts_timer = QTimer(self)  # rows change in bursts (a sync): count the views once it settles
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self.refresh_view_counts)
        model.modelReset.connect(self.refresh_view_counts)
        for signal in (model.layoutChanged, model.dataChanged):
            signal.connect(self._counts_timer.start)
        self.refresh_view_counts()
        self.apply_view(self._views.all()[0])

    # -- selection and navigation -------------------------------------------------------------------------

    def current_review_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(ReviewIdRole) if index.isValid() else None

    def select_review(self, review_id: str) -> bool:
        source_row = self.model.row_of(review_id)
        if source_row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def open_current(self) -> None:
        review_id = self.current_review_id()
        if review_id:
            self.review_activated.emit(review_id)

    def move_to_unreviewed(self, step: int) -> bool:
        """Select the next (``step`` = 1) or previous (-1) unreviewed row, wrapping around. J / K."""
        rows = self.proxy.source_rows()
        if not rows:
            return False
        current = self.table.currentIndex().row()
        start = current if current >= 0 else (-1 if step > 0 else len(rows))
        for offset in range(1, len(rows) + 1):
            proxy_row = (start + step * offset) % len(rows)
            if self.model.is_unreviewed(rows[proxy_row]):
                index = self.proxy.index(proxy_row, 0)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return True
        return False

    def focus_table(self) -> None:
        """Move the keyboard to the table, on the current review or else the first row."""
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.proxy.rowCount() > 0:
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def focus_filter(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def clear_filter(self) -> None:
        """Esc: drop what the mentor typed or picked on top of the current view; the view itself stays what
        its label says (its own filter is kept)."""
        self.apply_view(self.current_view())
        self.table.setFocus()

    def current_view(self) -> SavedView:
        """The saved view the views box shows (the first one if it shows none)."""
        views = self._views.all()
        name = self.view_box.currentData()
        return next((view for view in views if view.name == name), views[0])

    def _remember_current(self) -> None:
        self._current_id = self.current_review_id() or self._current_id

    def _restore_current(self) -> None:
        if not (self._current_id and self.select_review(self._current_id)) and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def is_sorted(self) -> bool:
        """Whether the rows are sorted by a column (else they are in the store's order)."""
        return self.proxy.sort_column() >= 0

    def is_loading(self) -> bool:
        """Whether only the first rows of the queue are in the model yet (see :meth:`set_loading`)."""
        return self._loading_total is not None

    def set_loading(self, total: int | None) -> None:
        """``total`` reviews are being loaded and only the first rows are in the model yet (start-up shows a
        first screenful at once); None once the model holds them all. Meanwhile the views show no counts."""
        if total == self._loading_total:  # every reload says None: the counts follow the model's own signals
            return
        self._loading_total = total
        self.refresh_view_counts()
        self._update_empty_state()

    def _filter_changed(self) -> None:
        self._elsewhere = 0
        self._show_match_count()
        if self.proxy.filter().text.strip():
            self._elsewhere_timer.start()
        else:
            self._elsewhere_timer.stop()

    def _count_elsewhere(self) -> None:
        """How many rows match the typed words (and flags: "claimed by …", "draft"…) but are not shown."""
        text = self.proxy.filter().text
        self._elsewhere = max(len(matching_rows(self.model, QueueFilter(text=text))) - self.proxy.rowCount(), 0)
        self._show_match_count()

    def _show_match_count(self) -> None:
        """"12 of 103 match · 2 more elsewhere in the queue" while the mentor filters the view; nothing otherwise
        (the view's label counts its rows)."""
        view = self.current_view()
        flt = self.proxy.filter()
        if flt == view.filter:
            self.match_count.setText("")
            self.match_count.setVisible(False)
            return
        shown = self.proxy.rowCount()
        total = self._view_counts.get(view.name)
        text = (self.tr("{shown} of {total} match").format(shown=f"{shown:,}", total=f"{total:,}")
                if total is not None else self.tr("{shown} matching").format(shown=f"{shown:,}"))
        if self._elsewhere:
            text += self.tr(" · {count} more elsewhere in the queue").format(count=f"{self._elsewhere:,}")
        self.match_count.setText(text)
        self.match_count.setVisible(True)

    def _update_empty_state(self) -> None:
        if self.proxy.rowCount():
            self.pages.setCurrentWidget(self.table)
            return
        if self._loading_total is not None:
            self.empty.setText(self.tr("Loading {count} reviews…").format(count=f"{self._loading_total:,}"))
        elif self.model.rowCount() == 0:
            self.empty.setText(self.tr("No reviews here yet.\nPress F5 to fetch the queue from the server."))
        else:
            self.empty.setText(
                self.tr("None of the {count} reviews match these filters.\n"
                        "Change the filters or choose “{everything}” in the views list.").format(
                    count=self.model.rowCount(), everything=self.tr(EVERYTHING)
                )
            )
        self.pages.setCurrentWidget(self.empty)

    # -- saved views and facets ---------------------------------------------------------------------------

    def refresh_view_counts(self) -> None:
        """Show each saved view's live row count (the labels change in place when the views did not)."""
        self._counts_timer.stop()
        views = self._views.all()
        if self._loading_total is None:
            self._view_counts = counts = self._views.counts(self.model, views)
            labels = [(f"{self._view_title(view)} ({counts.get(view.name, 0)})", view.name) for view in views]
        else:  # a count over the first rows would be wrong
            self._view_counts = {}
            labels = [(self._view_title(view), view.name) for view in views]
        box = self.view_box
        if [box.itemData(i) for i in range(box.count())] == [name for _label, name in labels]:
            for i, (label, _name) in enumerate(labels):
                if box.itemText(i) != label:
                    box.setItemText(i, label)
        else:
            current = box.currentData() or views[0].name
            box.clear()
            for label, name in labels:
                box.addItem(label, name)
            box.setCurrentIndex(max(box.findData(current), 0))
        self._show_match_count()

    def _view_title(self, view: SavedView) -> str:
        """A built-in view's name in the user's language; a view of the mentor's own as they named it."""
        return self.tr(view.name) if view.builtin else view.name

    def apply_view(self, view: SavedView) -> None:
        self.search.blockSignals(True)
        self.search.setText(view.filter.text)
        self.search.blockSignals(False)
        self.proxy.set_filter(view.filter)
        self.view_box.setCurrentIndex(max(self.view_box.findData(view.name), 0))
        self._mark_facet_buttons()
        self._filter_changed()

    def _view_chosen(self, _index: int) -> None:
        self.apply_view(self.current_view())

    def _save_view(self) -> None:
        spawn(self.save_view())

    async def save_view(self) -> SavedView | None:
        """Ask for a name and keep the current filters under it; a refused name is explained and asked for
        again (with what was typed). Returns the saved view, or None when the mentor cancelled."""
        name = ""
        while True:
            dialog = QInputDialog(self)
            dialog.setWindowTitle(self.tr("Save view"))
            dialog.setLabelText(self.tr("Name of this view:"))
            dialog.setTextValue(name)
            if await self._ask(dialog) != QDialog.DialogCode.Accepted:
                return None
            name = dialog.textValue()
            try:
                view = self._views.save(name, self.proxy.filter())
            except ValueError as err:
                warning = QMessageBox(QMessageBox.Icon.Warning, self.tr("Save view"), str(err), parent=self)
                warning.setTextFormat(Qt.TextFormat.PlainText)
                await self._ask(warning)
                continue
            self.refresh_view_counts()
            self.view_box.setCurrentIndex(self.view_box.findData(view.name))
            return view

    async def _ask(self, dialog: QDialog) -> int:
        """:func:`~mentor_desk.ui.modal.answer`, with ``dialog`` as :attr:`question` meanwhile."""
        self.question = dialog
        try:
            return await answer(dialog)
        finally:
            self.question = None
            dialog.deleteLater()

    def _fill_facet_menu(self, key: str) -> None:
        menu = self.facet_buttons[key].menu()
        menu.clear()
        flt = self.proxy.filter()
        if key == "sla":
            options: list[tuple[object, str]] = [(sla, self.tr(SLA_NAMES[sla])) for sla in Sla]
            chosen: frozenset = flt.sla
        else:
            values = sorted(set(self.model.facet(key)))
            blank = self.tr("(single stage)") if key == "stage" else self.tr("(none)")
            words = {"track": track_title, "stage": stage_title}.get(key, str)
            options = [(value, words(value) if value else blank) for value in values]
            chosen = getattr(flt, f"{key}s" if key != "status" else "statuses")
        for value, label in options:
            action = menu.addAction(no_mnemonic(label))
            action.setCheckable(True)
            action.setChecked(value in chosen)
            action.toggled.connect(lambda on, key=key, value=value: self._toggle_facet(key, value, on))
        if not options:
            menu.addAction(self.tr("(nothing to choose yet)")).setEnabled(False)

    def _toggle_facet(self, key: str, value: object, on: bool) -> None:
        field = {"status": "statuses", "track": "tracks", "tier": "tiers", "stage": "stages", "sla": "sla"}[key]
        flt = self.proxy.filter()
        current: frozenset = getattr(flt, field)
        updated = current | {value} if on else current - {value}
        self.proxy.set_filter(replace(flt, **{field: frozenset(updated)}))  # type: ignore[arg-type]
        self._mark_facet_buttons()

    def _mark_facet_buttons(self) -> None:
        flt = self.proxy.filter()
        chosen = {"status": flt.statuses, "track": flt.tracks, "tier": flt.tiers, "stage": flt.stages, "sla": flt.sla}
        for key, button in self.facet_buttons.items():
            title = self.tr(_FACET_TITLES[key])
            count = len(chosen[key])
            button.setText(f"{title} ({count})" if count else title)
