"""The signed-in session: tokens plus who they belong to. Never logged (``repr`` hides the tokens).

:meth:`Session.to_json` / :meth:`Session.from_json` give the string the app keeps in the OS keyring.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace


@dataclass(frozen=True, slots=True)
class Session:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    user_id: int | None = None
    email: str = ""
    name: str = ""
    roles: tuple[str, ...] = ()

    def with_tokens(self, access_token: str, refresh_token: str) -> Session:
        """The same session after a refresh (rotation: the refresh token always changes)."""
        return replace(self, access_token=access_token, refresh_token=refresh_token)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Session:
        """Parse what :meth:`to_json` wrote; ``ValueError`` if it is not a session."""
        data = json.loads(text)
        if not isinstance(data, dict) or not data.get("access_token") or not data.get("refresh_token"):
            raise ValueError("not a stored session")
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=str(data["refresh_token"]),
            user_id=data.get("user_id"),
            email=str(data.get("email") or ""),
            name=str(data.get("name") or ""),
            roles=tuple(data.get("roles") or ()),
        )
