"""What the review workspace needs from the rest of the app.

The workspace never talks to httpx, SQLite or the sync engine itself: it is handed an object that satisfies
:class:`ReviewServices`. The composition root (``mentor_desk/app.py``) implements it over the platform client,
the store and the sync engine; the tests implement it over a real client and a real sandbox.

Every method is a coroutine awaited on the application's single qasync loop, so an implementation must not
block: SQLite work belongs on the store's worker thread, network work on httpx's async client.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypedDict, runtime_checkable

if TYPE_CHECKING:
    from mentor_desk.api.models import ReviewDetail

Mode = Literal["full", "och-v1"]
"""``full``: the server speaks the Tier-5 review API (layer B). ``och-v1``: OCH v1 as deployed (layer A)."""

ProgressCallback = Callable[[int, "int | None"], None]
"""Called with (bytes received, total bytes or None) while a file downloads."""


class DecisionAnnotation(TypedDict):
    """The mentor's verdict on one of the learner's decisions."""

    verdict: str  # "matches_ideal" | "acceptable" | "divergent" | "" (not yet judged)
    comment: str


class DraftPayload(TypedDict, total=False):
    """A review in progress, exactly as the workspace saves it and hands it to :meth:`ReviewServices.submit`.

    The keys mirror the layer B stage-review request (``platform-api.md``), so turning a draft into a
    request is a copy plus ``client_op_id``. In OCH v1 mode the same payload is rendered into the written
    feedback by the sync engine.
    """

    base_version: int | None  # the review's ``version`` the draft started from (None on OCH v1)
    attempt: int  # the submission attempt this draft belongs to
    stage: str  # stage name ("" for a single-stage mission)
    rubric_versions: dict[str, int]  # rubric id -> version the scores were given against
    subtask_scores: dict[str, dict[str, float]]  # subtask id -> criterion id -> points
    mission_score: float | None
    feedback_written: str
    feedback_per_subtask: dict[str, str]
    decision_annotations: dict[str, DecisionAnnotation]
    decision: str | None  # "approve" | "request_revision" | "fail" | None (non-final stages)
    server_status: str  # the status seen when the draft started (layer A conflict check)
    server_updated_at: str | None


class EvidenceFileRef(Protocol):
    """The parts of a review's file entry (``ReviewDetail.files[i]``) the workspace uses."""

    @property
    def id(self) -> str: ...

    @property
    def filename(self) -> str: ...

    @property
    def sha256(self) -> str: ...

    @property
    def url(self) -> str: ...


@runtime_checkable
class ReviewServices(Protocol):
    """Everything the review workspace asks of the app. Keep it small."""

    @property
    def mode(self) -> Mode:
        """Which platform layer the signed-in server offers."""
        ...

    @property
    def comment_library_path(self) -> Path:
        """JSON file holding the mentor's reusable remarks (the workspace reads and writes it off-thread)."""
        ...

    async def load_review(self, review_id: str) -> ReviewDetail:
        """The review's full detail: from the cache at once when present, else from the network.

        In ``och-v1`` mode the implementation builds a ``ReviewDetail`` from what layer A offers (the queue
        row and ``GET /missions/{id}/``): subtasks without rubric ids, no files, no decision paths, no branching.
        Raises the api's ``PlatformError`` subclasses (with ``user_message``) when neither source has it.
        """
        ...

    async def load_draft(self, review_id: str, stage: str) -> DraftPayload | None:
        """The saved draft for this review and stage, or None."""
        ...

    async def save_draft(self, review_id: str, stage: str, payload: DraftPayload) -> None:
        """Persist the draft durably (the workspace calls it at most about once a second while editing)."""
        ...

    async def fetch_file(self, file: EvidenceFileRef, progress: ProgressCallback | None = None) -> Path:
        """A local path to the evidence file: from the store's file cache, else downloaded, hash-checked and
        cached. Raises ``PlatformError`` (hash mismatch, not found, unreachable) with ``user_message``."""
        ...

    async def submit(self, review_id: str, stage: str, payload: DraftPayload) -> None:
        """Turn the draft into an outbox entry for the sync engine (returns once it is safely queued)."""
        ...


def empty_payload(**values: Any) -> DraftPayload:
    """A draft with every collection present, so editors can update it in place."""
    payload: DraftPayload = {
        "base_version": None,
        "attempt": 1,
        "stage": "",
        "rubric_versions": {},
        "subtask_scores": {},
        "mission_score": None,
        "feedback_written": "",
        "feedback_per_subtask": {},
        "decision_annotations": {},
        "decision": None,
        "server_status": "",
        "server_updated_at": None,
    }
    payload.update(values)  # type: ignore[typeddict-item]
    return payload
