"""Issue 16, part 2: servers that misbehave below the JSON: slow drip, a multi-GB body, an event stream that
never ends a line or floods, redirects elsewhere, TLS nobody should trust. The desk must end each call with a
sentence within the stated deadline (``world.DEADLINE_S``), with bounded memory, and never crash."""

from __future__ import annotations

import asyncio
import resource
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import PlatformError

from .hostile_server import HostileServer, Reply, Request, chunks_of, tls_context
from .tally import TALLY
from .world import DEADLINE_S, Outcome, World, attempt, plain_sentence

MB = 1024 * 1024


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def judge(category: str, what: str, outcome: Outcome, *, growth_mb: float = 0.0) -> None:
    """Count the case; a crash, a hang, memory beyond 200 MB or an error without a sentence is bad."""
    TALLY.tried_cases(category)
    if outcome.crash is not None:
        TALLY.bad(category, "crashes", f"{what}: {outcome.crash!r}")
    if outcome.hang:
        TALLY.bad(category, "hangs", f"{what}: no end within {DEADLINE_S} s")
    if growth_mb > 200:
        TALLY.bad(category, "crashes", f"{what}: memory grew {growth_mb:.0f} MB")
    assert outcome.crash is None and not outcome.hang and growth_mb <= 200, (what, outcome, growth_mb)
    assert outcome.error is not None and plain_sentence(outcome.sentence), (what, outcome)


def serve_hostile(world: World, path: str, reply: Reply) -> HostileServer:
    """A hostile server answering ``path`` (method and path) with ``reply`` and everything else genuinely."""
    def handler(request: Request) -> Reply:
        if f"{request.method} {request.path.split('?')[0]}" == path:
            return reply
        return world.genuine(request)

    return HostileServer(handler)


def run(origin: str, world: World, call: str) -> tuple[Outcome, float]:
    before = rss_mb()
    outcome = asyncio.run(attempt(origin, world, call))
    return outcome, rss_mb() - before


def test_slow_drip_ends_within_the_deadline(world: World) -> None:
    body = world.answers["GET /api/v1/mentor/reviews"].body
    drip = Reply(200, chunks_of(body[:1], 10_000), content_length=10_000, drip_s=0.2)
    with serve_hostile(world, "GET /api/v1/mentor/reviews", drip) as server:
        outcome, growth = run(server.url, world, "queue")
        judge("transport", "a queue dripping one byte per 0.2 s", outcome, growth_mb=growth)


@pytest.mark.parametrize("announced", [True, False])
def test_a_multi_gigabyte_body_is_refused_with_bounded_memory(world: World, announced: bool) -> None:
    size = 4 * 1024 * MB
    huge = Reply(200, chunks_of(b"[" + b"0," * (MB // 2), size // MB), content_length=size if announced else None)
    with serve_hostile(world, "GET /api/v1/mentor/reviews", huge) as server:
        outcome, growth = run(server.url, world, "queue")
        judge("transport", f"a 4 GB queue ({'announced' if announced else 'unannounced'})", outcome,
              growth_mb=growth)


@pytest.mark.parametrize("kind", ["endless line", "flood"])
def test_an_event_stream_that_never_ends_a_line_or_floods(world: World, kind: str) -> None:
    if kind == "endless line":
        body = chunks_of(b"x" * 65536, None)
        prefix = b"data: "
    else:
        body = chunks_of(b"event: review.updated\ndata: {\"id\": \"r\", \"version\": 1}\n\n" * 1000, None)
        prefix = b""

    async def stream() -> AsyncIterator[bytes]:
        yield prefix
        async for chunk in body():
            yield chunk

    reply = Reply(200, stream, content_type="text/event-stream", content_length=None)

    async def listen(origin: str) -> Outcome:
        client = PlatformClient(origin, timeout=2)
        seen = 0
        try:
            await client.login("mentor@demo.och", "mentor-demo")
            async with asyncio.timeout(5):
                async for _event in client.events():
                    seen += 1
        except TimeoutError:
            # A flood may be read for as long as it lasts, one event at a time (memory is what matters).
            return Outcome(value=seen) if kind == "flood" else Outcome(hang=True)
        except PlatformError as error:
            return Outcome(error=error)
        except Exception as crash:  # anything else escaping the client is a crash
            return Outcome(crash=crash)
        finally:
            await client.aclose()
        return Outcome(value=seen)

    with serve_hostile(world, "GET /api/v1/mentor/events", reply) as server:
        before = rss_mb()
        outcome = asyncio.run(listen(server.url))
        growth = rss_mb() - before
    TALLY.tried_cases("transport")
    if outcome.crash is not None or outcome.hang or growth > 200:
        TALLY.bad("transport", "crashes" if not outcome.hang else "hangs", f"event stream {kind}: {outcome}")
    assert outcome.crash is None and not outcome.hang and growth <= 200, (kind, outcome, growth)
    if kind == "endless line":
        assert outcome.error is not None and plain_sentence(outcome.sentence)


@pytest.mark.parametrize("location", ["http://127.0.0.1:9/api/v1/mentor/reviews", "https://evil.example/steal",
                                      "//evil.example/x"])
def test_redirects_elsewhere_are_not_followed(world: World, location: str) -> None:
    reply = Reply(302, b"", headers=[("Location", location)])
    with serve_hostile(world, "GET /api/v1/mentor/reviews", reply) as server:
        judge("transport", f"a redirect to {location}", run(server.url, world, "queue")[0])


@pytest.mark.parametrize("expired", [False, True])
def test_untrusted_tls_is_refused(world: World, tmp_path: Path, expired: bool) -> None:
    with HostileServer(world.genuine, tls=tls_context(tmp_path, expired=expired)) as server:
        outcome = asyncio.run(attempt(server.url, world, "sign-in"))
        judge("transport", f"a {'expired' if expired else 'self-signed'} certificate", outcome)
        assert not server.requests  # nothing, the password least of all, crossed the untrusted connection
