"""The services' own errors: what the screens catch and show. Each carries ``user_message``, a sentence a mentor
understands, taken over from the platform's or the store's error it replaces (kept as ``__cause__`` for logs).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from mentor_desk.store.errors import StoreError

P = ParamSpec("P")
T = TypeVar("T")


class ServiceError(Exception):
    """Something the mentor asked for could not be done; ``user_message`` says why."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class SignInNeeded(ServiceError):
    """The session has ended: the mentor signs in again (the work on screen stays)."""


def in_words(error: Exception) -> Exception:
    """The service error for a platform or store ``error``; any other exception as it is (a bug to report)."""
    if isinstance(error, ServiceError):
        return error
    if isinstance(error, StoreError):
        return ServiceError(error.user_message)
    from mentor_desk.api.errors import PlatformError, SessionExpired  # loaded by then if it raised one

    if isinstance(error, SessionExpired):
        return SignInNeeded(error.user_message)
    if isinstance(error, PlatformError):
        return ServiceError(error.user_message)
    return error


def says_why(method: Callable[P, Awaitable[T]]) -> Callable[P, Coroutine[Any, Any, T]]:
    """Decorates a service coroutine: platform and store errors leave it as :class:`ServiceError`."""

    @functools.wraps(method)
    async def translated(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await method(*args, **kwargs)
        except Exception as err:
            replacement = in_words(err)
            if replacement is err:
                raise
            raise replacement from err

    return translated
