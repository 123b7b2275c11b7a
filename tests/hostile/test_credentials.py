"""Issue 16, part 3: credentials stay home. The bearer token goes only to the signed-in origin: never to a
file URL on another host, never after a redirect to another origin, never over plain HTTP to a host that is
not this machine; and after a session (sign in, queue, review, a file, sync, sign out) nothing on disk or in
the log holds a token, the password or a TOTP secret."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from pathlib import Path

import pytest

from mentor_desk.api.base import normalise_server_url
from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import InsecureServer, PlatformError
from mentor_desk.sandbox.accounts import demo_totp_secret
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.sync.headless import EXIT_OK, sync_once_headless

from .hostile_server import HostileServer, Reply, Request
from .tally import TALLY
from .world import World

JWT = re.compile(rb"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")


def leaked(category: str, what: str, found: bool) -> None:
    TALLY.tried_cases(category)
    if found:
        TALLY.bad(category, "leaked secrets", what)
    assert not found, what


def test_the_token_never_reaches_another_origin(world: World, tmp_path: Path) -> None:
    with HostileServer(lambda request: Reply(200, b"evidence")) as elsewhere:
        def home(request: Request) -> Reply:
            if request.path.startswith("/api/v1/mentor/files/redirect"):
                return Reply(302, b"", headers=[("Location", f"{elsewhere.url}/stolen")])
            return world.genuine(request)

        with HostileServer(home) as server:
            async def session(tmp: Path) -> None:
                async with PlatformClient(server.url, timeout=2) as client:
                    await client.login("mentor@demo.och", "mentor-demo")
                    await client.download_file(f"{elsewhere.url}/api/v1/mentor/files/other-host", tmp / "a")
                    # Refusing the redirect is right; following it without the token would be too.
                    with contextlib.suppress(PlatformError):
                        await client.download_file(f"{server.url}/api/v1/mentor/files/redirect", tmp / "b")

            asyncio.run(session(tmp_path))
            assert any("authorization" in r.headers for r in server.requests[1:])  # the token was sent home
        for request in elsewhere.requests:
            leaked("credentials", f"bearer token sent to another origin ({request.path})",
                   "authorization" in request.headers)
        leaked("credentials", "nothing asked at the other origin", not elsewhere.requests)


@pytest.mark.parametrize("address", ["http://och.example.org", "http://10.0.0.5:8000", "och.example.org:80/"])
def test_plain_http_to_another_machine_is_refused_before_any_request(address: str) -> None:
    TALLY.tried_cases("credentials")
    if address.startswith("http://"):
        with pytest.raises(InsecureServer):
            normalise_server_url(address)
    else:
        assert normalise_server_url(address).startswith("https://")


def test_a_full_session_leaves_no_secret_behind(sandbox: SandboxServer, tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    tokens: list[bytes] = []

    async def session() -> int:
        async with PlatformClient(sandbox.url) as client:
            signed = await client.login("mentor@demo.och", "mentor-demo")
            tokens.extend([signed.access_token.encode(), signed.refresh_token.encode()])
            review = (await client.list_reviews()).results[0]
            detail = await client.get_review(review.id)
            if detail.files:
                await client.download_file(detail.files[0].url, tmp_path / "evidence.bin")
            await client.logout()
        return await sync_once_headless(sandbox.url, "mentor@demo.och", tmp_path / "data", password="mentor-demo",
                                        say=lambda _: None)

    assert asyncio.run(session()) == EXIT_OK
    secrets = [*tokens, b"mentor-demo", demo_totp_secret().encode()]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    for path in written:
        content = path.read_bytes()
        leaked("credentials", f"a token or password in {path.name}",
               any(s in content for s in secrets) or bool(JWT.search(content)))
    log = "\n".join(record.getMessage() for record in caplog.records).encode()
    leaked("credentials", "a token or password in the log", any(s in log for s in secrets) or bool(JWT.search(log)))
