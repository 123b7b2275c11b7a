"""Issue 16, weak points: tokens die with sign-out, and a replayed refresh token ends its whole session."""

from __future__ import annotations

from mentor_desk.sandbox.runner import SandboxServer

from .peers import anonymous, login
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
