"""The sync engine: pull the queue, push the outbox, detect conflicts, survive crashes and bad networks.

Plain asyncio, no Qt: the app drives it on the qasync loop and ``mentor-desk sync --once`` on a plain loop.

Push rules (see ``shared/design.md``):

* Entries go oldest first, one at a time per review (the store's :meth:`~mentor_desk.store.Store.ready_entries`).
* Every entry is marked ``sending`` (and its attempt counted) *before* its request leaves, so after a crash,
  timeout or dropped connection the engine knows the outcome is unknown and settles it safely:

  - layer B (``stage_review``): the request is replayed with the same ``client_op_id`` and ``base_version``;
    the platform answers an op it already applied with its first answer, so nothing is applied twice;
  - layer A (``v1_review``): OCH v1 has no versions or idempotency keys, so before every send the submission is
    re-read: if it already shows our decision after an attempt of ours, the entry is done; if it moved on
    since the draft started (another mentor reviewed it, the learner resubmitted, it left the queue) the entry
    becomes a conflict; otherwise it is sent (re-posting a decision overwrites, so a repeat is harmless).
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pydantic
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential_jitter
from tenacity.wait import wait_base

from mentor_desk.api.client import MODE_FULL, PlatformClient
from mentor_desk.api.errors import (
    ClaimedByOther,
    IllegalTransition,
    PlatformError,
    SessionExpired,
    TimedOut,
    Unreachable,
    VersionConflict,
    is_transient,
)
from mentor_desk.api.models import StageReviewRequest
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.status import Decision, is_awaiting_mentor, parse_status, resulting_status
from mentor_desk.store import DocumentKind, OutboxEntry, OutboxState, Store, StoreError
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
)
from mentor_desk.sync.v1_feedback import OVERALL_STATUS, render_written_feedback

log = logging.getLogger(__name__)

OP_STAGE_REVIEW = "stage_review"
OP_V1_REVIEW = "v1_review"

_LAST_PULL_KEY = "last_pull:reviews"
_CLOCK_SKEW = timedelta(minutes=5)
_LAST_EVENT_KEY = "last_event_id"
_CHANGE_EVENTS = frozenset(
    {"review.assigned", "review.updated", "review.unassigned", "claim.changed", "work_queue", "new_session"}
)
_REQUEST_FIELDS = frozenset(StageReviewRequest.model_fields) - {"client_op_id", "base_version", "stage"}
_QUEUE_ITEM = pydantic.TypeAdapter(QueueItem)


def _offline(error: BaseException) -> bool:
    """Errors that mean "the platform is not reachable right now" rather than "this request failed"."""
    return isinstance(error, Unreachable | TimedOut)


def _same_time(a: str, b: datetime | None) -> bool:
    try:
        return b is not None and datetime.fromisoformat(a) == b
    except ValueError:
        return False


class _Outcome(Exception):
    """Raised inside a push handler to settle an entry as a conflict with the server's state."""

    def __init__(self, message: str, theirs: Mapping[str, Any]) -> None:
        super().__init__(message)
        self.theirs = theirs


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
        self._round_lock = asyncio.Lock()
        self._v1_rows: dict[str, QueueItem] | None = None

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

    async def submit(self, review_id: str, stage: str, payload: Mapping[str, Any]) -> OutboxEntry:
        """Turn the draft into an outbox entry (one transaction) and nudge the engine to send it."""
        entry = await self.store.submit_draft(review_id, stage, self.operation, payload, payload.get("base_version"))
        await self._outbox_changed()
        self.wake()
        return entry

    async def resolve_conflict(self, conflict_id: int, resolution: str | Mapping[str, Any]) -> OutboxEntry | Path:
        """Settle a conflict: ``"mine"`` re-sends my payload against the server's newer state, ``"theirs"``
        discards mine (returns the path of the export kept of it), a mapping is a merged payload to send."""
        conflict = await self.store.conflict(conflict_id)
        if resolution == "theirs":
            export = await self.store.take_theirs(conflict_id)
            await self._outbox_changed()
            return export
        if resolution == "mine":
            payload, label = dict(conflict.mine), "mine"
        elif isinstance(resolution, Mapping):
            payload, label = dict(resolution), "merged"
        else:
            raise ValueError(f"unknown resolution {resolution!r}: use 'mine', 'theirs' or a merged payload")
        theirs = conflict.theirs
        if self.mode == MODE_FULL:
            payload["base_version"] = theirs.get("version", payload.get("base_version"))
        else:  # the mentor has now seen the server's state: base the check on it
            payload["server_status"] = theirs.get("status", "")
            payload["server_updated_at"] = theirs.get("updated_at")
        entry = await self.store.requeue_conflict(conflict_id, label, payload, payload.get("base_version"))
        await self._outbox_changed()
        self.wake()
        return entry

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
            self._set_state(ConnectionState.ONLINE)
            counts = await self.store.outbox_counts()
            return SyncReport(
                pushed=pushed,
                pulled=len(changed),
                pending=counts[OutboxState.PENDING] + counts[OutboxState.SENDING],
                conflicts=counts[OutboxState.CONFLICT],
                failed=counts[OutboxState.FAILED],
                changed_ids=tuple(changed),
            )

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
            rows = self._v1_rows if self._v1_rows is not None else {i.id: i for i in await self.client.fetch_queue()}
            self._v1_rows = None  # good for this round only
            changed = await self.store.replace_queue(rows.values())
        await self.store.set_sync_state("last_sync_at", datetime.now(UTC).isoformat())
        if changed:
            self._emit(PullDone(tuple(changed)))
        return changed

    async def _refresh_cached_details(self, items: list[QueueItem]) -> None:
        """Re-fetch the details of reviews opened on this computer that changed, so they stay usable offline."""
        for item in items:
            cached = await self.store.document(DocumentKind.REVIEW_DETAIL, item.id)
            if cached is None or cached.version == item.version or not item.assigned:
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
        """Send every due outbox entry (each at most once per call). Returns how many reached the server."""
        self._v1_rows = None
        attempted: set[int] = set()
        pushed = 0
        while True:
            ready = [entry for entry in await self.store.ready_entries() if entry.id not in attempted]
            if not ready:
                return pushed
            for entry in ready:
                attempted.add(entry.id)
                if await self._push_one(entry):
                    pushed += 1

    # -- pushing one entry ---------------------------------------------------------------------------------

    async def _push_one(self, entry: OutboxEntry, *, rebased: bool = False) -> bool:
        """Send one entry and settle its state. True when the server has it.

        A 409 whose newer version differs from the draft's start only by a claim (someone opened the review,
        which claims it and bumps the version) is re-sent once against the newer version; any other change
        becomes a conflict.
        """
        handler = {OP_STAGE_REVIEW: self._send_stage_review, OP_V1_REVIEW: self._send_v1_review}.get(entry.operation)
        try:
            if handler is None:
                raise ValueError(f"This version of mentor_desk cannot send {entry.operation!r} entries.")
            sent = await handler(entry)
        except _Outcome as outcome:
            conflict = await self.store.raise_conflict(entry.id, outcome.theirs, str(outcome))
            self._emit(ConflictRaised(conflict))
            sent = False
        except VersionConflict as error:
            current = error.current if isinstance(error.current, dict) else {}
            if not rebased and _only_claims_moved(entry, current):
                log.info(
                    "Review %s moved to version %s by a claim only; re-sending", entry.review_id, current["version"]
                )
                await self.store.rebase_entry(entry.id, current["version"])
                return await self._push_one(await self.store.outbox_entry(entry.id), rebased=True)
            conflict = await self.store.raise_conflict(entry.id, current, error.user_message)
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

    async def _send_stage_review(self, entry: OutboxEntry) -> bool:
        """Layer B: send (or replay, with the same op id) the stage review."""
        fields = {key: value for key, value in entry.payload.items() if key in _REQUEST_FIELDS}
        annotations = fields.get("decision_annotations") or {}
        fields["decision_annotations"] = {k: v for k, v in annotations.items() if v.get("verdict")}
        if entry.base_version is None:
            raise ValueError("the draft does not say which version of the review it started from")
        stage = entry.stage or await self._current_stage(entry.review_id)
        body = StageReviewRequest(
            client_op_id=entry.client_op_id, base_version=entry.base_version, stage=stage, **fields
        )
        await self.store.mark_sending(entry.id)
        try:
            await self.client.submit_stage_review(entry.review_id, body)
        except IllegalTransition as error:
            theirs = (await self.client.get_review(entry.review_id)).model_dump(mode="json", include=_ROW_FIELDS)
            raise _Outcome(error.user_message, theirs) from error
        await self.store.mark_done(entry.id)
        return True

    async def _current_stage(self, review_id: str) -> str:
        """The stage a draft saved without one (a single-stage mission) is for: the review's current stage."""
        item = await self.store.queue_item(review_id)
        if item is not None and item.stage_name:
            return item.stage_name
        return (await self.client.get_review(review_id)).stage.name

    async def _v1_queue(self) -> dict[str, QueueItem]:
        if self._v1_rows is None:
            self._v1_rows = {item.id: item for item in await self.client.fetch_queue()}
        return self._v1_rows

    async def _send_v1_review(self, entry: OutboxEntry) -> bool:
        """Layer A: re-read the submission, then post the decision with the whole review as written feedback."""
        payload = entry.payload
        decision = payload.get("decision")
        if decision not in OVERALL_STATUS:
            raise ValueError("OCH v1 records only a final decision (approve, request revision or fail)")
        row = (await self._v1_queue()).get(entry.review_id)
        if row is None:
            raise _Outcome(
                "This submission is no longer in your queue on the platform.",
                {"id": entry.review_id, "assigned": False, "status": ""},
            )
        same_status = not payload.get("server_status") or payload["server_status"] == row.status
        same_time = not payload.get("server_updated_at") or _same_time(payload["server_updated_at"], row.updated_at)
        if not (same_status and same_time):
            if entry.attempts > 0 and parse_status(row.status) in _V1_RESULTS[Decision(decision)]:
                await self.store.mark_done(entry.id)  # an earlier attempt of ours got through
                return True
            if not same_time or not is_awaiting_mentor(row.status):
                raise _Outcome(
                    "This submission changed on the platform since you started reviewing it "
                    f"(now: {row.status or 'unknown'}).",
                    _QUEUE_ITEM.dump_python(row, mode="json"),
                )
        titles = await self._subtask_titles(entry.review_id)
        await self.store.mark_sending(entry.id)
        await self.client.v1_review_submission(
            entry.review_id, OVERALL_STATUS[decision], render_written_feedback(payload, titles)
        )
        self._v1_rows = None
        await self.store.mark_done(entry.id)
        return True

    async def _subtask_titles(self, review_id: str) -> dict[str, str]:
        cached = await self.store.document(DocumentKind.REVIEW_DETAIL, review_id)
        if cached is None or not isinstance(cached.data, dict):
            return {}
        subtasks = (cached.data.get("mission") or {}).get("subtasks") or []
        return {str(s.get("id")): str(s.get("title") or s.get("id")) for s in subtasks if isinstance(s, dict)}

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
        backoff while offline."""
        self._stopping = False
        listener: asyncio.Task[None] | None = None
        try:
            while not self._stopping:
                signed_in = self._state is not ConnectionState.SIGNED_OUT
                if self.listen_events and signed_in and (listener is None or listener.done()):
                    listener = asyncio.create_task(self._listen())
                await self._run_step()
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener

    async def _listen(self) -> None:
        """Wake the engine on the platform's change events; polling stays the fallback when the stream ends."""
        last_event_id = await self.store.sync_state(_LAST_EVENT_KEY)
        try:
            async for event in self.client.events(last_event_id=last_event_id):
                if event.id:
                    await self.store.set_sync_state(_LAST_EVENT_KEY, event.id)
                if event.event in _CHANGE_EVENTS:
                    self.wake()
        except (PlatformError, StoreError) as error:
            log.info("Event stream ended (%s); polling every %.0f s", type(error).__name__, self.poll_interval)
            await asyncio.sleep(self.poll_interval)  # do not reconnect in a tight loop

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


_ROW_FIELDS = {"id", "status", "version", "updated_at", "attempt", "stage", "claimed_by"}

_V1_RESULTS: dict[Decision, frozenset[Any]] = {
    decision: frozenset({resulting_status(decision), parse_status("rejected")})
    if decision is not Decision.APPROVE
    else frozenset({resulting_status(decision)})
    for decision in Decision
}
"""Statuses OCH v1 shows once a decision is recorded (it stores revision and fail both as ``rejected``)."""


def _only_claims_moved(entry: OutboxEntry, current: Mapping[str, Any]) -> bool:
    """Whether the server's newer review row leaves the draft's basis intact: same attempt, same stage and still
    awaiting a mentor (a decision would have made it final, a resubmission bumped the attempt, a stage review
    moved the stage). Moving from ``ai_reviewed`` to ``mentor_review`` (claiming does that) is no change."""
    payload = entry.payload
    stage = current.get("stage")
    stage_name = stage.get("name") if isinstance(stage, Mapping) else None
    return (
        isinstance(current.get("version"), int)
        and "attempt" in payload
        and payload["attempt"] == current.get("attempt")
        and (not entry.stage or entry.stage == stage_name)
        and is_awaiting_mentor(current.get("status"))
    )


def _now(after_seconds: float = 0.0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=after_seconds)).isoformat(timespec="microseconds")
