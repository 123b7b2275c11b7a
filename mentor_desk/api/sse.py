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


MAX_LINE_CHARS = 1024 * 1024  # an event stream line longer than this is refused (it would grow forever)


class LineTooLong(ValueError):
    """The event stream sent a line longer than :data:`MAX_LINE_CHARS` without ending it."""


async def bounded_lines(chunks: AsyncIterable[str], max_chars: int = MAX_LINE_CHARS) -> AsyncIterator[str]:
    """The lines of a text stream (``\n``, ``\r\n`` or ``\r`` ends one); :class:`LineTooLong` as soon as
    the line being read passes ``max_chars``, so a stream that never ends a line cannot fill memory."""
    pending = ""
    async for chunk in chunks:
        pending += chunk
        *complete, pending = pending.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for line in complete:
            yield line
        if len(pending) > max_chars:
            raise LineTooLong(f"an event stream line passed {max_chars} characters")
    if pending:
        yield pending


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
