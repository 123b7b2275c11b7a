"""Keep tokens and passwords out of logs: :func:`redact` for any text, :class:`RedactingFilter` for logging."""

from __future__ import annotations

import logging
import re

_PATTERNS = (
    # JSON Web Tokens (three base64url parts, the first always starts with "eyJ").
    re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
    # Authorization headers.
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    # "access_token": "...", refresh_token=..., password: ...
    re.compile(
        r"""(?i)(["']?(?:access_token|refresh_token|token|password|secret)["']?\s*[:=]\s*["']?)"""
        r"""[^"'\s,&}]+"""
    ),
    # One-time codes ("code": "123456").
    re.compile(r"""(?i)(["']?code["']?\s*[:=]\s*["']?)\d{4,10}\b"""),
)
_MASK = "[redacted]"


def redact(text: str) -> str:
    """``text`` with anything that looks like a token, bearer header or password value masked."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + _MASK, text)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message of every record passing through it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
