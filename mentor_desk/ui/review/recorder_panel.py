"""The Recordings tab of a review: record sound, the screen or the camera, and attach it to the whole review, one
subtask or one decision; the review's recordings are listed, to play back, re-record or delete.

Keys: ``Ctrl+Shift+R`` starts and stops a recording, ``Ctrl+Shift+P`` pauses and resumes it. What the recorder
says (a microphone pulled out, a full disk, the platform's size limit) appears in plain text under the controls;
the recording is kept. Recordings interrupted by a crash are recovered when the tab first opens
(:class:`~mentor_desk.media.recovery.Salvage`) and listed to be attached.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.review import ReviewView
from mentor_desk.media import recorder as recording
from mentor_desk.media.recorder import Kind, Recorder, clock
from mentor_desk.media.recording_files import Recording
from mentor_desk.media.recovery import Outcome, Salvage
from mentor_desk.ui.background import spawn
from mentor_desk.ui.fit import narrow_combo, scrolling_layout
from mentor_desk.ui.plain import plain_label

from .viewers.media_viewer import MediaViewer

Target = tuple[str, str, str]
"""(label, target kind "review" | "subtask" | "decision", target id)."""

_SOURCES = (
    ("Sound (microphone)", Kind.AUDIO, True),
    ("Screen with sound", Kind.SCREEN, True),
    ("Screen without sound", Kind.SCREEN, False),
    ("Camera", Kind.CAMERA, True),
)
_RECORDING = Qt.ItemDataRole.UserRole


def review_targets(review: ReviewView) -> list[Target]:
    """The parts of ``review`` a recording can comment on besides the whole review: subtasks, then decisions."""
    subtasks = [(f"Subtask: {s.title or s.id}", "subtask", s.id) for s in review.subtasks]
    decisions = [(f"Decision: {review.decision_title(p.decision_id)}", "decision", p.decision_id)
                 for p in review.branching]
    return subtasks + decisions


def play_in_dialog(parent: QWidget, path: Path) -> QDialog:
    """Play a recording in a window of its own (closed with Esc; its player goes with it)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Recording")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    viewer = MediaViewer(dialog)
    viewer.filename = path.name
    QVBoxLayout(dialog).addWidget(viewer)
    dialog.resize(640, 420)
    dialog.show()
    spawn(viewer.load(path))
    return dialog


def _attachment(recording: Recording, target: Target) -> dict[str, Any]:
    """A draft attachment (the shape the outbox and the senders read)."""
    return {
        "sha256": recording.sha256,
        "kind": "audio" if recording.path.suffix == ".m4a" else "video",
        "media_id": "",
        "duration_ms": recording.duration_ms,
        "target": {"kind": target[1], "id": target[2]},
    }


class RecorderPanel(QWidget):
    """Signals: ``attachments_changed(list)`` with the review's new attachment list; ``play_requested(Path)``."""

    attachments_changed = Signal(list)
    play_requested = Signal(Path)

    def __init__(self, folder: Path, size_limit: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.recorder = Recorder(folder, self)
        self.recorder.size_limit = size_limit
        self._attachments: list[dict[str, Any]] = []
        self._replacing: int | None = None
        """The row a recording in progress replaces (Re-record), else None."""
        self._targets: list[Target] = [("Whole review", "review", "")]

        self.source = QComboBox(self)
        self.source.setAccessibleName("What to record")
        camera_reason = recording.camera_unavailable()
        for label, kind, _ in _SOURCES:
            self.source.addItem(label)
            if kind is Kind.CAMERA and camera_reason:
                item = self.source.model().item(self.source.count() - 1)  # type: ignore[attr-defined]
                item.setEnabled(False)
                item.setToolTip(camera_reason)
                self.source.setItemText(self.source.count() - 1, f"Camera (unavailable: {camera_reason})")
        self.microphone = QComboBox(self)
        self.microphone.setAccessibleName("Microphone")
        for device in recording.microphones():
            self.microphone.addItem(device.description(), device)
        if not self.microphone.count():
            self.microphone.addItem(recording.NO_MICROPHONE)
            self.microphone.setEnabled(False)
        self.target = QComboBox(self)
        self.target.setAccessibleName("Attach to")
        self.small = QCheckBox("Smaller video", self)
        self.small.setToolTip("Record the screen at 640×360 and a low bitrate (fits the platform's size limit longer)")
        self.record_button = QPushButton("Record", self)
        self.record_button.setToolTip("Start or stop recording (Ctrl+Shift+R)")
        self.pause_button = QPushButton("Pause", self)
        self.pause_button.setToolTip("Pause or resume (Ctrl+Shift+P)")
        self.pause_button.setEnabled(False)
        self.level = QProgressBar(self)
        self.level.setRange(0, 100)
        self.level.setTextVisible(False)
        self.level.setMaximumHeight(10)
        self.level.setAccessibleName("Microphone level")
        self.elapsed = plain_label("0:00", self, selectable=False)
        self.message = plain_label("", self)
        self.message.setVisible(False)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Recordings of this review")
        self.play_button = QPushButton("Play", self)
        self.attach_button = QPushButton("Attach", self)
        self.attach_button.setToolTip("Attach the selected recovered recording to the chosen part of the review")
        self.delete_button = QPushButton("Delete", self)
        self.rerecord_button = QPushButton("Re-record", self)
        self.rerecord_button.setToolTip("Record the selected recording again; it is replaced once the new one is done")

        for combo in (self.source, self.microphone, self.target):  # long names: in the popup and the tooltip
            narrow_combo(combo, 12)
        form = QFormLayout()  # one choice a row: long device and part names have the pane's width
        form.addRow("Record:", self.source)
        form.addRow("Microphone:", self.microphone)
        form.addRow("", self.small)
        form.addRow("Attach to:", self.target)
        controls = QHBoxLayout()
        controls.addWidget(self.record_button)
        controls.addWidget(self.pause_button)
        controls.addWidget(self.level, 1)
        controls.addWidget(self.elapsed)
        buttons = QHBoxLayout()
        for button in (self.play_button, self.rerecord_button, self.attach_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = scrolling_layout(self)
        layout.addLayout(form)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._connect()
        self._fill_targets()
        self._salvage = Salvage(folder, self)
        self._salvage.recovered.connect(self._on_recovered)
        self._salvage.done.connect(lambda: setattr(self, "_salvaging", False))
        self._salvaging = True
        self._failure = ""  # what the recorder said when it failed, until what became of the recording is known
        self._salvage.start()

    def _connect(self) -> None:
        self.record_button.clicked.connect(self.toggle_recording)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.play_button.clicked.connect(self._play_selected)
        self.attach_button.clicked.connect(self._attach_selected)
        self.delete_button.clicked.connect(self._delete_selected)
        self.rerecord_button.clicked.connect(self._rerecord_selected)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.recorder.state_changed.connect(self._on_state)
        self.recorder.elapsed_changed.connect(lambda ms: self.elapsed.setText(clock(ms)))
        self.recorder.level_changed.connect(lambda level: self.level.setValue(round(level * 100)))
        self.recorder.notice.connect(self._say)
        self.recorder.failed.connect(self._on_failed)
        self.recorder.finished.connect(self._on_finished)
        for keys, action in (("Ctrl+Shift+R", self.toggle_recording), ("Ctrl+Shift+P", self.toggle_pause)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    # -- binding to a review

    def bind(self, targets: Sequence[Target], attachments: Sequence[dict[str, Any]]) -> None:
        """Show the review's parts to attach to and its recordings."""
        self._targets = [("Whole review", "review", ""), *targets]
        self._fill_targets()
        self.show_attachments(attachments)

    def show_attachments(self, attachments: Sequence[dict[str, Any]]) -> None:
        """Show the review's recordings (after an undo, say)."""
        self._attachments = [dict(item) for item in attachments]
        self._show_list()

    def attachments(self) -> list[dict[str, Any]]:
        return [dict(item) for item in self._attachments]

    def _fill_targets(self) -> None:
        self.target.clear()
        for label, kind, target_id in self._targets:
            self.target.addItem(label, (label, kind, target_id))

    def _target_label(self, item: dict[str, Any]) -> str:
        target = item.get("target") or {}
        key = (str(target.get("kind") or "review"), str(target.get("id") or ""))
        return next((label for label, kind, target_id in self._targets if (kind, target_id) == key), key[1])

    def _show_list(self) -> None:
        recovered = [self.list.item(i) for i in range(self.list.count())]
        keep = [(i.text(), i.data(_RECORDING)) for i in recovered if isinstance(i.data(_RECORDING), Recording)]
        self.list.clear()
        for item in self._attachments:
            kind = "Video" if item.get("kind") == "video" else "Audio"
            text = f"{kind} {clock(int(item.get('duration_ms') or 0))} — {self._target_label(item)}"
            self.list.addItem(QListWidgetItem(text))
        for text, found in keep:
            row = QListWidgetItem(text)
            row.setData(_RECORDING, found)
            self.list.addItem(row)
        self._update_buttons()

    # -- recording

    def toggle_recording(self) -> None:
        if self.recorder.state() in ("recording", "paused"):
            self.recorder.stop()
            return
        if self.recorder.state() != "idle":
            return
        _, kind, with_microphone = _SOURCES[self.source.currentIndex()]
        device = self.microphone.currentData()
        self.message.setVisible(False)
        self.recorder.start(
            kind, microphone=device, with_microphone=with_microphone, small_video=self.small.isChecked()
        )

    def toggle_pause(self) -> None:
        if self.recorder.state() == "recording":
            self.recorder.pause()
        elif self.recorder.state() == "paused":
            self.recorder.resume()

    def _on_state(self, state: str) -> None:
        active = state in ("recording", "paused")
        self.record_button.setText("Stop" if active else "Record")
        self.record_button.setEnabled(state != "finishing")
        self.pause_button.setEnabled(active)
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        for control in (self.source, self.microphone, self.target, self.small):
            control.setEnabled(not active and state != "finishing")

    def _on_finished(self, made: Recording) -> None:
        target = self.target.currentData() or self._targets[0]
        row, self._replacing = self._replacing, None
        if row is not None and 0 <= row < len(self._attachments):
            self._attachments[row] = _attachment(made, target)
        else:
            self._attachments.append(_attachment(made, target))
            row = len(self._attachments) - 1
        self._show_list()
        self.list.setCurrentRow(row)
        self.attachments_changed.emit(self.attachments())

    def _on_recovered(self, outcome: Outcome) -> None:
        before, self._failure = self._failure, ""
        self._say(before + outcome.sentence + (" Select it and choose Attach to keep it with a review."
                                               if outcome.recording else ""))
        if outcome.recording is not None:
            row = QListWidgetItem(f"Recovered {clock(outcome.recording.duration_ms)} — not attached yet")
            row.setData(_RECORDING, outcome.recording)
            self.list.addItem(row)
            self._update_buttons()

    def _on_failed(self, sentence: str) -> None:
        """Say why; a recording that could not be finished (its disk filled up, say) may have left its sound in
        the journal: recover it now rather than at the next start."""
        self._say(sentence)
        self._failure = f"{sentence} "
        self._replacing = None  # the recording it was to replace stays
        if not self._salvaging:
            self._salvaging = True
            self._salvage.start()

    def _say(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.setVisible(True)

    # -- the list

    def _selected(self) -> tuple[int, Recording | None]:
        row = self.list.currentRow()
        item = self.list.item(row) if row >= 0 else None
        found = item.data(_RECORDING) if item is not None else None
        return row, found if isinstance(found, Recording) else None

    def _path_of(self, row: int) -> Path | None:
        _, found = self._selected()
        if found is not None:
            return found.path
        if 0 <= row < len(self._attachments):
            item = self._attachments[row]
            suffix = ".mp4" if item.get("kind") == "video" else ".m4a"
            return self.folder / f"{item.get('sha256')}{suffix}"
        return None

    def _update_buttons(self) -> None:
        row, recovered = self._selected()
        self.play_button.setEnabled(row >= 0)
        self.delete_button.setEnabled(row >= 0)
        self.rerecord_button.setEnabled(recovered is None and 0 <= row < len(self._attachments))
        self.attach_button.setEnabled(recovered is not None)

    def _play_selected(self) -> None:
        path = self._path_of(self.list.currentRow())
        if path is not None:
            self.play_requested.emit(path)

    def _attach_selected(self) -> None:
        row, found = self._selected()
        if found is None:
            return
        self.list.takeItem(row)
        self._on_finished(found)

    def _rerecord_selected(self) -> None:
        """Record the selected recording again, for the same part of the review; the new one replaces it when it
        is finished (if recording fails, the old one stays)."""
        row, found = self._selected()
        if found is not None or not 0 <= row < len(self._attachments) or self.recorder.state() != "idle":
            return
        target = self._attachments[row].get("target") or {}
        key = (str(target.get("kind") or "review"), str(target.get("id") or ""))
        index = next((i for i, (_, kind, target_id) in enumerate(self._targets) if (kind, target_id) == key), 0)
        self.target.setCurrentIndex(index)
        self._replacing = row
        self.toggle_recording()
        if self.recorder.state() == "idle":  # it could not start: the sentence says why
            self._replacing = None

    def _delete_selected(self) -> None:
        """Take the recording off the review (the file stays in the media folder until nothing refers to it)."""
        row, found = self._selected()
        if found is not None:
            self.list.takeItem(row)
        elif 0 <= row < len(self._attachments):
            del self._attachments[row]
            self._show_list()
            self.attachments_changed.emit(self.attachments())
        self._update_buttons()
