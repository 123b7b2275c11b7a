"""Server-sent events: the layer B ``/mentor/events`` stream with ids and replay, and shared SSE plumbing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from mentor_desk.sandbox.auth import User, reviewer_user
from mentor_desk.sandbox.errors import detail
from mentor_desk.sandbox.state import MAX_INTEGER, SandboxState, iso, now, sandbox

router = APIRouter()
REPLAY_WINDOW = timedelta(hours=24)
EVENT_POLL_S = 0.25


def poll_interval(state: SandboxState) -> float:
    """The dashboard stream polls every 5 s on OCH; never slower than the keep-alive interval here."""
    return min(5.0, state.config.events_keepalive_s)


def sse_response(stream: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(stream, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _fetch(state: SandboxState, user_id: int, after: int | None) -> list[tuple[int, str, str]]:
    with state.db.tx() as conn:
        if after is None:
            row = conn.execute("SELECT MAX(id) FROM events").fetchone()
            return [(row[0] or 0, "", "")]
        rows = conn.execute("SELECT id, event, data FROM events WHERE user_id = ? AND id > ? AND created_at >= ? "
                            "ORDER BY id", (user_id, after, iso(now() - REPLAY_WINDOW))).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]


@router.get("/mentor/events")
async def mentor_events(request: Request, state: Annotated[SandboxState, Depends(sandbox)]) -> StreamingResponse:
    user: User = await asyncio.to_thread(reviewer_user, request)
    raw = request.headers.get("last-event-id") or request.query_params.get("last_event_id")
    try:
        cursor: int | None = int(raw) if raw else None
    except ValueError:
        cursor = None
    if cursor is not None and not 0 <= cursor <= MAX_INTEGER:
        raise detail(400, "Last-Event-ID must be the id of an event this stream sent.")
    keepalive = state.config.events_keepalive_s

    async def stream() -> AsyncIterator[str]:
        nonlocal cursor
        if cursor is None:
            cursor = (await asyncio.to_thread(_fetch, state, user.id, None))[0][0]
        yield "retry: 3000\n\n"
        idle = 0.0
        while True:
            rows = await asyncio.to_thread(_fetch, state, user.id, cursor)
            for event_id, name, data in rows:
                cursor = event_id
                yield f"id: {event_id}\nevent: {name}\ndata: {data}\n\n"
            if rows:
                idle = 0.0
            await asyncio.sleep(EVENT_POLL_S)
            idle += EVENT_POLL_S
            if idle >= keepalive:
                idle = 0.0
                yield ": keep-alive\n\n"

    return sse_response(stream())


