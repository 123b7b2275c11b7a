"""Typed platform errors, each carrying a sentence a mentor understands.

Every failure of :class:`~mentor_desk.api.client.PlatformClient` is a :class:`PlatformError` subclass:
``user_message`` is what the UI shows, ``status``/``code``/``body`` are for logs and for code that
branches. :func:`error_from_response` turns any of the platform's error envelopes (``detail``, ``error``,
``error`` + ``message``, ``{field: [msgs]}``, flags such as ``mfa_required`` or ``missing_requirements``) into
the right subclass; :func:`error_from_transport` does the same for httpx's network exceptions.
:func:`is_transient` is the sync engine's retry test.

Messages never contain tokens: server text is passed through :func:`~mentor_desk.api.redaction.redact`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from mentor_desk.api.redaction import redact

if TYPE_CHECKING:
    from mentor_desk.api.models import MfaChallenge


class PlatformError(Exception):
    """Base of everything the client raises about the platform."""

    default_message = "The platform could not complete the request."

    def __init__(
        self,
        user_message: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        body: Any = None,
    ) -> None:
        self.user_message = redact(user_message or self.default_message)
        self.status = status
        self.code = code
        self.body = body
        super().__init__(self.user_message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, {self.user_message!r})"


# --- authentication -------------------------------------------------------------------------------------


class InvalidCredentials(PlatformError):
    default_message = "The email address or password is not correct."


class MfaRequired(PlatformError):
    """Sign-in needs a second factor; pass :attr:`challenge` to ``complete_mfa`` with the code."""

    default_message = "This account needs a verification code from your authenticator app."

    def __init__(self, challenge: MfaChallenge | None, user_message: str | None = None, **kwargs: Any) -> None:
        super().__init__(user_message, **kwargs)
        self.challenge = challenge


class InvalidMfaCode(PlatformError):
    default_message = "The verification code is not correct or has expired. Try the current code."


class SessionExpired(PlatformError):
    default_message = "Your session has ended. Please sign in again."


class NotAMentor(PlatformError):
    default_message = "This account is not a mentor on this platform."


class Forbidden(PlatformError):
    default_message = "You are not allowed to do this (the item may belong to another mentor)."


class NotFound(PlatformError):
    default_message = "The platform does not have this item (it may have been removed or reassigned)."


# --- review writes ------------------------------------------------------------------------------------


class VersionConflict(PlatformError):
    """The item changed on the server since it was read; :attr:`current` is the server's item (raw JSON)."""

    default_message = "This review changed on the platform since you opened it."

    def __init__(self, user_message: str | None = None, *, current: Any = None, **kwargs: Any) -> None:
        super().__init__(user_message, **kwargs)
        self.current = current


class ClaimedByOther(PlatformError):
    default_message = "Another mentor is working on this review right now."

    def __init__(self, user_message: str | None = None, *, claimed_by: Any = None, **kwargs: Any) -> None:
        super().__init__(user_message, **kwargs)
        self.claimed_by = claimed_by


class IllegalTransition(PlatformError):
    default_message = "The review is not in a state that allows this step any more."


class ValidationFailed(PlatformError):
    """The platform refused the data; :attr:`field_errors` maps field names to messages."""

    default_message = "The platform did not accept the data that was sent."

    def __init__(
        self, user_message: str | None = None, *, field_errors: Mapping[str, list[str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(user_message, **kwargs)
        self.field_errors = dict(field_errors or {})


class RequirementsNotMet(PlatformError):
    default_message = "The learner does not meet all requirements yet."

    def __init__(self, user_message: str | None = None, *, missing: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(user_message, **kwargs)
        self.missing = list(missing or [])


class PayloadTooLarge(PlatformError):
    default_message = "The file is larger than the platform accepts."


# --- server and network ---------------------------------------------------------------------------------


class ServerError(PlatformError):
    default_message = "The platform had an internal error. Try again later."


class Unreachable(PlatformError):
    default_message = "The platform cannot be reached. Check the server address and your connection."


class TlsError(PlatformError):
    default_message = "The secure connection to the platform failed (its certificate could not be verified)."


class TimedOut(PlatformError):
    default_message = "The platform took too long to answer."


class ConnectionDropped(PlatformError):
    default_message = "The connection to the platform broke off in the middle of an answer."


class MalformedResponse(PlatformError):
    default_message = "The platform sent an answer this app cannot read."


class InsecureServer(PlatformError):
    default_message = (
        "This server address uses plain http:// to another computer: passwords would travel unencrypted. "
        "Use https://, or allow insecure connections explicitly in the settings."
    )


class IntegrityError(PlatformError):
    default_message = "The downloaded file does not match its checksum; it was discarded."


_TRANSIENT = (ServerError, Unreachable, TimedOut, ConnectionDropped)


def is_transient(err: BaseException) -> bool:
    """Whether retrying the same request later may succeed (network trouble, 5xx, 429/503)."""
    if isinstance(err, _TRANSIENT):
        return True
    return isinstance(err, PlatformError) and err.status in {408, 429, 502, 503, 504}


# --- mapping ------------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    """The readable text of an error field: a string, the first of a list, or a nested message."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and value:
        return _text(value[0])
    if isinstance(value, Mapping):
        return _text(value.get("message") or value.get("detail"))
    return None


def _field_errors(body: Mapping[str, Any]) -> dict[str, list[str]]:
    """DRF serializer errors: ``{field: [msgs]}`` (non-envelope keys only)."""
    reserved = {"detail", "error", "message", "code", "messages"}
    errors: dict[str, list[str]] = {}
    for key, value in body.items():
        if key in reserved:
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value) and value:
            errors[key] = list(value)
        elif isinstance(value, str) and key not in {"from", "to"}:
            errors[key] = [value]
    return errors


def server_text(body: Any) -> str | None:
    """The human part of an error body in any of the platform's envelopes, or None."""
    if isinstance(body, Mapping):
        message = _text(body.get("message")) or _text(body.get("detail"))
        error = _text(body.get("error"))
        if message:
            return message
        if error and " " in error:  # a sentence rather than a code such as "version_conflict"
            return error
        fields = _field_errors(body)
        if fields:
            return "; ".join(f"{name}: {msgs[0]}" for name, msgs in fields.items())
        return None
    if isinstance(body, str) and body.strip() and not body.lstrip().startswith("<"):
        return body.strip()[:300]
    return None


def _code(body: Any) -> str | None:
    if not isinstance(body, Mapping):
        return None
    for key in ("error", "code"):
        value = body.get(key)
        if isinstance(value, str) and value and " " not in value:
            return value
    return None


def error_from_response(status: int, body: Any, *, mentor_endpoint: bool = False) -> PlatformError:
    """Map a non-2xx answer to a typed error. ``mentor_endpoint``: a 500 there often means "not a mentor"."""
    code = _code(body)
    text = server_text(body)
    kw: dict[str, Any] = {"status": status, "code": code, "body": body}
    flags = body if isinstance(body, Mapping) else {}

    if code == "version_conflict":
        return VersionConflict(current=flags.get("current"), **kw)
    if code == "claimed":
        holder = flags.get("claimed_by")
        name = _text(holder.get("name")) if isinstance(holder, Mapping) else _text(holder)
        message = f"{name} is working on this review right now." if name else None
        return ClaimedByOther(message, claimed_by=holder, **kw)
    if code == "illegal_transition":
        src, dst = flags.get("from"), flags.get("to")
        message = f"The review cannot go from “{src}” to “{dst}”." if src and dst else None
        return IllegalTransition(message, **kw)
    if code == "requirements_not_met" or "missing_requirements" in flags:
        missing = [str(m) for m in flags.get("missing_requirements") or []]
        message = "Not all requirements are met: " + "; ".join(missing) + "." if missing else text
        return RequirementsNotMet(message, missing=missing, **kw)
    if code in {"score_mismatch", "invalid_scores", "op_id_reused"}:
        return ValidationFailed(_VALIDATION_MESSAGES[code] + (f" ({text})" if text else ""), **kw)
    if flags.get("mfa_required") is True:
        # Only reached outside of login, where an MFA challenge is a success: a refresh refused for a session
        # that never passed MFA. The contract says: sign in again.
        return SessionExpired(**kw)

    if status == 401:
        if code == "token_not_valid" or "token" in (text or "").lower():
            return SessionExpired(**kw)
        if text and "credentials" in text.lower() and "not provided" not in text.lower():
            return InvalidCredentials(**kw)
        return SessionExpired(**kw)
    if status == 403:
        return Forbidden(_sentence(text, Forbidden.default_message), **kw)
    if status == 404:
        return NotFound(**kw)
    if status == 409:
        return VersionConflict(_sentence(text, VersionConflict.default_message), current=flags.get("current"), **kw)
    if status == 413:
        return PayloadTooLarge(_sentence(text, PayloadTooLarge.default_message), **kw)
    if status in {400, 422}:
        fields = _field_errors(flags)
        return ValidationFailed(_sentence(text, ValidationFailed.default_message), field_errors=fields, **kw)
    if status >= 500:
        if mentor_endpoint and status == 500:
            return ServerError(
                "The platform failed on a mentor page. On OCH this usually means the account is not set up "
                "as a mentor; ask the program director to check your mentor role.",
                **kw,
            )
        return ServerError(**kw)
    return PlatformError(_sentence(text, f"The platform answered with an unexpected status ({status})."), **kw)


_VALIDATION_MESSAGES = {
    "score_mismatch": "The platform computed a different mission score from these criterion scores.",
    "invalid_scores": "The platform did not accept the scores (out of scale or incomplete).",
    "op_id_reused": "This submission was already sent with different content.",
}


SERVER_WORDS_MAX = 300
"""How much of what a server said an error quotes: a message is a sentence for a mentor, not a page."""
_MARKUP = re.compile(r"<[A-Za-z/!]")


def _sentence(server: str | None, fallback: str) -> str:
    """Prefer the fallback sentence, adding what the server said when it says more: its first
    :data:`SERVER_WORDS_MAX` characters without control or direction-changing characters, and nothing of it when
    it is markup (an error page is not words for a mentor)."""
    words = _quotable(server or "")
    if not words or words.rstrip(".") == fallback.rstrip("."):
        return fallback
    return f"{fallback} The platform said: “{words}”"


def _quotable(server: str) -> str:
    text = "".join(ch for ch in server[: SERVER_WORDS_MAX * 2] if unicodedata.category(ch) not in ("Cc", "Cf"))
    text = " ".join(text.split())
    if _MARKUP.search(text):
        return ""
    return text if len(text) <= SERVER_WORDS_MAX else text[: SERVER_WORDS_MAX - 1].rstrip() + "…"


def error_from_transport(exc: httpx.RequestError) -> PlatformError:
    """Map an httpx request exception (network trouble, undecodable body) to a typed error."""
    if isinstance(exc, httpx.DecodingError):
        return MalformedResponse()
    if isinstance(exc, httpx.ConnectError):
        if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
            return TlsError()
        return Unreachable()
    if isinstance(exc, httpx.TimeoutException):
        return TimedOut()
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return ConnectionDropped()
    if isinstance(exc, httpx.UnsupportedProtocol):
        return Unreachable("The server address is not a web address (it must start with https://).")
    return Unreachable()
