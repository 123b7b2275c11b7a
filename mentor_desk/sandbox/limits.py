"""The sandbox's limits (how much, how often) and the sliding-window throttle that enforces the rates.

The sandbox is the reference for OCH's layer B: it refuses what a hostile caller could use to guess
passwords or codes, or to exhaust memory and disk, with a 4xx that says why.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from mentor_desk.sandbox.errors import ApiError


@dataclass(frozen=True)
class Limits:
    login_failures_per_account: int = 10  # wrong passwords per account within login_window_s
    login_failures_per_address: int = 50  # wrong passwords from one client address within login_window_s
    login_window_s: float = 600.0
    mfa_attempts_per_challenge: int = 5  # wrong codes before a sign-in challenge is void
    mfa_failures_per_account: int = 10  # wrong codes per account within login_window_s
    mfa_challenge_ttl_s: float = 300.0  # how long a password login's MFA challenge can be completed
    anonymous_body_bytes: int = 16 * 1024  # sign-in, MFA and refresh bodies
    json_body_bytes: int = 2 * 1024 * 1024  # every other JSON body
    upload_body_bytes: int = 64 * 1024 * 1024  # one media chunk, or a multipart message or submission
    text_chars: int = 100_000  # any one text (or key) in a JSON body
    json_depth: int = 32  # objects and lists nested in a JSON body
    partial_upload_ttl_s: float = 24 * 3600.0  # an unfinished media upload untouched this long is deleted
    partial_upload_bytes: int = 4 * 1024**3  # announced sizes of one user's unfinished media uploads, together


class Throttle:
    """Failures per key in a sliding window; ``check`` refuses a key that reached its limit with 429."""

    def __init__(self, window_s: float) -> None:
        self._window = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, moment: float) -> deque[float]:
        stamps = self._failures.get(key, deque())
        while stamps and stamps[0] <= moment - self._window:
            stamps.popleft()
        return stamps

    def check(self, key: str, limit: int, what: str) -> None:
        """Raise 429 (with ``Retry-After``) when ``key`` has ``limit`` failures in the window."""
        moment = time.monotonic()
        with self._lock:
            stamps = self._recent(key, moment)
            if len(stamps) < limit:
                return
            wait = max(1, int(stamps[0] + self._window - moment + 1))
        raise ApiError(429, {"detail": f"Too many failed {what}. Try again in {wait} seconds.",
                             "retry_after": wait}, {"Retry-After": str(wait)})

    def failures(self, key: str) -> int:
        with self._lock:
            return len(self._recent(key, time.monotonic()))

    def fail(self, key: str) -> None:
        moment = time.monotonic()
        with self._lock:
            stamps = self._recent(key, moment)
            stamps.append(moment)
            self._failures[key] = stamps
            if len(self._failures) > 10_000:  # forget keys whose failures all left the window
                for stale in [k for k, v in self._failures.items() if not self._recent(k, moment)]:
                    del self._failures[stale]

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
