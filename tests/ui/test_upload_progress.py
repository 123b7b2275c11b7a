"""The status bar's upload progress on a real sync engine uploading to the sandbox over loopback: it appears
while a recording uploads, says how far it is, and Cancel (pressed from the keyboard) stops the upload, which
waits in the outbox to be resumed."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow

from mentor_desk.api.client import PlatformClient
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.services.account import Account
from mentor_desk.services.media import PlatformMedia
from mentor_desk.store import OutboxState, Store
from mentor_desk.sync import media_upload
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.ui.upload_progress import UploadProgress

MENTOR, PASSWORD = "mentor@demo.och", "mentor-demo"


def test_an_upload_shows_in_the_status_bar_and_cancel_stops_it(
    fresh_sandbox: SandboxServer, loop: asyncio.AbstractEventLoop, run: Any, qtbot: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed: cannot make a test recording")
    monkeypatch.setattr(media_upload, "UPLOAD_CHUNK", 32 * 1024)  # about a hundred chunks
    store = run(Store.open(fresh_sandbox.url, MENTOR, data_dir=tmp_path / "desk"))
    account = Account(store, server=fresh_sandbox.url, mode="full", user_name="Maya Okafor")
    window = QMainWindow()
    qtbot.addWidget(window)
    progress = UploadProgress(PlatformMedia(account))  # made before the network is up, as the main window does
    window.statusBar().addPermanentWidget(progress)
    window.show()
    assert not progress.isVisible()

    client = PlatformClient(fresh_sandbox.url)
    run(client.login(MENTOR, PASSWORD))
    run(client.discover())
    engine = SyncEngine(client, store, mode="full")
    account.connect(client, engine)
    clip = tmp_path / "noise.mp4"  # noise: about 3 MB that no encoder can shrink
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "nullsrc=s=320x240:r=15:d=4,geq=random(1)*255:128:128", "-c:v", "mpeg4", "-q:v", "2", str(clip)],
                   check=True, timeout=120)
    sha256 = hashlib.sha256(clip.read_bytes()).hexdigest()
    path = media_upload.recording_path(store, sha256, "video")
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(clip, path)
    attachment = {"sha256": sha256, "kind": "video", "duration_ms": 4000, "target": {"kind": "review", "id": ""}}
    run(media_upload.queue_uploads(store, "review-1", {"attachments": [attachment]}, v1=False))

    pushing = loop.create_task(engine.sync_once())
    qtbot.waitUntil(lambda: progress.isVisible() and progress.bar.value() > 0, timeout=30000)
    megabytes = f"{path.stat().st_size / 1e6:.1f} MB"
    assert progress.label.text().startswith("Uploading a recording: ") and progress.label.text().endswith(megabytes)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    progress.cancel_button.setFocus()
    qtbot.waitUntil(progress.cancel_button.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(pushing.done, timeout=30000)

    qtbot.waitUntil(lambda: not progress.isVisible())
    (entry,) = run(store.outbox(tuple(OutboxState)))
    assert entry.state is OutboxState.FAILED and entry.last_error == media_upload.UploadCancelled.user_message
    assert run(media_upload.uploaded(store, sha256)) is None, "cancelled before the end"
    run(client.aclose())
    run(store.close())
