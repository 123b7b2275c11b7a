"""Files without a built-in viewer: explained, and handed to the desktop only after a warning."""

from __future__ import annotations

import threading
from pathlib import Path


def test_unknown_files_are_opened_externally_only_after_a_warning(qtbot, run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QObject, QUrl, Slot
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from mentor_desk.ui.review.viewers import external_viewer, viewer_for
    from mentor_desk.ui.review.viewers.external_viewer import ExternalViewer

    copied_in: list[threading.Thread] = []  # the real copy, watched: a learner's file can be large
    copy = external_viewer.shutil.copy2
    monkeypatch.setattr(
        external_viewer.shutil, "copy2", lambda *args: copied_in.append(threading.current_thread()) or copy(*args)
    )

    cached = tmp_path / "0f3a9c"  # the store keeps files under their hash
    cached.write_bytes(b"\x00binary")
    viewer = viewer_for("../../macro.docm")
    qtbot.addWidget(viewer)
    assert isinstance(viewer, ExternalViewer)
    run(viewer.load(cached))
    assert "no built-in viewer" in viewer.summary and "macro.docm" in viewer.summary

    opened: list[QUrl] = []

    class Desktop(QObject):  # Qt's own hook for where URLs go: stands in for the desktop's file handler
        @Slot(QUrl)
        def show(self, url: QUrl) -> None:
            opened.append(url)

    desktop = Desktop()
    QDesktopServices.setUrlHandler("file", desktop, "show")
    try:
        box = viewer.open_externally()
        assert box is not None and "uploaded by a learner" in box.text()
        box.button(QMessageBox.StandardButton.Cancel).click()
        assert not opened
        box = viewer.open_externally()
        assert box is not None
        box.button(QMessageBox.StandardButton.Open).click()
        qtbot.waitUntil(lambda: bool(opened))
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert len(opened) == 1 and copied_in and copied_in[0] is not threading.main_thread()
    target = Path(opened[0].toLocalFile())
    assert target.name == "macro.docm" and target.read_bytes() == b"\x00binary"
    assert tmp_path not in target.parents  # a private copy, named for the desktop; the cache is untouched


def test_a_file_gone_from_the_cache_is_explained_instead_of_opened(qtbot, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from mentor_desk.ui.review.viewers import viewer_for

    cached = tmp_path / "0f3a9c"
    cached.write_bytes(b"report")
    viewer = viewer_for("report.odt")
    qtbot.addWidget(viewer)
    run(viewer.load(cached))
    cached.unlink()  # evicted from the file cache while the viewer was open
    box = viewer.open_externally()
    assert box is not None
    box.button(QMessageBox.StandardButton.Open).click()
    qtbot.waitUntil(lambda: "could not be handed" in viewer.summary)
    assert viewer.summary.startswith("“report.odt” could not be handed to another application")
