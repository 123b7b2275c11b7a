"""The store on the app's qasync loop: calls complete without blocking the Qt thread."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.store import Store


def test_store_calls_run_off_the_qt_thread(qapp: QApplication, tmp_path: Path) -> None:
    loop = qasync.QEventLoop(qapp)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))  # the Qt loop keeps turning while the store works
    timer.start(1)
    store_threads: set[str] = set()

    async def scenario() -> None:
        store = await Store.open_path(tmp_path / "db.sqlite3")
        try:
            for n in range(50):
                await store.save_draft(f"r{n % 5}", "", ReviewDraft(attempt=n))
            store_threads.add(await store.call(lambda _conn: threading.current_thread().name))
            evidence = tmp_path / "evidence.bin"
            evidence.write_bytes(b"x" * 2_000_000)
            cached = await store.add_file(evidence, hashlib.sha256(b"x" * 2_000_000).hexdigest())
            assert cached.stat().st_size == 2_000_000
            assert set(await store.badges()) == {f"r{n}" for n in range(5)}
        finally:
            await store.close()

    try:
        loop.run_until_complete(scenario())
    finally:
        timer.stop()
        loop.close()
    assert store_threads and all(name.startswith("mentor-desk-store") for name in store_threads)
    assert threading.current_thread() is threading.main_thread()
    assert len(ticks) > 5
