"""Authentication as OCH does it: simplejwt-style HS256 tokens plus a server-side session table.

Quirks reproduced on purpose (och-v1-reference §1): a plain password login creates a session that is not
MFA-verified, so refreshing it answers 403 ``mfa_required``; sessions from ``/auth/mfa/complete`` or from an
earlier refresh are refreshable; refresh rotates (the old refresh token is then 401).
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from starlette.requests import Request

from mentor_desk.sandbox.errors import ApiError, NotAMentor, detail

REFRESH_TTL = 7 * 24 * 3600
_INVALID_TOKEN = "Given token not valid for any token type"


@dataclass(frozen=True)
class User:
    id: int
    uuid_id: str
    email: str
    first_name: str
    last_name: str
    role: str
    is_mentor: bool
    track_code: str | None
    cohort_id: str | None
    created_at: str
    updated_at: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_director(self) -> bool:
        return self.role in ("program_director", "admin")

    def brief(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "email": self.email}

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> User:
        return cls(row["id"], row["uuid_id"], row["email"], row["first_name"], row["last_name"], row["role"],
                   bool(row["is_mentor"]), row["track_code"], row["cohort_id"], row["created_at"],
                   row["updated_at"])


def password_hash(password: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{password}".encode()).hexdigest()


def load_user(conn: sqlite3.Connection, user_id: int) -> User | None:
    row = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    return User.from_row(row) if row else None


class Tokens:
    """Issues and verifies access and refresh tokens with the database's persistent secret."""

    def __init__(self, secret: str, access_ttl: int) -> None:
        self._secret = secret
        self.access_ttl = access_ttl

    def _encode(self, user_id: int, token_type: str, ttl: int, jti: str) -> str:
        # ``exp`` keeps milliseconds (RFC 7519 allows a non-integer NumericDate): with whole seconds a
        # 1-second test TTL would really last anywhere between 0 and 1 s.
        now = time.time()
        claims = {"token_type": token_type, "exp": round(now + ttl, 3), "iat": int(now), "jti": jti,
                  "user_id": user_id}
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def access(self, user_id: int) -> str:
        return self._encode(user_id, "access", self.access_ttl, uuid.uuid4().hex)

    def refresh(self, user_id: int, jti: str) -> str:
        return self._encode(user_id, "refresh", REFRESH_TTL, jti)

    def decode(self, token: str, token_type: str) -> dict[str, Any]:
        """The claims of a valid token of ``token_type``; raises jwt.InvalidTokenError otherwise."""
        claims = jwt.decode(token, self._secret, algorithms=["HS256"],
                            options={"require": ["exp", "jti", "user_id", "token_type"]})
        if claims["token_type"] != token_type:
            raise jwt.InvalidTokenError("Token has wrong type")
        return claims

    def open_session(self, conn: sqlite3.Connection, user_id: int, *, mfa_verified: bool,
                     fingerprint: str | None, created_at: str) -> tuple[str, str]:
        """Create a session row; returns (session id, refresh token)."""
        session_id, jti = str(uuid.uuid4()), uuid.uuid4().hex
        conn.execute("INSERT INTO sessions VALUES (?,?,?,?,?,0,?)",
                     (session_id, user_id, jti, int(mfa_verified), fingerprint, created_at))
        return session_id, self.refresh(user_id, jti)

    def rotate(self, conn: sqlite3.Connection, session: sqlite3.Row, created_at: str) -> str:
        """Revoke ``session`` and open its successor in the same family; returns the new refresh token."""
        conn.execute("UPDATE sessions SET revoked = 1 WHERE id = ?", (session["id"],))
        new_id, refresh = self.open_session(conn, session["user_id"], mfa_verified=True,
                                            fingerprint=session["device_fingerprint"], created_at=created_at)
        family = conn.execute("SELECT family FROM session_families WHERE session_id = ?", (session["id"],)).fetchone()
        conn.execute("INSERT INTO session_families VALUES (?, ?)", (new_id, family[0] if family else session["id"]))
        return refresh

    def replayed(self, conn: sqlite3.Connection, refresh_token: str) -> bool:
        """Whether this is a valid but already rotated or revoked refresh token; if so, every session of its
        family is revoked (someone else may hold the live one: RFC 9700 §4.14.2)."""
        try:
            claims = self.decode(refresh_token, "refresh")
        except jwt.InvalidTokenError:
            return False
        row = conn.execute("SELECT id, revoked FROM sessions WHERE refresh_jti = ?", (claims["jti"],)).fetchone()
        if row is None or not row["revoked"]:
            return False
        family = conn.execute("SELECT family FROM session_families WHERE session_id = ?", (row["id"],)).fetchone()
        family_id = family[0] if family else row["id"]
        conn.execute("UPDATE sessions SET revoked = 1 WHERE id = ? OR id IN (SELECT session_id FROM "
                     "session_families WHERE family = ?)", (family_id, family_id))
        return True

    def session_for(self, conn: sqlite3.Connection, refresh_token: str) -> sqlite3.Row | None:
        """The live session a refresh token belongs to, or None (bad, expired, rotated or revoked)."""
        try:
            claims = self.decode(refresh_token, "refresh")
        except jwt.InvalidTokenError:
            return None
        row = conn.execute("SELECT * FROM sessions WHERE refresh_jti = ?", (claims["jti"],)).fetchone()
        return row if row and not row["revoked"] else None


def access_claims(tokens: Tokens, authorization: str) -> dict[str, Any]:
    """The claims of the access token in an ``Authorization`` header; DRF/simplejwt's 401 otherwise."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, {"detail": "Authentication credentials were not provided."},
                       {"WWW-Authenticate": 'Bearer realm="api"'})
    try:
        return tokens.decode(token.strip(), "access")
    except jwt.ExpiredSignatureError:
        raise _token_not_valid("Token is expired") from None
    except jwt.InvalidTokenError:
        raise _token_not_valid("Token is invalid or expired") from None


def bearer_user(request: Request) -> User:
    """FastAPI dependency: the user of the request's access token (DRF/simplejwt error bodies otherwise)."""
    state = request.app.state.sandbox
    claims = access_claims(state.tokens, request.headers.get("authorization", ""))
    with state.db.tx() as conn:
        if conn.execute("SELECT 1 FROM denied_tokens WHERE jti = ?", (claims["jti"],)).fetchone():
            raise _token_not_valid("Token is blacklisted")
        user = load_user(conn, int(claims["user_id"]))
    if user is None:
        raise detail(401, "User not found", code="user_not_found")
    return user


def deny_access_token(conn: sqlite3.Connection, claims: dict[str, Any]) -> None:
    """Refuse this access token from now until it expires (sign-out); forget denials that expired."""
    conn.execute("DELETE FROM denied_tokens WHERE expires_at < ?", (time.time(),))
    conn.execute("INSERT OR IGNORE INTO denied_tokens VALUES (?, ?)", (claims["jti"], claims["exp"]))


def reviewer_user(request: Request) -> User:
    """Layer B callers: mentors, program directors and admins; anyone else gets DRF's 403."""
    user = bearer_user(request)
    if not (user.is_mentor or user.is_director):
        raise detail(403, "You do not have permission to perform this action.")
    return user


def mentor_user(request: Request) -> User:
    """Like OCH's ``get_current_mentor``: a non-mentor gets a bare 500."""
    user = bearer_user(request)
    if not user.is_mentor:
        raise NotAMentor
    return user


def _token_not_valid(message: str) -> ApiError:
    return ApiError(401, {"detail": _INVALID_TOKEN, "code": "token_not_valid",
                          "messages": [{"token_class": "AccessToken", "token_type": "access",
                                        "message": message}]},
                    {"WWW-Authenticate": 'Bearer realm="api"'})
