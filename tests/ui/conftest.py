"""Fixtures for the app-shell UI tests: one qasync loop per module, isolated settings and data directories."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QSettings

from mentor_desk.app import AppPaths, DeskApp
from mentor_desk.ui.crash import CrashHandler
from mentor_desk.ui.settings import AppSettings

Runner = Callable[..., Any]


@pytest.fixture(scope="module")
def loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """The Qt event loop as asyncio's loop, as in the app."""
    qapp.setQuitOnLastWindowClosed(False)  # as in the app: closing a dialog must not stop the loop
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    asyncio.set_event_loop(None)


@pytest.fixture(scope="module")
def run(loop: asyncio.AbstractEventLoop) -> Runner:
    """``run(coro)`` drives the qasync loop until ``coro`` finishes (30 s at most)."""

    def runner(coro: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        return loop.run_until_complete(asyncio.wait_for(coro, timeout))

    return runner


@pytest.fixture
def until(run: Runner) -> Callable[..., None]:
    """``until(predicate)`` lets the loop run until ``predicate()`` holds; fails after ``seconds``."""

    async def wait(predicate: Callable[[], bool], seconds: float) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while not predicate():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"condition not met within {seconds} s")
            await asyncio.sleep(0.02)

    return lambda predicate, seconds=15.0: run(wait(predicate, seconds), timeout=seconds + 5)


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "data", tmp_path / "logs")


@pytest.fixture
def shell(settings: AppSettings, paths: AppPaths, run: Runner) -> Iterator[DeskApp]:
    """The composition root with test settings and data dir; shut down (sandbox, store, client) afterwards."""
    app = DeskApp(settings, paths, CrashHandler())
    yield app
    if app.sign_in is not None:
        app.sign_in.close()
    if app.window is not None:
        app.window.close()
    run(app.shutdown())
