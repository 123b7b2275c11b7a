"""The review queue as the app reasons about it, independent of which platform layer supplied it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One review waiting for (or recently handled by) the signed-in mentor.

    ``id`` is the layer B review id (a MissionProgress or capstone id) or, in OCH v1 compatibility mode, the
    MissionSubmission id. ``status`` keeps the server's raw value so that unknown values survive and are
    shown as-is; :mod:`mentor_desk.domain.status` interprets it.
    """

    id: str
    kind: str  # "mission" | "capstone" (raw; other values kept)
    mission_id: str
    mission_title: str
    status: str
    learner_name: str
    mission_code: str = ""
    track: str = ""
    tier: str = ""
    mission_type: str = ""
    learner_id: int | None = None
    learner_uuid: str | None = None
    learner_email: str = ""
    stage_index: int = 1  # 1-based position of the current stage (the wire's ``stage.index`` counts from 0)
    stage_total: int = 1
    stage_name: str = ""
    attempt: int = 1
    submitted_at: datetime | None = None
    ai_score: float | None = None
    claimed_by: str | None = None  # display name of the mentor holding the claim, if any
    claimed_by_me: bool = False
    presentation_required: bool = False
    version: int | None = None  # None on layer A (no versions there)
    updated_at: datetime | None = None
    assigned: bool = True
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class QueueHead:
    """The first items of the cached queue, in queue order, and how many the whole queue holds."""

    items: list[QueueItem]
    total: int
