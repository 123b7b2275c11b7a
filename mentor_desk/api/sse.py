"""A server-sent events parser (the WHATWG ``text/event-stream`` format) over lines of text."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SseMessage:
    data: str
    event: str = "message"
    id: str | None = None  # the last event id seen on the stream so far (ids carry over, as in browsers)
    retry_ms: int | None = None  # the server's reconnection delay, if it sent one


async def parse_sse(lines: AsyncIterable[str]) -> AsyncIterator[SseMessage]:
    """Yield one :class:`SseMessage` per dispatched event; comments (``: keepalive``) are skipped."""
    data: list[str] = []
    event = ""
    last_id: str | None = None
    retry_ms: int | None = None
    async for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            if data:
                yield SseMessage("\n".join(data), event or "message", last_id, retry_ms)
            data, event = [], ""
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value
        elif name == "id" and "\0" not in value:
            last_id = value
        elif name == "retry" and value.isdigit():
            retry_ms = int(value)
    # As the standard says, an event not terminated by a blank line (a cut stream) is discarded.
