"""The Qt binding this project pins does not corrupt Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to ``True`` on every ``Signal.emit()``; after a few thousand
emits (one large sync) the interpreter aborts with "bool_dealloc: deallocating True or False". This test keeps a
binding with that fault from being pinned again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    with_value = Signal(int)
    bare = Signal()


def test_emitting_signals_keeps_reference_counts() -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(1000):
        emitter.with_value.emit(1)
        emitter.bare.emit()
    assert (sys.getrefcount(True), sys.getrefcount(None)) == before
