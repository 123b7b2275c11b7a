"""Issue 16, weak points: tokens die with sign-out, a replayed refresh token ends its whole session, and
abandoned uploads expire within a per-user quota."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import httpx
import pyotp

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
