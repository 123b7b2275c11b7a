"""A PDF written so that failing to write it is an ``OSError`` like any other file's.

``QPdfWriter`` on a path fails silently: on a full disk or into a read-only folder it wrote nothing (or half a
file) and the mentor was told the record had been written. The PDF is painted into memory instead, then
written to the file with Python, whose errors the export screens already turn into a sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QPdfWriter


@contextmanager
def pdf_writer(path: Path) -> Iterator[QPdfWriter]:
    """A writer to paint one PDF with; once the painting has ended and the block is left, the PDF is written
    to ``path`` (raising ``OSError`` when it cannot be)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    yield writer
    del writer  # the painting has ended: the PDF is whole in the buffer
    path.write_bytes(bytes(buffer.data().data()))
