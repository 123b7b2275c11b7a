"""Evidence viewers: how long the GUI thread freezes while a very large file opens.

A 2,000-page, 50 MB PDF opens in :class:`~mentor_desk.ui.review.viewers.pdf_viewer.PdfViewer` and a zip of
10,000 members lists in :class:`~mentor_desk.ui.review.viewers.zip_viewer.ZipViewer`, each shown offscreen on a
qasync loop. A 5 ms timer ticks on the GUI thread from before the open until the view has laid out and painted;
the figure is the largest lateness of a tick over all opens. A person sees a 50 ms freeze on any machine, so the
limit is absolute; the baseline is the same timer's largest lateness over an idle loop for as long, interleaved.
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
import zipfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from benchmarks.figures import Figure, absolute_figure, figure, interleaved
from benchmarks.synthetic import write_pdf

TICK_MS = 5
SETTLE_S = 0.1
LIMIT_MS = 50.0


def _latest_tick_lateness(loop: asyncio.AbstractEventLoop, work: Callable[[], Coroutine[Any, Any, Any]]) -> float:
    """Milliseconds by which the 5 ms timer was latest while ``work()`` ran and the GUI settled after it."""
    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()

    async def measured() -> None:
        await asyncio.sleep(0.05)
        await work()
        await asyncio.sleep(SETTLE_S)

    try:
        loop.run_until_complete(measured())
    finally:
        timer.stop()
    gaps = (later - earlier for earlier, later in itertools.pairwise(ticks))
    return max(0.0, max(gaps) * 1000 - TICK_MS)


def _stall_figure(name: str, make_viewer: Callable[[], Any], path: Path, check: Callable[[Any], bool]) -> Figure:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    loop.set_default_executor(qasync.QThreadExecutor(2))
    asyncio.set_event_loop(loop)
    durations: list[float] = []

    def app_sample() -> float:
        viewer = make_viewer()
        viewer.resize(800, 900)
        viewer.show()
        started = time.perf_counter()
        try:
            stall = _latest_tick_lateness(loop, lambda: viewer.load(path))
            if not check(viewer):
                raise RuntimeError(f"{name}: the viewer did not show the file")
        finally:
            durations.append(time.perf_counter() - started)
            viewer.close()
            viewer.deleteLater()
        return stall

    def idle_sample() -> float:
        return _latest_tick_lateness(loop, lambda: asyncio.sleep(durations[-1] if durations else 0.5))

    try:
        app_samples, idle_samples = interleaved(app_sample, idle_sample)
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    return absolute_figure(
        name, "ms", max(app_samples), max(idle_samples), LIMIT_MS, detail={"samples": len(app_samples)}
    )


@figure("pdf_open_stall_ms")
def pdf_open_stall_ms() -> Figure:
    from mentor_desk.ui.review.viewers.pdf_viewer import PdfViewer

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        write_pdf(path, pages=2000)
        return _stall_figure(
            "pdf_open_stall_ms", PdfViewer, path, lambda viewer: viewer.document.pageCount() == 2000
        )


@figure("zip_list_stall_ms")
def zip_list_stall_ms() -> Figure:
    from mentor_desk.ui.review.viewers.zip_safety import MAX_MEMBERS
    from mentor_desk.ui.review.viewers.zip_viewer import ZipViewer

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "evidence.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for number in range(MAX_MEMBERS):
                archive.writestr(f"capture/frames/frame-{number:05d}.txt", b"frame %d" % number)
        return _stall_figure(
            "zip_list_stall_ms", ZipViewer, path, lambda viewer: viewer.table.model().rowCount() == MAX_MEMBERS
        )
