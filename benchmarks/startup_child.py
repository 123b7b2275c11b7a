"""Child process of the ``startup_ratio`` figure. Prints the wall-clock time of its first painted window.

startup_child.py seed DIR N   prepare DIR: N cached queue rows, a remembered server and a stored session
startup_child.py bare         a bare QMainWindow, the baseline
startup_child.py app DIR      ``mentor-desk`` itself, as a mentor starts it on a train: the stored session
                              is resumed, the server is unreachable, the cached queue is shown; it quits
                              as a mentor quits it (the store closed), so every run starts after a quit
"""

from __future__ import annotations

import asyncio
import importlib.abc
import importlib.machinery
import os
import sys
import time
import types
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

SERVER = "http://127.0.0.1:9"  # the discard port: nothing listens, the connection is refused at once
EMAIL = "mentor@demo.och"


def _environment(data_dir: Path) -> None:
    os.environ["MENTOR_DESK_DATA_DIR"] = str(data_dir)
    os.environ["XDG_CONFIG_HOME"] = str(data_dir / "config")


def seed(data_dir: Path, count: int) -> None:
    _environment(data_dir)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.synthetic import queue_items
    from mentor_desk.api.credentials import FILE_NAME, TokenVault
    from mentor_desk.api.session import Session
    from mentor_desk.store.store import Store
    from mentor_desk.ui.settings import AppSettings

    async def prepare() -> None:
        store = await Store.open(SERVER, EMAIL, data_dir=data_dir)
        await store.replace_queue(queue_items(count))
        await store.close()
        vault = TokenVault(data_dir / FILE_NAME, allow_file=True, use_keyring=False)
        await vault.save(SERVER, EMAIL, Session("bench-access", "bench-refresh", 1, EMAIL, "Bench Mentor", ("mentor",)))

    asyncio.run(prepare())
    settings = AppSettings()
    settings.remember_server(SERVER, EMAIL)
    settings.set_token_file_opt_in(True)
    settings.qsettings.sync()


def _report_first_paint(widget, quit_cleanly: bool = False) -> None:
    """Print the time of ``widget``'s first paint, then quit (at once, or as the user quits the app: its store
    is closed, so that the next start is a start after a normal quit).

    The filter watches that one widget. An application-wide Python event filter would make PySide wrap every
    object that receives an event (initialising its Python type and enums): ~30 ms that the app itself never
    spends, and more in a window with more widgets than the bare one.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print(f"{time.time():.6f}", flush=True)
                watched.removeEventFilter(self)
                QTimer.singleShot(0, QApplication.quit if quit_cleanly else lambda: os._exit(0))
            return False

    widget._first_paint = FirstPaint(widget)
    widget.installEventFilter(widget._first_paint)


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    _report_first_paint(window)
    window.resize(1280, 800)
    window.show()
    app.exec()


class _WatchMainWindow(importlib.abc.MetaPathFinder):
    """Reports the first paint of the queue table of every MainWindow, without importing the window's module
    before the app does (start-up order is what is measured)."""

    MODULE = "mentor_desk.ui.main_window"

    def find_spec(self, name, path, target=None):
        if name != self.MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        assert spec is not None and spec.loader is not None
        load = spec.loader.exec_module

        def exec_module(module: types.ModuleType) -> None:
            load(module)
            made = module.MainWindow.__init__

            def watched(window, *args, **kwargs) -> None:
                made(window, *args, **kwargs)
                _report_first_paint(window.queue.table.viewport(), quit_cleanly=True)

            module.MainWindow.__init__ = watched

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def app(data_dir: Path) -> None:
    _environment(data_dir)
    sys.meta_path.insert(0, _WatchMainWindow())
    from mentor_desk.cli import run

    sys.exit(run([]))


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "seed":
        seed(Path(rest[0]), int(rest[1]))
    elif command == "bare":
        bare()
    else:
        app(Path(rest[0]))
