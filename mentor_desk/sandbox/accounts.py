"""The sandbox's demo accounts (contract "The sandbox").

``mfa-mentor@demo.och`` signs in with TOTP; its secret is fixed and documented so tests and demos can
compute codes with ``pyotp.TOTP(demo_totp_secret()).now()``.
"""

from __future__ import annotations

from typing import NamedTuple


class DemoAccount(NamedTuple):
    email: str
    password: str
    role: str
    name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("mentor@demo.och", "mentor-demo", "mentor", "Maya Okafor"),
    DemoAccount("lead@demo.och", "lead-demo", "program_director", "Daniel Mwangi"),
    DemoAccount("mentor2@demo.och", "mentor2-demo", "mentor", "Lena Fischer"),
    DemoAccount("mentor3@demo.och", "mentor3-demo", "mentor", "Arjun Patel"),
    DemoAccount("mfa-mentor@demo.och", "mfa-mentor-demo", "mentor", "Sofia Rossi"),
    DemoAccount("student@demo.och", "student-demo", "student", "Sam Otieno"),
)

_DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPMENTORDESK234567"


def demo_totp_secret() -> str:
    """The base32 TOTP secret of ``mfa-mentor@demo.och`` (fixed, so it can be documented)."""
    return _DEMO_TOTP_SECRET


def demo_account(email: str) -> DemoAccount:
    return next(a for a in DEMO_ACCOUNTS if a.email == email)
