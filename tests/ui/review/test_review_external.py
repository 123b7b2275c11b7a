"""Files without a built-in viewer: explained, and handed to the desktop only after a warning."""

from __future__ import annotations

from pathlib import Path


def test_unknown_files_are_opened_externally_only_after_a_warning(qtbot, run, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                  monkeypatch) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from mentor_desk.ui.review.viewers import viewer_for
    from mentor_desk.ui.review.viewers.external_viewer import ExternalViewer

    cached = tmp_path / "0f3a9c"  # the store keeps files under their hash
    cached.write_bytes(b"\x00binary")
    viewer = viewer_for("../../macro.docm")
    qtbot.addWidget(viewer)
    assert isinstance(viewer, ExternalViewer)
    run(viewer.load(cached))
    assert "no built-in viewer" in viewer.summary and "macro.docm" in viewer.summary

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)  # the desktop: edge
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert not viewer.open_externally() and not opened
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Open)
    assert viewer.open_externally()
    target = Path(opened[0].toLocalFile())
    assert target.name == "macro.docm" and target.read_bytes() == b"\x00binary"
    assert tmp_path not in target.parents  # a private copy, named for the desktop; the cache is untouched
