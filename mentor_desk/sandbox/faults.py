"""Fault injection as ASGI middleware: latency, random 503s and connections cut mid-body.

The health endpoint is never faulted, so readiness checks (and the runner's own start-up probe) stay reliable.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

EXEMPT_PATHS = frozenset({"/api/v1/health/"})


class DroppedConnection(Exception):
    """Raised after a partial body so uvicorn aborts the connection (the client sees a protocol error)."""


class FaultMiddleware:
    def __init__(self, app: ASGIApp, *, latency_ms: int, error_rate: float, drop_rate: float,
                 rng: random.Random) -> None:
        self.app = app
        self.latency = latency_ms / 1000
        self.error_rate = error_rate
        self.drop_rate = drop_rate
        self.rng = rng

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.error_rate and self.rng.random() < self.error_rate:
            await _send_json(send, 503, {"detail": "Service temporarily unavailable"})
            return
        if self.drop_rate and self.rng.random() < self.drop_rate:
            await self.app(scope, receive, _truncating(send))
            return
        await self.app(scope, receive, send)


def _truncating(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.body":
            body = message.get("body", b"")
            await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
            raise DroppedConnection("fault injection: connection dropped mid-body")
        await send(message)

    return wrapped


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


class HideInjectedDrops(logging.Filter):
    """Keep uvicorn's error log free of the tracebacks our own injected drops cause."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        while exc is not None:
            if isinstance(exc, DroppedConnection):
                return False
            exc = exc.__cause__ or exc.__context__
        return True
