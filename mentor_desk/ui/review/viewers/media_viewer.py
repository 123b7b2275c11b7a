"""Audio/video evidence with QtMultimedia: play/pause, a position slider, and the duration once known."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from .base import EvidenceViewer

MEDIA_SUFFIXES = frozenset({".mp4", ".m4a", ".mp3", ".wav", ".webm", ".mkv", ".mov", ".ogg"})


def _clock(ms: int) -> str:
    seconds = max(ms, 0) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


class MediaViewer(EvidenceViewer):
    kind = "media"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer  # heavy: imported on first use
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.video = QVideoWidget(self)
        self.player.setVideoOutput(self.video)
        self.play_button = QPushButton("Play", self)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.clock = QLabel("0:00 / –", self)
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.clock)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setVisible(False)
        self._layout.addWidget(self.video, 1)
        self._layout.addLayout(controls)
        self._layout.addWidget(self.error)
        self.play_button.clicked.connect(self.toggle)
        self.slider.sliderMoved.connect(self.player.setPosition)
        self.player.durationChanged.connect(self._on_duration)
        self.player.positionChanged.connect(self._on_position)
        self.player.errorOccurred.connect(self._on_error)

    async def load(self, path: Path) -> None:
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.summary = f"media: {path.name}"

    def toggle(self) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
            self.play_button.setText("Play")
        else:
            self.player.play()
            self.play_button.setText("Pause")

    def _on_duration(self, duration: int) -> None:
        self.slider.setRange(0, duration)
        self.clock.setText(f"{_clock(self.player.position())} / {_clock(duration)}")
        self.summary = f"media: {_clock(duration)}"

    def _on_position(self, position: int) -> None:
        self.slider.setValue(position)
        self.clock.setText(f"{_clock(position)} / {_clock(self.player.duration())}")

    def _on_error(self, _error: object, message: str) -> None:
        self.error.setText(f"This media file cannot be played here: {message}")
        self.error.setVisible(True)
