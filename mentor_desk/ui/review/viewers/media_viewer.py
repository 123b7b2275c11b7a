"""Audio/video evidence played through libVLC: play/pause, a seekable position, speed and volume.

Mentors review long recordings: Space plays or pauses, ← and → step 5 seconds, the speed goes from 0.5× to 2×
and F11 shows the picture full screen (Esc or F11 returns). The keys work wherever the focus is inside the viewer.
:func:`time_anchor` writes the position as "[mm:ss]" for a remark, and :func:`anchor_at` reads one back, so the
workspace can insert the playing time into the feedback and seek there when the mentor clicks it.
libVLC itself lives in :mod:`mentor_desk.media.playback`; the player is a child of the video surface, so
deleting the viewer closes it (no VLC event arrives afterwards) before that window goes away.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QPushButton, QSlider, QVBoxLayout, QWidget

from mentor_desk.media import playback
from mentor_desk.media.playback import VlcPlayer
from mentor_desk.ui.plain import isolate, plain_label

from .base import EvidenceViewer

MEDIA_SUFFIXES = frozenset({".mp4", ".m4a", ".mp3", ".wav", ".webm", ".mkv", ".mov", ".ogg"})
SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
_ANCHOR = re.compile(r"\[(\d{1,3}):([0-5]\d)\]")
STEP_MS = 5000
NO_PICTURE = "The picture is not drawn on this display (it needs X11); sound, position and speed work."


def _clock(ms: int) -> str:
    seconds = max(ms, 0) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def time_anchor(ms: int) -> str:
    """The position as a remark writes it: "[mm:ss]"."""
    seconds = max(ms, 0) // 1000
    return f"[{seconds // 60:02d}:{seconds % 60:02d}]"


def anchor_at(text: str, column: int) -> int | None:
    """The time in ms of the "[mm:ss]" anchor in ``text`` that ``column`` falls on (or just after), else None."""
    for match in _ANCHOR.finditer(text):
        if match.start() <= column <= match.end():
            return (int(match.group(1)) * 60 + int(match.group(2))) * 1000
    return None


class MediaViewer(EvidenceViewer):
    """A picture area (X11 only), then the controls; a plain-text sentence replaces them if the file fails."""

    kind = "media"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.video = QFrame(self)
        self.video.setMinimumHeight(160)
        screen = self.video.palette()
        screen.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        screen.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.lightGray)
        self.video.setPalette(screen)
        self.video.setAutoFillBackground(True)
        if not playback.embeds_video():
            note = plain_label(NO_PICTURE, self.video, selectable=False)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            QVBoxLayout(self.video).addWidget(note)
        self.player = VlcPlayer(self.video)
        self.play_button = QPushButton("Play", self)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setSingleStep(STEP_MS)
        self.slider.setPageStep(6 * STEP_MS)
        self.slider.setAccessibleName("Position")
        self.clock = plain_label("0:00 / 0:00", self, selectable=False)
        self.clock.setWordWrap(False)
        self.speed = QComboBox(self)
        for rate in SPEEDS:
            self.speed.addItem(f"{rate:g}×", rate)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip("Playback speed")
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume.setValue(self.player.volume())
        self.volume.setMaximumWidth(90)
        self.volume.setToolTip("Volume")
        self.volume.setAccessibleName("Volume")
        self.error = plain_label("", self)
        self.error.setVisible(False)
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.clock)
        controls.addWidget(self.speed)
        controls.addWidget(self.volume)
        self._layout.addWidget(self.video, 1)
        self._layout.addLayout(controls)
        self._layout.addWidget(self.error)
        self._layout.addStretch(0)  # takes the room only when there is no picture (audio, errors)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the viewer itself: Space, ← and → act on the player
        self._connect()

    def _connect(self) -> None:
        self.play_button.clicked.connect(self.player.toggle)
        self.slider.actionTriggered.connect(lambda _action: self.player.seek(self.slider.sliderPosition()))
        self.speed.currentIndexChanged.connect(lambda _index: self.player.set_rate(self.speed.currentData()))
        self.volume.valueChanged.connect(self.player.set_volume)
        self.player.duration_changed.connect(self._on_duration)
        self.player.position_changed.connect(self._on_position)
        self.player.state_changed.connect(self._on_state)
        self.player.failed.connect(self._on_failed)
        keys = (
            (Qt.Key.Key_Space, self.player.toggle),
            (Qt.Key.Key_Left, lambda: self.step(-STEP_MS)),
            (Qt.Key.Key_Right, lambda: self.step(STEP_MS)),
            (Qt.Key.Key_F11, self.toggle_full_screen),
        )
        for key, action in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        # the full-screen picture is a window of its own, with the same keys (and Esc to leave)
        self._full_screen_keys = {Qt.Key.Key_Escape: self.toggle_full_screen, **dict(keys)}
        self.video.installEventFilter(self)

    async def load(self, path: Path) -> None:
        self.summary = f"media: {self.display_name}"
        await asyncio.to_thread(playback.preload)  # the first time, VLC loads its plugins (~0.1-0.3 s)
        if shiboken6.isValid(self):  # not closed meanwhile
            self.player.open(path)

    def step(self, delta_ms: int) -> None:
        """Jump ``delta_ms`` forward (or back, if negative) from the current position."""
        self.player.seek(self.player.position() + delta_ms)

    def toggle_full_screen(self) -> None:
        """Show the picture alone on the whole screen, or put it back (F11; Esc also leaves full screen)."""
        if not self.video.isWindow():
            self.video.setWindowFlags(Qt.WindowType.Window)
            self.video.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.video.showFullScreen()
            self.video.activateWindow()
            self.video.setFocus()
        else:
            self.video.setWindowFlags(Qt.WindowType.Widget)
            self._layout.insertWidget(0, self.video, 1)
            self.video.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.video and self.video.isWindow() and isinstance(event, QKeyEvent):
            action = self._full_screen_keys.get(Qt.Key(event.key()))
            if action is not None and event.type() == QEvent.Type.KeyPress:
                action()
                return True
        return super().eventFilter(watched, event)

    def is_full_screen(self) -> bool:
        return self.video.isWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.player.close()
        super().closeEvent(event)

    def _on_duration(self, duration: int) -> None:
        self.slider.setRange(0, duration)
        self.video.setVisible(self.player.has_video())
        self._show_clock()
        self.summary = f"media: {_clock(duration)}"

    def _on_position(self, position: int) -> None:
        if not self.slider.isSliderDown():  # the mentor's drag wins over VLC's reports
            self.slider.setValue(position)
        self._show_clock()

    def _show_clock(self) -> None:
        self.clock.setText(f"{_clock(self.player.position())} / {_clock(self.player.duration())}")

    def _on_state(self, state: str) -> None:
        self.play_button.setText("Pause" if state == "playing" else "Play")

    def _on_failed(self, sentence: str) -> None:
        self.video.setVisible(False)
        for control in (self.play_button, self.slider, self.speed, self.volume):
            control.setEnabled(False)
        self.error.setText(f"Cannot play “{isolate(self.display_name)}”. {sentence}")
        self.error.setVisible(True)
        self.summary = self.error.text()
