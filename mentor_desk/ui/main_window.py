"""The main window: mode banner, the queue page, the review workspace page, the status bar and the actions.

All data comes through the :class:`~mentor_desk.services.wiring.Services` it is given; network and disk work
is awaited on the qasync loop, so the window never freezes. The queue is shown from the store first and refreshed
from the server afterwards (F5, window focus, sync pull events).
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QLocale, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QSystemTrayIcon,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from mentor_desk.domain.outbox import Badges, waiting_and_conflicts
from mentor_desk.domain.preferences import Preferences, ShortcutSpec
from mentor_desk.domain.queue import QueueHead, QueueItem
from mentor_desk.domain.status import is_final
from mentor_desk.services.errors import ServiceError, SignInNeeded
from mentor_desk.services.prefetch import OfflineCopies
from mentor_desk.services.wiring import Services
from mentor_desk.ui.background import BackgroundTasks
from mentor_desk.ui.banner import ModeBanner
from mentor_desk.ui.fit import ElidedLabel
from mentor_desk.ui.modal import answer
from mentor_desk.ui.queue.model import QueueModel, plan_update
from mentor_desk.ui.queue.table import QueueTable
from mentor_desk.ui.queue.views import SavedViews
from mentor_desk.ui.settings import AppSettings
from mentor_desk.ui.theme import error_colour
from mentor_desk.ui.upload_progress import UploadProgress

if TYPE_CHECKING:
    from mentor_desk.ui.sync_panel import SyncPanel

FOCUS_REFRESH_AFTER_S = 120.0
CLOCK_TICK_MS = 60_000
UNPAINTED_AFTER_MS = 1_000
FIRST_ROWS = 200
"""Rows read from the store before the window first shows: more than a maximised window shows on a tall screen.
The rest of a large queue is read once the window has painted."""
OUTBOX_SHARE = 0.4
"""The share of the window's central area the outbox panel covers when open."""
BADGES_SETTLE_MS = 250
"""Outbox changes come in bursts (a push sends hundreds): badges are read again this long after the last one…"""
BADGES_MAX_WAIT_S = 1.0
"""…but at least this often while a burst lasts."""

NATIVE = QKeySequence.SequenceFormat.NativeText
WINDOW_ACTIONS: tuple[ShortcutSpec, ...] = (
    ShortcutSpec("back", str(QT_TRANSLATE_NOOP("MainWindow", "◀ &Queue")), ("Alt+Left",)),
    ShortcutSpec("refresh", str(QT_TRANSLATE_NOOP("MainWindow", "&Refresh from the server")), ("F5", "Ctrl+R")),
    ShortcutSpec("filter", str(QT_TRANSLATE_NOOP("MainWindow", "&Filter the queue")), ("Ctrl+F", "/")),
    ShortcutSpec("clear_filter", str(QT_TRANSLATE_NOOP("MainWindow", "Clear the filter")), ("Esc",)),
    ShortcutSpec("next", str(QT_TRANSLATE_NOOP("MainWindow", "Next unreviewed")), ("J",)),
    ShortcutSpec("previous", str(QT_TRANSLATE_NOOP("MainWindow", "Previous unreviewed")), ("K",)),
    ShortcutSpec("open", str(QT_TRANSLATE_NOOP("MainWindow", "&Open the selected review")), ("Return", "Enter")),
    ShortcutSpec("offline", str(QT_TRANSLATE_NOOP("MainWindow", "Work &offline")), ("Ctrl+Shift+O",)),
    ShortcutSpec("offline_budget", str(QT_TRANSLATE_NOOP("MainWindow", "Offline &budget…")), ("Ctrl+Shift+B",)),
    ShortcutSpec("outbox", str(QT_TRANSLATE_NOOP("MainWindow", "Show or hide the &outbox")), ("Ctrl+Shift+S",)),
    ShortcutSpec("tier5", str(QT_TRANSLATE_NOOP("MainWindow", "&Tier-5 board")), ("Ctrl+Shift+T",)),
    ShortcutSpec("meetings", str(QT_TRANSLATE_NOOP("MainWindow", "&Meetings")), ("Ctrl+Shift+M",)),
    ShortcutSpec("preferences", str(QT_TRANSLATE_NOOP("MainWindow", "&Preferences…")), ("Ctrl+,",)),
    ShortcutSpec("help", str(QT_TRANSLATE_NOOP("MainWindow", "&Keyboard shortcuts")), ("F1", "?")),
    ShortcutSpec("sign_out", str(QT_TRANSLATE_NOOP("MainWindow", "Sign o&ut…")), ("Ctrl+Shift+Q",)),
    ShortcutSpec("quit", str(QT_TRANSLATE_NOOP("MainWindow", "&Quit")), ("Ctrl+Q",)),
)
"""The window's actions whose keys the mentor may change in the preferences (name, label, default keys)."""

CONNECTIVITY_TEXT = {
    "online": str(QT_TRANSLATE_NOOP("MainWindow", "● Online")),
    "offline": str(QT_TRANSLATE_NOOP("MainWindow", "○ Offline")),
    "syncing": str(QT_TRANSLATE_NOOP("MainWindow", "⟳ Syncing…")),
    "sign_in": str(QT_TRANSLATE_NOOP("MainWindow", "⚠ Sign-in needed")),
    "working_offline": str(QT_TRANSLATE_NOOP("MainWindow", "○ Working offline")),
}

TOOLBAR_TEXT = {
    "back": str(QT_TRANSLATE_NOOP("MainWindow", "◀ Queue")),
    "refresh": str(QT_TRANSLATE_NOOP("MainWindow", "Refresh")),
    "open": str(QT_TRANSLATE_NOOP("MainWindow", "Open")),
    "next": str(QT_TRANSLATE_NOOP("MainWindow", "Next")),
    "previous": str(QT_TRANSLATE_NOOP("MainWindow", "Previous")),
    "tier5": str(QT_TRANSLATE_NOOP("MainWindow", "Tier-5")),
    "offline": str(QT_TRANSLATE_NOOP("MainWindow", "Offline")),
    "outbox": str(QT_TRANSLATE_NOOP("MainWindow", "Outbox")),
    "meetings": str(QT_TRANSLATE_NOOP("MainWindow", "Meetings")),
    "help": str(QT_TRANSLATE_NOOP("MainWindow", "Shortcuts")),
    "sign_out": str(QT_TRANSLATE_NOOP("MainWindow", "Sign out")),
}
"""The toolbar's actions in a word each, so that all of them show at 1280 px even with 200 % text."""


def _counted(count: int, noun: str) -> str:
    """``1 draft``, ``2 drafts``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class SignOutChoice(enum.Enum):
    EXPORT = "export"
    SIGN_OUT = "sign_out"


class MainWindow(QMainWindow):
    """The app's one window. ``sign_in_needed`` asks the app for the re-authentication dialog."""

    sign_in_needed = Signal()
    offline_toggled = Signal(bool)
    closed = Signal()
    sign_out_requested = Signal()
    preferences_changed = Signal(object)
    """The mentor saved new :class:`Preferences` (already stored and applied to the window)."""
    queue_painted = Signal()
    """Emitted once, after the queue table first reached the screen (start-up defers its heavy work to it), or
    a second after the window was shown if it never painted (minimised)."""

    def __init__(
        self, services: Services, settings: AppSettings, parent: QWidget | None = None, *, data_dir: str = ""
    ) -> None:
        """``data_dir``: the data folder the preferences show."""
        super().__init__(parent)
        self.data_dir = data_dir
        self._unseen_new = 0
        """Reviews new to the queue since the window was minimised (announced only if the mentor asked)."""
        self._tray: QSystemTrayIcon | None = None
        self.services = services
        self.identity = services.identity
        self.settings = settings
        self._background = BackgroundTasks()
        self._refreshing = False
        self._last_pull = 0.0
        self._workspace: Any = None
        self._tier5_board: Any = None
        self._meetings: Any = None  # the Meetings page, made on first use
        self.claim_box: QMessageBox | None = None
        self.sign_out_box: QMessageBox | None = None
        self.demo = False
        """Whether the desk runs on the local demo sandbox (:meth:`mark_demo`)."""
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.identity.server)  # Qt adds " — mentor_desk", the display name
        self.resize(1240, 760)

        self.model = QueueModel(self)
        self.queue = QueueTable(self.model, SavedViews(settings))
        self.queue.review_activated.connect(self.open_review)
        self._painted = False
        self.queue.table.viewport().installEventFilter(self)
        self.banner = ModeBanner()
        self.banner.set_mode(self.identity.mode)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.queue)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._central = central

        self._sync_panel: SyncPanel | None = None  # made when first shown: start-up does without it
        self._focus_before_outbox: QWidget | None = None
        self._prefetching: asyncio.Task[Any] | None = None
        self._offline_ready: frozenset[str] = frozenset()
        self.budget_dialog: QInputDialog | None = None

        self._make_status_bar()
        self.actions_by_name = self._make_actions()
        self._make_toolbar()
        self._show_page(self.queue)

        self._badges_timer = QTimer(self)
        self._badges_timer.setSingleShot(True)
        self._badges_timer.setInterval(BADGES_SETTLE_MS)
        self._badges_timer.timeout.connect(self._outbox_settled)
        self._badges_stale_since = 0.0
        self._badges_task: asyncio.Task[Any] | None = None
        self._reloading: asyncio.Task[Any] | None = None
        self._reload_wanted = False
        self._whole_queue: asyncio.Task[Any] | None = None

        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_TICK_MS)
        self._clock.timeout.connect(self.model.refresh_clock)
        self._clock.start()
        geometry, state = settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        header = settings.header_state()
        if header is not None:
            self.queue.table.horizontalHeader().restoreState(header)

    # -- status -------------------------------------------------------------------------------------------

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_connectivity = QLabel(self.tr(CONNECTIVITY_TEXT["offline"]))
        self.status_waiting = QLabel(self.tr("Nothing waiting to sync"))
        self.status_conflicts = QLabel("")
        self.status_last_sync = QLabel(self.tr("Not synced yet"))
        self.status_offline_copies = QLabel("")
        self.status_offline_copies.setToolTip(
            self.tr("Reviews copied for offline work and their disk budget (Ctrl+Shift+B)")
        )
        self.status_user = ElidedLabel(f"{self.identity.user_name} @ {self.identity.server}")  # the title says it too
        for label in (
            self.status_connectivity,
            self.status_waiting,
            self.status_conflicts,
            self.status_last_sync,
            self.status_offline_copies,
        ):
            label.setTextFormat(Qt.TextFormat.PlainText)
            bar.addPermanentWidget(label)
        self.status_user.setTextFormat(Qt.TextFormat.PlainText)
        if self.services.media is not None:
            self.status_uploads = UploadProgress(self.services.media)
            bar.addPermanentWidget(self.status_uploads)
        bar.addPermanentWidget(self.status_user)
        self.status_conflicts.setStyleSheet(f"color: {error_colour()}; font-weight: bold;")
        self.status_conflicts.setToolTip(self.tr("Open the outbox (Ctrl+Shift+S) to resolve"))

    def show_identity(self) -> None:
        """Show the server, mode and user again (they can change once the server answers)."""
        where = self.tr("DEMO practice platform (not OCH)") if self.demo else self.identity.server
        unseen = self.tr("({count} new) ").format(count=self._unseen_new) if self._unseen_new else ""
        self.setWindowTitle(unseen + where)
        self.banner.set_mode(self.identity.mode, offline=self.is_offline, demo=self.demo)
        self.status_user.setText(f"{self.identity.user_name} @ {where}")

    def mark_demo(self) -> None:
        """The desk runs on the local demo sandbox: title, banner and status bar say so, whatever the mode."""
        self.demo = True
        self.show_identity()

    def set_connectivity(self, state: str) -> None:
        """``online`` | ``offline`` | ``syncing`` | ``sign_in`` | ``working_offline``."""
        self.status_connectivity.setText(self.tr(CONNECTIVITY_TEXT[state]) if state in CONNECTIVITY_TEXT else state)

    def set_outbox(self, waiting: int, conflicts: int) -> None:
        self.status_waiting.setText(
            self.tr("{count} waiting to sync").format(count=waiting) if waiting else self.tr("Nothing waiting to sync")
        )
        self.status_conflicts.setText(
            self.tr("{conflicts} to resolve").format(conflicts=_counted(conflicts, "conflict")) if conflicts else ""
        )
        self.status_conflicts.setVisible(bool(conflicts))
        if self._workspace is not None:  # its header says where its review's submission stands: the same counts
            self.spawn(self._workspace.show_submission())

    def set_last_sync(self, when: datetime | None) -> None:
        text = self.tr("never")
        if when is not None:  # in the user's locale: 2:05 PM, 14:05…
            local = when.astimezone()
            text = QLocale().toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)
        self.status_last_sync.setText(self.tr("Last sync {time}").format(time=text))

    # -- actions ------------------------------------------------------------------------------------------

    def _make_actions(self) -> dict[str, QAction]:
        queue_page = self.queue
        slots: dict[str, tuple[Callable[[], object], QWidget]] = {
            "back": (self.back_to_queue, self),
            "refresh": (lambda: self.refresh(), self),
            "filter": (queue_page.focus_filter, queue_page),
            "clear_filter": (queue_page.clear_filter, queue_page),
            "next": (lambda: queue_page.move_to_unreviewed(1), queue_page),
            "previous": (lambda: queue_page.move_to_unreviewed(-1), queue_page),
            "open": (queue_page.open_current, queue_page),
            "offline": (lambda: None, self),
            "offline_budget": (self._offline_budget_asked, self),
            "outbox": (self.toggle_outbox, self),
            "tier5": (self.show_tier5_board, self),
            "meetings": (self.show_meetings, self),
            "preferences": (self.show_preferences, self),
            "help": (self.show_shortcuts, queue_page),
            "sign_out": (self.sign_out_requested.emit, self),
            "quit": (self.close, self),
        }
        actions: dict[str, QAction] = {}
        for spec in WINDOW_ACTIONS:
            slot, owner = slots[spec.name]
            action = QAction(QCoreApplication.translate("MainWindow", spec.label), self)
            if owner is not self:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            owner.addAction(action)
            if spec.name != "offline":
                action.triggered.connect(lambda _checked=False, slot=slot: slot())
            actions[spec.name] = action
        offline = actions["offline"]
        offline.setCheckable(True)
        offline.toggled.connect(self._offline_toggled)
        self._apply_shortcuts(actions, self.settings.preferences())
        return actions

    @staticmethod
    def _apply_shortcuts(actions: Mapping[str, QAction], prefs: Preferences) -> None:
        """Each action's keys: the mentor's from the preferences, else its default."""
        for spec in WINDOW_ACTIONS:
            action, keys = actions[spec.name], prefs.keys_for(spec.name, spec.default)
            action.setShortcuts([QKeySequence(key) for key in keys])
            text = action.text().replace("&", "")
            action.setToolTip(f"{text} ({QKeySequence(keys[0]).toString(NATIVE)})" if keys else text)

    def show_preferences(self) -> None:
        """Ctrl+,: the preferences dialog; what it changes applies at once (connection settings: next sign-in)."""
        from mentor_desk.ui.preferences import open_preferences

        open_preferences(self.settings, WINDOW_ACTIONS, self.data_dir, self, self._preferences_saved)

    def _preferences_saved(self, prefs: Preferences) -> None:
        self._apply_shortcuts(self.actions_by_name, prefs)
        self.preferences_changed.emit(prefs)
        self.statusBar().showMessage(self.tr("Preferences saved."), 10_000)

    def _make_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name, short in TOOLBAR_TEXT.items():
            action = self.actions_by_name[name]
            action.setIconText(self.tr(short))  # the toolbar's word; menus, cheat sheet and tooltip say it whole
            toolbar.addAction(action)
            toolbar.widgetForAction(action).setAccessibleName(action.text().replace("&", ""))
        self.addToolBar(toolbar)

    @property
    def is_offline(self) -> bool:
        return self.actions_by_name["offline"].isChecked()

    def _offline_toggled(self, offline: bool) -> None:
        self.banner.set_mode(self.identity.mode, offline=offline, demo=self.demo)
        self.set_connectivity("working_offline" if offline else "online")
        self.offline_toggled.emit(offline)
        if not offline:
            self.refresh()

    @property
    def sync_panel(self) -> SyncPanel:
        """The outbox panel (Ctrl+Shift+S), made on first use: drawn over the lower part of the page, so that
        the review keeps its size."""
        if self._sync_panel is None:
            from mentor_desk.ui.sync_panel import SyncPanel  # loaded with the panel, not at start-up

            panel = SyncPanel(self.services.outbox, self._describe, self.spawn, self._central)
            panel.message.connect(lambda text: self.statusBar().showMessage(text, 20_000))
            panel.changed.connect(self._outbox_edited)
            panel.close_requested.connect(self.hide_outbox)
            panel.hide()
            self._central.installEventFilter(self)  # follows the window's size
            self._sync_panel = panel
        return self._sync_panel

    def toggle_outbox(self) -> None:
        """Ctrl+Shift+S: open the outbox, or close it when it is open."""
        if self._sync_panel is not None and self._sync_panel.isVisible():
            self.hide_outbox()
        else:
            self.show_outbox()

    def show_outbox(self) -> None:
        panel = self.sync_panel
        focus = QApplication.focusWidget()
        if not panel.isVisible() and focus is not None and not panel.isAncestorOf(focus):
            self._focus_before_outbox = focus
        self._place_outbox()
        panel.show()
        panel.raise_()
        panel.reload()
        panel.table.setFocus()

    def hide_outbox(self) -> None:
        """Close the outbox and give the keyboard back to where it was (Esc in the panel, Ctrl+Shift+S)."""
        if self._sync_panel is None:
            return
        self._sync_panel.hide()
        back, self._focus_before_outbox = self._focus_before_outbox, None
        if back is None or not isValid(back) or not back.isVisible():
            back = self.pages.currentWidget()
        if back is not None:
            back.setFocus()

    def _place_outbox(self) -> None:
        """The panel covers the lower part of the central area (at most ~40 % of it, at least what its rows
        need), above the page rather than beside it."""
        panel = self._sync_panel
        if panel is None:
            return
        area = self._central.rect()
        height = min(max(int(area.height() * OUTBOX_SHARE), panel.minimumSizeHint().height()), area.height())
        panel.setGeometry(0, area.height() - height, area.width(), height)

    def outbox_changed(self) -> None:
        """The sync engine changed the outbox: update the badges, and the panel when it is open, once the
        changes settle (see :data:`BADGES_SETTLE_MS`)."""
        now = time.monotonic()
        if not self._badges_timer.isActive():
            self._badges_stale_since = now
        if now - self._badges_stale_since < BADGES_MAX_WAIT_S:
            self._badges_timer.start()  # (re)start: wait for the burst to end

    def _outbox_settled(self) -> None:
        if self._badges_task is not None and not self._badges_task.done():
            self._badges_timer.start()  # the previous read is still running: read again after it
            return
        self._badges_task = self.spawn(self.reload_badges())
        self.tier5_changed()
        if self._sync_panel is not None and self._sync_panel.isVisible():
            self._sync_panel.reload()

    def _describe(self, review_id: str) -> str:
        if review_id.startswith("tier5:"):
            from mentor_desk.ui.tier5.board import describe_sign_off

            return describe_sign_off(review_id, self._tier5_board)
        row = self.model.row_of(review_id)
        if row is None:
            return f"review {review_id[:8]}"
        item = self.model.item(row)
        return f"{item.mission_title} — {item.learner_name}"

    def show_shortcuts(self) -> None:
        from mentor_desk.ui.review.shortcuts import CheatSheet

        sheet = CheatSheet(list(self.actions_by_name.values()), self)
        sheet.setWindowTitle(self.tr("Keyboard shortcuts — queue"))
        sheet.open()

    # -- loading ------------------------------------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` on the loop (errors are logged, never lost), listed in :meth:`background_tasks` until it
        ends."""
        return self._background.spawn(coro)

    def background_tasks(self) -> list[asyncio.Task[Any]]:
        """Tasks still running (the app cancels them when it shuts down)."""
        return self._background.running()

    async def reload_from_store(self) -> None:
        """Show what the store has now (no network). Reloads asked for while one runs share a single further
        run after it: never two reads and comparisons of the whole queue at once (worker threads running
        Python hold up the GUI thread's painting)."""
        self._reload_wanted = True
        if self._reloading is None or self._reloading.done():
            self._reloading = self.spawn(self._reload_until_current())
        await asyncio.shield(self._reloading)

    async def _reload_until_current(self) -> None:
        while self._reload_wanted:
            self._reload_wanted = False
            await self.show_rows(asyncio.gather(self.services.queue.cached_queue(), self.services.queue.badges()))

    async def show_pulled(self, changed_ids: Sequence[str]) -> None:
        """A pull changed these reviews in the store: show their new rows and the badges, reading just them. The
        whole queue is read instead while the table still shows its first screenful, and when a review is new to
        the table, has left it or moved in its order."""
        if not changed_ids:
            return
        if self.queue.is_loading():
            await self.reload_from_store()
            return
        try:
            items, badges = await asyncio.gather(
                self.services.queue.cached_items(changed_ids), self.services.queue.badges()
            )
        except ServiceError as err:
            self.statusBar().showMessage(err.user_message, 15_000)
            return
        new_to_table = [review_id for review_id in changed_ids if self.model.row_of(review_id) is None]
        if len(items) < len(set(changed_ids)) or not self.model.replace_items(items.values()):
            await self.reload_from_store()
        else:
            self.model.set_local_badges(self._with_offline(badges))
        self._announce_new(sum(self.model.row_of(review_id) is not None for review_id in new_to_table))

    def _announce_new(self, count: int) -> None:
        """Reviews new to the queue arrived: while the window is minimised, and only if the mentor asked for it
        (off by default), the title counts them, the taskbar asks for attention and the tray (if any) says so."""
        if not count or not self.isMinimized() or not self.settings.preferences().notify_new_reviews:
            return
        self._unseen_new += count
        self.show_identity()
        QApplication.alert(self)
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self.windowIcon(), self)
                self._tray.activated.connect(lambda _reason: self.showNormal())
            self._tray.show()
            self._tray.showMessage(
                "mentor_desk", self.tr("{count} new review(s) in your queue").format(count=self._unseen_new)
            )

    async def show_rows(self, reading: Awaitable[tuple[list[QueueItem], Mapping[str, Badges]]]) -> None:
        """Show the queue and badges ``reading`` gives (a store read, possibly started before the window)."""
        try:
            items, badges = await reading
        except ServiceError as err:
            self.statusBar().showMessage(err.user_message, 15_000)
            return
        update = await asyncio.to_thread(plan_update, self.model.rows_snapshot(), items)
        self.model.set_local_badges(self._with_offline(badges))
        self.model.apply(update)
        self.queue.set_loading(None)

    async def show_first_rows(self, reading: Awaitable[tuple[QueueHead, Mapping[str, Badges]]]) -> None:
        """Start-up: show the first rows of the store's queue that ``reading`` gives (a screenful) at once; the
        whole queue is read once the window has painted (:meth:`load_whole_queue`).

        A sorted view's first rows can be anywhere in the store's order: it waits for the whole queue instead.
        """
        try:
            head, badges = await reading
        except ServiceError as err:
            self.statusBar().showMessage(err.user_message, 15_000)
            return
        if len(head.items) < head.total and self.queue.is_sorted():
            await self.reload_from_store()
            return
        self.model.set_local_badges(self._with_offline(badges))
        self.model.set_items(head.items)
        if len(head.items) < head.total:
            self.queue.set_loading(head.total)

    async def load_whole_queue(self) -> None:
        """Read the whole queue after :meth:`show_first_rows` (once; later calls wait for that read)."""
        if self._whole_queue is None:
            if not self.queue.is_loading():
                return
            self._whole_queue = self.spawn(self.reload_from_store())
        await asyncio.shield(self._whole_queue)

    def _outbox_edited(self) -> None:
        """The mentor retried, discarded or settled outbox entries: the queue and the status bar's counts follow,
        whether or not a sync engine is running to tell."""
        self.spawn(self.reload_from_store())
        self.spawn(self.reload_outbox_counts())

    async def reload_outbox_counts(self) -> None:
        """The status bar's counts of changes waiting to sync and of conflicts, read from the store."""
        try:
            self.set_outbox(*waiting_and_conflicts(await self.services.outbox.outbox_counts()))
        except ServiceError as err:
            self.statusBar().showMessage(err.user_message, 15_000)

    async def reload_badges(self) -> None:
        """Only the local badges (drafts, waiting to sync, conflicts): cheap, for outbox changes."""
        try:
            self.model.set_local_badges(self._with_offline(await self.services.queue.badges()))
        except ServiceError as err:
            self.statusBar().showMessage(err.user_message, 15_000)

    def refresh(self) -> asyncio.Task[Any]:
        """Pull from the server (unless offline), then show the store's queue. F5."""
        return self.spawn(self._refresh())

    async def _refresh(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        try:
            if not self.is_offline:
                await self._pull()
            await self.reload_from_store()
            if not self.is_offline:
                self.prefetch()  # the queue as just pulled
        finally:
            self._refreshing = False

    async def _pull(self) -> None:
        self.set_connectivity("syncing")
        try:
            await self.services.queue.pull()
        except SignInNeeded:
            self.set_connectivity("sign_in")
            self.statusBar().showMessage(
                self.tr("Your session has ended: sign in again to sync. You can keep working.")
            )
            self.sign_in_needed.emit()
        except ServiceError as err:
            self.set_connectivity("offline")
            self.statusBar().showMessage(err.user_message, 15_000)
        else:
            self._last_pull = time.monotonic()
            self.set_connectivity("online")
            self.set_last_sync(datetime.now().astimezone())

    # -- offline copies -----------------------------------------------------------------------------------

    @property
    def offline_budget_bytes(self) -> int:
        return self.settings.offline_budget_mb() * 1024**2

    def prefetch(self) -> asyncio.Task[Any]:
        """Copy the queue's waiting reviews for offline work in the background (one run at a time)."""
        if self._prefetching is None or self._prefetching.done():
            self._prefetching = self.spawn(self._prefetch())
        return self._prefetching

    async def _prefetch(self) -> None:
        await self.load_whole_queue()
        try:
            copies = await self.services.prefetch.prefetch(self.model.items(), self.offline_budget_bytes)
        except ServiceError as err:
            self.statusBar().showMessage(self.tr("Offline copies: {reason}").format(reason=err.user_message), 15_000)
            return
        self._show_offline_copies(copies)

    def _show_offline_copies(self, copies: OfflineCopies) -> None:
        self._offline_ready = copies.ready
        megabytes = 1024**2
        self.status_offline_copies.setText(
            self.tr("Offline: {reviews} · {used} of {budget} MB").format(
                reviews=_counted(len(copies.ready), "review"),
                used=f"{copies.used_bytes / megabytes:,.0f}",
                budget=f"{copies.budget_bytes / megabytes:,.0f}",
            )
        )
        self.spawn(self.reload_badges())

    def _with_offline(self, badges: Mapping[str, Badges]) -> dict[str, Badges]:
        """The store's badges plus "offline ready" for the reviews copied to this computer."""
        merged = dict(badges)
        for review_id in self._offline_ready:
            merged[review_id] = replace(merged.get(review_id, Badges()), available_offline=True)
        return merged

    def _offline_budget_asked(self) -> None:
        self.spawn(self.ask_offline_budget())

    async def ask_offline_budget(self) -> int | None:
        """Ctrl+Shift+B: show the disk the offline copies take and let the mentor change their budget (MB)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Offline budget"))
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(0, 1024 * 1024)
        dialog.setIntStep(256)
        dialog.setIntValue(self.settings.offline_budget_mb())
        dialog.setLabelText(
            self.tr("Disk space for offline copies of your queue's evidence, in MB.\nNow: {now}").format(
                now=self.status_offline_copies.text() or self.tr("nothing copied yet")
            )
        )
        self.budget_dialog = dialog
        try:
            if await answer(dialog) != QDialog.DialogCode.Accepted:
                return None
            megabytes = dialog.intValue()
        finally:
            self.budget_dialog = None
            dialog.deleteLater()
        self.settings.set_offline_budget_mb(megabytes)
        await self.services.prefetch.set_budget(megabytes * 1024**2)
        self._show_offline_copies(
            await self.services.prefetch.copies(self.model.items(), self.offline_budget_bytes)
        )
        if not self.is_offline:
            self.prefetch()
        return megabytes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._central:
            self._place_outbox()
        elif event.type() == QEvent.Type.Paint and watched is self.queue.table.viewport():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._queue_painted)  # once this paint has finished
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(UNPAINTED_AFTER_MS, self._queue_painted)

    def _queue_painted(self) -> None:
        if not self._painted:
            self._painted = True
            self.queue_painted.emit()
            self.spawn(self.load_whole_queue())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and not self.isMinimized() and self._unseen_new:
            self._unseen_new = 0  # seen now
            self.show_identity()
        if (
            event.type() == QEvent.Type.ActivationChange
            and self.isActiveWindow()
            and self._last_pull
            and time.monotonic() - self._last_pull > FOCUS_REFRESH_AFTER_S
        ):
            self.refresh()

    # -- the review workspace -----------------------------------------------------------------------------

    def open_review(self, review_id: str) -> asyncio.Task[Any]:
        return self.spawn(self._open_review(review_id))

    async def _open_review(self, review_id: str) -> None:
        if self.identity.mode == "full" and not self.is_offline and not self._decided(review_id):
            claimed = False
            try:
                holder = await self.services.queue.claim(review_id)
                claimed = holder is None
            except SignInNeeded:
                self.sign_in_needed.emit()
                holder = None
            except ServiceError as err:  # offline or flaky: reviewing from the cache is still fine
                reason = self.tr("Could not claim the review: {reason}").format(reason=err.user_message)
                self.statusBar().showMessage(reason, 10_000)
                holder = None
            if holder and not await self._confirm_open(holder):
                return
            if claimed:
                await self.services.claims.hold(review_id)  # renewed while open, released when left
        workspace = self.workspace()
        self._show_page(workspace)
        await workspace.open_review(review_id)

    def _decided(self, review_id: str) -> bool:
        """Whether the queue shows the review as decided already: it is opened to read, without claiming it
        (the platform refuses a claim of a decided review)."""
        row = self.model.row_of(review_id)
        return row is not None and is_final(self.model.item(row).status)

    async def _confirm_open(self, holder: str) -> bool:
        """Ask (without blocking the loop) whether to open a review another mentor has claimed."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Claimed by another mentor"),
            self.tr("This review is claimed by {holder}, who may be reviewing it right now.\n\nOpen it anyway?").format(
                holder=holder
            ),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("claimedDialog")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.claim_box = box
        try:
            return await self._answer(box) is box.button(QMessageBox.StandardButton.Open)
        finally:
            self.claim_box = None

    async def confirm_sign_out(self, drafts: int, waiting: int) -> SignOutChoice | None:
        """Warn that local work has not reached the server yet; offer to export it first (never lost: it stays
        on this computer either way)."""
        parts = [
            _counted(drafts, "draft") if drafts else "",
            f"{_counted(waiting, 'change')} waiting to sync" if waiting else "",
        ]
        have = "has" if drafts + waiting == 1 else "have"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Sign out"),
            f"{' and '.join(p for p in parts if p)} {have} not reached the platform yet.\n\n"
            + self.tr("They stay on this computer and are sent after you sign in again as this mentor. "
                      "You can also export a copy to a file first."),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("signOutDialog")
        export = box.addButton(self.tr("Export a copy, then sign out"), QMessageBox.ButtonRole.AcceptRole)
        sign_out = box.addButton(self.tr("Sign out"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(export)
        self.sign_out_box = box
        try:
            clicked = await self._answer(box)
        finally:
            self.sign_out_box = None
        return SignOutChoice.EXPORT if clicked is export else SignOutChoice.SIGN_OUT if clicked is sign_out else None

    async def _answer(self, box: QMessageBox) -> QAbstractButton | None:
        """Ask ``box`` (plain text) and return the button it was closed with; None when it was closed otherwise."""
        box.setTextFormat(Qt.TextFormat.PlainText)
        try:
            await answer(box)
            return box.clickedButton()
        finally:
            box.deleteLater()

    def _show_page(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        on_queue = page is self.queue
        self.actions_by_name["back"].setEnabled(not on_queue)
        for name in ("open", "next", "previous"):
            self.actions_by_name[name].setEnabled(on_queue)

    def workspace(self) -> Any:
        """The review workspace, created on first use (it pulls in the heavier viewers)."""
        if self._workspace is None:
            from mentor_desk.ui.review.workspace import ReviewWorkspace

            self._workspace = ReviewWorkspace(self.services.reviews)
            if self.services.media is not None:
                self._workspace.add_recordings(self.services.media)
            self._workspace.closed.connect(self.show_queue)
            self._workspace.submitted.connect(lambda _id: self.spawn(self.reload_from_store()))
            self._workspace.next_requested.connect(self._open_next_after)
            self.pages.addWidget(self._workspace)
        return self._workspace

    def _open_next_after(self, review_id: str) -> None:
        """Submit & open next: the next unreviewed review after ``review_id`` in the queue's current view (as J
        finds it); back to the queue when there is none."""
        queue = self.queue
        queue.select_review(review_id)
        following = queue.current_review_id() if queue.move_to_unreviewed(1) else None
        if following is None or following == review_id:
            self.statusBar().showMessage("Submitted. No other unreviewed review in this view.", 15_000)
            self.show_queue()
            return
        self.open_review(following)

    async def flush_drafts(self) -> None:
        """Write the review being edited to its draft at once (the app calls this before it closes the store),
        give back the claim on it; the Meetings page stops following the platform (it keeps the last event's id
        in the store)."""
        if self._workspace is not None:
            await self._workspace.flush_drafts()
        await self.services.claims.release()
        if self._meetings is not None:
            await self._meetings.stop()

    def tier5_board(self) -> Any:
        """The Tier-5 board page, created on first use."""
        if self._tier5_board is None:
            from mentor_desk.ui.tier5.board import Tier5Board

            self._tier5_board = Tier5Board(self.services.tier5())
            self._tier5_board.review_activated.connect(self.open_review)
            self._tier5_board.message.connect(lambda text: self.statusBar().showMessage(text, 20_000))
            self.pages.addWidget(self._tier5_board)
        return self._tier5_board

    def show_tier5_board(self) -> None:
        """Ctrl+Shift+T: the board, from the store at once and pulled from the platform unless offline."""
        board = self.tier5_board()
        self._show_page(board)
        board.table.setFocus()
        self.spawn(board.reload() if self.is_offline else board.refresh())

    def tier5_changed(self) -> None:
        """The board's data changed (pulled again, or a sign-off went out): show it again if it exists."""
        if self._tier5_board is not None:
            self.spawn(self._tier5_board.reload())

    def back_to_queue(self) -> None:
        """Alt+Left (Esc inside the workspace): save the draft and return to the queue."""
        if self._tier5_board is not None and self.pages.currentWidget() is self._tier5_board:
            self.show_queue()
        elif self._workspace is not None and self.pages.currentIndex() == self.pages.indexOf(self._workspace):
            self._workspace.close_review()
        elif self._meetings is not None and self.pages.currentWidget() is self._meetings:
            self.show_queue()

    def show_meetings(self) -> None:
        """Ctrl+Shift+M: the scoring meetings page, made on first use once the platform has answered."""
        if self._meetings is not None:
            self._show_page(self._meetings)
        elif self.services.meetings is not None:
            self.statusBar().showMessage(self.tr("Opening the meetings…"), 5_000)
            self.spawn(self._open_meetings(self.services.meetings))

    async def _open_meetings(self, meetings: Any) -> None:
        from mentor_desk.ui.meetings.page import MeetingsPage  # loaded with the page, not at start-up

        try:
            context = await meetings.context()
        except Exception as err:  # offline before the first sign-in, session refused...
            self.statusBar().showMessage(getattr(err, "user_message", None) or str(err), 20_000)
            return
        if self._meetings is None:
            self._meetings = MeetingsPage(
                service=context.service, my_id=context.my_id, user_name=self.identity.user_name,
                load_review=meetings.load_review, deliver=meetings.deliver, reviews=meetings.candidates,
                may_lead=context.may_lead,
            )
            self.pages.addWidget(self._meetings)
            self._meetings.start()
        self._show_page(self._meetings)
        self._meetings.list.setFocus()

    def show_queue(self) -> None:
        self._show_page(self.queue)
        self.queue.table.setFocus()
        self.spawn(self.services.claims.release())  # the mentor left the review: others may take it
        self.spawn(self.reload_from_store())

    # -- closing ------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self.settings.set_header_state(self.queue.table.horizontalHeader().saveState())
        super().closeEvent(event)
        self.closed.emit()
