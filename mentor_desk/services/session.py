"""Signing in: one conversation with one server, the password and then a verification code when the server asks
for one, and whether the account may review at all.

The sign-in dialog drives a :class:`SignIn` and shows its errors, each a :class:`~.errors.ServiceError` with a
sentence; re-authentication runs the same conversation on the running app's client, so every screen keeps its
state. :func:`sign_in_to` makes a conversation with a new client (refusing plain http:// to another computer
unless allowed).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from mentor_desk.domain.preferences import DEFAULT_TLS, TlsSettings
from mentor_desk.domain.roles import may_review
from mentor_desk.services.errors import ServiceError

if TYPE_CHECKING:
    from mentor_desk.api.client import PlatformClient
    from mentor_desk.api.models import Me, MfaChallenge

NOT_A_MENTOR = (
    "This account is not a mentor on this server, so it has no reviews. Ask your program director to give it the "
    "mentor role."
)


class InsecureAddress(ServiceError):
    """Plain http:// to another computer, not allowed (yet): nothing was sent."""


class CodeNeeded(ServiceError):
    """The password was right; the server wants a verification code (:meth:`SignIn.with_code`)."""


class NotAMentor(ServiceError):
    """Signed in, but the account may not review on this server."""


class SignInRefused(ServiceError):
    """The server refused or could not be reached. ``unreachable``: it may work later (offline work is possible);
    ``code_expired``: the code's challenge ended, start again with the password."""

    def __init__(self, user_message: str, *, unreachable: bool, code_expired: bool = False) -> None:
        super().__init__(user_message)
        self.unreachable = unreachable
        self.code_expired = code_expired


def sign_in_to(server: str, allow_insecure_http: bool, tls: TlsSettings = DEFAULT_TLS) -> SignIn:
    """A sign-in conversation with a new client of ``server``, trusting HTTPS servers as ``tls`` says. Raises
    :class:`InsecureAddress`, or :class:`SignInRefused` for an address or CA bundle that cannot be used."""
    from mentor_desk.api.client import PlatformClient
    from mentor_desk.api.errors import InsecureServer, PlatformError

    try:
        return SignIn(PlatformClient(server, allow_insecure_http=allow_insecure_http, tls=tls))
    except InsecureServer as err:
        raise InsecureAddress(err.user_message) from err
    except PlatformError as err:
        raise SignInRefused(err.user_message, unreachable=False) from err


class SignIn:
    """One sign-in conversation on ``client``. After success :attr:`me` is the user and ``client`` signed in."""

    def __init__(self, client: PlatformClient) -> None:
        self.client = client
        self.me: Me | None = None
        self._challenge: MfaChallenge | None = None

    @property
    def server(self) -> str:
        return self.client.server_url

    @property
    def waiting_for_code(self) -> bool:
        return self._challenge is not None

    def forget_code(self) -> None:
        """Start again with the password."""
        self._challenge = None

    async def with_password(self, email: str, password: str) -> None:
        """Raises :class:`CodeNeeded`, :class:`NotAMentor` or :class:`SignInRefused`."""
        await self._signed_in(lambda: self.client.login(email, password))

    async def with_code(self, code: str) -> None:
        """The verification code for the challenge :class:`CodeNeeded` started."""
        challenge = self._challenge
        assert challenge is not None, "with_code() follows CodeNeeded"
        await self._signed_in(lambda: self.client.complete_mfa(challenge, code))

    async def _signed_in(self, signing_in: Callable[[], Awaitable[object]]) -> None:
        from mentor_desk.api.errors import MfaRequired, PlatformError, is_transient

        try:
            await signing_in()
            me = await self.client.me()
        except MfaRequired as err:
            self._challenge = err.challenge
            raise CodeNeeded(err.user_message) from err
        except PlatformError as err:
            expired = self._challenge is not None and err.status == 401
            if expired:
                self._challenge = None
            raise SignInRefused(err.user_message, unreachable=is_transient(err), code_expired=expired) from err
        if not may_review(set(me.role_names)):
            raise NotAMentor(NOT_A_MENTOR)
        self.me = me

    async def aclose(self) -> None:
        await self.client.aclose()
