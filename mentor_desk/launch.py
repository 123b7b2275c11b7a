"""Launching the desktop app: ``run_gui()``.

The order is chosen for how soon a returning mentor sees the queue. The QApplication comes first. When this
computer holds the store of the mentor who signed in last, that store starts opening on its worker threads
(SQLite's health check and migrations run there without holding the GIL) while the rest of the app — the
widgets, qasync, the composition root — is imported. :class:`~mentor_desk.app.AppShell` then takes over on one
qasync loop and picks the opened store up if it is the one it shows.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mentor_desk.domain.preferences import Theme
from mentor_desk.paths import APP_NAME, AppPaths
from mentor_desk.single_instance import SingleInstance
from mentor_desk.store.database import database_path
from mentor_desk.store.store import StoreOpening
from mentor_desk.ui.settings import AppSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

ORG_NAME = "OCH"
DESKTOP_ID = "mentor-desk"
"""The desktop entry (``mentor-desk.desktop``) and icon name the installed package uses."""

GIL_SWITCH_INTERVAL_S = 0.001
"""How long the GUI thread may wait for the GIL while a worker thread (the store's reads, a queue comparison)
runs Python. Painting and model resets call back into Python hundreds of times, each waiting for the GIL:
with Python's 5 ms default a busy worker turned a 10 ms reset and repaint of the queue into ~50 ms; with
1 ms, ~32 ms."""


def create_application(argv: list[str] | None = None) -> QApplication:
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationDisplayName("mentor_desk")
    app.setDesktopFileName(DESKTOP_ID)  # the window's WM_CLASS / Wayland app id: the .desktop entry's name
    app.setWindowIcon(QIcon(str(Path(__file__).parent / "ui" / "mentor-desk.svg")))
    if existing is None:
        from mentor_desk.ui.translations import install_translators

        install_translators(app)
    return app


def open_last_store(settings: AppSettings, paths: AppPaths) -> StoreOpening | None:
    """Begin opening the store of the account signed in to last, when this computer holds one."""
    account = settings.last_account()
    if account is None:
        return None
    path = database_path(*account, paths.data_dir)
    return StoreOpening(path) if path.exists() else None


def run_gui(*, demo: bool = False, server: str | None = None) -> int:
    """Run the desktop app until its last window closes. Returns the exit code."""
    app = create_application()
    paths = AppPaths.default()
    guard = SingleInstance(paths.data_dir)
    if not guard.claim():  # the app already runs on this data folder: it comes to the front instead
        print("mentor-desk: already running on this data folder; its window was brought to the front.",
              file=sys.stderr)
        return 0
    settings = AppSettings()
    prefs = settings.preferences()
    if prefs.theme is not Theme.SYSTEM or prefs.font_size:
        from mentor_desk.ui.theme import apply_appearance

        apply_appearance(app, prefs)
    head_start = None if demo or server else open_last_store(settings, paths)

    import asyncio  # the rest of the app is imported while the store opens

    import qasync

    from mentor_desk.app import AppShell
    from mentor_desk.services.logs import configure_logging, stop_logging
    from mentor_desk.ui.crash import CrashHandler
    from mentor_desk.ui.garbage import MainThreadGarbageCollector, freeze_long_lived

    freeze_long_lived()  # the modules and classes imported so far live as long as the app
    collector = MainThreadGarbageCollector(app)
    log_path = configure_logging(paths.log_dir)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    shell = AppShell(settings, paths, CrashHandler(lambda: shell.window), store_opening=head_start)
    log.info("mentor_desk starting (log: %s)", log_path)
    shell.crash.install(loop)
    guard.raise_requested.connect(shell.raise_window)
    # Windows come and go (sign-in closes before the main window opens): quit explicitly instead.
    app.setQuitOnLastWindowClosed(False)
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    with loop:
        start = loop.create_task(shell.start(demo=demo, server=server))
        start.add_done_callback(shell.report_start_failure)
        loop.run_until_complete(quitting.wait())
        loop.run_until_complete(shell.shutdown())
    collector.stop()
    stop_logging()  # the last records written before run_gui returns (atexit would, later)
    return 0
