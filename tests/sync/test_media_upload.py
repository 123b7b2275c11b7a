"""Recordings delivered through the outbox before the review that refers to them: layer B resumable uploads
through dropped connections (the server's hash checked), cancel and resume, a refused size, and OCH v1 message
attachments whose addresses go into the written feedback. Every review is read back from the server."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from mentor_desk.domain.draft import MediaAttachment
from mentor_desk.domain.status import can_decide, is_awaiting_mentor
from mentor_desk.sandbox import media as sandbox_media
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.store import OutboxState, Store
from mentor_desk.sync import media_upload
from mentor_desk.sync.media_upload import OP_MEDIA_UPLOAD, OP_V1_MEDIA, recording_path, uploaded

from .conftest import Desk, open_desk
from .scenarios import awaiting, decidable, full_draft, server_row, v1_draft

pytestmark = pytest.mark.asyncio


def _ffmpeg(path: Path, *args: str) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed: cannot make test recordings")
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args, str(path)], check=True, timeout=120)
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 6-second AAC recording and a 4-second MPEG-4 Part 2 video of a few MB, as the recorder makes them."""
    folder = tmp_path_factory.mktemp("clips")
    audio = _ffmpeg(folder / "a.m4a", "-f", "lavfi", "-i", "sine=frequency=440:duration=6", "-c:a", "aac")
    video = _ffmpeg(folder / "v.mp4", "-f", "lavfi", "-i", "nullsrc=s=320x240:r=15:d=4,geq=random(1)*255:128:128",
                    "-c:v", "mpeg4", "-q:v", "2")  # noise: ~2-3 MB that no encoder can shrink
    return {"audio": audio, "video": video}


def attach(store: Store, clip: Path, kind: str, target: tuple[str, str] = ("review", "")) -> dict[str, Any]:
    """Put ``clip`` in the store's media folder as the recorder leaves a finished recording; its attachment."""
    sha256 = hashlib.sha256(clip.read_bytes()).hexdigest()
    path = recording_path(store, sha256, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(clip, path)
    return {"sha256": sha256, "kind": kind, "media_id": "", "duration_ms": 4000,
            "target": {"kind": target[0], "id": target[1]}}


def recordings(attachments: list[dict[str, Any]]) -> tuple[MediaAttachment, ...]:
    """The draft's attachments, from what :func:`attach` made."""
    return tuple(MediaAttachment.from_json(item) for item in attachments)


async def raw(desk: Desk, url: str) -> httpx.Response:
    assert desk.client.session is not None
    headers = {"Authorization": f"Bearer {desk.client.session.access_token}"}
    async with httpx.AsyncClient(headers=headers, timeout=30) as http:
        return await http.get(url)


async def test_a_review_with_audio_and_video_waits_for_their_uploads(desk: Desk, clips: dict[str, Path]) -> None:
    (detail,) = await decidable(desk)
    subtask = str(detail.mission.subtasks[0].id)
    audio, video = attach(desk.store, clips["audio"], "audio"), attach(desk.store, clips["video"], "video")
    remark = attach(desk.store, clips["audio"], "audio", ("subtask", subtask))  # the same recording, twice
    attachments = [audio, video, remark]
    draft = replace(full_draft(detail), feedback_per_subtask={subtask: "Good."}, attachments=recordings(attachments))
    await desk.engine.submit(detail.id, "", draft)
    operations = [entry.operation for entry in await desk.store.outbox()]
    assert operations == [OP_MEDIA_UPLOAD, OP_MEDIA_UPLOAD, "stage_review"]

    report = await desk.engine.sync_once()

    assert report.all_sent and report.pushed == 3
    row = (await raw(desk, f"{desk.client.server_url}/api/v1/mentor/reviews/{detail.id}")).json()
    final = row["stages"][-1]
    assert final["audio_media_id"] == (await uploaded(desk.store, audio["sha256"])).media_id  # type: ignore[union-attr]
    assert final["video_media_id"] == (await uploaded(desk.store, video["sha256"])).media_id  # type: ignore[union-attr]
    url = (await uploaded(desk.store, audio["sha256"])).url  # type: ignore[union-attr]
    assert final["feedback_per_subtask"][subtask] == f"Good.\n\nAudio comment: {url}"
    for item, clip in ((audio, clips["audio"]), (video, clips["video"])):
        known = await uploaded(desk.store, item["sha256"])
        assert known is not None
        served = await raw(desk, known.url)
        assert served.status_code == 200
        expected = hashlib.sha256(clip.read_bytes()).hexdigest()
        assert hashlib.sha256(served.content).hexdigest() == item["sha256"] == expected


async def test_uploads_resume_through_dropped_connections(
    tmp_path: Path, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(media_upload, "UPLOAD_CHUNK", 128 * 1024)  # ~16 chunks: several get cut off
    config = SandboxConfig(db_path=tmp_path / "platform.sqlite3", drop_rate=0.4, seed=11)
    with SandboxServer(config) as server:
        for _ in range(40):
            try:
                desk = await open_desk(server.url, tmp_path / "desk")
                break
            except Exception:  # an injected drop while signing in: try again
                await asyncio.sleep(0.05)
        try:
            for _ in range(40):
                try:
                    (detail,) = await decidable(desk)
                    break
                except Exception:
                    await asyncio.sleep(0.05)
            video = attach(desk.store, clips["video"], "video")
            await desk.engine.submit(detail.id, "", replace(full_draft(detail), attachments=recordings([video])))
            runner = asyncio.create_task(desk.engine.run())
            for _ in range(600):
                if (await desk.store.outbox_counts())[OutboxState.DONE] == 2:
                    break
                await asyncio.sleep(0.1)
            desk.engine.stop()
            await runner
            entries = await desk.store.outbox(tuple(OutboxState))
            assert [(e.operation, e.state) for e in entries] == [
                (OP_MEDIA_UPLOAD, OutboxState.DONE), ("stage_review", OutboxState.DONE)
            ]
        finally:
            await desk.store.close()
            await desk.client.aclose()
    with SandboxServer(config.__class__(db_path=config.db_path)) as calm:
        checker = await open_desk(calm.url, tmp_path / "checker")
        try:
            row = (await raw(checker, f"{calm.url}/api/v1/mentor/reviews/{detail.id}")).json()
            media_id = row["stages"][-1]["video_media_id"]
            served = await raw(checker, f"{calm.url}/api/v1/mentor/media/{media_id}")
            assert hashlib.sha256(served.content).hexdigest() == video["sha256"]
        finally:
            await checker.store.close()
            await checker.client.aclose()


async def test_a_cancelled_upload_holds_the_review_and_resumes_when_retried(
    desk: Desk, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(media_upload, "UPLOAD_CHUNK", 256 * 1024)
    (detail,) = await decidable(desk)
    video = attach(desk.store, clips["video"], "video")
    seen: list[tuple[int, int]] = []

    def cancel_midway(sha256: str, sent: int, total: int) -> None:
        if not total:  # the upload stopped
            return
        seen.append((sent, total))
        if sent >= total // 2:
            desk.engine.transfers.cancel(sha256)

    stop = desk.engine.transfers.subscribe(cancel_midway)
    await desk.engine.submit(detail.id, "", replace(full_draft(detail), attachments=recordings([video])))
    report = await desk.engine.sync_once()
    stop()

    upload, review = await desk.store.outbox()
    assert (upload.state, review.state) == (OutboxState.FAILED, OutboxState.PENDING)
    assert upload.last_error == media_upload.UploadCancelled.user_message
    assert report.pushed == 0
    sent_before = seen[-1][0]
    assert 0 < sent_before < seen[-1][1]

    resumed: list[int] = []
    desk.engine.transfers.subscribe(lambda _sha, sent, total: resumed.append(sent) if total else None)
    await desk.store.retry_entry(upload.id)
    report = await desk.engine.sync_once()
    assert report.all_sent
    assert resumed[0] > sent_before, "the retry resumed where the server had stopped, not from 0"


async def test_a_recording_over_the_platform_limit_is_refused_in_words(tmp_path: Path, clips: dict[str, Path]) -> None:
    with SandboxServer(SandboxConfig(db_path=tmp_path / "platform.sqlite3", media_max_bytes=1_000_000)) as server:
        desk = await open_desk(server.url, tmp_path / "desk")
        try:
            (detail,) = await decidable(desk)
            video = attach(desk.store, clips["video"], "video")
            await desk.engine.submit(detail.id, "", replace(full_draft(detail), attachments=recordings([video])))
            await desk.engine.sync_once()
            upload, review = await desk.store.outbox()
            assert upload.state is OutboxState.FAILED and review.state is OutboxState.PENDING
            assert upload.last_error is not None and upload.last_error.endswith("this platform accepts at most 1 MB.")
            assert recording_path(desk.store, video["sha256"], "video").exists(), "the recording is kept"
        finally:
            await desk.store.close()
            await desk.client.aclose()


async def test_och_v1_sends_recordings_as_attachments_and_links_them(
    v1_desk: Desk, v1_platform: SandboxServer, clips: dict[str, Path]
) -> None:
    (item,) = await awaiting(v1_desk)
    audio = attach(v1_desk.store, clips["audio"], "audio")
    video = attach(v1_desk.store, clips["video"], "video", ("subtask", "st-1"))
    await v1_desk.engine.submit(item.id, "", v1_draft(item, attachments=recordings([audio, video])))
    assert [e.operation for e in await v1_desk.store.outbox()] == [OP_V1_MEDIA, OP_V1_MEDIA, "v1_review"]

    report = await v1_desk.engine.sync_once()

    assert report.all_sent and report.pushed == 3
    assert (await server_row(v1_desk, item.id)).status == "approved"
    with closing(sqlite3.connect(v1_platform.config.db_path)) as db:  # OCH lists only the first 500 characters
        (feedback,) = db.execute("SELECT legacy_feedback FROM reviews WHERE id = ?", (item.id,)).fetchone()
    for attachment, label in ((audio, "Audio comment: "), (video, "Video comment: ")):
        known = await uploaded(v1_desk.store, attachment["sha256"])
        assert known is not None and f"{label}{known.url}" in feedback
        served = await raw(v1_desk, known.url)
        assert hashlib.sha256(served.content).hexdigest() == attachment["sha256"]


@pytest.mark.parametrize("refusal", ["type", "size"])
async def test_a_recording_the_server_refuses_is_said_in_words_and_the_rest_goes_through(
    desk: Desk, fresh_sandbox: SandboxServer, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch, refusal: str
) -> None:
    """The server (or a proxy before it) refuses the video after the desk read its limits: 415 for its type, 413
    for its size. The audio is uploaded, the video waits with a sentence, and the review waits for the mentor
    with both recordings and its text intact."""
    if refusal == "type":
        monkeypatch.setattr(sandbox_media, "CONTENT_TYPES", ("audio/mp4",))
    else:
        monkeypatch.setattr(fresh_sandbox.config, "media_max_bytes", 1_000_000)  # the capabilities said 2 GB
    (detail,) = await decidable(desk)
    audio, video = attach(desk.store, clips["audio"], "audio"), attach(desk.store, clips["video"], "video")
    draft = replace(full_draft(detail), attachments=recordings([audio, video]))
    await desk.engine.submit(detail.id, "", draft)

    await desk.engine.sync_once()

    sent, refused, review = await desk.store.outbox(tuple(OutboxState))
    assert (sent.state, refused.state, review.state) == (OutboxState.DONE, OutboxState.FAILED, OutboxState.PENDING)
    assert refused.payload["kind"] == "video" and refused.last_error is not None
    expected = {"type": "The platform does not accept video/mp4 recordings",
                "size": "The file is larger than the platform accepts."}[refusal]
    assert refused.last_error.startswith(expected), refused.last_error
    assert "status (4" not in refused.last_error
    assert await uploaded(desk.store, audio["sha256"]) is not None
    assert review.draft == draft, "the review waits as it was written, both recordings attached"
    for item in (audio, video):
        assert recording_path(desk.store, item["sha256"], item["kind"]).is_file()
    row = (await raw(desk, f"{desk.client.server_url}/api/v1/mentor/reviews/{detail.id}")).json()
    assert row["stages"][-1]["status"] != "completed", "nothing was sent without the video"

    await desk.store.discard_entry(refused.id)  # what the sentence tells the mentor to do
    assert (await desk.engine.sync_once()).all_sent
    final = (await raw(desk, f"{desk.client.server_url}/api/v1/mentor/reviews/{detail.id}")).json()["stages"][-1]
    assert final["status"] == "completed" and final["video_media_id"] is None
    assert final["audio_media_id"] == (await uploaded(desk.store, audio["sha256"])).media_id  # type: ignore[union-attr]


async def test_och_v1_a_review_with_audio_and_video_reads_back_as_the_learner_sees_it(
    v1_desk: Desk, v1_platform: SandboxServer, clips: dict[str, Path]
) -> None:
    """Both recordings reach the learner as attachments of a message on their mentorship, and the written feedback
    the platform keeps for the submission names both addresses (read back through OCH v1, not the database)."""
    items = await awaiting(v1_desk, 1)
    item = next((i for i in await v1_desk.store.queue() if is_awaiting_mentor(i.status) and i.learner_id == 6),
                items[0])
    audio, video = attach(v1_desk.store, clips["audio"], "audio"), attach(v1_desk.store, clips["video"], "video")
    await v1_desk.engine.submit(item.id, "", v1_draft(item, attachments=recordings([audio, video])))
    assert (await v1_desk.engine.sync_once()).all_sent

    row = await server_row(v1_desk, item.id)
    addresses = {kind: (await uploaded(v1_desk.store, a["sha256"])).url  # type: ignore[union-attr]
                 for kind, a in (("Audio", audio), ("Video", video))}
    assert row.status == "approved" and row.feedback is not None
    for kind, url in addresses.items():
        assert f"{kind} comment: {url}" in row.feedback, row.feedback  # within the 500 characters OCH lists
    if item.learner_id != 6:
        pytest.skip("no submission of student@demo.och (the sandbox's learner who can sign in) awaits a mentor")
    me = await v1_desk.client.me()
    (assignment,) = [a.id for a in await v1_desk.client.v1_assignments(me.id) if str(a.mentee_id) == "6"]
    origin = v1_desk.client.server_url
    async with httpx.AsyncClient(timeout=30) as student:
        login = await student.post(f"{origin}/api/v1/auth/login", json={
            "email": "student@demo.och", "password": "student-demo", "device_fingerprint": "pytest"})
        student.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        messages = (await student.get(f"{origin}/api/v1/mentorship/assignments/{assignment}/messages")).json()
        attached = {a["file"] for message in messages for a in message["attachments"]}
        for kind, recording in (("Audio", audio), ("Video", video)):
            assert addresses[kind] in attached
            served = await student.get(addresses[kind])
            assert served.status_code == 200
            assert hashlib.sha256(served.content).hexdigest() == recording["sha256"]


async def test_a_recording_on_a_decision_left_unjudged_does_not_hold_the_review(
    desk: Desk, clips: dict[str, Path]
) -> None:
    """The mentor records a comment on a decision but gives it no verdict: the platform takes a decision's comment
    only with a verdict, so the recording's address goes into the written feedback, naming the decision."""
    await desk.engine.pull()
    details = [await desk.client.get_review(item.id) for item in await desk.store.queue()
               if can_decide(item.status) and item.stage_total == 1 and item.claimed_by is None]
    detail = next(d for d in details if d.decision_points())
    decision = detail.decision_points()[0].decision_id
    audio = attach(desk.store, clips["audio"], "audio", ("decision", decision))
    await desk.engine.submit(detail.id, "", replace(full_draft(detail), attachments=recordings([audio])))

    report = await desk.engine.sync_once()

    assert report.all_sent, [e.last_error for e in await desk.store.outbox(tuple(OutboxState))]
    final = (await raw(desk, f"{desk.client.server_url}/api/v1/mentor/reviews/{detail.id}")).json()["stages"][-1]
    url = (await uploaded(desk.store, audio["sha256"])).url  # type: ignore[union-attr]
    assert final["feedback_written"].endswith(f"Audio comment on decision {decision}: {url}")
