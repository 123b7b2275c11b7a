"""Synthetic but realistic queue rows for the UI and store benchmarks (deterministic for a given seed)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from mentor_desk.domain.queue import QueueItem
from mentor_desk.store.outbox import Badges

MISSIONS = [
    ("DEF-MAST-001", "Advanced Persistent Threat Investigation", "defender"),
    ("DEF-MAST-002", "Zero-Day Vulnerability Response", "defender"),
    ("OFF-MAST-001", "Multi-Stage Red Team Exercise", "offensive"),
    ("OFF-MAST-004", "Active Directory Attack Path Analysis", "offensive"),
    ("GRC-MAST-002", "ISO 27001 Gap Assessment", "grc"),
    ("GRC-MAST-005", "Third-Party Risk Programme Design", "grc"),
    ("INN-MAST-003", "Detection Engineering Pipeline", "innovation"),
    ("LEA-MAST-001", "Incident Command Under Pressure", "leadership"),
]
FIRST = ["Amina", "Brian", "Chen", "Daniela", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Joy", "Kofi", "Lena"]
LAST = ["Otieno", "Mwangi", "Okafor", "Schmidt", "Nakamura", "Haddad", "Kariuki", "Silva", "Novak", "Achieng"]
STATUSES = ["submitted", "ai_reviewed", "mentor_review", "revision_requested", "approved", "failed"]


def queue_items(count: int, seed: int = 7) -> list[QueueItem]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    items = []
    for n in range(count):
        code, title, track = rng.choice(MISSIONS)
        capstone = rng.random() < 0.1
        total = 6 if capstone else 1
        items.append(
            QueueItem(
                id=f"review-{n:07d}",
                kind="capstone" if capstone else "mission",
                mission_id=f"mission-{code}",
                mission_code=code,
                mission_title=title,
                status=rng.choice(STATUSES),
                learner_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                learner_email=f"learner{n}@example.org",
                learner_id=n,
                track=f"{track.upper()}_5",
                tier="mastery",
                stage_index=rng.randint(1, total),
                stage_total=total,
                stage_name="investigation" if capstone else "",
                attempt=rng.choice([1, 1, 1, 2, 3]),
                submitted_at=now - timedelta(hours=rng.uniform(0, 120)),
                ai_score=round(rng.uniform(40, 98), 1),
                claimed_by=rng.choice([None, None, None, "Grace Wanjiru"]),
                presentation_required=capstone,
                version=rng.randint(1, 9),
                updated_at=now,
            )
        )
    return items


def badges_for(items: list[QueueItem], seed: int = 11) -> dict[str, Badges]:
    rng = random.Random(seed)
    return {
        item.id: Badges(
            has_draft=rng.random() < 0.05, waiting_to_sync=rng.random() < 0.02, conflict=rng.random() < 0.005
        )
        for item in items
    }
