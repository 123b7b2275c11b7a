"""Child process of the ``startup_ratio`` figure. Prints the wall-clock time of its first painted window.

    startup_child.py seed DIR N   prepare DIR: N cached queue rows, a remembered server and a stored session
    startup_child.py bare         a bare QMainWindow, the baseline
    startup_child.py app DIR      ``mentor-desk`` itself, as a mentor starts it on a train: the stored session
                                  is resumed, the server is unreachable, the cached queue is shown
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
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
    from mentor_desk.api.session import Session
    from mentor_desk.store.store import Store
    from mentor_desk.ui.credentials import TokenVault
    from mentor_desk.ui.settings import AppSettings

    async def prepare() -> None:
        store = await Store.open(SERVER, EMAIL, data_dir=data_dir)
        await store.replace_queue(queue_items(count))
        await store.close()
        vault = TokenVault(data_dir / "session.json", allow_file=True, use_keyring=False)
        await vault.save(SERVER, EMAIL, Session("bench-access", "bench-refresh", 1, EMAIL, "Bench Mentor", ("mentor",)))

    asyncio.run(prepare())
    settings = AppSettings()
    settings.remember_server(SERVER, EMAIL)
    settings.set_token_file_opt_in(True)
    settings.qsettings.sync()


def _report_first_paint(is_target) -> None:  # type: ignore[no-untyped-def]
    """Print the time of the first paint of a widget for which ``is_target(widget)`` holds, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and is_target(watched):
                print(f"{time.time():.6f}", flush=True)
                QApplication.instance().removeEventFilter(self)
                QTimer.singleShot(0, lambda: os._exit(0))
            return False

    app = QApplication.instance()
    app._first_paint = FirstPaint(app)  # type: ignore[attr-defined]
    app.installEventFilter(app._first_paint)  # type: ignore[attr-defined]


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    _report_first_paint(lambda widget: widget is window)
    window.resize(1280, 800)
    window.show()
    app.exec()


def app(data_dir: Path) -> None:
    _environment(data_dir)
    from mentor_desk.app import create_application, run_gui

    qt_app = create_application()

    def painted_queue(widget) -> bool:  # type: ignore[no-untyped-def]
        table = widget.parent() if widget is not None else None
        if table is None or table.objectName() != "queueTable":
            return False
        return table.model().rowCount() > 0

    _report_first_paint(painted_queue)
    assert qt_app is not None
    run_gui()


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "seed":
        seed(Path(rest[0]), int(rest[1]))
    elif command == "bare":
        bare()
    else:
        app(Path(rest[0]))
