"""The media viewer on real libVLC (controls, keys, errors, teardown) and the PDF viewer opening a large report
without stalling the GUI thread."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSlider, QApplication

from benchmarks.synthetic import write_pdf
from mentor_desk.media import playback
from mentor_desk.media.playback import LibVlc
from mentor_desk.services.review_view import review_view
from mentor_desk.ui.review.viewers.media_viewer import MediaViewer
from mentor_desk.ui.review.viewers.pdf_viewer import PdfViewer


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 12-second video-only clip: long enough for 5-second steps."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg): cannot make a test clip")
    path = tmp_path_factory.mktemp("clips") / "walkthrough.mp4"
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=5:d=12"]
    subprocess.run([*command, "-c:v", "mpeg4", str(path)], check=True, timeout=60)
    return path


@pytest.fixture
def media_viewer(qtbot: Any) -> Iterator[MediaViewer]:
    viewer = MediaViewer()
    viewer.filename = "walkthrough.mp4"
    qtbot.addWidget(viewer)
    viewer.resize(640, 420)
    viewer.show()
    yield viewer
    viewer.player.close()


def _libvlc_player(viewer: MediaViewer) -> Any:
    """The python-vlc MediaPlayer behind the viewer, to check what libVLC itself was told."""
    session = viewer.player._slot.current
    assert session is not None
    return session.player


def test_keys_and_controls_drive_libvlc(media_viewer: MediaViewer, long_clip: Path, run: Any, qtbot: Any) -> None:
    viewer = media_viewer
    run(viewer.load(long_clip))
    qtbot.waitUntil(lambda: viewer.player.duration() == 12_000, timeout=5000)
    assert viewer.clock.text() == "0:00 / 0:12" and viewer.slider.maximum() == 12_000
    assert viewer.summary == "media: 0:12"
    viewer.activateWindow()
    viewer.slider.setFocus()
    qtbot.keyClick(viewer.slider, Qt.Key.Key_Right)
    qtbot.keyClick(viewer.slider, Qt.Key.Key_Right)
    qtbot.keyClick(viewer.slider, Qt.Key.Key_Left)
    assert viewer.player.position() == 5000 and viewer.clock.text() == "0:05 / 0:12"
    assert viewer.slider.value() == 5000
    viewer.speed.setCurrentIndex(viewer.speed.findText("1.5×"))
    viewer.volume.setValue(40)
    qtbot.keyClick(viewer.slider, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: viewer.player.state() == "playing", timeout=5000)
    assert viewer.play_button.text() == "Pause"
    vlc_player = _libvlc_player(viewer)
    assert vlc_player.get_rate() == 1.5
    qtbot.waitUntil(lambda: vlc_player.get_time() > 5000, timeout=3000)  # libVLC started at the step's position
    qtbot.keyClick(viewer.play_button, Qt.Key.Key_Space)  # Space pauses once, even on the focused button
    qtbot.waitUntil(lambda: viewer.player.state() == "paused", timeout=3000)
    assert viewer.play_button.text() == "Play"
    viewer.slider.triggerAction(QAbstractSlider.SliderAction.SliderToMaximum)  # the mentor drags to the end
    qtbot.waitUntil(lambda: vlc_player.get_time() >= 11_000, timeout=3000)
    viewer.play_button.click()
    qtbot.waitUntil(lambda: viewer.player.state() == "ended", timeout=5000)
    assert viewer.clock.text() == "0:12 / 0:12" and viewer.play_button.text() == "Play"


def test_damaged_media_is_explained_in_plain_text(
    media_viewer: MediaViewer, run: Any, qtbot: Any, tmp_path: Path
) -> None:
    viewer = media_viewer
    viewer.filename = "<b>demo</b>.mp4"
    path = tmp_path / "cached-blob"
    path.write_bytes(os.urandom(20_000))
    run(viewer.load(path))
    qtbot.waitUntil(viewer.error.isVisible, timeout=playback.PARSE_TIMEOUT_MS + 2000)
    assert viewer.error.textFormat() == Qt.TextFormat.PlainText
    assert "<b>demo</b>.mp4" in viewer.error.text() and playback.NOT_MEDIA in viewer.error.text()
    assert not viewer.play_button.isEnabled() and not viewer.video.isVisible()
    assert viewer.summary == viewer.error.text()


def test_without_libvlc_the_viewer_says_how_to_get_it(
    media_viewer: MediaViewer, long_clip: Path, run: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(playback, "LIBVLC", LibVlc(lambda _args: None))
    run(media_viewer.load(long_clip))
    assert media_viewer.error.isVisible() and playback.UNAVAILABLE in media_viewer.error.text()
    qtbot.keyClick(media_viewer, Qt.Key.Key_Space)  # nothing to play, nothing breaks
    assert media_viewer.player.state() == "failed"


def test_closing_or_switching_away_mid_playback_stops_vlc(
    details: list[Any], workspace: Any, run: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    detail = next(d for d in details if any(f.filename.endswith(".mp4") for f in d.files))
    review = review_view(detail)
    video = next(f for f in review.files if f.filename.endswith(".mp4"))
    other = next(f for f in review.files if not f.filename.endswith(".mp4"))
    assert run(workspace.open_review(review.id))
    sessions = []
    for _ in range(3):  # a mentor flicking between the video and another file
        viewer = run(workspace.evidence.open_file(video))
        assert isinstance(viewer, MediaViewer)
        viewer.player.play()
        qtbot.waitUntil(lambda v=viewer: v.player.state() == "playing", timeout=5000)
        sessions.append(viewer.player._slot.current)
        run(workspace.evidence.open_file(other))
    qtbot.wait(50)  # deleteLater runs
    assert all(session is not None and session.closed for session in sessions)
    viewer = run(workspace.evidence.open_file(video))
    viewer.player.play()
    qtbot.waitUntil(lambda: viewer.player.state() == "playing", timeout=5000)
    viewer.close()
    assert viewer.player.state() == "closed"
    qtbot.wait(400)  # VLC's time reports would arrive by now if anything still played
    assert not unraisable, unraisable


def test_large_pdf_opens_in_a_worker_thread(qtbot: Any, run: Any, tmp_path: Path) -> None:
    # How long the GUI thread may stall meanwhile is a benchmark figure (benchmarks/bench_viewers.py).
    path = tmp_path / "report.pdf"
    write_pdf(path, pages=2000)
    assert path.stat().st_size > 45_000_000
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.resize(800, 900)
    viewer.show()
    run(viewer.load(path))
    assert viewer.document is not None and viewer.document.pageCount() == 2000
    assert viewer.summary == "pdf: 2000 page(s)"
    viewer.field.setText("engagement")  # search still works on a document opened in a worker thread
    qtbot.waitUntil(lambda: viewer.match_count > 0, timeout=5000)


def test_damaged_pdf_is_explained(qtbot: Any, run: Any, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(4000))
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    run(viewer.load(path))
    assert viewer.summary == "This PDF could not be opened: it is damaged or not a PDF."
    assert viewer.document is None and not viewer.view.isVisibleTo(viewer)


@pytest.fixture
def three_pages(qtbot: Any, run: Any, tmp_path: Path) -> PdfViewer:
    """A shown PDF viewer with a three-page report loaded, its pages focused in an active window."""
    path = tmp_path / "report.pdf"
    write_pdf(path, pages=3, side=8)
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.resize(800, 900)
    viewer.show()
    run(viewer.load(path))
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    viewer.setFocus()
    return viewer


def test_pdf_page_keys(three_pages: PdfViewer, qtbot: Any) -> None:
    """In the pages (where opening the file puts the focus) → and ← go to the next and previous page, Space and
    Shift+Space scroll a screenful (issue 10 item 4)."""
    viewer = three_pages
    assert QApplication.focusWidget() is viewer.view
    for key, page in ((Qt.Key.Key_Right, 1), (Qt.Key.Key_Right, 2), (Qt.Key.Key_Right, 2), (Qt.Key.Key_Left, 1)):
        qtbot.keyClick(QApplication.focusWidget(), key)
        qtbot.waitUntil(lambda page=page: viewer.current_page() == page)
    bar = viewer.view.verticalScrollBar()
    before = bar.value()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert bar.value() > before
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    assert bar.value() == before


def test_pdf_search_keys(three_pages: PdfViewer, qtbot: Any) -> None:
    """Ctrl+F reaches the search field from anywhere in the viewer; Enter / F3 go to the next match,
    Shift+Enter / Shift+F3 to the previous one, wrapping around."""
    viewer = three_pages
    qtbot.keyClick(viewer.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert viewer.field.hasFocus()
    qtbot.keyClicks(viewer.field, "engagement")
    qtbot.waitUntil(lambda: viewer.match_count == 3, timeout=5000)
    visited = []
    presses = [
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_F3, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F3, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F3, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier),
    ]
    for key, modifier in presses:
        qtbot.keyClick(viewer.field, key, modifier)
        visited.append(viewer.view.currentSearchResultIndex())
    assert visited == [0, 1, 0, 1, 2, 0, 2]
    viewer.view.setFocus()
    qtbot.keyClick(viewer.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)  # F3 works outside the field
    assert viewer.view.currentSearchResultIndex() == 1 and viewer.field.text() == "engagement"


def test_the_context_pane_plays_the_presentation_instead_of_naming_its_address(
    details: list[Any], workspace: Any, run: Any, qtbot: Any
) -> None:
    from PySide6.QtWidgets import QApplication, QLabel, QPushButton
    from review_helpers import pick

    detail = pick(details, lambda d: d.presentation.submitted and d.presentation.url
                  and any(f.url == d.presentation.url for f in d.files), "a capstone with a presentation file")
    assert run(workspace.open_review(detail.id))
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or workspace, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    section = workspace.context.sections["presentation"]
    text = "\n".join(label.text() for label in section.findChildren(QLabel))
    assert detail.presentation.url not in text and "http" not in text
    (play,) = section.findChildren(QPushButton)
    play.setFocus()
    qtbot.waitUntil(play.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)

    filename = next(f.filename for f in detail.files if f.url == detail.presentation.url)
    qtbot.waitUntil(lambda: isinstance(workspace.evidence.viewer, MediaViewer), timeout=30000)
    viewer = workspace.evidence.viewer
    assert viewer.display_name == filename
    qtbot.waitUntil(lambda: viewer.player.state() in ("playing", "ended"), timeout=30000)
    assert viewer.player.duration() > 0
