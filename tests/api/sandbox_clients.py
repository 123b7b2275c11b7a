"""Client helpers for the API tests: sign in as a demo account of a running sandbox."""

from __future__ import annotations

import pyotp

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import MfaRequired
from mentor_desk.sandbox.accounts import demo_account, demo_totp_secret

MENTOR = "mentor@demo.och"
MENTOR2 = "mentor2@demo.och"
MENTOR3 = "mentor3@demo.och"
LEAD = "lead@demo.och"
MFA_MENTOR = "mfa-mentor@demo.och"


async def sign_in(url: str, email: str = MENTOR, **options: object) -> PlatformClient:
    """A client signed in as a demo account (completing TOTP for the MFA account)."""
    client = PlatformClient(url, **options)  # type: ignore[arg-type]
    try:
        await client.login(email, demo_account(email).password)
    except MfaRequired as needed:
        await client.complete_mfa(needed.challenge, pyotp.TOTP(demo_totp_secret()).now())
    return client
