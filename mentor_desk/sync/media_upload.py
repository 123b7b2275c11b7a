"""Recordings as outbox operations: uploaded before the review that refers to them, resumably, with progress.

A recording attached to a review is queued as its own outbox entry, for the same review and before the review's
entry (:func:`upload_entries`); the outbox sends a review's entries strictly in order, so the review waits
until every recording it refers to is on the platform (or waits for the mentor when an upload failed).

* :class:`MediaUploadSender` (layer B, ``media_upload``): ``PUT /mentor/media/{sha256}`` in Content-Range chunks
  read from disk (never the whole file in memory); a HEAD first asks what the server already has, so an upload
  cut off by a dropped connection, a crash or a cancel resumes where it stopped; the server checks the SHA-256.
  The recording's content hash is its ``client_media_id``, so sending it again is harmless.
* :class:`V1MediaSender` (OCH v1, ``v1_media``): a message to the learner with the recording attached (10 MB at
  most); the attachment's URL goes into the written feedback.

Either way the platform's answer is kept in the store (:func:`uploaded`) for the review's sender, which works
the recordings into what it sends with :func:`with_recordings`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import NotFound, PlatformError, ValidationFailed
from mentor_desk.domain.decision_path import Verdict
from mentor_desk.store import OutboxEntry, Store

OP_MEDIA_UPLOAD = "media_upload"
OP_V1_MEDIA = "v1_media"
MEDIA_OPERATIONS = (OP_MEDIA_UPLOAD, OP_V1_MEDIA)
UPLOAD_CHUNK = 2 << 20
"""Bytes per PUT: large enough that a request per chunk costs little, small enough to keep memory flat."""
UNSUPPORTED_TYPE = ("The platform does not accept {content_type} recordings, so this one cannot be sent to it. "
                    "Discard this upload to send the review without it.")
V1_MESSAGE = "A recorded comment on your submission “{title}” ({duration})."
_KEY = "media:"


class UploadCancelled(Exception):
    """The mentor cancelled the upload (it resumes where it stopped when retried)."""

    user_message = "Upload cancelled. Retry it in the outbox to continue where it stopped."


@dataclass(frozen=True, slots=True)
class Uploaded:
    """The platform's answer for a recording: its id and where it can be fetched."""

    media_id: str
    url: str


@dataclass
class Transfers:
    """Uploads in progress (bytes sent of total, by content hash), their observers, and cancel requests."""

    progress: dict[str, tuple[int, int]] = field(default_factory=dict)
    _cancelled: set[str] = field(default_factory=set)
    _observers: list[Callable[[str, int, int], None]] = field(default_factory=list)

    def subscribe(self, callback: Callable[[str, int, int], None]) -> Callable[[], None]:
        """``callback(sha256, sent, total)`` after every chunk, and ``(sha256, 0, 0)`` once the upload stops (done,
        failed or cancelled); on the loop's thread. Returns an unsubscribe."""
        self._observers.append(callback)
        return lambda: self._observers.remove(callback)

    def cancel(self, sha256: str) -> None:
        """Stop the upload of ``sha256`` after its current chunk (and before it starts, if it has not)."""
        self._cancelled.add(sha256)

    def _report(self, sha256: str, sent: int, total: int | None) -> None:
        if sha256 in self._cancelled:
            raise UploadCancelled
        self.progress[sha256] = (sent, total or 0)
        for callback in list(self._observers):
            callback(sha256, sent, total or 0)

    def _start(self, sha256: str) -> None:
        self._cancelled.discard(sha256)
        self.progress[sha256] = (0, 0)

    def _end(self, sha256: str) -> None:
        self.progress.pop(sha256, None)
        self._cancelled.discard(sha256)
        for callback in list(self._observers):
            callback(sha256, 0, 0)  # no longer uploading (done, failed or cancelled)


def recording_path(store: Store, sha256: str, kind: str) -> Path:
    """Where the recorder keeps a finished recording of this content and kind."""
    return store.media_dir / f"{sha256}{'.mp4' if kind == 'video' else '.m4a'}"


async def queue_uploads(store: Store, review_id: str, payload: Mapping[str, Any], *, v1: bool) -> None:
    """Queue the upload of every recording the review refers to that the platform does not have yet; called
    before the review's own entry is queued, so the review waits for them."""
    for item in payload.get("attachments") or ():
        sha256, kind = str(item.get("sha256") or ""), str(item.get("kind") or "audio")
        if not sha256 or await uploaded(store, sha256) is not None:
            continue
        body = {"path": str(recording_path(store, sha256, kind)), "sha256": sha256, "kind": kind,
                "duration_ms": int(item.get("duration_ms") or 0)}
        # a stage of its own per recording: the outbox keeps one pending entry per (review, stage, operation)
        await store.enqueue(review_id, f"media:{sha256}", OP_V1_MEDIA if v1 else OP_MEDIA_UPLOAD, body)


def _key(sha256: str) -> str:
    return f"{_KEY}{sha256}"


async def uploaded(store: Store, sha256: str) -> Uploaded | None:
    """What the platform answered for this recording, if it has it."""
    value = await store.sync_state(_key(sha256))
    if value is None:
        return None
    data = json.loads(value)
    return Uploaded(str(data["media_id"]), str(data["url"]))


async def _remember(store: Store, sha256: str, result: Uploaded) -> None:
    await store.set_sync_state(_key(sha256), json.dumps({"media_id": result.media_id, "url": result.url}))


async def with_recordings(store: Store, payload: Mapping[str, Any], *, media_fields: bool) -> dict[str, Any]:
    """The review's payload with its uploaded recordings worked in.

    With ``media_fields`` (layer B) the first recording of each kind attached to the whole review goes out as
    ``audio_media_id`` / ``video_media_id``; every other recording is named, with its address, at the end of the
    text it belongs to (the written feedback, the subtask's remark, the decision's comment; a decision without a
    verdict takes no comment, so its recording is named in the written feedback). Without (OCH v1), every
    recording is named in its text.
    """
    result = dict(payload)
    texts = {"feedback_per_subtask": dict(payload.get("feedback_per_subtask") or {})}
    notes = {key: dict(note) for key, note in (payload.get("decision_annotations") or {}).items()}
    for item in payload.get("attachments") or ():
        known = await uploaded(store, str(item.get("sha256") or ""))
        if known is None:
            continue
        kind = "video" if item.get("kind") == "video" else "audio"
        target = item.get("target") or {}
        where, target_id = str(target.get("kind") or "review"), str(target.get("id") or "")
        if media_fields and where == "review" and not result.get(f"{kind}_media_id"):
            result[f"{kind}_media_id"] = known.media_id
            continue
        line = f"{kind.capitalize()} comment: {known.url}"
        judged = where == "decision" and (notes.get(target_id) or {}).get("verdict") in tuple(Verdict)
        if where == "subtask":
            texts["feedback_per_subtask"][target_id] = _append(texts["feedback_per_subtask"].get(target_id), line)
        elif judged:
            notes[target_id]["comment"] = _append(notes[target_id].get("comment"), line)
        elif where == "decision":  # a decision's comment goes out only with a verdict: name it in the feedback
            line = f"{kind.capitalize()} comment on decision {target_id}: {known.url}"
            result["feedback_written"] = _append(result.get("feedback_written"), line)
        else:
            result["feedback_written"] = _append(result.get("feedback_written"), line)
    result.update(texts, decision_annotations=notes)
    return result


def _append(text: object, line: str) -> str:
    before = str(text or "").rstrip()
    return f"{before}\n\n{line}" if before else line


def _path(entry: OutboxEntry) -> Path:
    path = Path(str(entry.payload.get("path") or ""))
    if not path.is_file():
        raise ValueError(f"the recording {path.name or '(unnamed)'} is no longer on this computer")
    return path


class MediaUploadSender:
    """Layer B resumable upload (see the module docstring)."""

    operation = OP_MEDIA_UPLOAD
    concurrent = True  # each recording is its own resource, named by its content

    def __init__(self, client: PlatformClient, store: Store, transfers: Transfers) -> None:
        self._client = client
        self._store = store
        self._transfers = transfers

    def start_round(self) -> None:
        pass

    async def send(self, entry: OutboxEntry) -> None:
        sha256 = str(entry.payload["sha256"])
        path = _path(entry)
        content_type = "audio/mp4" if entry.payload.get("kind") == "audio" else "video/mp4"
        await self._store.mark_sending(entry.id)
        self._transfers._start(sha256)
        try:
            result = await self._client.upload_media(
                path,
                client_media_id=sha256,
                content_type=content_type,
                progress=lambda sent, total: self._transfers._report(sha256, sent, total),
                chunk_size=UPLOAD_CHUNK,
            )
        except PlatformError as error:
            if error.status == 415:
                raise ValidationFailed(UNSUPPORTED_TYPE.format(content_type=content_type), status=error.status,
                                       code=error.code, body=error.body) from error
            raise
        finally:
            self._transfers._end(sha256)
        if result.sha256.lower() != sha256:
            raise ValueError("the platform stored a different file than the recording")
        await _remember(self._store, sha256, Uploaded(result.id, result.url))
        await self._store.mark_done(entry.id)


class V1MediaSender:
    """OCH v1: the recording as a message attachment to the learner (see the module docstring)."""

    operation = OP_V1_MEDIA
    concurrent = False  # one message at a time (layer A has no idempotency: no duplicates in flight)

    def __init__(self, client: PlatformClient, store: Store) -> None:
        self._client = client
        self._store = store

    def start_round(self) -> None:
        pass

    async def send(self, entry: OutboxEntry) -> None:
        sha256 = str(entry.payload["sha256"])
        if await uploaded(self._store, sha256) is not None:  # sent before the outcome was recorded
            await self._store.mark_done(entry.id)
            return
        path = _path(entry)
        item = await self._store.queue_item(entry.review_id)
        if item is None or item.learner_id is None:
            raise NotFound("This submission is no longer in your queue, so its learner cannot be messaged.")
        assignment = await self._assignment(item.learner_id, item.learner_name)
        seconds = int(entry.payload.get("duration_ms") or 0) // 1000
        body = V1_MESSAGE.format(title=item.mission_title, duration=f"{seconds // 60}:{seconds % 60:02d}")
        await self._store.mark_sending(entry.id)
        message = await self._client.v1_send_message(assignment, body, [path])
        attachment = next((a for a in message.attachments if a.file), None)
        if attachment is None or not attachment.file:
            raise ValueError("the platform kept the message but gave no address for its attachment")
        await _remember(self._store, sha256, Uploaded(attachment.id, attachment.file))
        await self._store.mark_done(entry.id)

    async def _assignment(self, learner_id: int, learner_name: str) -> str:
        """The mentorship assignment with the learner (messages go to an assignment)."""
        me = await self._client.me()
        for row in await self._client.v1_assignments(me.id):
            if str(row.mentee_id) == str(learner_id):
                return str(row.id)
        raise NotFound(f"You have no mentorship assignment with {learner_name}, so the recording cannot be sent.")
