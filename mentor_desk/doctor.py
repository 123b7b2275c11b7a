"""``mentor-desk doctor``: can a mentor work against this server, and if not, why?

:func:`diagnose` walks the path a mentor's first session takes — reach the server, agree on TLS, sign in (and
notice MFA), discover the API layer, check the mentor role, fetch the queue, refresh the session — and
records one :class:`Check` per step. It never raises for a platform problem: every failure becomes a check
with a sentence. No Qt here; it runs on a headless machine.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from urllib.parse import urlsplit

import httpx

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import (
    MfaRequired,
    PlatformError,
    SessionExpired,
    TlsError,
    error_from_transport,
)
from mentor_desk.api.tls import BadCaBundle, ssl_context
from mentor_desk.domain.preferences import DEFAULT_TLS, TlsSettings
from mentor_desk.domain.roles import LEAD_ROLES, may_review

CLOCK_SKEW_WARN_S = 60.0
DATE_HEADER_SPAN_S = 2.0
"""A ``Date`` header's whole second, plus up to a second of age (servers refresh it about once a second)."""


class Outcome(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class Check:
    name: str
    outcome: Outcome
    detail: str


@dataclass
class DoctorReport:
    server: str
    checks: list[Check] = field(default_factory=list)
    mode: str | None = None  # "full" | "och-v1"
    api_version: int | None = None
    queue_size: int | None = None
    clock_skew_s: float | None = None
    """How far this computer's clock is ahead of the server's (negative: behind), 0 when no difference can be
    measured through the ``Date`` header (see :func:`clock_offset`)."""
    clock_uncertainty_s: float | None = None
    duration_s: float = 0.0

    def add(self, name: str, outcome: Outcome, detail: str) -> None:
        self.checks.append(Check(name, outcome, detail))

    @property
    def mentor_can_work(self) -> bool:
        """True when nothing failed (warnings are things a mentor can live with)."""
        return bool(self.checks) and all(check.outcome is not Outcome.FAIL for check in self.checks)

    def to_json(self) -> str:
        data = asdict(self)
        data["mentor_can_work"] = self.mentor_can_work
        return json.dumps(data, default=str)

    def render(self) -> str:
        marks = {Outcome.OK: "ok  ", Outcome.WARN: "warn", Outcome.FAIL: "FAIL", Outcome.SKIP: "skip"}
        width = max(len(check.name) for check in self.checks) if self.checks else 0
        lines = [f"mentor-desk doctor: {self.server}", ""]
        lines += [f"  [{marks[c.outcome]}] {c.name.ljust(width)}  {c.detail}" for c in self.checks]
        verdict = "A mentor can work with this server." if self.mentor_can_work else "A mentor cannot work yet."
        lines += ["", verdict]
        return "\n".join(lines)


async def diagnose(
    server: str,
    email: str,
    password: str,
    allow_http: bool = False,
    *,
    mfa_code: str | None = None,
    request_timeout: float = 10.0,
    tls: TlsSettings = DEFAULT_TLS,
) -> DoctorReport:
    """Check ``server`` as the mentor ``email`` would meet it. ``mfa_code`` answers a TOTP challenge; ``tls``
    says which certificate authorities HTTPS trusts (the system's store by default, as the app)."""
    started = time.monotonic()
    report = DoctorReport(server=server.rstrip("/"))
    try:
        await _diagnose(report, email, password, allow_http, mfa_code, request_timeout, tls)
    finally:
        report.duration_s = round(time.monotonic() - started, 3)
    return report


async def _diagnose(
    report: DoctorReport,
    email: str,
    password: str,
    allow_http: bool,
    mfa_code: str | None,
    request_timeout: float,
    tls: TlsSettings,
) -> None:
    try:
        client = PlatformClient(report.server, allow_insecure_http=allow_http, timeout=request_timeout, tls=tls)
    except BadCaBundle as err:
        report.add("tls", Outcome.FAIL, err.user_message)
        return
    except PlatformError as err:  # not an address, or plain http to another machine without --allow-http
        report.add("address", Outcome.FAIL, err.user_message)
        return
    report.server = client.server_url
    async with client:
        if not await _check_transport(report, request_timeout, tls):
            return
        if not await _check_sign_in(report, client, email, password, mfa_code):
            return
        if not await _check_api(report, client):  # capabilities need a signed-in session
            return
        if not await _check_roles(report, client):
            return
        await _check_queue(report, client)
        await _check_refresh(report, client)


async def _check_transport(report: DoctorReport, request_timeout: float, tls: TlsSettings) -> bool:
    """Reachable, TLS, clock skew: one unauthenticated request to the health endpoint."""
    scheme = urlsplit(report.server).scheme
    try:
        verify = ssl_context(tls)  # trusted as the platform client trusts it
        async with httpx.AsyncClient(timeout=request_timeout, follow_redirects=False, verify=verify) as http:
            sent = datetime.now(UTC)
            response = await http.get(f"{report.server}/api/v1/health/")
            received = datetime.now(UTC)
    except httpx.TransportError as exc:
        err = error_from_transport(exc)
        name = "tls" if isinstance(err, TlsError) else "reachable"
        report.add(name, Outcome.FAIL, err.user_message)
        return False
    report.add("reachable", Outcome.OK, f"The server answered (HTTP {response.status_code}).")
    if scheme == "https":
        report.add("tls", Outcome.OK, "The certificate is valid for this address.")
    else:
        report.add("tls", Outcome.WARN, "Plain http: passwords and reviews travel unencrypted.")
    check_clock(report, response.headers.get("date"), sent, received)
    return True


def clock_offset(server_time: datetime, sent: datetime, received: datetime) -> tuple[float, float]:
    """``(offset, uncertainty)`` in seconds of this computer's clock against the server's.

    The ``Date`` header counts whole seconds, and servers refresh it about once a second (uvicorn does), so it
    says the server's clock was somewhere in ``[D, D + 2)`` when the answer left, at some moment between ``sent``
    and ``received``: the middles of both are compared, and the offset is known to within a second plus half the
    request's duration. A difference inside that is the header's resolution, not skew.
    """
    midpoint = sent + (received - sent) / 2
    offset = (midpoint - server_time).total_seconds() - DATE_HEADER_SPAN_S / 2
    return offset, DATE_HEADER_SPAN_S / 2 + (received - sent).total_seconds() / 2


def check_clock(report: DoctorReport, date_header: str | None, sent: datetime, received: datetime) -> None:
    """The clock check from the health request's ``Date`` header and when the request was sent and answered."""
    if not date_header:
        report.add("clock", Outcome.SKIP, "The server sent no Date header.")
        return
    try:
        server_time = parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        report.add("clock", Outcome.SKIP, f"The server's Date header is unreadable: {date_header!r}.")
        return
    offset, uncertainty = clock_offset(server_time, sent, received)
    report.clock_uncertainty_s = round(uncertainty, 2)
    resolution = (
        "the server's Date header counts whole seconds and may be a second old, so the clocks are compared to "
        f"within ±{uncertainty:.1f} s"
    )
    if abs(offset) <= uncertainty:
        report.clock_skew_s = 0.0
        report.add("clock", Outcome.OK, f"No measurable difference from the server's clock ({resolution}).")
        return
    report.clock_skew_s = round(offset, 1)
    direction = "ahead of" if offset > 0 else "behind"
    if abs(offset) - uncertainty > CLOCK_SKEW_WARN_S:
        report.add(
            "clock",
            Outcome.WARN,
            f"This computer's clock is {abs(offset):.0f} s {direction} the server's: sign-ins may expire early "
            "and ages in the queue will be off. Turn on automatic time.",
        )
    else:
        report.add("clock", Outcome.OK, f"{abs(offset):.1f} s {direction} the server's clock ({resolution}).")


async def _check_api(report: DoctorReport, client: PlatformClient) -> bool:
    try:
        info = await client.discover()
    except PlatformError as err:
        report.add("api", Outcome.FAIL, err.user_message)
        return False
    report.mode = info.mode
    report.api_version = info.api_version
    if info.full:
        report.add("api", Outcome.OK, f"Full Tier-5 review API (version {info.api_version}).")
    else:
        report.add(
            "api",
            Outcome.WARN,
            "OCH v1 compatibility mode: no rubrics from the server, no decision paths, no evidence files, "
            "no claims, no Tier-5 approval; reviews are sent as a decision + written feedback.",
        )
    return True


async def _check_sign_in(
    report: DoctorReport, client: PlatformClient, email: str, password: str, mfa_code: str | None
) -> bool:
    try:
        await client.login(email, password)
    except MfaRequired as challenge:
        if not mfa_code or challenge.challenge is None:
            report.add(
                "sign-in",
                Outcome.WARN,
                "Password accepted; this account needs a verification code (set MENTOR_DESK_MFA_CODE to check "
                "the rest).",
            )
            return False
        try:
            await client.complete_mfa(challenge.challenge, mfa_code)
        except PlatformError as err:
            report.add("sign-in", Outcome.FAIL, err.user_message)
            return False
        report.add("sign-in", Outcome.OK, "Signed in with a verification code.")
        return True
    except PlatformError as err:
        report.add("sign-in", Outcome.FAIL, err.user_message)
        return False
    report.add("sign-in", Outcome.OK, "Signed in (no verification code needed).")
    return True


async def _check_roles(report: DoctorReport, client: PlatformClient) -> bool:
    try:
        me = await client.me()
    except PlatformError as err:
        report.add("roles", Outcome.FAIL, err.user_message)
        return False
    roles = set(me.role_names)
    if not may_review(roles):
        shown = ", ".join(sorted(roles)) or "none"
        report.add("roles", Outcome.FAIL, f"This account is not a mentor (roles: {shown}).")
        return False
    extra = " and may lead scoring meetings" if roles & LEAD_ROLES else ""
    report.add("roles", Outcome.OK, f"{me.name} is a mentor{extra}.")
    return True


async def _check_queue(report: DoctorReport, client: PlatformClient) -> None:
    try:
        items = await client.fetch_queue()
    except PlatformError as err:
        report.add("queue", Outcome.FAIL, err.user_message)
        return
    report.queue_size = len(items)
    report.add("queue", Outcome.OK, f"{len(items)} item(s) in the review queue.")


async def _check_refresh(report: DoctorReport, client: PlatformClient) -> None:
    try:
        await client.refresh()
    except SessionExpired as err:
        if err.status == 403:
            report.add(
                "refresh",
                Outcome.WARN,
                "The server will not renew a password-only sign-in (OCH asks for MFA on refresh): mentor_desk "
                "will ask for your password again when the session ends (about an hour).",
            )
        else:
            report.add("refresh", Outcome.FAIL, err.user_message)
        return
    except PlatformError as err:
        report.add("refresh", Outcome.FAIL, err.user_message)
        return
    report.add("refresh", Outcome.OK, "Sessions renew without asking again.")
