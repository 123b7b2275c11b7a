"""A panel member's scores for a scoring meeting, as an outbox operation (``meeting_scores``).

The entry's ``review_id`` is ``meeting:<meeting id>`` (see :func:`meeting_key`), its ``base_version`` the meeting
version the member scored against, its payload ``{subtask_scores, comment, server_scores}`` where
``server_scores`` are the member's own scores the server had then (``None`` before a first submission).

Every submission of any member bumps the meeting's version, so a 409 alone is no conflict: when the server
already holds exactly these scores (an earlier send got there but its answer was lost: the desk was killed or
the connection dropped), the entry is done; when the meeting is still scoring and the server still holds what
the member started from, the scores are re-sent against the newer version. It is a conflict
(:class:`ServerMovedOn`) when the meeting left scoring (revealed, closed) or the member's own scores on the
server changed meanwhile (sent from another computer).
"""

from __future__ import annotations

from typing import Any

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import IllegalTransition, VersionConflict
from mentor_desk.api.models import Meeting
from mentor_desk.store import OutboxEntry, Store
from mentor_desk.sync.senders import ServerMovedOn

OP_MEETING_SCORES = "meeting_scores"
MEETING_PREFIX = "meeting:"
MY_SCORES_STAGE = "my-scores"
_RESENDS = 10


def meeting_key(meeting_id: str) -> str:
    """The outbox and draft key of a meeting's scores (never a review id)."""
    return f"{MEETING_PREFIX}{meeting_id}"


def theirs_of(meeting: Meeting) -> dict[str, Any]:
    """The server's side of a conflict, shaped like the payload (only what this member may see)."""
    mine = meeting.my_scores
    return {
        "id": meeting.id,
        "state": meeting.state,
        "version": meeting.version,
        "subtask_scores": mine.subtask_scores if mine else {},
        "comment": mine.comment if mine else "",
    }


class MeetingScoresSender:
    operation = OP_MEETING_SCORES
    concurrent = True  # each request stands alone, checked against the meeting's version

    def __init__(self, client: PlatformClient, store: Store) -> None:
        self._client = client
        self._store = store

    def start_round(self) -> None:
        pass

    async def send(self, entry: OutboxEntry) -> None:
        meeting_id = entry.review_id.removeprefix(MEETING_PREFIX)
        payload = entry.payload
        version = entry.base_version
        current: Meeting | None = None
        for _ in range(_RESENDS):
            if version is None:
                raise ValueError("the scores do not say which version of the meeting they started from")
            await self._store.mark_sending(entry.id)
            try:
                await self._client.put_my_scores(
                    meeting_id,
                    base_version=version,
                    subtask_scores=payload.get("subtask_scores") or {},
                    comment=str(payload.get("comment") or ""),
                )
            except (VersionConflict, IllegalTransition) as error:
                current = await self._client.get_meeting(meeting_id)
                if _holds(current, payload):  # an earlier send got there; its answer was lost (a crash, a drop)
                    await self._store.mark_done(entry.id)
                    return
                if current.state != "scoring":
                    raise ServerMovedOn(
                        f"The meeting was {current.state} before your scores reached it.", theirs_of(current)
                    ) from error
                if _server_scores(current) != payload.get("server_scores"):
                    raise ServerMovedOn(
                        "Your scores for this meeting were changed from another computer meanwhile.",
                        theirs_of(current),
                    ) from error
                version = current.version  # only other members submitted: send again on the newer version
                continue
            await self._store.mark_done(entry.id)
            return
        assert current is not None
        raise ServerMovedOn("The meeting kept changing while your scores were being sent.", theirs_of(current))


def _holds(meeting: Meeting, payload: dict[str, Any]) -> bool:
    """Whether the server holds exactly these scores and comment as the member's own."""
    mine = meeting.my_scores
    return mine is not None and mine.subtask_scores == (payload.get("subtask_scores") or {}) and \
        mine.comment == str(payload.get("comment") or "")


def _server_scores(meeting: Meeting) -> dict[str, dict[str, float]] | None:
    return meeting.my_scores.subtask_scores if meeting.my_scores else None
