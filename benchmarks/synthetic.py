"""Synthetic but realistic data for the benchmarks and tests: queue rows (deterministic for a given seed) and large
evidence files."""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mentor_desk.domain.outbox import Badges
from mentor_desk.domain.queue import QueueItem

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


def write_pdf(path: Path, pages: int, side: int = 90) -> None:
    """A valid PDF with one line of text and a ``side``² raw RGB image per page (~24 KB a page)."""
    bodies: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]  # 1 catalog, 2 pages
    kids = []
    for page in range(1, pages + 1):
        pixels = os.urandom(side * side * 3)
        bodies.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream" % (side, side, len(pixels), pixels)
        )
        text = b"BT /F1 18 Tf 72 720 Td (Scope of the engagement, page %d) Tj ET q 300 0 0 300 150 300 cm /Im Do Q"
        content = text % page
        bodies.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        image, stream = len(bodies) - 1, len(bodies)
        bodies.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources "
            b"<< /Font << /F1 3 0 R >> /XObject << /Im %d 0 R >> >> >>" % (stream, image)
        )
        kids.append(b"%d 0 R" % len(bodies))
    bodies[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    bodies[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n")
        offsets = []
        for number, body in enumerate(bodies, 1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
        out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
        out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref))
