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
import ipaddress
import json
import logging
import mimetypes
import os
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import pydantic
from tenacity import AsyncRetrying, retry_if_exception, stop_never, wait_exponential_jitter

from mentor_desk.api import files
from mentor_desk.api.errors import (
    ConnectionDropped,
    InsecureServer,
    IntegrityError,
    InvalidCredentials,
    InvalidMfaCode,
    MalformedResponse,
    MfaRequired,
    NotFound,
    PayloadTooLarge,
    PlatformError,
    SessionExpired,
    ValidationFailed,
    error_from_response,
    error_from_transport,
    is_transient,
)
from mentor_desk.api.models import (
    Capabilities,
    Claim,
    FeedbackMediaRegistered,
    Interaction,
    InteractionRow,
    InteractionUpdated,
    LoginResponse,
    Me,
    MediaUploadResult,
    Meeting,
    MentorApproval,
    MentorAssignment,
    MentorshipMessage,
    MfaChallenge,
    PlatformEvent,
    ReviewDetail,
    ReviewPage,
    ReviewRow,
    RubricModel,
    StageReviewRequest,
    StageReviewResult,
    Tier5Learner,
    Tier5Status,
    TokenPair,
    V1CapstoneRow,
    V1Mission,
    V1ReviewResult,
    V1SubmissionRow,
    WorkQueueItem,
    list_items,
    review_row_to_queue_item,
    v1_row_to_queue_item,
)
from mentor_desk.api.session import Session
from mentor_desk.api.sse import parse_sse
from mentor_desk.domain.queue import QueueItem

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
MODE_FULL = "full"
MODE_OCH_V1 = "och-v1"
OCH_V1_ATTACHMENT_LIMIT = 10 * 1024 * 1024

_M = TypeVar("_M", bound=pydantic.BaseModel)
Progress = Callable[[int, int | None], None]


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


def normalise_server_url(server_url: str, *, allow_insecure_http: bool = False) -> str:
    """The origin (``scheme://host[:port]``) of a server address; a trailing ``/api/v1`` is tolerated.

    Raises :class:`InsecureServer` for ``http://`` to a non-loopback host unless explicitly allowed.
    """
    text = server_url.strip()
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise PlatformError(f"“{server_url}” is not a server address (expected e.g. https://och.example.org).")
    if parts.scheme == "http" and not allow_insecure_http and not _is_loopback(parts.hostname):
        raise InsecureServer()
    return f"{parts.scheme}://{parts.netloc}"


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _parse(model: type[_M], data: Any) -> _M:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise MalformedResponse(body=_short(exc)) from exc


def _parse_list(model: type[_M], body: Any) -> tuple[list[_M], int | None]:
    try:
        rows, count = list_items(body)
    except ValueError as exc:
        raise MalformedResponse(body=str(exc)) from exc
    return [_parse(model, row) for row in rows], count


def _short(exc: pydantic.ValidationError) -> str:
    first = exc.errors()[0]
    return f"{exc.error_count()} problem(s); first at {'.'.join(map(str, first['loc']))}: {first['msg']}"


def _body(response: httpx.Response) -> Any:
    """The decoded JSON body, or the text for a non-JSON answer (error pages)."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise MalformedResponse(body=response.text[:300]) from exc


class PlatformClient:
    """The async client of one platform server. See the module docstring."""

    def __init__(
        self,
        server_url: str,
        *,
        allow_insecure_http: bool = False,
        timeout: float = 20.0,
        transport: httpx.AsyncBaseTransport | None = None,
        device_name: str = "mentor_desk",
        device_fingerprint: str | None = None,
    ) -> None:
        self.server_url = normalise_server_url(server_url, allow_insecure_http=allow_insecure_http)
        self.session: Session | None = None
        self.on_session_changed: Callable[[Session | None], None] | None = None
        self.server_info: ServerInfo | None = None
        self._device_name = device_name
        self._device_fingerprint = device_fingerprint or f"mentor-desk-{uuid.uuid4()}"
        self._refresh_lock = asyncio.Lock()
        self._http = httpx.AsyncClient(
            base_url=self.server_url,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "mentor_desk"},
        )

    def __repr__(self) -> str:
        return f"<PlatformClient {self.server_url} signed_in={self.session is not None}>"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> PlatformClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- plumbing --------------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        """An API path ("mentor/reviews"), an origin path ("/media/x") or an absolute URL, made absolute."""
        if path.startswith(("http://", "https://")):
            return path
        if path.startswith("/"):
            return f"{self.server_url}{path}"
        return f"{self.server_url}{API_PREFIX}/{path}"

    def _same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.server_url

    def _set_session(self, session: Session | None) -> None:
        self.session = session
        if self.on_session_changed is not None:
            self.on_session_changed(session)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        stream: bool = False,
        mentor: bool = False,
        ok: Sequence[int] = (),
        rewind: Sequence[Any] = (),
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one request; refresh once on an expired token; map failures to typed errors.

        ``ok`` lists non-2xx statuses the caller handles itself (e.g. 308 during an upload); ``rewind`` lists
        file objects to seek back to 0 before a repeated attempt. With ``stream`` the caller must close the
        response (use :meth:`_stream`).
        """
        url = self._url(path)
        headers = dict(kwargs.pop("headers", None) or {})
        for attempt in (1, 2):
            token = self.session.access_token if (auth and self.session and self._same_origin(url)) else None
            request_headers = {**headers, "Authorization": f"Bearer {token}"} if token else headers
            for handle in rewind if attempt == 2 else ():
                handle.seek(0)
            request = self._http.build_request(method, url, headers=request_headers, **kwargs)
            try:
                response = await self._http.send(request, stream=stream)
            except httpx.RequestError as exc:
                log.info("%s %s failed: %s", method, request.url.path, type(exc).__name__)
                raise error_from_transport(exc) from exc
            log.debug("%s %s → %s", method, request.url.path, response.status_code)
            if response.is_success or response.status_code in ok:
                return response
            if stream:
                await self._read_and_close(response)
            if response.status_code == 401 and token and attempt == 1:
                await self._refresh_after(token)
                continue
            raise error_from_response(response.status_code, _body(response), mentor_endpoint=mentor)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    async def _read_and_close(response: httpx.Response) -> None:
        try:
            await response.aread()
        except httpx.RequestError as exc:
            raise error_from_transport(exc) from exc
        finally:
            await response.aclose()

    @asynccontextmanager
    async def _stream(self, method: str, path: str, **kwargs: Any) -> AsyncIterator[httpx.Response]:
        response = await self._send(method, path, stream=True, **kwargs)
        try:
            yield response
        except httpx.RequestError as exc:
            raise error_from_transport(exc) from exc
        finally:
            await response.aclose()

    async def _get_json(self, path: str, **kwargs: Any) -> Any:
        return _json(await self._send("GET", path, **kwargs))

    async def _refresh_after(self, failed_token: str) -> None:
        """Refresh unless another request already did while we waited for the lock."""
        async with self._refresh_lock:
            if self.session is not None and self.session.access_token != failed_token:
                return
            await self.refresh()

    def _require_session(self) -> Session:
        if self.session is None:
            raise SessionExpired("You are not signed in.")
        return self.session

    # --- auth ------------------------------------------------------------------------------------------

    async def login(self, email: str, password: str) -> Session:
        """Sign in. Raises :class:`MfaRequired` (with ``.challenge``) when a second factor is needed."""
        body = {
            "email": email.strip(),
            "password": password,
            "device_fingerprint": self._device_fingerprint,
            "device_name": self._device_name,
        }
        try:
            data = await self._get_json_post("auth/login", body)
        except SessionExpired as exc:  # a 401 here is about the password, not a session
            raise InvalidCredentials(status=exc.status, code=exc.code, body=exc.body) from None
        if isinstance(data, Mapping) and data.get("mfa_required") is True:
            challenge = _parse(MfaChallenge, data)
            raise MfaRequired(challenge)
        return self._signed_in(_parse(LoginResponse, data))

    async def complete_mfa(self, challenge: MfaChallenge, code: str) -> Session:
        body = {
            "refresh_token": challenge.refresh_token,
            "code": code.strip().replace(" ", ""),
            "method": challenge.mfa_method or "totp",
        }
        try:
            data = await self._get_json_post("auth/mfa/complete", body)
        except PlatformError as exc:
            if exc.status == 400:
                raise InvalidMfaCode(status=exc.status, body=exc.body) from None
            if exc.status == 401:
                raise SessionExpired(
                    "The sign-in took too long. Please sign in again.", status=401, body=exc.body
                ) from None
            raise
        return self._signed_in(_parse(LoginResponse, data))

    async def _get_json_post(self, path: str, body: Mapping[str, Any]) -> Any:
        return _json(await self._send("POST", path, auth=False, json=body))

    def _signed_in(self, answer: LoginResponse) -> Session:
        user = answer.user
        session = Session(
            access_token=answer.access_token,
            refresh_token=answer.refresh_token,
            user_id=user.id if user else None,
            email=user.email if user else "",
            name=user.name if user else "",
            roles=tuple(r.role for r in user.roles) if user else (),
        )
        self._set_session(session)
        return session

    async def refresh(self) -> Session:
        """Exchange the refresh token for a new pair (rotation). :class:`SessionExpired` when refused."""
        session = self._require_session()
        body = {"refresh_token": session.refresh_token, "device_fingerprint": self._device_fingerprint}
        try:
            data = await self._get_json_post("auth/token/refresh", body)
        except PlatformError as exc:
            if exc.status in {400, 401, 403}:  # 403 mfa_required: a session that never passed MFA
                self._set_session(None)
                raise SessionExpired(status=exc.status, code=exc.code, body=exc.body) from None
            raise
        pair = _parse(TokenPair, data)
        renewed = session.with_tokens(pair.access_token, pair.refresh_token)
        self._set_session(renewed)
        return renewed

    def restore_session(self, session: Session) -> None:
        """Use a session kept from an earlier run (e.g. from the keyring). Not reported back."""
        self.session = session

    async def logout(self) -> None:
        """Revoke this session on the server when reachable; always forget it locally."""
        session = self.session
        if session is None:
            return
        try:
            await self._send("POST", "auth/logout", json={"refresh_token": session.refresh_token})
        except PlatformError as exc:
            log.info("Server-side logout failed (%s); forgetting the session locally.", type(exc).__name__)
        self._set_session(None)

    async def me(self) -> Me:
        me = _parse(Me, await self._get_json("auth/me"))
        session = self.session
        if session is not None and session.user_id != me.id:
            self._set_session(
                Session(
                    session.access_token, session.refresh_token, me.id, me.email, me.name, tuple(sorted(me.role_names))
                )
            )
        return me

    async def _my_id(self) -> int:
        session = self._require_session()
        return session.user_id if session.user_id is not None else (await self.me()).id

    # --- discovery and the unified queue ---------------------------------------------------------------

    async def discover(self) -> ServerInfo:
        """Ask for layer B's capabilities; a 404 means compatibility mode (OCH v1 as deployed)."""
        try:
            caps = _parse(Capabilities, await self._get_json("mentor/capabilities"))
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
        back, capstone submissions marked ``kind="capstone"``.
        """
        info = await self._info()
        my_id = await self._my_id()
        if info.full:
            items: list[QueueItem] = []
            offset = 0
            while True:
                page = await self.list_reviews(updated_since=updated_since, limit=200, offset=offset)
                items += [review_row_to_queue_item(row, my_user_id=my_id) for row in page.results]
                offset += len(page.results)
                if not page.results or (page.count is not None and offset >= page.count):
                    return items
        rows = await self._all_v1_submissions(my_id)
        capstone_ids = {row.id for row in await self.v1_capstones(my_id, status="all")}
        return [v1_row_to_queue_item(row, kind="capstone" if row.id in capstone_ids else "mission") for row in rows]

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
        rows, count = _parse_list(ReviewRow, await self._get_json("mentor/reviews", params=params))
        return ReviewPage(results=rows, count=count)

    async def get_review(self, review_id: str) -> ReviewDetail:
        return _parse(ReviewDetail, await self._get_json(f"mentor/reviews/{review_id}"))

    async def claim(self, review_id: str) -> Claim:
        """Claim (or renew the claim on) a review for 30 minutes. :class:`ClaimedByOther` if taken."""
        return _parse(Claim, _json(await self._send("POST", f"mentor/reviews/{review_id}/claim")))

    async def release_claim(self, review_id: str) -> None:
        await self._send("DELETE", f"mentor/reviews/{review_id}/claim")

    async def get_rubric(self, rubric_id: str) -> RubricModel:
        return _parse(RubricModel, await self._get_json(f"rubrics/{rubric_id}"))

    async def submit_stage_review(self, review_id: str, body: StageReviewRequest) -> StageReviewResult:
        """Send a stage review or final decision. Safe to repeat with the same ``client_op_id``."""
        response = await self._send(
            "POST", f"mission-progress/{review_id}/mentor-review/complete", json=body.model_dump(mode="json")
        )
        return _parse(StageReviewResult, _json(response))

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
        while True:
            # A complete upload is confirmed by re-sending its last byte: the server answers with the result.
            offset = min(offset, size - 1)
            block = await asyncio.to_thread(files.read_block, path, offset, chunk_size)
            response = await self._send(
                "PUT",
                target,
                content=block,
                ok=(308, 416),
                headers={
                    "Content-Range": f"bytes {offset}-{offset + len(block) - 1}/{size}",
                    "Content-Type": content_type,
                    "X-Content-SHA256": digest,
                },
            )
            if response.status_code not in (308, 416):
                if progress is not None:
                    progress(size, size)
                return _parse(MediaUploadResult, _json(response))
            # 308: stored, continue after what the server has; 416: we were ahead of it, go back.
            received = files.received_bytes(response.headers.get("Range"))
            if response.status_code == 308 and received <= offset:
                raise MalformedResponse("The platform did not accept any of the uploaded data.")
            offset = received
            if progress is not None:
                progress(offset, size)

    # --- layer B: Tier-5 sign-off and scoring meetings --------------------------------------------------

    async def tier5_learners(self, track: str) -> list[Tier5Learner]:
        rows, _ = _parse_list(Tier5Learner, await self._get_json("mentor/tier5/learners", params={"track": track}))
        return rows

    async def tier5_status(self, track: str, learner_id: int | None = None) -> Tier5Status:
        """A learner's Tier-5 readiness (layer B), or the caller's own without ``learner_id`` (layer A)."""
        params = {"learner_id": learner_id} if learner_id is not None else None
        return _parse(Tier5Status, await self._get_json(f"curriculum/tier5/tracks/{track}/status", params=params))

    async def set_mentor_approval(
        self, track: str, learner_id: int, approved: bool, comment: str, client_op_id: str
    ) -> MentorApproval:
        """Sign off (or revoke) a learner's Tier-5 mastery. :class:`RequirementsNotMet` lists what is missing."""
        body = {"learner_id": learner_id, "approved": approved, "comment": comment, "client_op_id": client_op_id}
        response = await self._send("POST", f"curriculum/tier5/tracks/{track}/mentor-approval", json=body)
        return _parse(MentorApproval, _json(response))

    async def create_meeting(self, review_id: str, panel: Sequence[int], *, blind: bool = True) -> Meeting:
        body = {"review_id": review_id, "panel": list(panel), "blind": blind}
        return _parse(Meeting, _json(await self._send("POST", "scoring-meetings", json=body)))

    async def list_meetings(self, *, state: str | None = None) -> list[Meeting]:
        params = {"state": state} if state else None
        rows, _ = _parse_list(Meeting, await self._get_json("scoring-meetings", params=params))
        return rows

    async def get_meeting(self, meeting_id: str) -> Meeting:
        return _parse(Meeting, await self._get_json(f"scoring-meetings/{meeting_id}"))

    async def put_my_scores(
        self,
        meeting_id: str,
        *,
        base_version: int,
        subtask_scores: Mapping[str, Mapping[str, float]],
        comment: str = "",
    ) -> Meeting:
        body = {"base_version": base_version, "subtask_scores": subtask_scores, "comment": comment}
        return _parse(Meeting, _json(await self._send("PUT", f"scoring-meetings/{meeting_id}/my-scores", json=body)))

    async def reveal(self, meeting_id: str) -> Meeting:
        return _parse(Meeting, _json(await self._send("POST", f"scoring-meetings/{meeting_id}/reveal")))

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
        return _parse(Meeting, _json(await self._send("POST", f"scoring-meetings/{meeting_id}/consensus", json=body)))

    # --- events ------------------------------------------------------------------------------------------

    async def events(self, *, last_event_id: str | None = None) -> AsyncIterator[PlatformEvent]:
        """Server-sent events, forever: reconnects (with ``Last-Event-ID`` on layer B) after any drop.

        Connection failures are retried with exponential backoff and jitter; errors that retrying cannot fix
        (:class:`SessionExpired`, :class:`Forbidden`...) end the iteration by raising.
        """
        info = await self._info()
        path, accept = ("mentor/events", "text/event-stream") if info.full else ("mentor/dashboard/stream", "*/*")
        retry_ms = 1000
        connect = AsyncRetrying(
            retry=retry_if_exception(is_transient),
            wait=wait_exponential_jitter(multiplier=0.5, max=30),
            stop=stop_never,
            reraise=True,
        )
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
            try:
                async for message in parse_sse(response.aiter_lines()):
                    retry_ms = message.retry_ms or retry_ms
                    last_event_id = message.id or last_event_id
                    event = _event(message.event, message.data, message.id)
                    if event is not None:
                        yield event
            except httpx.RequestError as exc:
                log.info("Event stream dropped (%s); reconnecting.", type(exc).__name__)
            finally:
                await response.aclose()
            await asyncio.sleep(retry_ms / 1000)

    # --- layer A (compatibility mode) -------------------------------------------------------------------

    async def v1_submissions(
        self, mentor_id: int, *, status: str = "all", limit: int = 50, offset: int = 0
    ) -> tuple[list[V1SubmissionRow], int | None]:
        """One page of the OCH v1 queue and its total count."""
        params = {"status": status, "limit": limit, "offset": offset}
        body = await self._get_json(f"mentors/{mentor_id}/missions/submissions", params=params, mentor=True)
        return _parse_list(V1SubmissionRow, body)

    async def v1_workqueue(self, *, status: str = "pending", priority: str | None = None) -> list[WorkQueueItem]:
        params = {"status": status, **({"priority": priority} if priority else {})}
        rows, _ = _parse_list(WorkQueueItem, await self._get_json("mentor/workqueue", params=params, mentor=True))
        return rows

    async def v1_capstones(self, mentor_id: int, *, status: str | None = None) -> list[V1CapstoneRow]:
        params = {"status": status} if status else None
        body = await self._get_json(f"mentors/{mentor_id}/capstones", params=params, mentor=True)
        rows, _ = _parse_list(V1CapstoneRow, body)
        return rows

    async def v1_mission(self, mission_id: str) -> V1Mission:
        return _parse(V1Mission, await self._get_json(f"missions/{mission_id}/"))

    async def v1_review_submission(
        self, submission_id: str, overall_status: str, written_feedback: str
    ) -> V1ReviewResult:
        """Record a decision (``pass`` | ``fail`` | ``needs_revision``); re-posting overwrites, so retrying is safe."""
        body = {"overall_status": overall_status, "feedback": {"written": written_feedback}}
        response = await self._send("POST", f"mentor/missions/{submission_id}/review", json=body, mentor=True)
        return _parse(V1ReviewResult, _json(response))

    async def v1_interactions(
        self,
        *,
        mission_id: str | None = None,
        capstone_project_id: str | None = None,
        interaction_type: str | None = None,
        status: str | None = None,
    ) -> list[InteractionRow]:
        filters = {
            "mission_id": mission_id,
            "capstone_project_id": capstone_project_id,
            "interaction_type": interaction_type,
            "status": status,
        }
        params = {"role": "mentor", **{k: v for k, v in filters.items() if v}}
        rows, _ = _parse_list(InteractionRow, await self._get_json("mentorship-interactions/", params=params))
        return rows

    async def v1_interaction(self, interaction_id: str) -> Interaction:
        return _parse(Interaction, await self._get_json(f"mentorship-interactions/{interaction_id}/"))

    async def v1_create_interaction(
        self,
        mentee_uuid: str,
        interaction_type: str,
        *,
        mission_id: str | None = None,
        capstone_project_id: str | None = None,
        phase: str | None = None,
        review_phase: int | None = None,
        total_phases: int | None = None,
    ) -> InteractionRow:
        """Create an interaction. NOT idempotent on OCH: look in :meth:`v1_interactions` first."""
        optional = {
            "mission_id": mission_id,
            "capstone_project_id": capstone_project_id,
            "phase": phase,
            "review_phase": review_phase,
            "total_phases": total_phases,
        }
        body: dict[str, Any] = {"mentee_id": mentee_uuid, "interaction_type": interaction_type}
        body |= {k: v for k, v in optional.items() if v is not None}
        return _parse(InteractionRow, _json(await self._send("POST", "mentorship-interactions/create/", json=body)))

    async def v1_update_interaction(self, interaction_id: str, fields: Mapping[str, Any]) -> InteractionUpdated:
        """Set fields of an interaction; JSON maps are replaced whole, so send complete maps."""
        response = await self._send("PUT", f"mentorship-interactions/{interaction_id}/update/", json=dict(fields))
        return _parse(InteractionUpdated, _json(response))

    async def v1_upload_feedback(
        self, interaction_id: str, media_type: str, file_url: str, duration_seconds: float | None = None
    ) -> FeedbackMediaRegistered:
        """Attach an already hosted recording's URL to an interaction (OCH stores URLs, not files)."""
        body: dict[str, Any] = {"media_type": media_type, "file_url": file_url}
        if duration_seconds is not None:
            body["duration_seconds"] = duration_seconds
        response = await self._send("POST", f"mentorship-interactions/{interaction_id}/upload-feedback/", json=body)
        return _parse(FeedbackMediaRegistered, _json(response))

    async def v1_assignments(self, mentor_id: int) -> list[MentorAssignment]:
        body = await self._get_json(f"mentorship/mentors/{mentor_id}/assignments", mentor=True)
        rows, _ = _parse_list(MentorAssignment, body)
        return rows

    async def v1_send_message(
        self, assignment_id: str, body: str, attachments: Sequence[Path] = (), *, subject: str | None = None
    ) -> MentorshipMessage:
        """Send a message to a learner, with files (10 MB each on OCH; larger ones are refused up front)."""
        for path in attachments:
            size = await asyncio.to_thread(os.path.getsize, path)
            if size > OCH_V1_ATTACHMENT_LIMIT:
                raise PayloadTooLarge(
                    f"“{path.name}” is {size / 1e6:.1f} MB; this platform accepts attachments up to 10 MB."
                )
        data = {"body": body, **({"subject": subject} if subject else {})}
        handles = [await asyncio.to_thread(path.open, "rb") for path in attachments]
        try:
            parts = [
                ("attachments", (path.name, handle, _guess_type(path)))
                for path, handle in zip(attachments, handles, strict=True)
            ]
            response = await self._send(
                "POST",
                f"mentorship/assignments/{assignment_id}/messages",
                data=data,
                files=parts or None,
                rewind=handles,
            )
        finally:
            for handle in handles:
                handle.close()
        answer = _json(response)
        if isinstance(answer, Mapping) and isinstance(answer.get("messages"), list) and answer["messages"]:
            answer = answer["messages"][-1]  # OCH re-resolved the assignment and wrapped the answer
        return _parse(MentorshipMessage, answer)


def _guess_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


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
