"""``PlatformClient``: the one async client of the OCH platform (both contract layers) on a shared httpx client.

Use it on the running asyncio loop (qasync in the app)::

    async with PlatformClient("http://127.0.0.1:8765") as client:
        try:
            session = await client.login(email, password)
        except MfaRequired as needed:
            session = await client.complete_mfa(needed.challenge, code)
        info = await client.discover()          # "full" (layer B) or "och-v1" (compatibility mode)
        queue = await client.fetch_queue()      # list[QueueItem], whatever the mode

Every request carries the bearer token; an expired access token (401) is refreshed once, transparently, and the
request repeated; refresh tokens rotate and the new one is always kept (``on_session_changed`` is told, so the
app can update the keyring). A refused refresh raises :class:`SessionExpired`. Every failure is a typed
:class:`~mentor_desk.api.errors.PlatformError` with a sentence for the mentor. Plain ``http://`` is only allowed
to loopback hosts unless ``allow_insecure_http``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator, Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_never, wait_exponential_jitter

from mentor_desk.api import files
from mentor_desk.api.base import BufferBody, parse_model, response_json
from mentor_desk.api.errors import (
    ConnectionDropped,
    IntegrityError,
    MalformedResponse,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
    is_transient,
)
from mentor_desk.api.models import (
    Capabilities,
    Claim,
    MediaUploadResult,
    Meeting,
    MentorApproval,
    PlatformEvent,
    ReviewDetail,
    ReviewPage,
    ReviewRow,
    RubricModel,
    StageReviewRequest,
    StageReviewResult,
    Tier5Learner,
    Tier5Status,
    V1SubmissionRow,
    review_row_to_queue_item,
    v1_row_to_queue_item,
)
from mentor_desk.api.och_v1 import OCH_V1_ATTACHMENT_LIMIT, OchV1Endpoints
from mentor_desk.api.sse import LineTooLong, bounded_lines, parse_sse
from mentor_desk.domain.queue import QueueItem

log = logging.getLogger(__name__)

MODE_FULL = "full"
MODE_OCH_V1 = "och-v1"
REVIEWS_PAGE_MAX = 1000
"""The most review rows the platform returns per page (it clamps larger limits): a full pull asks for that many."""

Progress = Callable[[int, int | None], None]
_STREAM_REFUSALS = frozenset({500, 501})
"""Server errors that are how the event stream says no (:func:`stream_may_reconnect`), not trouble that passes."""


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """What :meth:`PlatformClient.discover` learned: which contract layer the server speaks."""

    mode: str  # MODE_FULL or MODE_OCH_V1
    features: frozenset[str] = frozenset()
    api_version: int | None = None
    limits: Mapping[str, Any] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        return self.mode == MODE_FULL

    def has(self, feature: str) -> bool:
        return feature in self.features

    @property
    def media_max_bytes(self) -> int:
        """Largest feedback recording the server takes (10 MB message attachments on OCH v1)."""
        value = self.limits.get("media_max_bytes")
        return int(value) if isinstance(value, int) else OCH_V1_ATTACHMENT_LIMIT


class PlatformClient(OchV1Endpoints):
    """The async client of one platform server. See the module docstring."""

    server_info: ServerInfo | None = None  # set by discover()

    # --- discovery and the unified queue ---------------------------------------------------------------

    async def discover(self) -> ServerInfo:
        """Ask for layer B's capabilities; a 404 means compatibility mode (OCH v1 as deployed)."""
        try:
            caps = parse_model(Capabilities, await self._get_json("mentor/capabilities"))
        except NotFound:
            info = ServerInfo(MODE_OCH_V1)
        else:
            info = ServerInfo(MODE_FULL, frozenset(caps.features), caps.version, dict(caps.limits))
        self.server_info = info
        return info

    async def _info(self) -> ServerInfo:
        return self.server_info or await self.discover()

    async def fetch_queue(self, *, updated_since: datetime | None = None) -> list[QueueItem]:
        """Every review item of the signed-in mentor, all pages, in either mode.

        In compatibility mode ``updated_since`` is ignored (OCH v1 has no such filter): the whole queue comes
        back, capstone submissions marked ``kind="capstone"``. Pages are decoded and turned into queue items in
        worker threads, so that a big pull does not stall the event loop (the GUI thread in the app); on layer B
        the next page is asked for while one is turned into queue items, so the platform and the desk work at
        once.
        """
        info = await self._info()
        my_id = await self._my_id()
        if info.full:
            return await self._all_review_items(updated_since, my_id)
        rows = await self._all_v1_submissions(my_id)
        capstone_ids = {row.id for row in await self.v1_capstones(my_id, status="all")}
        return await asyncio.to_thread(_v1_queue_items, rows, capstone_ids)

    async def _all_review_items(self, updated_since: datetime | None, my_id: int) -> list[QueueItem]:
        def page_at(offset: int) -> asyncio.Task[ReviewPage]:
            return asyncio.ensure_future(
                self.list_reviews(updated_since=updated_since, limit=REVIEWS_PAGE_MAX, offset=offset)
            )

        items: list[QueueItem] = []
        offset = 0
        asked = page_at(offset)
        try:
            while True:
                page = await asked
                offset += len(page.results)
                last = not page.results or (page.count is not None and offset >= page.count)
                if not last:
                    asked = page_at(offset)
                items += await asyncio.to_thread(_review_queue_items, page.results, my_id)
                if last:
                    return items
        finally:  # a page asked for ahead is not left behind (the one before it failed, or the pull was cancelled)
            asked.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):  # the error that ends the pull is raised
                await asked

    async def _all_v1_submissions(self, mentor_id: int) -> list[V1SubmissionRow]:
        rows: list[V1SubmissionRow] = []
        while True:
            page, count = await self.v1_submissions(mentor_id, limit=100, offset=len(rows))
            rows += page
            if not page or count is None or len(rows) >= count:
                return rows

    # --- layer B: reviews, claims, rubrics, stage reviews ----------------------------------------------

    async def list_reviews(
        self,
        *,
        status: str | None = None,
        track: str | None = None,
        updated_since: datetime | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> ReviewPage:
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if status:
            params["status"] = status
        if track:
            params["track"] = track
        if updated_since is not None:
            params["updated_since"] = updated_since.isoformat()
        rows, count = await self._get_list(ReviewRow, "mentor/reviews", params=params)
        return ReviewPage(results=rows, count=count)

    async def get_review(self, review_id: str) -> ReviewDetail:
        return parse_model(ReviewDetail, await self._get_json(f"mentor/reviews/{review_id}"))

    async def claim(self, review_id: str) -> Claim:
        """Claim (or renew the claim on) a review for 30 minutes. :class:`ClaimedByOther` if taken."""
        return parse_model(Claim, await self._call("POST", f"mentor/reviews/{review_id}/claim"))

    async def release_claim(self, review_id: str) -> None:
        await self._send("DELETE", f"mentor/reviews/{review_id}/claim")

    async def get_rubric(self, rubric_id: str) -> RubricModel:
        return parse_model(RubricModel, await self._get_json(f"rubrics/{rubric_id}"))

    async def submit_stage_review(self, review_id: str, body: StageReviewRequest) -> StageReviewResult:
        """Send a stage review or final decision. Safe to repeat with the same ``client_op_id``."""
        return parse_model(
            StageReviewResult,
            await self._call(
                "POST",
                f"mission-progress/{review_id}/mentor-review/complete",
                json=body.model_dump(mode="json"),
                idempotent=True,
            ),
        )

    # --- files -------------------------------------------------------------------------------------------

    async def download_file(
        self,
        url: str,
        dest: Path,
        *,
        expected_sha256: str | None = None,
        progress: Progress | None = None,
    ) -> Path:
        """Stream ``url`` to ``dest`` through ``dest.part``, resuming a previous partial download with Range.

        The hash is checked before the file takes its final name (:class:`IntegrityError` otherwise, and the
        partial file is discarded). A broken connection raises :class:`ConnectionDropped` and keeps the partial
        file for the next attempt.
        """
        part = dest.with_name(dest.name + ".part")
        await asyncio.to_thread(dest.parent.mkdir, parents=True, exist_ok=True)
        have = await asyncio.to_thread(files.size_or_zero, part)
        headers = {"Range": f"bytes={have}-", "Accept": "*/*"} if have else {"Accept": "*/*"}
        async with self._stream("GET", url, headers=headers, ok=(416,)) as response:
            if response.status_code == 416:  # nothing more to send: the partial file is complete
                total: int | None = have
            else:
                if (
                    response.status_code != 206
                    or files.content_range_start(response.headers.get("Content-Range")) != have
                ):
                    have = 0
                    await asyncio.to_thread(part.write_bytes, b"")
                length = response.headers.get("Content-Length")
                total = have + int(length) if length and length.isdigit() else None
                await self._receive(response, part, have, total, progress)
        if expected_sha256:
            actual = await asyncio.to_thread(files.sha256_file, part)
            if actual.lower() != expected_sha256.lower():
                await asyncio.to_thread(part.unlink, missing_ok=True)
                raise IntegrityError(body={"expected": expected_sha256, "actual": actual})
        await asyncio.to_thread(os.replace, part, dest)
        return dest

    @staticmethod
    async def _receive(
        response: httpx.Response, part: Path, have: int, total: int | None, progress: Progress | None
    ) -> None:
        buffer = bytearray()
        done = have
        try:
            async for chunk in response.aiter_bytes():
                buffer += chunk
                done += len(chunk)
                if len(buffer) >= 1 << 20:
                    await asyncio.to_thread(files.append_block, part, bytes(buffer))
                    buffer.clear()
                if progress is not None:
                    progress(done, total)
        finally:  # keep what arrived, so that the next attempt resumes from there
            if buffer:
                await asyncio.to_thread(files.append_block, part, bytes(buffer))
        if total is not None and done < total:
            raise ConnectionDropped(body={"received": done, "expected": total})

    async def upload_media(
        self,
        path: Path,
        *,
        client_media_id: str,
        content_type: str,
        progress: Progress | None = None,
        chunk_size: int = 1 << 20,
    ) -> MediaUploadResult:
        """Upload a recording resumably: ask how much the server has (HEAD), then PUT the rest in chunks."""
        size = await asyncio.to_thread(os.path.getsize, path)
        limit = (await self._info()).media_max_bytes
        if size > limit:
            raise PayloadTooLarge(
                f"The recording is {size / 1e6:.1f} MB; this platform accepts at most {limit / 1e6:.0f} MB."
            )
        if size == 0:
            raise ValidationFailed("The recording is empty; nothing was uploaded.")
        digest = await asyncio.to_thread(files.sha256_file, path)
        target = f"mentor/media/{client_media_id}"
        head = await self._send("HEAD", target, ok=(404, 308))
        offset = files.received_bytes(head.headers.get("Range")) if head.status_code != 404 else 0
        buffer = bytearray(min(chunk_size, size))  # one for the whole upload (see files.read_into)
        while True:
            # A complete upload is confirmed by re-sending its last byte: the server answers with the result.
            offset = min(offset, size - 1)
            filled = await asyncio.to_thread(files.read_into, path, offset, buffer)
            response = await self._send(
                "PUT",
                target,
                content=BufferBody(memoryview(buffer)[:filled]),
                ok=(308, 416),
                headers={
                    "Content-Length": str(filled),
                    "Content-Range": f"bytes {offset}-{offset + filled - 1}/{size}",
                    "Content-Type": content_type,
                    "X-Content-SHA256": digest,
                },
            )
            if response.status_code not in (308, 416):
                if progress is not None:
                    progress(size, size)
                return parse_model(MediaUploadResult, response_json(response))
            # 308: stored, continue after what the server has; 416: we were ahead of it, go back.
            received = files.received_bytes(response.headers.get("Range"))
            if response.status_code == 308 and received <= offset:
                raise MalformedResponse("The platform did not accept any of the uploaded data.")
            offset = received
            if progress is not None:
                progress(offset, size)

    # --- layer B: Tier-5 sign-off and scoring meetings --------------------------------------------------

    async def tier5_learners(self, track: str | None = None) -> list[Tier5Learner]:
        """Learners on my Tier-5 tracks (on one track with ``track``), with their status and approval (layer B)."""
        params = {"track": track} if track else None
        rows, _ = await self._get_list(Tier5Learner, "mentor/tier5/learners", params=params)
        return rows

    async def tier5_status(self, track: str, learner_id: int | None = None) -> Tier5Status:
        """A learner's Tier-5 readiness (layer B), or the caller's own without ``learner_id`` (layer A)."""
        params = {"learner_id": learner_id} if learner_id is not None else None
        return parse_model(Tier5Status, await self._get_json(f"curriculum/tier5/tracks/{track}/status", params=params))

    async def set_mentor_approval(
        self, track: str, learner_id: int, approved: bool, comment: str, client_op_id: str
    ) -> MentorApproval:
        """Sign off (or revoke) a learner's Tier-5 mastery. :class:`RequirementsNotMet` lists what is missing."""
        body = {"learner_id": learner_id, "approved": approved, "comment": comment, "client_op_id": client_op_id}
        return parse_model(
            MentorApproval,
            await self._call("POST", f"curriculum/tier5/tracks/{track}/mentor-approval", json=body, idempotent=True),
        )

    async def create_meeting(self, review_id: str, panel: Sequence[int], *, blind: bool = True) -> Meeting:
        body = {"review_id": review_id, "panel": list(panel), "blind": blind}
        return parse_model(Meeting, await self._call("POST", "scoring-meetings", json=body))

    async def list_meetings(self, *, state: str | None = None) -> list[Meeting]:
        params = {"state": state} if state else None
        rows, _ = await self._get_list(Meeting, "scoring-meetings", params=params)
        return rows

    async def get_meeting(self, meeting_id: str) -> Meeting:
        return parse_model(Meeting, await self._get_json(f"scoring-meetings/{meeting_id}"))

    async def put_my_scores(
        self,
        meeting_id: str,
        *,
        base_version: int,
        subtask_scores: Mapping[str, Mapping[str, float]],
        comment: str = "",
    ) -> Meeting:
        body = {"base_version": base_version, "subtask_scores": subtask_scores, "comment": comment}
        return parse_model(Meeting, await self._call("PUT", f"scoring-meetings/{meeting_id}/my-scores", json=body))

    async def reveal(self, meeting_id: str) -> Meeting:
        return parse_model(Meeting, await self._call("POST", f"scoring-meetings/{meeting_id}/reveal"))

    async def consensus(
        self,
        meeting_id: str,
        *,
        base_version: int,
        subtask_scores: Mapping[str, Mapping[str, float]],
        decision: str,
        feedback_written: str,
        notes: str = "",
    ) -> Meeting:
        body = {
            "base_version": base_version,
            "subtask_scores": subtask_scores,
            "decision": decision,
            "feedback_written": feedback_written,
            "notes": notes,
        }
        return parse_model(Meeting, await self._call("POST", f"scoring-meetings/{meeting_id}/consensus", json=body))

    # --- events ------------------------------------------------------------------------------------------

    async def events(
        self, *, last_event_id: str | None = None, on_open: Callable[[], None] | None = None
    ) -> AsyncIterator[PlatformEvent]:
        """Server-sent events, forever: reconnects (with ``Last-Event-ID`` on layer B) after any drop.
        ``on_open()`` is called each time the stream is open (what happens from then on arrives as events).

        Failures that may pass (see :func:`stream_may_reconnect`) are retried with exponential backoff and
        jitter; a refusal (:class:`SessionExpired`, :class:`Forbidden`, a server without a stream...) ends the
        iteration by raising.
        """
        connect = AsyncRetrying(
            retry=retry_if_exception(stream_may_reconnect),
            wait=wait_exponential_jitter(multiplier=0.5, max=30),
            stop=stop_never,
            reraise=True,
        )
        info: ServerInfo = await connect(self._info)  # a platform not reached yet (started offline) is waited for too
        path, accept = ("mentor/events", "text/event-stream") if info.full else ("mentor/dashboard/stream", "*/*")
        retry_ms = 1000
        while True:
            headers = {"Accept": accept, "Cache-Control": "no-cache"}
            if last_event_id and info.full:
                headers["Last-Event-ID"] = last_event_id
            response: httpx.Response = await connect(
                self._send,
                "GET",
                path,
                stream=True,
                headers=headers,
                mentor=True,
                timeout=httpx.Timeout(10.0, read=None),
            )
            if on_open is not None:
                on_open()
            try:
                async for message in parse_sse(bounded_lines(response.aiter_text())):
                    retry_ms = message.retry_ms or retry_ms
                    last_event_id = message.id or last_event_id
                    event = _event(message.event, message.data, message.id)
                    if event is not None:
                        yield event
            except httpx.RequestError as exc:
                log.info("Event stream dropped (%s); reconnecting.", type(exc).__name__)
            except LineTooLong:
                raise MalformedResponse("The platform's event stream sent a line that never ends; the app stopped "
                                        "listening to it.") from None
            finally:
                await response.aclose()
            await asyncio.sleep(retry_ms / 1000)


def stream_may_reconnect(error: BaseException) -> bool:
    """Whether opening the event stream again later may work: network trouble, timeouts, an overloaded or restarting
    platform (429, 502, 503, 504). Not a refusal: OCH answers 500 on its dashboard stream to an account that is not
    set up as a mentor, and a server without a stream answers 404 or 405."""
    return is_transient(error) and getattr(error, "status", None) not in _STREAM_REFUSALS


def _review_queue_items(rows: Sequence[ReviewRow], my_user_id: int) -> list[QueueItem]:
    return [review_row_to_queue_item(row, my_user_id=my_user_id) for row in rows]


def _v1_queue_items(rows: Sequence[V1SubmissionRow], capstone_ids: Set[str]) -> list[QueueItem]:
    return [v1_row_to_queue_item(row, kind="capstone" if row.id in capstone_ids else "mission") for row in rows]


def _event(name: str, data: str, event_id: str | None) -> PlatformEvent | None:
    """A layer B event (named, JSON data) or an OCH v1 dashboard event (``{"work_queue": {...}}``)."""
    try:
        payload = json.loads(data) if data else {}
    except ValueError:
        log.info("Ignoring an event whose data is not JSON.")
        return None
    if name == "message" and isinstance(payload, Mapping) and len(payload) == 1:
        ((name, value),) = payload.items()
        payload = value if isinstance(value, Mapping) else {"value": value}
    if not isinstance(payload, Mapping):
        payload = {"value": payload}
    return PlatformEvent(id=event_id, event=name, data=dict(payload))
