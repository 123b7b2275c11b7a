"""Scoring meetings for one signed-in mentor (Qt-free; every coroutine runs on the app's asyncio loop).

* Setting up, reading, revealing and the consensus go straight to the platform (the lead does them online).
* A panel member's scores are a draft, then an outbox entry (``meeting_scores``) that the sync engine sends
  like any review: offline scoring syncs later, a real conflict is shown (see :mod:`mentor_desk.sync.meeting_scores`).
* Blindness is the server's: before reveal it never sends anyone's scores but the caller's own. The client keeps
  only what the server sent it (the meeting documents it caches carry ``my_scores`` and who submitted, never
  another member's scores before reveal).
* :class:`MeetingWatch` follows ``meeting.updated`` events (reconnecting with ``Last-Event-ID``) and falls back
  to polling when the stream is refused or down, saying which of the three it is doing.
* The screens see a meeting as a :class:`~mentor_desk.domain.scoring_meeting.ScoringMeeting` and its review as
  a :class:`~mentor_desk.domain.review.ReviewView`, each converted once here from what the client parsed.
* An **in-room meeting** (one machine, members score in turn; the only way on OCH v1) keeps the scores in a
  :class:`~mentor_desk.domain.meeting_room.RoomMeeting` and delivers the consensus as the review itself, through
  the outbox as the workspace does (:meth:`MeetingService.deliver_review`).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import TypeAdapter

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import PlatformError, SessionExpired, is_transient
from mentor_desk.api.models import Meeting, PanelScores, PersonRef
from mentor_desk.api.models.wire import ScoreMap
from mentor_desk.domain.agreement import AgreementReport, panel_agreement
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.review import ReviewView
from mentor_desk.domain.scoring_meeting import Consensus, MemberScores, Panelist, PanelSeat, ScoringMeeting
from mentor_desk.services.account import SyncPort
from mentor_desk.services.review_view import review_view
from mentor_desk.store import Conflict, DocumentKind, OutboxEntry, OutboxState, Store
from mentor_desk.sync.meeting_scores import MY_SCORES_STAGE, OP_MEETING_SCORES, meeting_key

log = logging.getLogger(__name__)

MEETING_EVENT = "meeting.updated"
_LAST_EVENT_KEY = "last_event_id:meetings"


class MeetingService:
    """One mentor's view of the scoring meetings they lead or sit on."""

    def __init__(self, client: PlatformClient, store: Store, sync: SyncPort | None = None) -> None:
        self.client = client
        self.store = store
        self.sync = sync

    # -- reading -----------------------------------------------------------------------------------------

    async def list_meetings(self, state: str | None = None) -> list[ScoringMeeting]:
        """The meetings I lead or sit on, newest first (cached as the server sent them)."""
        return [await self._keep(meeting) for meeting in await self.client.list_meetings(state=state)]

    async def get(self, meeting_id: str) -> ScoringMeeting:
        """From the server while it answers, else the copy cached when it last did."""
        try:
            return await self._keep(await self.client.get_meeting(meeting_id))
        except PlatformError as error:
            if not is_transient(error):
                raise
            cached = await self.store.document(DocumentKind.MEETING, meeting_id)
            if cached is None:
                raise
            return scoring_meeting(Meeting.model_validate(cached.data))

    async def review(self, meeting: ScoringMeeting) -> ReviewView:
        """The review the meeting scores, at its final stage (panel members may read it while they sit on its
        meeting); a subtask whose rubric the review lacks is scored on the meeting's."""
        detail = await self.client.get_review(meeting.review_id)
        await self.store.put_document(DocumentKind.REVIEW_DETAIL, detail.id, detail.model_dump(mode="json"),
                                      detail.version)
        return review_view(detail, stage="final", fallback_rubrics=meeting.rubrics)

    async def _keep(self, meeting: Meeting) -> ScoringMeeting:
        await self.store.put_document(DocumentKind.MEETING, meeting.id, meeting.model_dump(mode="json"),
                                      meeting.version)
        return scoring_meeting(meeting)

    # -- the lead ----------------------------------------------------------------------------------------

    async def create(self, review_id: str, panel: list[int], *, blind: bool = True) -> ScoringMeeting:
        return await self._keep(await self.client.create_meeting(review_id, panel, blind=blind))

    async def reveal(self, meeting_id: str) -> ScoringMeeting:
        return await self._keep(await self.client.reveal(meeting_id))

    async def consensus(
        self,
        meeting: ScoringMeeting,
        subtask_scores: Mapping[str, Mapping[str, float]],
        decision: str,
        feedback_written: str,
        notes: str = "",
    ) -> ScoringMeeting:
        """Record the panel's consensus: the server writes it as the review's final stage and closes the meeting."""
        return await self._keep(
            await self.client.consensus(
                meeting.id,
                base_version=meeting.version,
                subtask_scores=subtask_scores,
                decision=decision,
                feedback_written=feedback_written,
                notes=notes,
            )
        )

    @staticmethod
    def agreement(meeting: ScoringMeeting, review: ReviewView) -> AgreementReport:
        """The revealed scores side by side with Krippendorff's α (empty before reveal: nothing is known), over
        the subtasks and rubrics the members scored (``review`` as :meth:`review` gave it)."""
        return panel_agreement(review.subtasks, review.rubrics, meeting.revealed_scores())

    # -- a panel member ----------------------------------------------------------------------------------

    async def my_draft(self, meeting_id: str) -> dict[str, Any] | None:
        draft = await self.store.draft(meeting_key(meeting_id), MY_SCORES_STAGE)
        return dict(draft.payload) if draft is not None else None

    async def save_my_draft(self, meeting: ScoringMeeting, subtask_scores: Mapping[str, Any], comment: str) -> None:
        await self.store.save_draft(meeting_key(meeting.id), MY_SCORES_STAGE,
                                    _my_payload(meeting, subtask_scores, comment))

    async def submit_my_scores(
        self, meeting: ScoringMeeting, subtask_scores: Mapping[str, Any], comment: str
    ) -> OutboxEntry:
        """Queue my scores for the meeting (sent at once when online, later otherwise)."""
        entry = await self.store.submit_draft(meeting_key(meeting.id), MY_SCORES_STAGE, OP_MEETING_SCORES,
                                              _my_payload(meeting, subtask_scores, comment), meeting.version)
        if self.sync is not None:
            self.sync.wake()
        return entry

    async def my_entry(self, meeting_id: str) -> OutboxEntry | None:
        """My scores' latest outbox entry for the meeting, if any is still open (waiting, conflict, failed)."""
        key = meeting_key(meeting_id)
        entries = [e for e in await self.store.outbox() if e.review_id == key]
        return entries[-1] if entries else None

    async def my_conflict(self, meeting_id: str) -> Conflict | None:
        entry = await self.my_entry(meeting_id)
        if entry is None or entry.state is not OutboxState.CONFLICT:
            return None
        return next((c for c in await self.store.conflicts() if c.outbox_id == entry.id), None)

    # -- in-room meetings --------------------------------------------------------------------------------

    async def deliver_review(self, review_id: str, stage: str, draft: ReviewDraft) -> OutboxEntry:
        """Send an in-room consensus as the review itself, exactly as the workspace submits one: a stage review
        on layer B, OCH's decision with the whole review in its written feedback on layer A."""
        if self.sync is None:
            raise RuntimeError("no sync engine: the review cannot be sent")
        return await self.sync.submit(review_id, stage, draft)


def _my_payload(meeting: ScoringMeeting, subtask_scores: Mapping[str, Any], comment: str) -> dict[str, Any]:
    return {
        "subtask_scores": {sid: dict(scores) for sid, scores in subtask_scores.items() if scores},
        "comment": comment,
        "base_version": meeting.version,
        "server_scores": meeting.my_scores.subtask_scores if meeting.my_scores else None,
    }


# -- the platform's meeting, converted once for the screens ------------------------------------------------

_SCORES = TypeAdapter(ScoreMap)


def _panelist(person: PersonRef | None) -> Panelist:
    if person is None:
        return Panelist(None, "?")
    return Panelist(person.id, person.name or person.email or str(person.id))


def _member_scores(scores: PanelScores) -> MemberScores:
    return MemberScores(_panelist(scores.mentor), scores.subtask_scores, scores.comment)


def _consensus(record: Mapping[str, Any]) -> Consensus:
    """The consensus record the platform keeps (free-form on the wire: read tolerantly)."""
    score = record.get("mission_score")
    return Consensus(
        subtask_scores=_SCORES.validate_python(record.get("subtask_scores")),
        decision=str(record.get("decision") or ""),
        feedback=str(record.get("feedback_written") or ""),
        notes=str(record.get("notes") or ""),
        mission_score=score if isinstance(score, int | float) and not isinstance(score, bool) else None,
    )


def scoring_meeting(meeting: Meeting) -> ScoringMeeting:
    """The meeting as the screens show it (people by name, the meeting's rubrics as domain rubrics)."""
    return ScoringMeeting(
        id=meeting.id,
        review_id=meeting.review_id,
        version=meeting.version,
        state=meeting.state,
        blind=meeting.blind,
        lead=_panelist(meeting.lead) if meeting.lead is not None else None,
        panel=tuple(PanelSeat(_panelist(member.mentor), member.submitted_at) for member in meeting.panel),
        my_scores=_member_scores(meeting.my_scores) if meeting.my_scores is not None else None,
        scores=tuple(_member_scores(s) for s in meeting.scores) if meeting.scores is not None else None,
        consensus=_consensus(meeting.consensus) if meeting.consensus is not None else None,
        rubrics=meeting.rubrics(),
    )


class WatchState(enum.StrEnum):
    LIVE = "live"  # following the platform's events
    POLLING = "polling"  # the stream is refused or down: asking every few seconds
    OFFLINE = "offline"  # the platform cannot be reached


class MeetingWatch:
    """Tells ``on_update(meeting_id, version)`` when a meeting changes, and ``on_state(state)`` how it knows.

    Follows the event stream (the client reconnects with ``Last-Event-ID``, kept in the store across runs);
    when the platform refuses the stream, or while it is down, polls ``GET /scoring-meetings`` every
    ``poll_seconds`` and reports versions that moved.
    """

    def __init__(
        self,
        service: MeetingService,
        on_update: Callable[[str, int], None],
        on_state: Callable[[WatchState], None] = lambda state: None,
        *,
        poll_seconds: float = 10.0,
    ) -> None:
        self._service = service
        self._on_update = on_update
        self._on_state = on_state
        self.poll_seconds = poll_seconds
        self.state: WatchState | None = None
        self._versions: dict[str, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._catch_up: asyncio.Future[None] | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        if self._catch_up is not None:
            self._catch_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._catch_up
            self._catch_up = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _set(self, state: WatchState) -> None:
        if state is not self.state:
            self.state = state
            self._on_state(state)

    def _seen(self, meeting_id: str, version: int) -> None:
        if self._versions.get(meeting_id) != version:
            self._versions[meeting_id] = version
            self._on_update(meeting_id, version)

    async def _run(self) -> None:
        store = self._service.store
        while True:
            try:
                await self._poll()  # catch up first: what changed while nobody listened
                last = await store.sync_state(_LAST_EVENT_KEY)
                async for event in self._service.client.events(last_event_id=last, on_open=self._opened):
                    if event.id:
                        await store.set_sync_state(_LAST_EVENT_KEY, event.id)
                    if event.event == MEETING_EVENT and isinstance(event.data.get("id"), str):
                        version = event.data.get("version")
                        self._seen(event.data["id"], version if isinstance(version, int) else -1)
            except SessionExpired:
                raise
            except PlatformError as error:
                log.info("Meeting events unavailable (%s): polling every %.0f s", type(error).__name__,
                         self.poll_seconds)
                await self._poll_until_reachable(refused=not is_transient(error))

    def _opened(self) -> None:
        """The stream is open: live from now on, after one more look at what changed while it was opening (a
        first stream has no last event id to replay from)."""
        self._set(WatchState.LIVE)
        self._catch_up = asyncio.ensure_future(self._poll_quietly())

    async def _poll_quietly(self) -> None:
        with contextlib.suppress(PlatformError):  # the stream says the rest, or its failure does
            await self._poll()

    async def _poll(self) -> None:
        for meeting in await self._service.list_meetings():
            self._seen(meeting.id, meeting.version)

    async def _poll_until_reachable(self, *, refused: bool) -> None:
        """Poll while the platform is unreachable (then try the stream again), or for good when it ``refused``
        its stream (OCH v1 has none)."""
        while True:
            try:
                await self._poll()
            except PlatformError as error:
                if not is_transient(error):
                    raise
                self._set(WatchState.OFFLINE)
            else:
                if not refused:
                    return
                self._set(WatchState.POLLING)
            await asyncio.sleep(self.poll_seconds)

