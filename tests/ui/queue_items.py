"""QueueItem factories for UI tests that need many or specific rows without a server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mentor_desk.domain.queue import QueueItem

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TRACKS = ("DEFENDER_5", "OFFENSIVE_5", "GRC_5", "INNOVATION_5", "LEADERSHIP_5")
STATUSES = ("submitted", "ai_reviewed", "mentor_review", "approved", "revision_requested", "failed")


def make_item(n: int, **overrides: object) -> QueueItem:
    values: dict[str, object] = {
        "id": f"review-{n:06d}",
        "kind": "mission",
        "mission_id": f"mission-{n % 13}",
        "mission_title": f"Mission {n % 13:02d} incident response",
        "mission_code": f"M5-{n % 13:02d}",
        "status": STATUSES[n % len(STATUSES)],
        "learner_name": f"Learner {n % 977}",
        "learner_email": f"learner{n % 977}@demo.och",
        "track": TRACKS[n % len(TRACKS)],
        "tier": "5",
        "attempt": 1 + n % 3,
        "submitted_at": NOW - timedelta(hours=n % 97),
        "ai_score": float(n % 101) if n % 7 else None,
    }
    values.update(overrides)
    return QueueItem(**values)  # type: ignore[arg-type]


def make_items(count: int) -> list[QueueItem]:
    return [make_item(n) for n in range(count)]
