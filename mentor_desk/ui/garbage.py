"""Python's cyclic garbage collector, run only on the Qt thread.

Automatic collection may start in whatever thread happens to allocate — the store's worker, an executor
thread, the in-process demo server. If it frees a Qt object that lives in the GUI thread there, Qt cannot
unregister that object's timers and later delivers a timer event to freed memory (a segfault). Like Anki's
``GarbageCollector``, automatic collection is switched off and the GUI thread collects on a timer instead.

A collection blocks the event loop for as long as it takes, which grows with the number of objects it
scans, so the timer runs often (young generations stay small) and the whole heap is scanned only under
CPython's own rule: when the objects that reached the oldest generation since the last full collection
exceed a quarter of those that survived it. What the app loads at start-up (modules, classes, the window)
lives as long as the app: :func:`freeze_long_lived` takes it out of every later scan.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 50
"""A busy sync allocates tens of thousands of objects a second; collected every 50 ms, the youngest
generation holds a few thousand (a millisecond or two to scan, not the 20–45 ms of a second's worth)."""
MIDDLE_AFTER_YOUNG = 3
"""The middle generation is collected after this many collections of the youngest (Python: 10). What a pull
keeps (10,000 parsed rows) passes through it once whatever the rhythm: in several short scans rather than
one of ~60 ms."""
FULL_AFTER_GROWTH = 0.25
"""A full collection waits until the oldest generation grew by this fraction since the last one."""


class MainThreadGarbageCollector(QObject):
    """Create on the GUI thread; collects the generations whose thresholds were passed, every 50 ms."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._thresholds = gc.get_threshold()
        self._long_lived = len(gc.get_objects(2))
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        if counts[2] > self._thresholds[2] and self._grown_enough():
            gc.collect(2)
            self._long_lived = len(gc.get_objects(2))
        elif counts[1] > MIDDLE_AFTER_YOUNG:
            gc.collect(1)
        elif counts[0] > self._thresholds[0]:
            gc.collect(0)

    def _grown_enough(self) -> bool:
        return len(gc.get_objects(2)) - self._long_lived > self._long_lived * FULL_AFTER_GROWTH

    def stop(self) -> None:
        """Stop the timer and give collection back to Python."""
        self._timer.stop()
        gc.collect()
        gc.enable()


def freeze_long_lived() -> None:
    """Leave every object alive now out of all later collections (:func:`gc.freeze`): call once the app has
    started, when what exists is what the app keeps (its modules, classes and main window)."""
    gc.freeze()
