"""Signed-in httpx clients of the sandbox for the hostile tests (attackers and their victims)."""

from __future__ import annotations

import httpx

from mentor_desk.sandbox.accounts import demo_account


def login(origin: str, email: str, password: str | None = None, **extra: object) -> httpx.Response:
    body = {"email": email, "password": password or demo_account(email).password,
            "device_fingerprint": "hostile-suite", **extra}
    return httpx.post(f"{origin}/api/v1/auth/login", json=body, timeout=10)


def signed_in(origin: str, email: str) -> httpx.Client:
    """An httpx client on ``{origin}/api/v1`` carrying a demo account's access token."""
    response = login(origin, email)
    assert response.status_code == 200, response.text
    return httpx.Client(base_url=f"{origin}/api/v1", timeout=10,
                        headers={"Authorization": f"Bearer {response.json()['access_token']}"})


def anonymous(origin: str) -> httpx.Client:
    return httpx.Client(base_url=f"{origin}/api/v1", timeout=10)
