"""Issue 16, item 3 (files): a 2 GB log in the evidence opens one page at a time: the desk reads a page, never
the file, and moving through it reads one page more (the file is sparse: 2 GiB on paper, a few kB on disk); a
line of 1 MB, or a hole of zeros, is shown in pieces short enough for Qt to lay out quickly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentor_desk.ui.review.viewers import viewer_for
from mentor_desk.ui.review.viewers.text_viewer import LINE_BYTES, PAGE_BYTES, TextViewer

from .tally import TALLY

SIZE = 2 * 1024**3
LINE = b"Dec  4 12:00:01 bastion sshd[4242]: Failed password for invalid user admin from 203.0.113.9 port 22\n"
HEAD = LINE * 20_000  # about 2 MB of ordinary log, then a hole of zeros, then a last line
TAIL = b"Dec  4 23:59:59 bastion sshd[4242]: the last line\n"


def bytes_read() -> int:
    """What this process has read so far (``rchar``: every read, from disk or cache)."""
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return int(fields["rchar"])


def sparse_log(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.write(HEAD)
        handle.seek(SIZE - len(TAIL))
        handle.write(TAIL)
    assert path.stat().st_size == SIZE
    return path


def test_a_two_gigabyte_log_is_read_a_page_at_a_time(qtbot: Any, run: Any, tmp_path: Path) -> None:
    path = sparse_log(tmp_path / "auth.log")
    viewer = viewer_for("auth.log")
    assert isinstance(viewer, TextViewer)
    qtbot.addWidget(viewer)
    viewer.show()
    before = bytes_read()
    run(viewer.load(path))
    first = bytes_read() - before
    assert viewer.page is not None and viewer.page.start == 0 and viewer.editor.toPlainText().startswith(LINE.decode())
    assert f"of {SIZE:,}" in viewer.summary, viewer.summary
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    viewer.editor.setFocus()
    for _ in range(4):  # the end of the log, then the hole: each a page, none the file
        shown = viewer.page
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda shown=shown: viewer.page is not None and viewer.page.start == shown.end)
    read = bytes_read() - before
    TALLY.tried_cases("learner content: files", 5)
    if read > 16 * PAGE_BYTES:
        TALLY.bad("learner content: files", "hangs", f"opening a 2 GB log read {read:,} bytes")
    assert first < 4 * PAGE_BYTES and read < 16 * PAGE_BYTES, (first, read)
    assert viewer.page.start >= len(HEAD) and "\0" in viewer.editor.toPlainText()[:10]
    assert viewer.page.end - viewer.page.start <= LINE_BYTES  # the hole: no endless line to lay out


def pages_of(viewer: TextViewer, qtbot: Any) -> list[str]:
    """Every page of the loaded file, moving on with Alt+PgDown as the mentor would."""
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    viewer.editor.setFocus()
    assert viewer.page is not None
    pages = [viewer.editor.toPlainText()]
    while viewer.page.end < viewer.page.size:
        shown = viewer.page
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda shown=shown: viewer.page is not None and viewer.page.start == shown.end)
        pages.append(viewer.editor.toPlainText())
    return pages


def test_a_one_megabyte_line_is_shown_in_pieces(qtbot: Any, run: Any, tmp_path: Path) -> None:
    line = "é" + "<b>x</b>\u202e" * 80_000 + "\n"  # 1 MB, odd-aligned multi-byte characters, no break
    path = tmp_path / "one-line.log"
    path.write_text("first line\n" + line + "last line\n", encoding="utf-8")
    viewer = viewer_for("one-line.log")
    assert isinstance(viewer, TextViewer)
    qtbot.addWidget(viewer)
    viewer.show()
    run(viewer.load(path))
    pages = pages_of(viewer, qtbot)
    TALLY.tried_cases("learner content: files")
    longest = max(len(text.encode()) for page in pages for text in page.split("\n"))
    if longest > LINE_BYTES:
        TALLY.bad("learner content: files", "hangs", f"a page holds a line of {longest:,} bytes")
    assert longest <= LINE_BYTES and "".join(pages) == path.read_text(encoding="utf-8"), longest
