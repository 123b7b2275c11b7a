"""The base of :class:`~mentor_desk.api.client.PlatformClient`: HTTP plumbing and authentication.

Every request goes through :meth:`BaseClient._send`, which adds the bearer token (only for the platform's own
origin), refreshes an expired access token once and repeats the request, sends an idempotent request again when
its connection broke off before any answer (a kept-alive connection the server had just closed, a reset), and
maps every failure to a typed :class:`~mentor_desk.api.errors.PlatformError`. Sign-in (with the MFA step),
refresh rotation, sign-out and ``/auth/me`` live here too, since the session is what the plumbing needs.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

import httpx
import pydantic
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from mentor_desk.api.errors import (
    InsecureServer,
    InvalidCredentials,
    InvalidMfaCode,
    MalformedResponse,
    MfaRequired,
    PlatformError,
    SessionExpired,
    TimedOut,
    error_from_response,
    error_from_transport,
    server_text,
)
from mentor_desk.api.models import LoginResponse, Me, MfaChallenge, TokenPair, list_items
from mentor_desk.api.session import Session
from mentor_desk.api.tls import ssl_context
from mentor_desk.domain.preferences import DEFAULT_TLS, TlsSettings

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"

_M = TypeVar("_M", bound=pydantic.BaseModel)

def _resendable(request_options: Mapping[str, Any]) -> bool:
    """Whether a request built from these options can be sent twice: its body is in memory (JSON, a form,
    bytes or a :class:`BufferBody`), not a stream or files read as they go."""
    content = request_options.get("content")
    return "files" not in request_options and (content is None or isinstance(content, bytes | str | BufferBody))


def _say_sent_again(method: str, path: str, _state: RetryCallState) -> None:
    log.info("%s %s broke off before an answer; sending it again", method, path)


class BufferBody(httpx.AsyncByteStream):
    """A request body sent from a buffer its owner keeps and reuses (an upload's chunk after chunk): no copy of
    its own, and read again when the request is sent again.

    httpx keeps each answer and its request in a reference cycle that only the garbage collector frees, so a body
    copied per request stays in memory for a while: a 200 MB upload in 2 MB copies grew the desk by 57 MB."""

    def __init__(self, view: memoryview) -> None:
        self._view = view

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._view  # type: ignore[misc]  # h11 writes any bytes-like object


IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
BROKE_OFF_ATTEMPTS = 3
"""How many times in all an idempotent request is sent when its connection breaks off before any answer."""
_BROKE_OFF = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


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


def parse_model(model: type[_M], data: Any) -> _M:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise MalformedResponse(body=_short(exc)) from exc


def parse_list(model: type[_M], body: Any) -> tuple[list[_M], int | None]:
    try:
        rows, count = list_items(body)
    except ValueError as exc:
        raise MalformedResponse(body=str(exc)) from exc
    return [parse_model(model, row) for row in rows], count


def parse_list_response(model: type[_M], response: httpx.Response) -> tuple[list[_M], int | None]:
    """The rows and total count of a list answer, decoded from its JSON (see :meth:`BaseClient._get_list`)."""
    return parse_list(model, response_json(response))


def _short(exc: pydantic.ValidationError) -> str:
    first = exc.errors()[0]
    return f"{exc.error_count()} problem(s); first at {'.'.join(map(str, first['loc']))}: {first['msg']}"


def response_body(response: httpx.Response) -> Any:
    """The decoded JSON body, or the text for a non-JSON answer (error pages)."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def response_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise MalformedResponse(body=response.text[:300]) from exc


MAX_ANSWER_BYTES = 64 * 1024 * 1024  # one JSON answer; the largest real one (1,000 queue rows) is ~1 MB
ANSWER_DEADLINE_TIMEOUTS = 3  # an answer's head (and a whole JSON answer) may take this many timeouts


def _too_large() -> MalformedResponse:
    return MalformedResponse(f"The platform sent an answer larger than {MAX_ANSWER_BYTES // 2**20} MB; it was "
                             "not read. Tell the platform team.")


class BaseClient:
    """HTTP plumbing and authentication for one platform server; endpoint groups subclass it."""

    def __init__(
        self,
        server_url: str,
        *,
        allow_insecure_http: bool = False,
        timeout: float = 20.0,
        transport: httpx.AsyncBaseTransport | None = None,
        device_name: str = "mentor_desk",
        device_fingerprint: str | None = None,
        tls: TlsSettings = DEFAULT_TLS,
    ) -> None:
        """``tls``: how HTTPS servers are trusted (:mod:`mentor_desk.api.tls`); raises ``BadCaBundle`` for an
        unreadable CA bundle. Proxies come from the environment (httpx's ``trust_env``)."""
        self.server_url = normalise_server_url(server_url, allow_insecure_http=allow_insecure_http)
        self.session: Session | None = None
        self.on_session_changed: Callable[[Session | None], None] | None = None
        self._device_name = device_name
        self._device_fingerprint = device_fingerprint or f"mentor-desk-{uuid.uuid4()}"
        self._refresh_lock = asyncio.Lock()
        self._answer_deadline = timeout * ANSWER_DEADLINE_TIMEOUTS
        self._http = httpx.AsyncClient(
            base_url=self.server_url,
            timeout=timeout,
            transport=transport,
            verify=ssl_context(tls),
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "mentor_desk"},
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.server_url} signed_in={self.session is not None}>"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
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
        idempotent: bool | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one request; refresh once on an expired token; map failures to typed errors.

        ``ok`` lists non-2xx statuses the caller handles itself (e.g. 308 during an upload); ``rewind`` lists
        file objects to seek back to 0 before a repeated attempt. With ``stream`` the caller must close the
        response (use :meth:`_stream`). ``idempotent`` (default: by the method; a POST carrying a
        ``client_op_id`` says so) lets a request whose connection broke off before any answer be sent again.
        """
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        url = self._url(path)
        headers = dict(kwargs.pop("headers", None) or {})
        for attempt in (1, 2):
            token = self.session.access_token if (auth and self.session and self._same_origin(url)) else None
            request_headers = {**headers, "Authorization": f"Bearer {token}"} if token else headers
            for handle in rewind if attempt == 2 else ():
                handle.seek(0)
            request = self._http.build_request(method, url, headers=request_headers, **kwargs)
            try:
                # A server dripping a byte at a time never trips httpx's per-read timeout: the head (and a
                # whole answer that is not streamed) must arrive within the answer deadline.
                async with asyncio.timeout(self._answer_deadline):
                    response = await self._answer_head(request, again=idempotent and _resendable(kwargs))
                    if not stream:
                        await self._read_answer(response)
            except TimeoutError:
                raise TimedOut("The platform is answering too slowly; try again later.") from None
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
            raise error_from_response(response.status_code, response_body(response), mentor_endpoint=mentor)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _answer_head(self, request: httpx.Request, *, again: bool) -> httpx.Response:
        """Send ``request`` and wait for its answer's head. With ``again`` (an idempotent request whose body can be
        read twice), one whose connection broke off before any answer is sent again (on another connection),
        :data:`BROKE_OFF_ATTEMPTS` times in all."""
        if not again:
            return await self._http.send(request, stream=True)
        sending = AsyncRetrying(
            retry=retry_if_exception_type(_BROKE_OFF),
            stop=stop_after_attempt(BROKE_OFF_ATTEMPTS),
            wait=wait_exponential_jitter(multiplier=0.05, max=0.5, jitter=0.05),
            before_sleep=functools.partial(_say_sent_again, request.method, request.url.path),
            reraise=True,
        )
        return await sending(self._http.send, request, stream=True)

    @staticmethod
    async def _read_answer(response: httpx.Response) -> None:
        """Read a whole (non-streamed) answer, refusing one larger than :data:`MAX_ANSWER_BYTES` unread."""
        try:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
                raise _too_large()
            parts: list[bytes] = []
            size = 0
            async for part in response.aiter_bytes():
                size += len(part)
                if size > MAX_ANSWER_BYTES:
                    raise _too_large()
                parts.append(part)
            response._content = b"".join(parts)  # what Response.aread() keeps: .content and .json() read it
        finally:
            await response.aclose()

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

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a request (see :meth:`_send`) and return its decoded JSON answer."""
        return response_json(await self._send(method, path, **kwargs))

    async def _get_json(self, path: str, **kwargs: Any) -> Any:
        return await self._call("GET", path, **kwargs)

    async def _get_list(self, model: type[_M], path: str, **kwargs: Any) -> tuple[list[_M], int | None]:
        """GET a list answer: its rows as ``model`` and its total count.

        The JSON and the rows are decoded in a worker thread: a page of a thousand rows takes tens of
        milliseconds to validate, which the event loop (the GUI thread, in the app) must not spend.
        """
        response = await self._send("GET", path, **kwargs)
        return await asyncio.to_thread(parse_list_response, model, response)

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
            data = await self._post_anonymously("auth/login", body)
        except SessionExpired as exc:  # a 401 here is about the password, not a session
            raise InvalidCredentials(status=exc.status, code=exc.code, body=exc.body) from None
        if isinstance(data, Mapping) and data.get("mfa_required") is True:
            challenge = parse_model(MfaChallenge, data)
            raise MfaRequired(challenge)
        return self._signed_in(parse_model(LoginResponse, data))

    async def complete_mfa(self, challenge: MfaChallenge, code: str) -> Session:
        body = {
            "refresh_token": challenge.refresh_token,
            "code": code.strip().replace(" ", ""),
            "method": challenge.mfa_method or "totp",
        }
        try:
            data = await self._post_anonymously("auth/mfa/complete", body)
        except PlatformError as exc:
            if exc.status == 400 and "already verified" not in str(server_text(exc.body)).lower():
                raise InvalidMfaCode(status=exc.status, body=exc.body) from None
            if exc.status in {400, 401}:  # the challenge expired or was already used
                raise SessionExpired(
                    "This sign-in expired or was already completed. Please sign in again.",
                    status=exc.status,
                    body=exc.body,
                ) from None
            raise
        return self._signed_in(parse_model(LoginResponse, data))

    async def _post_anonymously(self, path: str, body: Mapping[str, Any]) -> Any:
        """POST without the bearer token (sign-in and refresh carry their own credentials)."""
        return await self._call("POST", path, auth=False, json=body)

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
            data = await self._post_anonymously("auth/token/refresh", body)
        except PlatformError as exc:
            if exc.status in {400, 401, 403}:  # 403 mfa_required: a session that never passed MFA
                self._set_session(None)
                raise SessionExpired(status=exc.status, code=exc.code, body=exc.body) from None
            raise
        pair = parse_model(TokenPair, data)
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
        me = parse_model(Me, await self._get_json("auth/me"))
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
