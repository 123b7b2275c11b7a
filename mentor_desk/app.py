"""Composition root: the wiring of client, store, sync engine and UI, and the app's transitions
(:class:`AppShell`). :mod:`mentor_desk.launch` creates the QApplication and the qasync loop and starts it.

Start-up: show the queue as fast as possible. When a session is kept (keyring or the opt-in file) for the
last server and this computer holds that mentor's store (opened ahead by the launcher), the window opens on the
cached queue's first screenful, with only Qt and the store loaded, and reads the rest once painted; the network
stack (httpx, pydantic wire models, the sync engine) is imported in a worker thread afterwards, and the session
is resumed, the server asked who we are and which API it speaks, and sync started in the background. Without a
cached store the session is resumed before the window opens; without a session the sign-in dialog asks.
``--demo`` starts the sandbox platform in-process on a free loopback port with a freshly seeded database and
signs in as the demo mentor.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import shutil
from collections.abc import Coroutine
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mentor_desk.api.credentials import FILE_NAME, Backend, TokenVault
from mentor_desk.api.session import Session
from mentor_desk.domain.outbox import waiting_and_conflicts
from mentor_desk.paths import AppPaths
from mentor_desk.services.account import Account, mode_named
from mentor_desk.services.session import SignIn, sign_in_to
from mentor_desk.services.wiring import platform_services
from mentor_desk.store.database import database_path
from mentor_desk.store.errors import StoreError
from mentor_desk.store.store import Store, StoreOpening
from mentor_desk.sync.events import (
    ConflictRaised,
    ConnectionState,
    NeedsSignIn,
    OutboxChanged,
    PullDone,
    StateChanged,
    SyncError,
    SyncEvent,
    Tier5Pulled,
)
from mentor_desk.ui.background import BackgroundTasks
from mentor_desk.ui.crash import CrashHandler
from mentor_desk.ui.garbage import freeze_long_lived
from mentor_desk.ui.main_window import FIRST_ROWS, MainWindow, SignOutChoice
from mentor_desk.ui.settings import AppSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from mentor_desk.api.client import PlatformClient
    from mentor_desk.api.models import Me
    from mentor_desk.sandbox.runner import SandboxServer
    from mentor_desk.sync.engine import SyncEngine
    from mentor_desk.ui.signin import SignInDialog

log = logging.getLogger(__name__)

NETWORK_STACK = ("mentor_desk.sync.engine", "mentor_desk.api.models", "mentor_desk.ui.signin")
"""Modules the cached queue does not need (httpx, pydantic models, tenacity...): imported after it shows."""

DEMO_EMAIL = "mentor@demo.och"
DEMO_PASSWORD = "mentor-demo"
LAST_SYNC_KEY = "last_sync_at"  # written by the sync engine after every pull
_CONNECTIVITY = {
    ConnectionState.ONLINE: "online",
    ConnectionState.OFFLINE: "offline",
    ConnectionState.SYNCING: "syncing",
    ConnectionState.SIGNED_OUT: "sign_in",
}


class AppShell:
    """Owns the running app's parts and the transitions between sign-in, the main window and re-sign-in."""

    def __init__(
        self,
        settings: AppSettings,
        paths: AppPaths,
        crash: CrashHandler,
        *,
        store_opening: StoreOpening | None = None,
    ) -> None:
        """``store_opening``: a store already opening (start-up's head start), used if it is the one shown."""
        self.settings = settings
        self.paths = paths
        self.crash = crash
        self.vault = TokenVault(paths.data_dir / FILE_NAME, allow_file=settings.token_file_opt_in())
        self.window: MainWindow | None = None
        self.account: Account | None = None
        self.engine: SyncEngine | None = None
        self.sign_in: SignInDialog | None = None
        self.demo_server: SandboxServer | None = None
        self.email = ""
        self._background = BackgroundTasks()
        self._reauth: SignInDialog | None = None
        self._engine_task: asyncio.Task[Any] | None = None
        self._store_opening = store_opening

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` on the loop (errors are logged, never lost); :meth:`shutdown` cancels what still runs."""
        return self._background.spawn(coro)

    # -- start-up -----------------------------------------------------------------------------------------

    async def start(self, *, demo: bool = False, server: str | None = None) -> None:
        try:
            if demo:
                url = await self.start_demo()
                client = self.connect(url, False)
                await client.login(DEMO_EMAIL, DEMO_PASSWORD)
                await self.open_account(client, DEMO_EMAIL, await client.me())
            elif server is not None or not await self._resume_stored_session():
                await self.show_sign_in(server)
        finally:
            if self._store_opening is not None:  # the store opened ahead was not the one shown
                await self._store_opening.discard()
                self._store_opening = None

    def report_start_failure(self, task: asyncio.Task[None]) -> None:
        """Done-callback of :meth:`start`: an error there is said in a dialog (and the app quits if no window
        is open)."""
        if task.cancelled() or task.exception() is None:
            return
        err = task.exception()
        message = getattr(err, "user_message", None) or str(err)
        log.error("start-up failed", exc_info=err)
        self._fatal(f"mentor_desk could not start: {message}")
        if self.window is None:
            self._quit()

    async def _resume_stored_session(self) -> bool:
        account = self.settings.last_account()
        if account is None:
            return False
        server, email = account
        cached = database_path(server, email, self.paths.data_dir).exists()
        if cached and await self.vault.file_session(server, email) is not None:
            return await self._open_cached(server, email, None)  # the keyring is asked after the window shows
        session = await self.vault.load(server, email)
        if session is None:
            return False
        if cached:
            return await self._open_cached(server, email, session)
        return await self._resume_online(server, email, session)

    async def _open_cached(self, server: str, email: str, session: Session | None) -> bool:
        """Show the cached queue now; load the network stack, resume the session and sync in the background.

        ``session`` is None when only the opt-in file was looked at: the vault is asked in the background.
        """
        self.email = email
        store = await self._open_store(server, email)
        if store is not None:
            window = await self._make_window(store, server, self.settings.mode_for(server), email)
            window.queue_painted.connect(lambda: self.spawn(self._connect_in_background(server, session)))
            window.show()
            window.set_connectivity("syncing")
        return True

    async def _connect_in_background(self, server: str, session: Session | None) -> None:
        assert self.window is not None
        await self.window.load_whole_queue()  # before the network stack's imports compete with it
        await asyncio.to_thread(_import_network_stack)
        from mentor_desk.api.errors import PlatformError, SessionExpired, is_transient

        assert self.account is not None and self.window is not None
        if session is None:  # the keyring comes first; the opt-in file is what let the window open
            session = await self.vault.load(server, self.email) or await self.vault.file_session(server, self.email)
        try:
            client = self.connect(server, self.settings.insecure_allowed(server))
        except PlatformError as err:
            self.account.cannot_connect(err)
            self.window.set_connectivity("offline")
            self.window.statusBar().showMessage(err.user_message, 30_000)
            return
        if session is None:  # the stored session went away meanwhile
            await self._go_online(client, self.settings.mode_for(server), offline=True)
            self.reauthenticate()
            return
        client.restore_session(session)
        self.account.set_identity(user_name=session.name)
        self.window.show_identity()
        mode = self.settings.mode_for(server)
        try:
            me = await client.me()
            mode = (await client.discover()).mode
        except SessionExpired:
            await self._go_online(client, mode, offline=True)
            self.reauthenticate()
            return
        except PlatformError as err:
            await self._go_online(client, mode, offline=True)
            if not is_transient(err):
                self.window.statusBar().showMessage(err.user_message, 30_000)
                self.reauthenticate()
            log.info("server unreachable at start (%s): working on the cached queue", type(err).__name__)
            return
        self.account.set_identity(user_name=me.name)
        await self._go_online(client, mode)

    async def _resume_online(self, server: str, email: str, session: Session) -> bool:
        """Nothing cached for this mentor: resume the session before opening the window."""
        from mentor_desk.api.errors import PlatformError, SessionExpired, is_transient

        try:
            client = self.connect(server, self.settings.insecure_allowed(server))
        except PlatformError:
            return False
        client.restore_session(session)
        try:
            me = await client.me()
        except SessionExpired:
            await client.aclose()
            return False
        except PlatformError as err:
            if not is_transient(err):
                await client.aclose()
                return False
            log.info("server unreachable at start (%s): opening the cached queue", type(err).__name__)
            await self.open_account(client, email, None, offline=True)
            return True
        await self.open_account(client, email, me)
        return True

    def connect(self, server: str, allow_insecure_http: bool) -> PlatformClient:
        """A platform client of ``server`` (raises ``InsecureServer`` for plain http:// not allowed)."""
        from mentor_desk.api.client import PlatformClient

        return PlatformClient(server, allow_insecure_http=allow_insecure_http, tls=self.settings.preferences().tls)

    def _sign_in_to(self, server: str, allow_insecure_http: bool) -> SignIn:
        """A sign-in conversation on a new client, with the TLS preferences as they are now."""
        return sign_in_to(server, allow_insecure_http, self.settings.preferences().tls)

    async def show_sign_in(self, server: str | None = None) -> SignInDialog:
        from mentor_desk.ui.signin import SignInDialog

        keyring = await self.vault.backend() is Backend.KEYRING
        dialog = SignInDialog(
            self.settings,
            self._sign_in_to,
            server=server,
            offer_token_file=not keyring,
            has_offline_copy=self._has_offline_copy,
        )
        dialog.offline_requested.connect(lambda: self.spawn(self._open_offline(dialog)))
        dialog.accepted.connect(lambda: self._signed_in(dialog))
        dialog.rejected.connect(self._sign_in_cancelled)
        dialog.demo_requested.connect(lambda: self.spawn(self._demo_into(dialog)))
        dialog.preferences_requested.connect(lambda: self._edit_preferences(dialog))
        self.sign_in = dialog
        dialog.show()
        return dialog

    def _edit_preferences(self, parent: QWidget) -> None:
        from mentor_desk.ui.main_window import WINDOW_ACTIONS
        from mentor_desk.ui.preferences import open_preferences

        open_preferences(self.settings, WINDOW_ACTIONS, str(self.paths.data_dir), parent)

    def raise_window(self) -> None:
        """A second launch on this data folder: bring this app's window (or its open dialog) to the front."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication
        from shiboken6 import isValid

        shown = (QApplication.activeModalWidget(), self.window, self.sign_in)
        widget = next((w for w in shown if w is not None and isValid(w)), None)
        if widget is None:
            return
        if widget.isMinimized():
            widget.setWindowState(widget.windowState() & ~Qt.WindowState.WindowMinimized)
        widget.show()
        widget.raise_()
        widget.activateWindow()

    def _has_offline_copy(self, server: str, email: str) -> bool:
        """Whether this computer holds a store (queue, drafts) for ``email`` on ``server``."""
        from mentor_desk.api.base import normalise_server_url
        from mentor_desk.api.errors import PlatformError

        try:
            origin = normalise_server_url(server, allow_insecure_http=True)
        except PlatformError:
            return False
        return database_path(origin, email, self.paths.data_dir).exists()

    async def _open_offline(self, dialog: SignInDialog) -> None:
        """Open the cached queue without a session; sync asks for the password once the server answers."""
        client = self.connect(dialog.server, dialog.insecure_check.isChecked())
        await self.open_account(client, dialog.email, None, offline=True)

    def _signed_in(self, dialog: SignInDialog) -> None:
        assert dialog.signed_in is not None
        self.vault.allow_file = self.settings.token_file_opt_in()
        self.spawn(self.open_account(dialog.signed_in.client, dialog.email, dialog.signed_in.me))

    def _sign_in_cancelled(self) -> None:
        if self.window is None:
            self._quit()

    @staticmethod
    def _quit() -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.quit()

    async def _demo_into(self, dialog: SignInDialog) -> None:
        dialog.show_error("")
        dialog.busy.setVisible(True)
        dialog.demo_button.setEnabled(False)
        try:
            url = await self.start_demo()
        except Exception as err:  # the demo is optional: say why it did not start
            log.exception("demo platform failed to start")
            dialog.show_error(f"The demo platform could not start: {err}")
            return
        finally:
            dialog.busy.setVisible(False)
            dialog.demo_button.setEnabled(True)
        dialog.sign_in_with(url, DEMO_EMAIL, DEMO_PASSWORD, demo=True)

    async def start_demo(self) -> str:
        """Start the sandbox in this process with a freshly seeded database; returns its origin."""
        if self.demo_server is not None:
            return self.demo_server.url
        from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer

        demo_dir = self.paths.demo_dir
        await asyncio.to_thread(shutil.rmtree, demo_dir, ignore_errors=True)  # a large old demo takes a while
        demo_dir.mkdir(parents=True, exist_ok=True)
        server = SandboxServer(SandboxConfig(db_path=demo_dir / "platform.sqlite3"))
        url = await asyncio.to_thread(server.start)
        self.demo_server = server
        log.info("demo platform at %s", url)
        return url

    # -- the main window ----------------------------------------------------------------------------------

    async def open_account(self, client: PlatformClient, email: str, me: Me | None, *, offline: bool = False) -> None:
        """Open the store for this (server, user), discover the mode, show the main window and start syncing."""
        from mentor_desk.api.errors import PlatformError, is_transient

        self.email = email
        store = await self._open_store(client.server_url, email)
        if store is None:
            return
        mode = self.settings.mode_for(client.server_url)
        if not offline:
            try:
                mode = (await client.discover()).mode
            except PlatformError as err:
                offline = offline or is_transient(err)
        name = me.name if me is not None else (client.session.name if client.session else "") or email
        window = await self._make_window(store, client.server_url, mode, name)
        window.show()
        await self._go_online(client, mode, offline=offline)

    async def _open_store(self, server: str, email: str) -> Store | None:
        path = database_path(server, email, self.paths.data_dir)
        opening, self._store_opening = self._store_opening, None
        if opening is not None and opening.path != path:
            await opening.discard()
            opening = None
        try:
            return await (opening or StoreOpening(path)).store()
        except StoreError as err:
            self._fatal(err.user_message)
            return None

    async def _make_window(self, store: Store, server: str, mode: str, user_name: str) -> MainWindow:
        """The main window (not shown yet) filled from the store: queue, badges and outbox counts."""
        account = Account(store, server=server, mode=mode_named(mode), user_name=user_name)
        account.rubric_file = self.settings.preferences().rubric_file
        services = platform_services(account, self.paths.data_dir)
        queue = services.queue
        reading = asyncio.gather(queue.cached_queue_head(FIRST_ROWS), queue.badges())  # read while the window is built
        window = MainWindow(services, self.settings, data_dir=str(self.paths.data_dir))
        if self.demo_server is not None and server == self.demo_server.url:
            window.mark_demo()
        window.sign_in_needed.connect(self.reauthenticate)
        window.sign_out_requested.connect(lambda: self.spawn(self.sign_out()))
        window.offline_toggled.connect(self._offline_toggled)
        window.preferences_changed.connect(lambda prefs: setattr(account, "rubric_file", prefs.rubric_file))
        window.closed.connect(self._quit)
        window.queue_painted.connect(freeze_long_lived)  # start-up is over: keep its objects out of collections
        self.account, self.window = account, window
        if store.recovered is not None:
            window.statusBar().showMessage(store.recovered.user_message, 30_000)
        await window.show_first_rows(reading)
        log.info("main window open: %s mode, %d cached reviews shown first", mode, window.model.rowCount())
        await window.reload_outbox_counts()
        return window

    async def _go_online(self, client: PlatformClient, mode: str, *, offline: bool = False) -> None:
        """Hand the client and a sync engine to the open window's account, then refresh and sync."""
        from mentor_desk.sync.engine import SyncEngine

        account, window = self.account, self.window
        assert account is not None and window is not None
        self.settings.set_mode_for(client.server_url, mode)
        engine = SyncEngine(client, account.store, mode=mode)
        engine.subscribe(self._on_sync_event)
        client.on_session_changed = self._session_changed
        account.connect(client, engine)
        account.set_identity(mode=mode_named(mode))
        window.show_identity()
        self.engine = engine
        if client.session is not None:
            await self.vault.save(client.server_url, self.email, client.session)
        if offline:
            window.set_connectivity("offline")
        else:
            window.refresh()
        self._engine_task = self.spawn(engine.run())

    def _offline_toggled(self, offline: bool) -> None:
        if self.account is not None:
            self.account.offline = offline
        if self.engine is not None:
            if offline:
                self.engine.stop()
            else:
                self.spawn(self._restart_engine(self.engine))

    async def _restart_engine(self, engine: SyncEngine) -> None:
        """Start the background sync again once the stopped run has returned (never two at once)."""
        previous = self._engine_task
        if previous is not None and not previous.done():
            await asyncio.wait({previous})
        self._engine_task = self.spawn(engine.run())

    def _on_sync_event(self, event: SyncEvent) -> None:
        window = self.window
        if window is None:
            return
        match event:
            case StateChanged(state=state):
                if not window.is_offline:  # the mentor chose to work offline: keep saying so
                    window.set_connectivity(_CONNECTIVITY.get(state, str(state)))
                if state is ConnectionState.ONLINE:
                    self.spawn(self._show_last_sync())
            case OutboxChanged(counts=counts):
                window.set_outbox(*waiting_and_conflicts(counts))
                window.outbox_changed()
            case PullDone(changed_ids=changed_ids):
                window.spawn(window.show_pulled(changed_ids))
            case Tier5Pulled():
                window.tier5_changed()
            case ConflictRaised():
                window.statusBar().showMessage(
                    "A review changed on the server while yours waited to be sent: open the outbox (Ctrl+Shift+S)."
                )
                window.outbox_changed()
                window.spawn(window.reload_from_store())
            case NeedsSignIn():
                self.reauthenticate()
            case SyncError(message=message):
                window.statusBar().showMessage(message, 15_000)

    async def _show_last_sync(self) -> None:
        if self.account is None or self.window is None:
            return
        stamp = await self.account.store.sync_state(LAST_SYNC_KEY)
        if stamp:
            self.window.set_last_sync(datetime.fromisoformat(stamp))

    def _session_changed(self, session: Session | None) -> None:
        if self.account is None:
            return
        server = self.account.server
        if session is None:
            self.spawn(self.vault.forget(server, self.email))
        else:
            self.spawn(self.vault.save(server, self.email, session))

    def reauthenticate(self) -> None:
        """Ask for the password (and code) again, on the same client: the window keeps all its state."""
        if self._reauth is not None or self.account is None or self.account.client is None or self.window is None:
            return
        from mentor_desk.ui.signin import SignInDialog

        dialog = SignInDialog(
            self.settings,
            self._sign_in_to,
            server=self.account.server,
            reauth=SignIn(self.account.client),
            reauth_email=self.email,
            parent=self.window,
        )
        dialog.accepted.connect(self._reauthenticated)
        dialog.finished.connect(lambda _result: setattr(self, "_reauth", None))
        self._reauth = dialog
        dialog.open()

    def _reauthenticated(self) -> None:
        if self.engine is not None:
            self.engine.resume()
        if self.window is not None:
            self.window.set_connectivity("online")
            self.window.refresh()

    async def sign_out(self) -> Path | None:
        """Forget the stored session (revoking it when the server answers) and return to the sign-in dialog.

        Local work is never deleted: drafts and unsent changes stay in this mentor's store and are sent after
        the next sign-in. When there are any, the mentor is warned first and may export a copy (returned).
        """
        account, window = self.account, self.window
        if account is None or window is None:
            return None
        drafts = len(await account.store.drafts())
        waiting = sum(waiting_and_conflicts(await account.store.outbox_counts()))
        export: Path | None = None
        if drafts or waiting:
            choice = await window.confirm_sign_out(drafts, waiting)
            if choice is None:
                return None
            if choice is SignOutChoice.EXPORT:
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                export = self.paths.data_dir / "exports" / f"unsynced-before-sign-out-{stamp}.json"
                try:
                    await account.store.export_drafts(export)
                except StoreError as err:  # no copy, no sign-out
                    window.statusBar().showMessage(f"Not signed out: {err.user_message}", 30_000)
                    return None
        server = account.server
        await self._close_account()
        await self.vault.forget(server, self.email)
        dialog = await self.show_sign_in(server)
        if export is not None:
            dialog.show_error(f"Signed out. A copy of your unsynced work is in {export}")
        return export

    async def _close_account(self) -> None:
        """Stop syncing, revoke the session, close the window and the store (the app keeps running)."""
        account, window = self.account, self.window
        assert account is not None and window is not None
        if self.engine is not None:
            self.engine.stop()
        tasks = [
            *(t for t in self._background.running() if t is not asyncio.current_task()),
            *window.background_tasks(),
        ]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if account.client is not None:
            account.client.on_session_changed = None
            await account.client.logout()
            await account.client.aclose()
        await account.store.close()
        window.closed.disconnect(self._quit)
        window.close()
        window.deleteLater()
        self.account = self.window = self.engine = None
        self._engine_task = None

    def _fatal(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "mentor_desk cannot start", message)

    # -- shutting down ------------------------------------------------------------------------------------

    async def shutdown(self) -> None:
        """Write pending edits, stop syncing, let every background task finish cancelling, then close the client
        and the store."""
        if self.window is not None:
            await self.window.flush_drafts()
        if self.engine is not None:
            self.engine.stop()
        tasks = [*self._background.running(), *(self.window.background_tasks() if self.window is not None else ())]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self.account is not None:
            if self.account.client is not None:
                await self.account.client.aclose()
            await self.account.store.close()
        if self.demo_server is not None:
            await asyncio.to_thread(self.demo_server.stop)
            self.demo_server = None


def _import_network_stack() -> None:
    """Run in a worker thread, so that the window stays responsive while these load."""
    for name in NETWORK_STACK:
        importlib.import_module(name)
