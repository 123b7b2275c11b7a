"""Timestamped comments against real libVLC: Ctrl+T writes the media's position as "[mm:ss]" at the cursor, a
click on an anchor seeks there; the player's speeds go from 0.5× to 2× and F11 / Esc enter and leave full screen."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from mentor_desk.ui.review.time_anchors import TimeAnchors
from mentor_desk.ui.review.viewers.media_viewer import MediaViewer, anchor_at, time_anchor


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed: cannot make a test clip")
    path = tmp_path_factory.mktemp("clips") / "presentation.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=5:d=20",
                    "-c:v", "mpeg4", str(path)], check=True, timeout=60)
    return path


def test_anchor_text() -> None:
    assert time_anchor(75_400) == "[01:15]" and time_anchor(-5) == "[00:00]"
    text = "See [01:15] and [10:02]."
    assert anchor_at(text, 4) == 75_000 and anchor_at(text, 11) == 75_000
    assert anchor_at(text, 18) == 602_000 and anchor_at(text, 2) is None


def test_ctrl_t_writes_the_time_and_a_click_seeks_there(qtbot: Any, clip: Path, run: Any) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    viewer = MediaViewer(root)
    viewer.filename = clip.name
    editor = QPlainTextEdit(root)
    layout = QVBoxLayout(root)
    layout.addWidget(viewer)
    layout.addWidget(editor)
    anchors = TimeAnchors(root, lambda: viewer)
    shortcut = QShortcut(QKeySequence("Ctrl+T"), root)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(anchors.insert)
    root.resize(500, 500)
    root.show()
    anchors.watch()
    run(viewer.load(clip))
    qtbot.waitUntil(lambda: viewer.player.duration() == 20_000, timeout=10_000)
    try:
        viewer.player.seek(12_300)
        editor.setFocus()
        qtbot.keyClicks(editor, "Watch ")
        qtbot.keyClick(editor, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(editor, "the slide.")
        assert editor.toPlainText() == "Watch [00:12] the slide."

        viewer.player.seek(0)
        cursor = editor.textCursor()
        cursor.setPosition(8)  # inside "[00:12]"
        qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=editor.cursorRect(cursor).center())
        assert viewer.player.position() == 12_000

        assert [viewer.speed.itemData(i) for i in range(viewer.speed.count())] == [0.5, 0.75, 1.0, 1.25, 1.5, 2.0]
        assert viewer.speed.currentData() == 1.0
        viewer.speed.setCurrentIndex(0)
        assert viewer.player.rate() == 0.5

        viewer.play_button.setFocus()
        qtbot.keyClick(viewer.play_button, Qt.Key.Key_F11)
        assert viewer.is_full_screen()
        qtbot.keyClick(viewer.video, Qt.Key.Key_Escape)
        assert not viewer.is_full_screen() and viewer.video.parent() is viewer
    finally:
        viewer.player.close()


def test_in_the_workspace_ctrl_t_anchors_a_subtask_remark_to_the_presentation(
    details: list[Any], workspace: Any, run: Any, qtbot: Any
) -> None:
    """The learner's presentation plays (Ctrl+Shift+V); Ctrl+T in a per-subtask remark writes its time, which is
    saved with the draft, and clicking the anchor seeks the presentation there."""
    from PySide6.QtWidgets import QApplication
    from review_helpers import pick

    detail = pick(details, lambda d: d.presentation.submitted and d.mission.subtasks
                  and any(f.url == d.presentation.url for f in d.files), "a review with a presentation file")
    assert run(workspace.open_review(detail.id))
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or workspace, Qt.Key.Key_V,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(workspace.evidence.viewer, MediaViewer), timeout=30000)
    viewer = workspace.evidence.viewer
    qtbot.waitUntil(lambda: viewer.player.duration() > 1500 and viewer.player.state() in ("playing", "ended"),
                    timeout=30000)
    viewer.player.pause()
    viewer.player.seek(1500)

    subtask = str(detail.mission.subtasks[0].id)
    remark = workspace.scorer.subtask_comments[subtask]
    remark.setFocus()
    qtbot.waitUntil(remark.hasFocus)
    qtbot.keyClicks(QApplication.focusWidget(), "See ")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "the timeline slide.")
    assert remark.toPlainText() == "See [00:01] the timeline slide."
    run(workspace.flush_drafts())
    assert workspace.document.draft.feedback_per_subtask[subtask] == "See [00:01] the timeline slide."

    viewer.player.seek(0)
    cursor = remark.textCursor()
    cursor.setPosition(6)  # inside "[00:01]"
    qtbot.mouseClick(remark.viewport(), Qt.MouseButton.LeftButton, pos=remark.cursorRect(cursor).center())
    assert viewer.player.position() == 1000


def test_while_the_mentors_own_recording_plays_ctrl_t_anchors_the_feedback_to_it(
    details: list[Any], workspace: Any, run: Any, qtbot: Any, clip: Path, tmp_path: Path
) -> None:
    """The mentor plays back a recording of their own (its window open): Ctrl+T in the written feedback writes the
    recording's time, not the evidence's; once the window is closed anchors follow the evidence again."""
    import hashlib
    import shutil

    from PySide6.QtWidgets import QApplication, QDialog
    from review_helpers import pick

    class FolderMedia:
        media_dir = tmp_path / "media"
        size_limit = None

        def watch_uploads(self, observer: Any) -> Any:
            return lambda: None

        def cancel_upload(self, sha256: str) -> None:
            pass

    detail = pick(details, lambda d: bool(d.mission.subtasks), "a review")
    assert run(workspace.open_review(detail.id))
    workspace.add_recordings(FolderMedia())
    sha256 = hashlib.sha256(clip.read_bytes()).hexdigest()
    FolderMedia.media_dir.mkdir()
    shutil.copyfile(clip, FolderMedia.media_dir / f"{sha256}.mp4")
    panel = workspace.recordings
    panel.show_attachments([{"sha256": sha256, "kind": "video", "media_id": "", "duration_ms": 20_000,
                             "target": {"kind": "review", "id": ""}}])
    workspace.side_tabs.setCurrentWidget(panel)
    panel.list.setCurrentRow(0)
    panel.play_button.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: workspace._own_recording is not None, timeout=5000)
    own = workspace._own_recording
    qtbot.waitUntil(lambda: own.player.duration() == 20_000, timeout=15_000)
    own.player.seek(7_400)

    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow)
    editor = workspace.feedback.feedback
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText().endswith("[00:07] ")
    assert workspace.anchors.current() is own

    own.window().close()
    qtbot.waitUntil(lambda: not isinstance(workspace.anchors.current(), MediaViewer)
                    or workspace.anchors.current() is workspace.evidence.viewer, timeout=5000)
    assert not any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
