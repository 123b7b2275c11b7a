"""Issue 16, item 4 and weak points: forged, expired and misused tokens are refused, tokens die with sign-out,
a replayed refresh token ends its whole session, and abandoned uploads expire within a per-user quota."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import jwt
import pyotp
import pytest

from mentor_desk.sandbox.accounts import demo_totp_secret
from mentor_desk.sandbox.limits import Limits
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer

from .peers import anonymous, login, signed_in
from .tally import TALLY


def still_works(category: str, status: int, what: str) -> bool:
    TALLY.tried_cases(category)
    if status < 400:
        TALLY.bad(category, "authorisation holes", what)
    return status < 400


def test_an_access_token_is_refused_after_sign_out(sandbox: SandboxServer) -> None:
    with anonymous(sandbox.url) as anon:
        access = login(sandbox.url, "lead@demo.och").json()["access_token"]
        bearer = {"Authorization": f"Bearer {access}"}
        assert anon.get("/auth/me", headers=bearer).status_code == 200
        assert anon.post("/auth/logout", json={}, headers=bearer).status_code == 200
        after = anon.get("/auth/me", headers=bearer)
        assert not still_works("tokens", after.status_code, "an access token after sign-out")
        assert after.json()["code"] == "token_not_valid"


def test_a_replayed_refresh_token_revokes_its_family(fresh_sandbox: SandboxServer) -> None:
    with anonymous(fresh_sandbox.url) as anon:
        challenge = login(fresh_sandbox.url, "mfa-mentor@demo.och", device_fingerprint="family").json()
        first = anon.post("/auth/mfa/complete", json={"refresh_token": challenge["refresh_token"], "method": "totp",
                                                      "code": pyotp.TOTP(demo_totp_secret()).now()}).json()
        second = anon.post("/auth/token/refresh", json={"refresh_token": first["refresh_token"]}).json()
        stolen = anon.post("/auth/token/refresh", json={"refresh_token": first["refresh_token"]})
        assert stolen.status_code == 401
        # The replay shows that someone holds an old token: the live one of the same sign-in dies too.
        after = anon.post("/auth/token/refresh", json={"refresh_token": second["refresh_token"]})
        assert not still_works("tokens", after.status_code, "the rotated refresh token after a replay")


WRONG_KEY = "a-wrong-key-as-long-as-the-platform-key"


def platform_secret(server: SandboxServer) -> str:
    """The sandbox's signing key, as someone who stole the server's database would have it."""
    with closing(sqlite3.connect(server.config.db_path)) as conn:
        return str(conn.execute("SELECT value FROM meta WHERE key = 'jwt_secret'").fetchone()[0])


def segment(document: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()


def unsigned(claims: dict[str, Any], alg: str = "none") -> str:
    """A JWT with ``alg: none`` (however spelt) and an empty signature."""
    return f"{segment({'alg': alg, 'typ': 'JWT'})}.{segment(claims)}."


def forgeries(genuine: str, secret: str) -> dict[str, str]:
    """Access tokens for the demo mentor that the sandbox must refuse, made from a genuine one of another user."""
    claims = {**jwt.decode(genuine, options={"verify_signature": False}), "user_id": 1}
    later, past = time.time() + 3600, time.time() - 60
    header, _, signature = genuine.split(".")
    return {
        "alg none": unsigned({**claims, "exp": later}),
        "alg None": unsigned({**claims, "exp": later}, "None"),
        "signed with a wrong key": jwt.encode({**claims, "exp": later}, WRONG_KEY, algorithm="HS256"),
        "another user's signature on changed claims": f"{header}.{segment(claims)}.{signature}",
        "expired, with the platform's key": jwt.encode({**claims, "exp": past}, secret, algorithm="HS256"),
        "a refresh token as access": jwt.encode({**claims, "exp": later, "token_type": "refresh"}, secret,
                                                algorithm="HS256"),
        "no expiry": jwt.encode({k: v for k, v in claims.items() if k != "exp"}, secret, algorithm="HS256"),
        "HS512 with the platform's key": jwt.encode({**claims, "exp": later}, secret, algorithm="HS512"),
        "garbage": "not.a.token",
    }


@pytest.mark.parametrize("route", ["GET /mentor/reviews", "POST /mentor/reviews/x/claim"])
def test_forged_and_expired_access_tokens_are_refused(fresh_sandbox: SandboxServer, route: str) -> None:
    genuine = login(fresh_sandbox.url, "mentor3@demo.och").json()["access_token"]
    method, path = route.split()
    with anonymous(fresh_sandbox.url) as anon:
        answers = {what: anon.request(method, path, headers={"Authorization": f"Bearer {token}"}, json={})
                   for what, token in forgeries(genuine, platform_secret(fresh_sandbox)).items()}
    for what, answer in answers.items():
        assert not still_works("tokens", answer.status_code, f"{route} with {what}"), (what, answer.text)
        assert answer.status_code == 401, (what, answer.status_code)


def test_forged_expired_and_spent_refresh_tokens_are_refused(fresh_sandbox: SandboxServer) -> None:
    secret = platform_secret(fresh_sandbox)
    with anonymous(fresh_sandbox.url) as anon:
        challenge = login(fresh_sandbox.url, "mfa-mentor@demo.och", device_fingerprint="spent").json()
        live = anon.post("/auth/mfa/complete", json={"refresh_token": challenge["refresh_token"], "method": "totp",
                                                     "code": pyotp.TOTP(demo_totp_secret()).now()}).json()
        claims = jwt.decode(live["refresh_token"], options={"verify_signature": False})
        simple = anon.post("/auth/login/simple", json={"email": "mentor@demo.och", "password": "mentor-demo"})
        signed_out = login(fresh_sandbox.url, "lead@demo.och").json()
        assert anon.post("/auth/logout", json={"refresh_token": signed_out["refresh_token"]},
                         headers={"Authorization": f"Bearer {signed_out['access_token']}"}).status_code == 200
        cases = {
            "alg none": unsigned(claims),
            "signed with a wrong key": jwt.encode(claims, WRONG_KEY, algorithm="HS256"),
            "expired, with the platform's key": jwt.encode({**claims, "exp": time.time() - 60}, secret,
                                                           algorithm="HS256"),
            "an access token as refresh": live["access_token"],
            "the MFA challenge's token, spent by the MFA": challenge["refresh_token"],
            "the session-less token of the dev login": simple.json()["refresh_token"],
            "a signed-out session's token": signed_out["refresh_token"],
        }
        answers = {what: anon.post("/auth/token/refresh", json={"refresh_token": token})
                   for what, token in cases.items()}
        # None of those attempts touched the live session: it still renews.
        renewed = anon.post("/auth/token/refresh", json={"refresh_token": live["refresh_token"]})
    for what, answer in answers.items():
        assert not still_works("tokens", answer.status_code, f"refresh with {what}"), (what, answer.text)
        assert "access_token" not in answer.text
    assert renewed.status_code == 200, renewed.text


def put_chunk(client: httpx.Client, media_id: str, total: int) -> httpx.Response:
    return client.put(f"/mentor/media/{media_id}", content=b"\0" * 100,
                      headers={"Content-Range": f"bytes 0-99/{total}", "Content-Type": "audio/mp4",
                               "X-Content-SHA256": "0" * 64})


def test_abandoned_uploads_expire_within_a_quota(tmp_path: Path) -> None:
    limits = replace(Limits(), partial_upload_ttl_s=1, partial_upload_bytes=3000)
    with SandboxServer(SandboxConfig(db_path=tmp_path / "platform.sqlite3", limits=limits)) as server, \
            signed_in(server.url, "mentor@demo.och") as mentor:
        assert put_chunk(mentor, "abandoned", 2000).status_code == 308
        over = put_chunk(mentor, "second", 2000)
        TALLY.tried_cases("uploads", 2)
        assert over.status_code == 413 and "unfinished uploads" in over.json()["message"]
        time.sleep(1.2)
        assert put_chunk(mentor, "second", 2000).status_code == 308
        assert mentor.head("/mentor/media/abandoned").status_code == 404
        assert not (tmp_path / "platform.sqlite3.media" / "1-abandoned").exists()


def test_a_large_upload_is_read_a_piece_at_a_time(fresh_sandbox: SandboxServer) -> None:
    """The reference server checks a finished upload's SHA-256, reads its duration and serves it back without
    holding the file in memory (it read it whole, up to three times: a 2 GB recording took 2 GB of its memory)."""
    content = b"\0\0\0\x18ftypM4A " + bytes(48 * 1024 * 1024)
    digest, last = hashlib.sha256(content).hexdigest(), len(content) - 1
    chunk = 8 * 1024 * 1024
    with signed_in(fresh_sandbox.url, "mentor@demo.och") as mentor:
        def send(start: int) -> httpx.Response:
            end = min(start + chunk, len(content)) - 1
            return mentor.put("/mentor/media/large-take", content=content[start:end + 1], headers={
                "Content-Range": f"bytes {start}-{end}/{len(content)}", "Content-Type": "audio/mp4",
                "X-Content-SHA256": digest})

        for start in range(0, last - chunk + 1, chunk):
            assert send(start).status_code == 308
        with traced() as finishing:
            finished = send(last - last % chunk)
        with traced() as serving, mentor.stream("GET", "/mentor/media/large-take") as served:
            received = hashlib.sha256()
            for piece in served.iter_bytes():
                received.update(piece)
    for what, peak in (("finishing", finishing[0]), ("serving", serving[0])):
        TALLY.tried_cases("uploads")
        if peak > 3 * chunk:
            TALLY.bad("uploads", "crashes", f"{what} a 48 MB upload took {peak:,} bytes of the server's memory")
    assert finished.status_code == 201 and finished.json()["sha256"] == digest, finished.text
    assert received.hexdigest() == digest
    assert finishing[0] < 3 * chunk and serving[0] < 3 * chunk, (finishing, serving)


@contextmanager
def traced() -> Iterator[list[int]]:
    """The peak of memory allocated (by every thread: the sandbox serves in this process) while in the block."""
    peak: list[int] = []
    tracemalloc.start()
    try:
        yield peak
        peak.append(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()
