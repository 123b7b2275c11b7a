"""Issue 16, holes 3-6: sign-in cannot be bypassed or guessed (the sandbox is OCH's reference)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pyotp
import pytest

from mentor_desk.sandbox.accounts import demo_totp_secret
from mentor_desk.sandbox.limits import Limits
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer

from .peers import anonymous, login
from .tally import TALLY

MFA = "mfa-mentor@demo.och"


@pytest.fixture
def quick_challenges(tmp_path: Path) -> Iterator[SandboxServer]:
    """A private sandbox whose MFA challenges live one second."""
    config = SandboxConfig(db_path=tmp_path / "platform.sqlite3", limits=replace(Limits(), mfa_challenge_ttl_s=1))
    with SandboxServer(config) as server:
        yield server


def refused(category: str, response: httpx.Response, what: str) -> None:
    """Count one attack case; an access token in the answer is an authorisation hole."""
    TALLY.tried_cases(category)
    if response.status_code < 400 and "access_token" in response.text:
        TALLY.bad(category, "authorisation holes", f"{what}: {response.status_code}")
    assert "access_token" not in response.text, (what, response.text)


def test_dev_login_does_not_skip_the_second_factor(fresh_sandbox: SandboxServer) -> None:
    with anonymous(fresh_sandbox.url) as anon:
        answer = anon.post("/auth/login/simple", json={"email": MFA, "password": "mfa-mentor-demo"})
        refused("sign-in bypass", answer, "login/simple with the MFA account's password")
        assert answer.status_code == 403 and answer.json()["mfa_required"] is True


def complete(anon: httpx.Client, challenge: str, code: str) -> httpx.Response:
    return anon.post("/auth/mfa/complete", json={"refresh_token": challenge, "code": code, "method": "totp"})


def test_a_missing_device_fingerprint_is_never_trusted(fresh_sandbox: SandboxServer) -> None:
    with anonymous(fresh_sandbox.url) as anon:
        first = anon.post("/auth/login", json={"email": MFA, "password": "mfa-mentor-demo"}).json()
        assert complete(anon, first["refresh_token"], pyotp.TOTP(demo_totp_secret()).now()).status_code == 200
        for fingerprint in ({}, {"device_fingerprint": ""}, {"device_fingerprint": None}):
            again = anon.post("/auth/login", json={"email": MFA, "password": "mfa-mentor-demo", **fingerprint})
            refused("sign-in bypass", again, f"password-only login with {fingerprint or 'no fingerprint'}")
            assert again.json()["mfa_required"] is True


def test_totp_guesses_are_limited_per_challenge(fresh_sandbox: SandboxServer) -> None:
    right = pyotp.TOTP(demo_totp_secret())
    wrong = f"{(int(right.now()) + 500_000) % 1_000_000:06d}"
    with anonymous(fresh_sandbox.url) as anon:
        challenge = login(fresh_sandbox.url, MFA).json()["refresh_token"]
        for _ in range(Limits().mfa_attempts_per_challenge):
            assert complete(anon, challenge, wrong).status_code == 400
        refused("code guessing", complete(anon, challenge, right.now()), "the right code after 5 wrong ones")


def test_totp_guesses_are_limited_per_account(fresh_sandbox: SandboxServer) -> None:
    right = pyotp.TOTP(demo_totp_secret())
    wrong = f"{(int(right.now()) + 500_000) % 1_000_000:06d}"
    with anonymous(fresh_sandbox.url) as anon:
        for _ in range(Limits().mfa_failures_per_account):
            complete(anon, login(fresh_sandbox.url, MFA, device_fingerprint="guesser").json()["refresh_token"], wrong)
        fresh = login(fresh_sandbox.url, MFA, device_fingerprint="guesser").json()["refresh_token"]
        answer = complete(anon, fresh, right.now())
        refused("code guessing", answer, "the right code on a new challenge after 10 wrong ones")
        assert answer.status_code == 429 and "Try again in" in answer.json()["detail"]


def test_a_challenge_expires(quick_challenges: SandboxServer) -> None:
    with anonymous(quick_challenges.url) as anon:
        challenge = login(quick_challenges.url, MFA).json()["refresh_token"]
        time.sleep(1.2)
        answer = complete(anon, challenge, pyotp.TOTP(demo_totp_secret()).now())
        refused("code guessing", answer, "the right code on a challenge past its life")
        assert answer.status_code == 401


def test_wrong_passwords_are_throttled_per_account(fresh_sandbox: SandboxServer) -> None:
    with anonymous(fresh_sandbox.url) as anon:
        for _ in range(20):
            guess = anon.post("/auth/login", json={"email": "mentor@demo.och", "password": "guess"})
            assert guess.status_code in (401, 429)
    answer = login(fresh_sandbox.url, "mentor@demo.och")
    refused("password guessing", answer, "the right password after 20 wrong ones")
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0


def test_wrong_passwords_are_throttled_per_address(tmp_path: Path) -> None:
    limits = replace(Limits(), login_failures_per_address=8)
    with SandboxServer(SandboxConfig(db_path=tmp_path / "platform.sqlite3", limits=limits)) as server, \
            anonymous(server.url) as anon:
        for n in range(limits.login_failures_per_address):
            guess = anon.post("/auth/login", json={"email": f"nobody{n}@demo.och", "password": "guess"})
            assert guess.status_code == 401
        answer = login(server.url, "mentor2@demo.och")
        refused("password guessing", answer, "a right password from an address that guessed 8 times")
        assert answer.status_code == 429
