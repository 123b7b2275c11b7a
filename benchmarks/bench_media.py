"""Media figures: a 200 MB recording through the outbox, and how fast the recorder starts.

* ``upload_ratio``: the sync engine uploading a 200 MB recording from the outbox (resumable Content-Range chunks,
  SHA-256 checked by the platform) to a loopback sandbox in its own process, as MB/s, beside a bare ``httpx``
  client streaming the same file to the same endpoint in PUTs as large as the sandbox takes (64 MB), hashing
  it too (the platform needs the hash either way). Each run on a fresh platform (a finished upload is not sent
  twice). Target: ≥ 0.8 of the bare rate.
* ``upload_stall_ms`` and ``upload_rss_growth_mb``, from the same app runs: the engine runs on a qasync loop in
  a QApplication, as in the app; a 5 ms timer measures the longest event-loop stall, and the process's resident
  memory is sampled on every tick. Baseline: the same timer over the same loop idling for 2 s.
* ``record_start_ms``: :meth:`Recorder.start` to the first encoded sound reported (``elapsed_changed``), beside a
  bare QMediaRecorder with a QAudioInput doing the same. Needs a microphone (``scripts/pulse-null-sink.sh``).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks.bench_sync_setup import EMAIL, PASSWORD, platform_process, work_dir
from benchmarks.figures import RUNS, Figure, absolute_figure, figure, interleaved, median, ratio_figure

SIZE = 200 * 1024 * 1024
TICK_MS = 5
IDLE_S = 2.0
_results: dict[str, list[dict[str, float]]] = {}


def _recording() -> tuple[Path, str]:
    """A 200 MB file of random bytes (nothing compresses it on the way) and its SHA-256."""
    path = work_dir("recording") / "recording.mp4"
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for _ in range(SIZE // (1 << 20)):
            block = os.urandom(1 << 20)
            digest.update(block)
            handle.write(block)
    return path, digest.hexdigest()


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


class _Meter:
    """The longest lateness of a repeating 5 ms precise timer, and the peak RSS seen on its ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.worst = 0.0
        self.peak_rss = 0.0
        self._last = 0.0

    def start(self) -> None:
        self.worst, self.peak_rss, self._last = 0.0, _rss_mb(), time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, (now - self._last) * 1000 - TICK_MS)
        self.peak_rss = max(self.peak_rss, _rss_mb())
        self._last = now


def _application() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _qt_loop() -> Any:
    import qasync

    return qasync.QEventLoop(_application())


async def _app_upload(url: str, path: Path, sha256: str) -> dict[str, float]:
    """The outbox sending the upload (timed from the push until the platform has it all), on the Qt loop."""
    from mentor_desk.api.client import PlatformClient
    from mentor_desk.store import OutboxState, Store
    from mentor_desk.sync.engine import SyncEngine
    from mentor_desk.sync.media_upload import OP_MEDIA_UPLOAD

    async with PlatformClient(url) as client:
        await client.login(EMAIL, PASSWORD)
        info = await client.discover()
        async with await Store.open(url, EMAIL, data_dir=work_dir("upload-store")) as store:
            engine = SyncEngine(client, store, mode=info.mode)
            payload = {"path": str(path), "sha256": sha256, "kind": "video", "duration_ms": 0}
            await store.enqueue("bench-review", f"media:{sha256}", OP_MEDIA_UPLOAD, payload)
            meter = _Meter()
            await asyncio.sleep(IDLE_S / 4)
            rss_before = _rss_mb()
            meter.start()
            start = time.perf_counter()
            pushed = await engine.push()
            seconds = time.perf_counter() - start
            meter.stop()
            if pushed != 1 or (await store.outbox_counts())[OutboxState.DONE] != 1:
                raise RuntimeError("the upload did not complete")
            await _check_stored(client.session.access_token if client.session else "", url, sha256)
            idle = _Meter()
            idle.start()
            await asyncio.sleep(IDLE_S)
            idle.stop()
    return {"mb_s": SIZE / 1e6 / seconds, "stall_ms": meter.worst, "idle_stall_ms": idle.worst,
            "rss_growth_mb": meter.peak_rss - rss_before}


async def _check_stored(token: str, url: str, sha256: str) -> None:
    """The platform has the whole file under this hash (its own check passed)."""
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        head = await http.head(f"{url}/api/v1/mentor/media/{sha256}")
        if head.status_code != 200 or head.headers.get("Upload-Offset") != str(SIZE):
            raise RuntimeError(f"the platform does not have the whole upload: {head.status_code} {head.headers}")


BARE_PART = 64 * 1024 * 1024
"""The largest body the sandbox takes in one request (its ``upload_body_bytes``): the bare client's PUTs."""


async def _file_blocks(path: Path, start: int, length: int) -> AsyncIterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        while length > 0 and (block := await asyncio.to_thread(handle.read, min(1 << 20, length))):
            length -= len(block)
            yield block


async def _bare_upload(url: str, path: Path) -> float:
    """MB/s of a bare httpx client streaming the file in :data:`BARE_PART` PUTs, hashing it first as the platform
    requires."""
    async with httpx.AsyncClient(base_url=f"{url}/api/v1", timeout=300) as http:
        answer = await http.post("auth/login", json={"email": EMAIL, "password": PASSWORD})
        answer.raise_for_status()
        http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
        start = time.perf_counter()
        digest = await asyncio.to_thread(_sha256, path)
        for offset in range(0, SIZE, BARE_PART):
            length = min(BARE_PART, SIZE - offset)
            response = await http.put(
                f"mentor/media/bare-{digest[:16]}",
                content=_file_blocks(path, offset, length),
                headers={"Content-Range": f"bytes {offset}-{offset + length - 1}/{SIZE}", "Content-Type": "video/mp4",
                         "X-Content-SHA256": digest, "Content-Length": str(length)},
            )
        seconds = time.perf_counter() - start
        response.raise_for_status()
        if response.json()["sha256"] != digest:
            raise RuntimeError("the bare upload was stored with another hash")
    return SIZE / 1e6 / seconds


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _on_fresh_platform(run: Callable[[str], Any]) -> Any:
    db = work_dir("media-platform") / "platform.sqlite3"
    try:
        with platform_process(db) as url:
            return run(url)
    finally:
        shutil.rmtree(db.parent, ignore_errors=True)


def _upload_samples() -> list[dict[str, float]]:
    """App and bare runs interleaved (once per suite run; the three upload figures read them)."""
    if "upload" not in _results:
        path, sha256 = _recording()
        loop = _qt_loop()
        apps: list[dict[str, float]] = []

        def app() -> float:
            result = _on_fresh_platform(lambda url: loop.run_until_complete(_app_upload(url, path, sha256)))
            apps.append(result)
            return float(result["mb_s"])

        def bare() -> float:
            return float(_on_fresh_platform(lambda url: asyncio.run(_bare_upload(url, path))))

        _, bares = interleaved(app, bare)
        for result, rate in zip(apps, bares, strict=True):
            result["bare_mb_s"] = rate
        _results["upload"] = apps
        shutil.rmtree(path.parent, ignore_errors=True)
    return _results["upload"]


@figure("upload_ratio")
def upload_ratio() -> Figure:
    samples = _upload_samples()
    app, bare = median([s["mb_s"] for s in samples]), median([s["bare_mb_s"] for s in samples])
    return absolute_figure("upload_ratio", "MB/s", app, bare, 0.8, ok=app / bare >= 0.8, target="ratio >= 0.8",
                           detail={"samples": len(samples), "size_mb": SIZE / 1e6})


@figure("upload_stall_ms")
def upload_stall_ms() -> Figure:
    samples = _upload_samples()
    worst = max(s["stall_ms"] for s in samples)
    idle = max(s["idle_stall_ms"] for s in samples)
    return absolute_figure("upload_stall_ms", "ms", worst, idle, 50,
                           detail={"median_of_runs": round(median([s["stall_ms"] for s in samples]), 2)})


@figure("upload_rss_growth_mb")
def upload_rss_growth_mb() -> Figure:
    samples = _upload_samples()
    growth = max(s["rss_growth_mb"] for s in samples)
    return absolute_figure("upload_rss_growth_mb", "MB", growth, SIZE / 1e6, 30,
                           detail={"baseline_is": "the file's size: what reading it whole would take"})


def _time_to_first_sound(start: Callable[[], Any], elapsed_signal: Any) -> float:
    """Milliseconds from ``start()`` to the first positive duration ``elapsed_signal`` reports."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    first: list[float] = []

    def on_elapsed(ms: int) -> None:
        if ms > 0 and not first:
            first.append(time.perf_counter())
            loop.quit()

    elapsed_signal.connect(on_elapsed)
    QTimer.singleShot(10_000, loop.quit)
    begun = time.perf_counter()
    start()
    loop.exec()
    if not first:
        raise RuntimeError("no sound was recorded within 10 s: is there a microphone (scripts/pulse-null-sink.sh)?")
    return (first[0] - begun) * 1000


def _app_record_start(folder: Path) -> float:
    from mentor_desk.media.recorder import Recorder

    recorder = Recorder(folder)
    took = _time_to_first_sound(recorder.start, recorder.elapsed_changed)
    done: list[object] = []
    recorder.finished.connect(done.append)
    recorder.failed.connect(done.append)
    recorder.stop()
    _wait(lambda: bool(done))
    recorder.deleteLater()
    return took


def _bare_record_start(folder: Path) -> float:
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QAudioInput, QMediaCaptureSession, QMediaFormat, QMediaRecorder

    session = QMediaCaptureSession()
    microphone = QAudioInput(session)  # parented: Python must not collect it while it records
    session.setAudioInput(microphone)
    recorder = QMediaRecorder()
    session.setRecorder(recorder)
    media_format = QMediaFormat(QMediaFormat.FileFormat.Mpeg4Audio)
    media_format.setAudioCodec(QMediaFormat.AudioCodec.AAC)
    recorder.setMediaFormat(media_format)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(folder / f"bare-{time.monotonic_ns()}.m4a")))
    took = _time_to_first_sound(recorder.record, recorder.durationChanged)
    recorder.stop()
    _wait(lambda: recorder.recorderState() == QMediaRecorder.RecorderState.StoppedState)
    return took


def _wait(done: Callable[[], bool], seconds: float = 10.0) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)


@figure("record_start_ms")
def record_start_ms() -> Figure:
    """A silent PulseAudio null sink delivers no sound to its monitor: a tone plays into it meanwhile."""
    _application()
    folder = work_dir("recordings")
    tone = folder / "tone.wav"
    subprocess.run(["sox", "-n", "-r", "48000", "-c", "2", str(tone), "synth", "120", "sine", "440", "vol", "0.3"],
                   check=True, timeout=60)
    player = subprocess.Popen(["paplay", "--latency-msec=20", str(tone)])
    try:
        time.sleep(0.5)
        _app_record_start(folder)  # the first recording after the sound server starts is slow for both: warm up
        app, bare = interleaved(lambda: _app_record_start(folder), lambda: _bare_record_start(folder), RUNS)
    finally:
        player.terminate()
        player.wait(timeout=10)
    return ratio_figure("record_start_ms", "ms", app, bare, 2.0, below_value=300)
