"""Fixtures of every UI test (review/conftest.py adds the review workspace's): one running qasync loop per
module, as in the app; isolated settings and data directories; the composition root."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QEvent, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from mentor_desk.app import AppShell
from mentor_desk.paths import AppPaths
from mentor_desk.ui.crash import CrashHandler
from mentor_desk.ui.garbage import MainThreadGarbageCollector
from mentor_desk.ui.settings import AppSettings

Runner = Callable[..., Any]


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread(qapp: Any) -> Iterator[None]:
    """As in the app (:mod:`mentor_desk.ui.garbage`): no automatic collection in whatever thread allocates
    (the sandbox's, the store's, executors) — it could free Qt objects there and leave dangling timers."""
    collector = MainThreadGarbageCollector()
    yield
    collector.stop()
    collector.deleteLater()


@pytest.fixture(scope="module")
def loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """The Qt event loop as asyncio's *running* loop, as in the app.

    ``already_running=True``: whenever Qt processes events (qtbot.waitUntil, pytest-qt between tests), the
    app's background tasks (sync engine, refreshes) step inside a running asyncio loop, as they do in the app.
    """
    qapp.setQuitOnLastWindowClosed(False)  # as in the app: closing a dialog must not stop the loop
    gc.collect()  # earlier modules' Qt objects and loops go now, not in the middle of our event processing
    event_loop = qasync.QEventLoop(qapp, already_running=True)
    executor = qasync.QThreadExecutor(4)  # asyncio.to_thread's threads; shut down with the module
    event_loop.set_default_executor(executor)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    executor.shutdown(wait=True)
    event_loop._after_run_forever()  # type: ignore[attr-defined]
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)
    gc.collect()


@pytest.fixture(scope="module")
def run(loop: asyncio.AbstractEventLoop) -> Runner:
    """``run(coro)`` lets Qt and asyncio run until ``coro`` finishes (30 s at most) and returns its result.

    Module-scoped (module fixtures sign in with it), so it runs a nested Qt event loop of its own rather than
    waiting with the test's ``qtbot``.
    """

    def runner(coro: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        task = loop.create_task(coro)
        waiting = QEventLoop()
        task.add_done_callback(lambda _task: waiting.quit())
        QTimer.singleShot(int(timeout * 1000), waiting, waiting.quit)
        waiting.exec()
        if not task.done():
            task.cancel()
            raise TimeoutError(f"{coro.__qualname__} did not finish within {timeout:g} s")
        return task.result()

    return runner


@pytest.fixture
def until(qtbot: Any, loop: asyncio.AbstractEventLoop) -> Callable[..., None]:
    """``until(predicate)`` lets the loop run until ``predicate()`` holds; fails after ``seconds``."""
    return lambda predicate, seconds=20.0: qtbot.waitUntil(predicate, timeout=int(seconds * 1000))


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "data", tmp_path / "logs")


@pytest.fixture
def shell(settings: AppSettings, paths: AppPaths, run: Runner) -> Iterator[AppShell]:
    """The composition root with test settings and data dir; shut down (sandbox, store, client) afterwards."""
    app = AppShell(settings, paths, CrashHandler())
    yield app
    run(app.shutdown())
    if app.window is not None:
        app.window.closed.disconnect()  # in the app, closing the main window quits; not between tests
    for widget in (app.sign_in, app.window):
        if widget is not None:
            widget.close()
            widget.deleteLater()
    # Delete them now, at a known point, not whenever Python's garbage collector happens to run.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
