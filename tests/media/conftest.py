"""Fixtures for libVLC playback tests: real media files (the sandbox's seeded MP4, ffmpeg-made clips, damaged
copies) and garbage collection on the GUI thread only, as in the app."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from mentor_desk.ui.garbage import MainThreadGarbageCollector


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread(qapp: Any) -> Iterator[None]:
    """VLC's threads run Python callbacks: a collection started there must never free a Qt object."""
    collector = MainThreadGarbageCollector()
    yield
    collector.stop()


@pytest.fixture(scope="session")
def seeded_mp4() -> Path:
    """The 2-second MPEG-4 (video + AAC audio) the sandbox serves as learners' presentations."""
    return Path(str(resources.files("mentor_desk.sandbox").joinpath("seed_files/short.mp4")))


@pytest.fixture(scope="session")
def video_only_mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-second video-only clip. With no audio track, libVLC's dummy video output paces playback by the
    wall clock (dummy audio does not), so speed is measurable."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg): cannot make a test clip")
    path = tmp_path_factory.mktemp("clips") / "video3.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10:d=3",
            "-c:v",
            "mpeg4",
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return path
