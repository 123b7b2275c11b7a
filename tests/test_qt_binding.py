"""The Qt binding this project pins does not corrupt Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to ``True`` on every ``Signal.emit()`` and to ``None`` on every
call of a method that returns nothing; after a few thousand calls (one large sync, one keystroke on a large
review) the interpreter aborts with "bool_dealloc" or "none_dealloc". These tests keep a binding with that fault
from being pinned again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLineEdit


class _Emitter(QObject):
    with_value = Signal(int)
    bare = Signal()


def test_emitting_signals_keeps_reference_counts() -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(1000):
        emitter.with_value.emit(1)
        emitter.bare.emit()
    drift = [abs(sys.getrefcount(True) - before[0]), abs(sys.getrefcount(None) - before[1])]
    assert max(drift) < 10  # the faulty binding loses 1,000 references to True here


def test_methods_returning_nothing_keep_reference_counts() -> None:
    app = QApplication.instance() or QApplication([])
    line = QLineEdit()
    app.processEvents()  # the first call caches a few objects of its own
    before = sys.getrefcount(None)
    for n in range(1000):
        line.setText(str(n))
        app.processEvents()
    assert abs(sys.getrefcount(None) - before) < 10  # the faulty binding loses 2,000 here
