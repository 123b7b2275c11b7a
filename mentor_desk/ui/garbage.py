"""Python's cyclic garbage collector, run only on the Qt thread.

Automatic collection may start in whatever thread happens to allocate — the store's worker, an executor
thread, the in-process demo server. If it frees a Qt object that lives in the GUI thread there, Qt cannot
unregister that object's timers and later delivers a timer event to freed memory (a segfault). Like Anki's
``GarbageCollector``, automatic collection is switched off and the GUI thread collects on a timer instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class MainThreadGarbageCollector(QObject):
    """Create on the GUI thread; collects the generations whose thresholds were passed, every second."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        """Stop the timer and give collection back to Python."""
        self._timer.stop()
        gc.collect()
        gc.enable()
