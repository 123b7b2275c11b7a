"""Test sound: a PulseAudio virtual microphone playing a known tone, and measuring what was recorded.

``scripts/pulse-null-sink.sh`` (run by ``scripts/test.sh``) gives a null sink whose monitor is remapped as the
source ``virtmic``; a tone played into the sink is what the microphone hears.
"""

from __future__ import annotations

import array
import collections
import itertools
import json
import shutil
import statistics
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

RATE = 48000


def pulse_ready() -> bool:
    if shutil.which("pactl") is None or shutil.which("paplay") is None or shutil.which("sox") is None:
        return False
    result = subprocess.run(["pactl", "info"], capture_output=True, text=True, timeout=10)
    return result.returncode == 0 and "Default Source: virtmic" in result.stdout


def need_pulse() -> None:
    if not pulse_ready():
        pytest.skip("no PulseAudio null sink with the virtmic source (scripts/pulse-null-sink.sh), or no sox")


@contextmanager
def tone(folder: Path, hz: int, seconds: int = 60) -> Iterator[None]:
    """Play a ``hz`` sine into the null sink (heard by the virtual microphone) while the block runs."""
    wav = folder / f"tone-{hz}.wav"
    if not wav.exists():
        subprocess.run(["sox", "-n", "-r", str(RATE), "-c", "2", str(wav), "synth", str(seconds), "sine", str(hz),
                        "vol", "0.5"], check=True, timeout=60)
    player = subprocess.Popen(["paplay", "--latency-msec=20", str(wav)])
    try:
        yield
    finally:
        player.terminate()
        player.wait(timeout=10)


def decode(path: Path) -> array.array[int]:
    """The file's sound as mono signed 16-bit samples at :data:`RATE` (ffmpeg)."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"],
                         check=True, capture_output=True, timeout=120).stdout
    return array.array("h", raw[: len(raw) & ~1])


def dominant_hz(samples: array.array[int], skip_seconds: float = 0.5) -> float:
    """The dominant frequency: the most common time between rising zero crossings (interpolated between samples),
    refined by the mean of the periods near it. A busy machine drops sound, which leaves clicks (many short odd
    periods) and gaps (a few long ones); they do not move the most common period."""
    crossings = [
        i - 1 + samples[i - 1] / (samples[i - 1] - samples[i])
        for i in range(max(1, int(skip_seconds * RATE)), len(samples))
        if samples[i - 1] < 0 <= samples[i]
    ]
    periods = [b - a for a, b in itertools.pairwise(crossings)]
    if len(periods) < 10:
        return 0.0
    mode = collections.Counter(round(p) for p in periods).most_common(1)[0][0]
    return RATE / statistics.fmean(p for p in periods if abs(p - mode) <= 2)


def probe(path: Path) -> dict[str, object]:
    """ffprobe's streams (with counted frames) and format of ``path``."""
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-print_format", "json", "-show_streams",
                          "-show_format", str(path)], check=True, capture_output=True, text=True, timeout=120).stdout
    return json.loads(out)  # type: ignore[no-any-return]
