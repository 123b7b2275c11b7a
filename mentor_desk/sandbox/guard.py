"""Request bodies: authenticated first, then refused above a size limit before they are read.

ASGI middleware, so that nothing (FastAPI's dependencies included) buffers a body the sandbox will refuse:
a body-carrying request to an authenticated route without a valid access token is 401, and one that announces
more than its route's limit is 413, neither kept. A body without ``Content-Length`` (or with a false one) is
counted as it arrives and refused with 413 as soon as it passes the limit.

A refused body within the route's limit is read to its end (and dropped) before the answer: closing a
connection whose request is still arriving makes the kernel reset it, and a reset can destroy the answer
before the client reads it (an expired token on a 2 MB upload chunk then looks like a dropped connection,
not a 401 to refresh on). A body announced above the limit is answered unread and its connection closed.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mentor_desk.sandbox.auth import access_claims
from mentor_desk.sandbox.errors import ApiError

PREFIX = "/api/v1"
ANONYMOUS = re.compile(r"^/api/v1/(auth/(login|login/|login/simple|mfa/complete|mfa/send-challenge|token/refresh"
                       r"|token/refresh/)|health/)$")
UPLOADS = re.compile(r"^/api/v1/(mentor/media/[^/]+|mentorship/assignments/[^/]+/messages"
                     r"|student/missions/[^/]+/submit-ai/)$")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DRAIN_SECONDS = 10.0  # how long a refused body within its limit may take to arrive before the connection closes


class BodyGuard:
    def __init__(self, app: ASGIApp, *, anonymous_bytes: int, json_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.anonymous_bytes = anonymous_bytes
        self.json_bytes = json_bytes
        self.upload_bytes = upload_bytes

    def limit(self, path: str) -> int:
        if ANONYMOUS.match(path):
            return self.anonymous_bytes
        return self.upload_bytes if UPLOADS.match(path) else self.json_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        limit = self.limit(path)
        declared = headers.get("content-length", "")
        too_large = declared.isdigit() and int(declared) > limit
        if path.startswith(PREFIX) and not ANONYMOUS.match(path):
            try:
                access_claims(scope["app"].state.sandbox.tokens, headers.get("authorization", ""))
            except ApiError as refused:
                drained = not too_large and await _drained(receive, limit)
                await _send_json(send, refused.status, refused.body, refused.headers, close=not drained)
                return
        if too_large:
            await _send_json(send, 413, _too_large(limit), close=True)
            return
        seen = 0

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b"")) if message["type"] == "http.request" else 0
            if seen > limit:  # the route's own error handling turns this into the 413
                raise ApiError(413, _too_large(limit))
            return message

        await self.app(scope, counted_receive, send)


def _too_large(limit: int) -> dict[str, Any]:
    return {"detail": f"The request body is larger than the {limit:,} bytes this endpoint accepts."}


async def _drained(receive: Receive, limit: int) -> bool:
    """Read and drop the request's body; False when it passed ``limit``, broke off or took longer than
    :data:`DRAIN_SECONDS` (then the connection is closed rather than read further)."""
    seen = 0
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return False
                seen += len(message.get("body", b""))
                if seen > limit:
                    return False
                if not message.get("more_body", False):
                    return True
    except TimeoutError:
        return False


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: dict[str, str] | None = None, *,
                     close: bool) -> None:
    payload = json.dumps(body).encode()
    extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    if close:
        extra.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            *extra]})
    await send({"type": "http.response.body", "body": payload})
