"""The sync engine: pull the queue, push the outbox, detect conflicts, survive crashes and bad networks.

Plain asyncio, no Qt: the app drives it on the qasync loop and ``mentor-desk sync --once`` on a plain loop.

Push rules (see ``shared/design.md``):

* Entries go oldest first, one at a time per review (the store's :meth:`~mentor_desk.store.Store.ready_entries`);
  entries of different reviews travel concurrently, a few at a time (:data:`PUSH_IN_FLIGHT`).
* Every entry is marked ``sending`` (and its attempt counted) *before* its request leaves, so after a crash,
  timeout or dropped connection its outcome is known to be unknown, and its sender settles it safely (layer B
  replays the same ``client_op_id``; layer A re-reads the submission first): see :mod:`mentor_desk.sync.senders`.
* A 409 ``version_conflict`` (or an illegal transition) turns the entry into a conflict record — mine vs
  theirs — that is never retried blindly; :meth:`SyncEngine.resolve_conflict` settles it.
* Transient failures (5xx, timeouts, dropped connections) reschedule the entry with exponential backoff and
  jitter (tenacity's ``wait_exponential_jitter``); permanent ones (validation, forbidden) mark it ``failed``
  for the mentor to look at. An unreachable platform ends the round and the engine goes offline.
* Token refresh is the client's job; a refused refresh (:class:`SessionExpired`) pauses the engine and emits
  :class:`~mentor_desk.sync.events.NeedsSignIn` until :meth:`SyncEngine.resume`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pydantic
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential_jitter
from tenacity.wait import wait_base

from mentor_desk.api.client import MODE_FULL, PlatformClient
from mentor_desk.api.errors import (
    ClaimedByOther,
    PlatformError,
    SessionExpired,
    TimedOut,
    Unreachable,
    VersionConflict,
    is_transient,
)
from mentor_desk.api.models import ReviewDetail
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.outbox import DETAILS_ERROR
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.review_rules import count_v1_attempts
from mentor_desk.domain.scoring import ScoringError, mission_score
from mentor_desk.store import Conflict, DocumentKind, OutboxEntry, OutboxState, Store, StoreError
from mentor_desk.sync.events import (
    ConflictRaised,
    ConnectionState,
    NeedsSignIn,
    OutboxChanged,
    PullDone,
    StateChanged,
    SyncError,
    SyncEvent,
    SyncReport,
    Tier5Pulled,
)
from mentor_desk.sync.media_upload import (
    MediaUploadSender,
    Transfers,
    UploadCancelled,
    V1MediaSender,
    queue_uploads,
)
from mentor_desk.sync.meeting_scores import MeetingScoresSender
from mentor_desk.sync.senders import (
    OP_STAGE_REVIEW,
    OP_V1_REVIEW,
    Sender,
    ServerMovedOn,
    StageReviewSender,
    V1ReviewSender,
)
from mentor_desk.sync.theirs import read_theirs
from mentor_desk.sync.tier5 import TIER5_EVENT, Tier5Sync

log = logging.getLogger(__name__)

_LAST_PULL_KEY = "last_pull:reviews"
_CLOCK_SKEW = timedelta(minutes=5)
_KEEP_SENT = timedelta(days=30)  # how long sent and discarded entries stay visible in the sync panel
_LAST_EVENT_KEY = "last_event_id"
PUSH_IN_FLIGHT = 6
"""At most this many outbox entries (of different reviews) are being sent at once."""
_CHANGE_EVENTS = frozenset(
    {"review.assigned", "review.updated", "review.unassigned", "claim.changed", "work_queue", "new_session",
     "meeting.updated"}
    | {TIER5_EVENT}
)


def _offline(error: BaseException) -> bool:
    """Errors that mean "the platform is not reachable right now" rather than "this request failed"."""
    return isinstance(error, Unreachable | TimedOut)


class SyncEngine:
    """Keeps the store and the platform in step. See the module docstring for the rules."""

    def __init__(
        self,
        client: PlatformClient,
        store: Store,
        *,
        mode: str,
        poll_interval: float = 60.0,
        backoff: wait_base | None = None,
        probe: Callable[[], Awaitable[object]] | None = None,
        listen_events: bool = True,
    ) -> None:
        """``mode`` is the client's discovered mode (``"full"`` or ``"och-v1"``); ``backoff`` a tenacity wait
        strategy used both for rescheduling entries and for probing while offline; ``probe`` a cheap request
        that succeeds when the platform is reachable (default: the capabilities request); ``listen_events``
        makes :meth:`run` follow the platform's event stream to pull changes as they happen."""
        self.client = client
        self.store = store
        self.mode = mode
        self.poll_interval = poll_interval
        self.listen_events = listen_events
        self._backoff = backoff or wait_exponential_jitter(multiplier=2, max=300, jitter=2)
        self._probe = probe or client.discover
        self._observers: list[Callable[[SyncEvent], None]] = []
        self._state = ConnectionState.OFFLINE
        self._wake = asyncio.Event()
        self._stopping = False
        self._stream_refused = False  # for the rest of this run (see _listen)
        self._round_lock = asyncio.Lock()
        self._v1 = V1ReviewSender(client, store)
        self.tier5 = Tier5Sync(client, store, mode)
        self.transfers = Transfers()
        """Recordings being uploaded: progress and cancel (:mod:`mentor_desk.sync.media_upload`)."""
        self._senders: dict[str, Sender] = {
            sender.operation: sender
            for sender in (
                StageReviewSender(client, store),
                self._v1,
                MeetingScoresSender(client, store),
                self.tier5.sender,
                MediaUploadSender(client, store, self.transfers),
                V1MediaSender(client, store),
            )
        }
        self._serial = {
            operation: asyncio.Lock() for operation, sender in self._senders.items() if not sender.concurrent
        }

    # -- observers -----------------------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[SyncEvent], None]) -> Callable[[], None]:
        """Call ``callback(event)`` for every event (on the loop's thread). Returns an unsubscribe function."""
        self._observers.append(callback)
        return lambda: self._observers.remove(callback)

    def _emit(self, event: SyncEvent) -> None:
        for callback in list(self._observers):
            try:
                callback(event)
            except Exception:
                log.exception("Sync observer %r failed on %r", callback, event)

    @property
    def state(self) -> ConnectionState:
        return self._state

    def _set_state(self, state: ConnectionState) -> None:
        if state is not self._state:
            self._state = state
            self._emit(StateChanged(state))

    async def _outbox_changed(self) -> None:
        self._emit(OutboxChanged(await self.store.outbox_counts()))

    # -- the mentor's actions ------------------------------------------------------------------------------

    @property
    def operation(self) -> str:
        """The outbox operation a submitted review becomes in this mode."""
        return OP_STAGE_REVIEW if self.mode == MODE_FULL else OP_V1_REVIEW

    async def submit(self, review_id: str, stage: str, draft: ReviewDraft) -> OutboxEntry:
        """Turn the draft into an outbox entry (one transaction) and nudge the engine to send it; the uploads of
        the recordings it refers to are queued first, so it waits for them."""
        await queue_uploads(self.store, review_id, draft.to_json(), v1=self.mode != MODE_FULL)
        entry = await self.store.submit_draft(review_id, stage, self.operation, draft)
        await self._outbox_changed()
        self.wake()
        return entry

    async def resolve_conflict(self, conflict_id: int, resolution: str | Mapping[str, Any]) -> OutboxEntry | Path:
        """Settle a conflict: ``"mine"`` re-sends my draft against the server's newer state, ``"theirs"``
        discards mine (returns the path of the export kept of it), a mapping is a merged draft (JSON) to send."""
        conflict = await self.store.conflict(conflict_id)
        if resolution == "theirs":
            export = await self.store.take_theirs(conflict_id)
            await self._outbox_changed()
            return export
        if resolution == "mine":
            draft, label = ReviewDraft.from_json(conflict.mine), "mine"
        elif isinstance(resolution, Mapping):
            draft, label = await self._scored(conflict, ReviewDraft.from_json(resolution)), "merged"
        else:
            raise ValueError(f"unknown resolution {resolution!r}: use 'mine', 'theirs' or a merged payload")
        theirs = conflict.theirs
        if self.mode == MODE_FULL:
            draft = replace(draft, base_version=theirs.get("version", draft.base_version))
        else:  # the mentor has now seen the server's state: base the check on it
            draft = replace(draft, server_status=theirs.get("status", ""), server_updated_at=theirs.get("updated_at"))
        entry = await self.store.requeue_conflict(conflict_id, label, draft)
        await self._outbox_changed()
        self.wake()
        return entry

    async def _scored(self, conflict: Conflict, draft: ReviewDraft) -> ReviewDraft:
        """``draft`` with its mission score recomputed when the merge changed my criterion scores, by the rubrics
        of the cached review (layer B refuses a mission score that does not match the scores). Without rubrics
        (OCH v1 has none) the score is left out rather than sent stale."""
        if draft.subtask_scores == ReviewDraft.from_json(conflict.mine).subtask_scores:
            return draft
        score = None
        cached = await self.store.document(DocumentKind.REVIEW_DETAIL, conflict.review_id)
        try:
            if cached is not None:
                detail = ReviewDetail.model_validate(cached.data)
                score = mission_score(detail.subtask_specs(), detail.domain_rubrics(), draft.subtask_scores)
        except (pydantic.ValidationError, ScoringError) as error:
            log.info("Review %s: the merged mission score could not be recomputed: %s", conflict.review_id, error)
        return replace(draft, mission_score=score)

    async def retry(self, entry_id: int) -> OutboxEntry:
        """Send a failed or waiting entry again now (the mentor's "retry")."""
        entry = await self.store.retry_entry(entry_id)
        await self._outbox_changed()
        self.wake()
        return entry

    async def discard(self, entry_id: int) -> Path:
        """Drop an entry the mentor gave up on; returns the path of the export kept of it."""
        export = await self.store.discard_entry(entry_id)
        await self._outbox_changed()
        return export

    # -- one round -----------------------------------------------------------------------------------------

    async def sync_once(self) -> SyncReport:
        """Push the outbox, then pull the queue. Raises the platform's error when the round could not run
        (unreachable, session expired) after updating the state and telling observers."""
        async with self._round_lock:
            self._set_state(ConnectionState.SYNCING)
            try:
                pushed = await self.push()
                changed = await self.pull()
            except SessionExpired as error:
                self._signed_out(error)
                raise
            except PlatformError as error:
                self._set_state(ConnectionState.OFFLINE if _offline(error) else ConnectionState.ONLINE)
                self._emit(SyncError(error.user_message))
                raise
            except BaseException:
                self._set_state(ConnectionState.ONLINE)
                raise
            await self._complete_conflicts()
            self._set_state(ConnectionState.ONLINE)
            await self.store.prune_outbox(_now(-_KEEP_SENT.total_seconds()))
            counts = await self.store.outbox_counts()
            return SyncReport(
                pushed=pushed,
                pulled=len(changed),
                pending=counts[OutboxState.PENDING] + counts[OutboxState.SENDING],
                conflicts=counts[OutboxState.CONFLICT],
                failed=counts[OutboxState.FAILED],
                changed_ids=tuple(changed),
            )

    async def _complete_conflicts(self) -> None:
        """Read the server's side again for conflicts raised while it could not be read (e.g. offline)."""
        completed = False
        for conflict in await self.store.conflicts():
            if conflict.details_error is None:
                continue
            entry = await self.store.outbox_entry(conflict.outbox_id)
            row = {key: value for key, value in conflict.theirs.items() if key != DETAILS_ERROR}
            theirs = await read_theirs(self.client, self.store, entry, row, mode=self.mode)
            if DETAILS_ERROR not in theirs:
                await self.store.update_theirs(conflict.id, theirs)
                completed = True
        if completed:
            await self._outbox_changed()

    def _signed_out(self, error: SessionExpired) -> None:
        self._set_state(ConnectionState.SIGNED_OUT)
        self._emit(NeedsSignIn(error.user_message))

    async def pull(self) -> list[str]:
        """Refresh the cached queue: incrementally on layer B (``updated_since``), whole on layer A."""
        if self.mode == MODE_FULL:
            since_text = await self.store.sync_state(_LAST_PULL_KEY)
            since = datetime.fromisoformat(since_text) if since_text else None
            started = datetime.now(UTC)
            items = await self.client.fetch_queue(updated_since=since)
            changed = await (self.store.upsert_queue(items) if since else self.store.replace_queue(items))
            # Next time ask from a little before this pull: by the server's clock (the newest row seen) unless
            # that lies ahead of ours (a future-dated row would hide every later change); minus a margin for
            # clock skew. Rows fetched twice are harmless: the cache upserts.
            newest = max((item.updated_at for item in items if item.updated_at), default=since or started)
            await self.store.set_sync_state(_LAST_PULL_KEY, (min(newest, started) - _CLOCK_SKEW).isoformat())
            await self._refresh_cached_details(items)
        else:  # OCH v1 has no filter: the whole queue, unless this round's push just read it unchanged
            rows = self._v1.take_rows()
            if rows is None:
                rows = await self.client.fetch_queue()
            known = {item.id: item for item in await self.store.queue()}
            changed = await self.store.replace_queue(count_v1_attempts(known, rows))
        await self.store.set_sync_state("last_sync_at", datetime.now(UTC).isoformat())
        if changed:
            self._emit(PullDone(tuple(changed)))
        if await self.tier5.pull_if_due():
            self._emit(Tier5Pulled())
        return changed

    async def _refresh_cached_details(self, items: list[QueueItem]) -> None:
        """Re-fetch the details of reviews opened on this computer that changed, so they stay usable offline."""
        cached = await self.store.document_versions(DocumentKind.REVIEW_DETAIL)
        for item in items:
            if item.id not in cached or cached[item.id] == item.version or not item.assigned:
                continue
            try:
                detail = await self.client.get_review(item.id)
            except PlatformError as error:
                if isinstance(error, SessionExpired) or is_transient(error):
                    raise
                log.info("Review %s could not be refreshed: %s", item.id, error.user_message)
                continue
            await self.store.put_document(
                DocumentKind.REVIEW_DETAIL, item.id, detail.model_dump(mode="json"), detail.version
            )
            for rubric in detail.rubrics.values():
                await self.store.put_rubric(rubric.id, rubric.version, rubric.model_dump(mode="json"))

    async def push(self) -> int:
        """Send every due outbox entry (each at most once per call). Returns how many reached the server.

        Entries of different reviews travel concurrently, at most :data:`PUSH_IN_FLIGHT` at a time (and one at a
        time for a sender that is not :attr:`~mentor_desk.sync.senders.Sender.concurrent`); the store hands out
        only the oldest open entry of each review, so a review's entries still go one at a time, oldest first.
        An error that ends the round (offline, signed out) stops new sends, lets those in flight settle, and is
        raised once they have.
        """
        for sender in self._senders.values():
            sender.start_round()
        attempted: set[int] = set()
        pushed = 0
        while True:
            ready = [entry for entry in await self.store.ready_entries() if entry.id not in attempted]
            if not ready:
                return pushed
            attempted.update(entry.id for entry in ready)
            pushed += await self._push_batch(ready)

    async def _push_batch(self, entries: list[OutboxEntry]) -> int:
        """Send ``entries`` (each of a different review) concurrently; how many reached the server."""
        gate = asyncio.Semaphore(PUSH_IN_FLIGHT)
        round_ended: list[BaseException] = []

        async def send(entry: OutboxEntry) -> bool:
            sender = self._senders.get(entry.operation)
            lock = self._serial.get(entry.operation) if sender is not None else None
            async with lock or contextlib.nullcontext(), gate:
                if round_ended:
                    return False
                try:
                    return await self._push_one(entry)
                except Exception as error:  # raised below, once the entries in flight have settled
                    round_ended.append(error)
                    return False

        results = await asyncio.gather(*(send(entry) for entry in entries))
        if round_ended:
            raise round_ended[0]
        return sum(results)

    # -- pushing one entry ---------------------------------------------------------------------------------

    async def _push_one(self, entry: OutboxEntry) -> bool:
        """Send one entry with its sender and settle its state by the outcome. True when the server has it."""
        sender = self._senders.get(entry.operation)
        try:
            if sender is None:
                raise ValueError(f"This version of mentor_desk cannot send {entry.operation!r} entries.")
            await sender.send(entry)
            sent = True
        except (ServerMovedOn, VersionConflict) as moved:
            if isinstance(moved, ServerMovedOn):
                theirs, message = moved.theirs, str(moved)
            else:
                theirs, message = (moved.current if isinstance(moved.current, dict) else {}), moved.user_message
            theirs = await read_theirs(self.client, self.store, entry, theirs, mode=self.mode)
            conflict = await self.store.raise_conflict(entry.id, theirs, message)
            self._emit(ConflictRaised(conflict))
            sent = False
        except SessionExpired as error:
            await self.store.mark_retry(entry.id, error.user_message, _now())
            raise
        except PlatformError as error:
            if not (is_transient(error) or isinstance(error, ClaimedByOther)):
                await self._fail(entry, error.user_message)
                sent = False
            else:
                # Offline: due again as soon as the platform answers (run() probes with backoff meanwhile).
                attempts = (await self.store.outbox_entry(entry.id)).attempts
                delay = 0.0 if _offline(error) else self._delay(attempts)
                await self.store.mark_retry(entry.id, error.user_message, _now(delay))
                await self._outbox_changed()
                if _offline(error):
                    raise
                return False
        except UploadCancelled as cancelled:
            await self._fail(entry, cancelled.user_message)
            sent = False
        except (ValueError, pydantic.ValidationError) as error:
            await self._fail(entry, f"This review cannot be sent as it is: {error}")
            sent = False
        await self._outbox_changed()
        return sent

    async def _fail(self, entry: OutboxEntry, message: str) -> None:
        await self.store.mark_failed(entry.id, message)
        self._emit(SyncError(message, entry.id))

    def _delay(self, attempts: int) -> float:
        """Backoff before retry number ``attempts + 1``, from the tenacity wait strategy."""
        state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
        state.attempt_number = max(1, attempts)
        return float(self._backoff(state))

    # -- running in the background -------------------------------------------------------------------------

    def wake(self) -> None:
        """Start the next round now (after a submit, a sign-in, or the user's "sync now")."""
        self._wake.set()

    def stop(self) -> None:
        """Ask :meth:`run` to return after the current step."""
        self._stopping = True
        self._wake.set()

    def resume(self) -> None:
        """The app signed in again: leave the paused state and sync."""
        if self._state is ConnectionState.SIGNED_OUT:
            self._set_state(ConnectionState.OFFLINE)
        self.wake()

    async def _sleep(self, seconds: float) -> None:
        """Sleep that :meth:`wake` and :meth:`stop` cut short."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    async def run(self) -> None:
        """Sync whenever there is something to do, until :meth:`stop`: rounds every ``poll_interval``, at once
        after :meth:`wake` or a change event from the platform, when an entry's retry falls due; probing with
        backoff while offline. A platform that refuses its event stream is not asked again until the next run:
        polling alone follows its changes."""
        self._stopping = False
        self._stream_refused = False
        listener: asyncio.Task[None] | None = None
        try:
            while not self._stopping:
                may_listen = self.listen_events and not self._stream_refused
                signed_in = self._state is not ConnectionState.SIGNED_OUT
                if may_listen and signed_in and (listener is None or listener.done()):
                    listener = asyncio.create_task(self._listen())
                await self._run_step()
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener

    async def _listen(self) -> None:
        """Wake the engine on the platform's change events; polling stays the fallback when the stream ends.

        The client reconnects by itself after failures that pass (see
        :func:`~mentor_desk.api.client.stream_may_reconnect`); what it raises is a refusal, final for this run.
        """
        last_event_id = await self.store.sync_state(_LAST_EVENT_KEY)
        try:
            async for event in self.client.events(last_event_id=last_event_id):
                if event.id:
                    await self.store.set_sync_state(_LAST_EVENT_KEY, event.id)
                if event.event in _CHANGE_EVENTS:
                    self.tier5.heard(event.event)
                    self.wake()
        except (SessionExpired, StoreError) as error:  # the next round pauses or reports; then listen again
            log.info("Event stream ended (%s); polling every %.0f s", type(error).__name__, self.poll_interval)
            await asyncio.sleep(self.poll_interval)  # do not reconnect in a tight loop
        except PlatformError as error:
            self._stream_refused = True
            log.warning(
                "The platform refused its event stream (%s, status %s): following its changes by polling every %.0f s.",
                type(error).__name__,
                error.status,
                self.poll_interval,
            )

    async def _run_step(self) -> None:
        """One iteration of :meth:`run`."""
        if self._state is ConnectionState.SIGNED_OUT:
            await self._sleep(self.poll_interval)
            return
        try:
            await self.sync_once()
        except SessionExpired:
            return
        except PlatformError as error:
            if _offline(error):
                await self._wait_until_reachable()
            else:
                await self._sleep(self._delay(1))
            return
        except StoreError as error:
            self._emit(SyncError(error.user_message))
            await self._sleep(self.poll_interval)
            return
        await self._sleep(await self._idle_seconds())

    async def _idle_seconds(self) -> float:
        due = await self.store.next_attempt_at()
        if due is None:
            return self.poll_interval
        wait = (datetime.fromisoformat(due) - datetime.now(UTC)).total_seconds()
        return min(self.poll_interval, max(0.0, wait))

    async def _wait_until_reachable(self) -> None:
        """Probe with exponential backoff and jitter until the platform answers (or :meth:`stop`)."""
        self._set_state(ConnectionState.OFFLINE)
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_transient),
            wait=self._backoff,
            stop=lambda _state: self._stopping,
            sleep=self._sleep,
            reraise=True,
        )
        with contextlib.suppress(PlatformError):
            async for attempt in retrying:
                with attempt:
                    await self._probe()


def _now(after_seconds: float = 0.0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=after_seconds)).isoformat(timespec="microseconds")
