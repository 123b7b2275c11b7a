"""Stand-ins for the services' ports that a test does not exercise."""

from __future__ import annotations

from typing import Any


class NoSync:
    """The services' sync port, unused where a test needs no engine (fetching a file, reading a review)."""

    async def sync_once(self) -> Any: ...
    async def submit(self, review_id: str, stage: str, payload: Any) -> Any: ...
    async def resolve_conflict(self, conflict_id: int, resolution: Any) -> Any: ...
    def wake(self) -> None: ...
