"""Layer A auth: login (with the MFA branch), MFA completion, refresh with rotation, logout, me, health."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

import pyotp
from fastapi import APIRouter, Depends, Request

from mentor_desk.sandbox.auth import (
    User,
    access_claims,
    bearer_user,
    deny_access_token,
    load_user,
    password_hash,
)
from mentor_desk.sandbox.errors import detail, field_errors
from mentor_desk.sandbox.state import SandboxState, iso, json_body, now, parse_iso, sandbox

router = APIRouter()

Body = Annotated[dict[str, Any], Depends(json_body)]
State = Annotated[SandboxState, Depends(sandbox)]
PERMISSIONS = {
    "mentor": ["create_mentorship", "read_analytics", "read_mentorship", "read_portfolio", "read_profiling",
               "read_user", "update_mentorship", "update_portfolio"],
    "program_director": ["create_cohort", "read_analytics", "read_cohort", "read_mentorship", "read_portfolio",
                         "read_user", "update_cohort", "update_mentorship"],
    "student": ["read_portfolio", "read_profiling", "update_portfolio", "update_profiling"],
}
ROLE_DISPLAY = {"mentor": "Mentor", "program_director": "Program Director", "student": "Student",
                "admin": "Admin"}
ROLE_IDS = {"admin": 1, "program_director": 2, "mentor": 3, "student": 5}


@router.get("/health/")
async def health() -> dict[str, Any]:
    """Answered on the event loop: readiness checks never wait for a worker thread (nor, on the first
    request, for the thread pool's start-up)."""
    return {"status": "healthy", "service": "django", "timestamp": iso(), "version": "1.0"}


def user_serializer(user: User, mfa_enabled: bool) -> dict[str, Any]:
    """OCH's UserSerializer, field for field (contract 01)."""
    return {
        "id": user.id, "uuid_id": user.uuid_id, "email": user.email, "username": user.email,
        "first_name": user.first_name, "last_name": user.last_name, "bio": None, "avatar_url": None,
        "phone_number": None, "country": None, "timezone": "UTC", "language": "en",
        "cohort_id": user.cohort_id, "track_key": None, "org_id": None, "account_status": "active",
        "email_verified": True, "email_verified_at": None, "mfa_enabled": mfa_enabled, "risk_level": "low",
        "is_active": True, "created_at": user.created_at, "updated_at": user.updated_at,
        "roles": [{"id": user.id, "role": user.role, "role_id": ROLE_IDS.get(user.role, 9), "scope": "global",
                   "scope_ref": None}],
        "consent_scopes": [], "entitlements": [], "preferred_learning_style": None, "career_goals": None,
        "cyber_exposure_level": None, "onboarding_complete": False, "profile_complete": False,
        "onboarded_email_status": None, "profiling_complete": False, "profiling_completed_at": None,
        "profiling_session_id": None, "recommended_track": None, "foundations_complete": False,
        "foundations_completed_at": None, "is_mentor": user.is_mentor, "mentor_capacity_weekly": 10,
        "mentor_availability": {}, "mentor_specialties": [],
    }


def _success(state: SandboxState, conn: sqlite3.Connection, user: User, refresh_token: str,
             mfa_enabled: bool) -> dict[str, Any]:
    return {"access_token": state.tokens.access(user.id), "refresh_token": refresh_token,
            "user": user_serializer(user, mfa_enabled), "consent_scopes": [],
            "profiling_required": user.role == "student", "primary_role": user.role}


def _password_user(state: SandboxState, request: Request, conn: sqlite3.Connection, email: str,
                   password: str) -> sqlite3.Row:
    """The user whose password this is; 401 otherwise, and 429 (before any check) once the account or the
    caller's address has had too many wrong passwords (OCH has no limit; the reference has)."""
    limits = state.config.limits
    account, address = f"login:{email}", f"address:{request.client.host if request.client else '-'}"
    state.throttle.check(account, limits.login_failures_per_account, "sign-ins for this account")
    state.throttle.check(address, limits.login_failures_per_address, "sign-ins from your address")
    row = conn.execute("SELECT * FROM users WHERE email = ?", (email,)).fetchone()
    if row is None or row["password_hash"] is None or password_hash(password, email) != row["password_hash"]:
        state.throttle.fail(account)
        state.throttle.fail(address)
        raise detail(401, "Invalid credentials")
    state.throttle.clear(account)
    return row


@router.post("/auth/login")
@router.post("/auth/login/")
def login(body: Body, state: State, request: Request) -> dict[str, Any]:
    email = body.get("email")
    if not isinstance(email, str) or not email.strip():
        raise detail(400, "Email is required")
    if "@" not in email:
        raise field_errors(email="Enter a valid email address.")
    password = body.get("password")
    if not password:
        raise detail(400, "Password or code required")
    email = email.strip().lower()
    # No fingerprint, no trusted device: a missing one must not become a device that skips MFA.
    fingerprint = str(body.get("device_fingerprint") or "").strip() or None
    with state.db.tx() as conn:
        row = _password_user(state, request, conn, email, str(password))
        user = User.from_row(row)
        trusted = fingerprint is not None and conn.execute(
            "SELECT 1 FROM trusted_devices WHERE user_id = ? AND fingerprint = ?", (user.id, fingerprint)).fetchone()
        mfa_enabled = row["mfa_secret"] is not None
        session_id, refresh = state.tokens.open_session(conn, user.id, mfa_verified=False,
                                                        fingerprint=fingerprint, created_at=iso())
        if mfa_enabled and not trusted:
            return {"detail": "MFA required", "mfa_required": True, "session_id": session_id,
                    "refresh_token": refresh, "mfa_method": "totp", "mfa_methods_available": ["totp"],
                    "primary_role": user.role}
        return _success(state, conn, user, refresh, mfa_enabled)


@router.post("/auth/login/simple")
def login_simple(body: Body, state: State, request: Request) -> dict[str, Any]:
    """OCH's dev login: a bare token pair with no server session, so its refresh token is always 401.
    Accounts with MFA are refused (403 ``mfa_required``): on OCH this route skips the second factor."""
    email = str(body.get("email") or "").strip().lower()
    with state.db.tx() as conn:
        row = _password_user(state, request, conn, email, str(body.get("password") or ""))
        if row["mfa_secret"] is not None:
            # OCH's dev login hands out tokens without the second factor; the reference must not.
            raise detail(403, "This account signs in with a verification code: use /auth/login, then "
                              "/auth/mfa/complete", mfa_required=True)
    user = User.from_row(row)
    return {"user": {"id": str(user.id), "email": user.email, "first_name": user.first_name,
                     "last_name": user.last_name, "account_status": "active"},
            "access_token": state.tokens.access(user.id), "refresh_token": state.tokens.refresh(user.id, "no-session"),
            "message": "Login successful"}


@router.post("/auth/mfa/send-challenge")
def mfa_send_challenge(body: Body, state: State) -> dict[str, Any]:
    with state.db.tx() as conn:
        if state.tokens.session_for(conn, str(body.get("refresh_token") or "")) is None:
            raise detail(401, "Invalid or expired session")
    raise detail(400, "Send challenge only for SMS or email MFA. Use your authenticator app for TOTP.")


@router.post("/auth/mfa/complete")
def mfa_complete(body: Body, state: State) -> dict[str, Any]:
    refresh_token, code = body.get("refresh_token"), body.get("code")
    if not refresh_token or not code:
        raise field_errors(**{k: "This field is required." for k in ("refresh_token", "code")
                              if not body.get(k)})
    limits = state.config.limits
    with state.db.tx() as conn:
        session = state.tokens.session_for(conn, str(refresh_token))
        if session is None:
            raise detail(401, "Invalid or expired session. Please log in again.")
        if session["mfa_verified"]:
            raise detail(400, "MFA already verified for this session")
        challenge, account = f"challenge:{session['id']}", f"mfa:{session['user_id']}"
        age = (now() - parse_iso(session["created_at"])).total_seconds()
        if age > limits.mfa_challenge_ttl_s or \
                state.throttle.failures(challenge) >= limits.mfa_attempts_per_challenge:
            raise detail(401, "This sign-in has expired or had too many wrong codes. Please log in again.")
        state.throttle.check(account, limits.mfa_failures_per_account, "verification codes for this account")
        secret = conn.execute("SELECT mfa_secret FROM users WHERE id = ?", (session["user_id"],)).fetchone()[0]
        if body.get("method", "totp") != "totp" or not secret or \
                not pyotp.TOTP(secret).verify(str(code), valid_window=1):
            state.throttle.fail(challenge)
            state.throttle.fail(account)
            raise detail(400, "Invalid or expired code")
        state.throttle.clear(account)
        conn.execute("UPDATE sessions SET revoked = 1 WHERE id = ?", (session["id"],))
        _, refresh = state.tokens.open_session(conn, session["user_id"], mfa_verified=True,
                                               fingerprint=session["device_fingerprint"], created_at=iso())
        if session["device_fingerprint"] not in (None, "unknown"):
            conn.execute("INSERT OR IGNORE INTO trusted_devices VALUES (?, ?)",
                         (session["user_id"], session["device_fingerprint"]))
        user = load_user(conn, session["user_id"])
        assert user is not None
        result = _success(state, conn, user, refresh, True)
    del result["profiling_required"], result["primary_role"]
    return result


@router.post("/auth/token/refresh")
@router.post("/auth/token/refresh/")
def refresh(body: Body, state: State) -> dict[str, Any]:
    token = body.get("refresh_token")
    if not token:
        raise field_errors(refresh_token="This field is required.")
    with state.db.tx() as conn:
        session = state.tokens.session_for(conn, str(token))
        replayed = session is None and state.tokens.replayed(conn, str(token))
        if session is not None and session["mfa_verified"]:
            new_refresh = state.tokens.rotate(conn, session, iso())
    if session is None:
        raise detail(401, "This sign-in was ended because an old refresh token was used again. Please log in "
                          "again." if replayed else "Invalid or expired refresh token")
    if not session["mfa_verified"]:
        raise detail(403, "MFA required", mfa_required=True)
    return {"access_token": state.tokens.access(session["user_id"]), "refresh_token": new_refresh}


@router.post("/auth/logout")
def logout(body: Body, state: State, request: Request,
           user: Annotated[User, Depends(bearer_user)]) -> dict[str, Any]:
    claims = access_claims(state.tokens, request.headers.get("authorization", ""))
    with state.db.tx() as conn:
        deny_access_token(conn, claims)  # simplejwt's blacklist: the access token dies with the sign-out
        token = body.get("refresh_token")
        session = state.tokens.session_for(conn, str(token)) if token else None
        if session is not None and session["user_id"] == user.id:
            conn.execute("UPDATE sessions SET revoked = 1 WHERE id = ?", (session["id"],))
        elif not token:
            conn.execute("UPDATE sessions SET revoked = 1 WHERE user_id = ?", (user.id,))
    return {"detail": "Logged out successfully"}


@router.get("/auth/me")
def me(user: Annotated[User, Depends(bearer_user)]) -> dict[str, Any]:
    return {
        "user": {"id": str(user.id), "email": user.email, "name": user.name, "profiling_complete": False,
                 "foundations_complete": False, "track_key": None},
        "roles": [{"role": user.role, "role_display_name": ROLE_DISPLAY.get(user.role, user.role),
                   "scope": "global", "scope_ref": None}],
        "permissions": sorted(PERMISSIONS.get(user.role, [])),
        "consent_scopes": [], "entitlements": [],
    }
