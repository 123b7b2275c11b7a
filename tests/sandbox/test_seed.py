"""Seed invariants: counts, statuses, determinism, and evidence files that really open."""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import struct
import time
import zipfile
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dpkt
import pytest

from mentor_desk.sandbox.catalog import TRACKS
from mentor_desk.sandbox.evidence import catalogue
from mentor_desk.sandbox.media import mp4_duration
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer, open_database

STATUSES = {"submitted", "ai_reviewed", "mentor_review", "approved", "revision_requested", "failed"}
WAITING = ("submitted", "ai_reviewed", "mentor_review")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("seed") / "db.sqlite3"
    started = time.perf_counter()
    with SandboxServer(SandboxConfig(db_path=path)) as server:
        print(f"\nsandbox boot with a fresh seed: {time.perf_counter() - started:.3f} s "
              f"(seeding {server.seed_seconds:.3f} s)")
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def test_counts_and_statuses(seeded: sqlite3.Connection) -> None:
    count = lambda sql: seeded.execute(sql).fetchone()[0]  # noqa: E731
    assert count("SELECT COUNT(*) FROM users WHERE role = 'student'") >= 40
    assert count("SELECT COUNT(*) FROM reviews") >= 300
    assert count("SELECT COUNT(*) FROM missions") >= 10
    assert {r[0] for r in seeded.execute("SELECT status FROM reviews")} == STATUSES
    assert {r[0] for r in seeded.execute("SELECT attempt FROM reviews")} == {1, 2, 3}
    assert {r[0] for r in seeded.execute("SELECT code FROM tracks")} == {t[0] for t in TRACKS}
    versions = {r[0] for r in seeded.execute("SELECT MAX(version) FROM rubrics GROUP BY id")}
    assert versions == {1, 2}


def test_demo_mentor_has_a_rich_queue(seeded: sqlite3.Connection) -> None:
    rows = seeded.execute(
        "SELECT r.status, r.kind, r.attempt, r.claimed_by FROM reviews r JOIN assignments a ON "
        "a.mentee_id = r.learner_id AND a.mentor_id = 1 AND a.status = 'active'").fetchall()
    assert len(rows) >= 60
    assert {r["status"] for r in rows} == STATUSES
    assert sum(r["kind"] == "capstone" for r in rows) >= 5
    assert any(r["attempt"] > 1 and r["status"] in ("submitted", "ai_reviewed", "mentor_review") for r in rows)
    assert any(r["claimed_by"] not in (None, 1) for r in rows)


def test_missions_are_well_formed(seeded: sqlite3.Connection) -> None:
    for (data,) in seeded.execute("SELECT data FROM missions"):
        mission = json.loads(data)
        assert 3 <= len(mission["subtasks"]) <= 6
        assert mission["branching_paths"] and mission["ideal_path"]
        for subtask in mission["subtasks"]:
            rubric = json.loads(seeded.execute("SELECT data FROM rubrics WHERE id = ? ORDER BY version DESC",
                                               (subtask["rubric_id"],)).fetchone()[0])
            assert 3 <= len(rubric["criteria"]) <= 5
            assert all(len(c["levels"]) == 4 for c in rubric["criteria"])
            assert rubric["scale"] == {"min": 0, "max": 4} and rubric["pass_threshold"] == 70


def test_hostile_learner_text_is_seeded(seeded: sqlite3.Connection) -> None:
    texts = " ".join(r[0] for r in seeded.execute("SELECT data FROM reviews"))
    for needle in ("<script>alert(1)</script>", "<b>bold</b>", "\u202e", "A" * 3000):
        assert needle in texts


def test_file_rows_match_their_blobs(seeded: sqlite3.Connection) -> None:
    blobs = {r[0]: r[1] for r in seeded.execute("SELECT sha256, content FROM blobs")}
    for sha, size in seeded.execute("SELECT DISTINCT sha256, file_size FROM files"):
        assert hashlib.sha256(blobs[sha]).hexdigest() == sha
        assert len(blobs[sha]) == size
    kinds = {r[0] for r in seeded.execute("SELECT DISTINCT filename FROM files")}
    assert {"assessment-report.pdf", "beacon-capture.pcap", "malware-triage.zip", "network-diagram.png",
            "presentation.mp4", "beacon_correlation.py", "bastion-auth.log", "fw01-egress.log"} <= kinds


def test_seed_is_deterministic_relative_to_now(tmp_path: Path) -> None:
    """Same seed, same rows; times move with ``now`` (a naive one is UTC) but keep their offsets."""
    def snapshot(name: str, seed: int, now: datetime) -> list[tuple[object, ...]]:
        db, _ = open_database(SandboxConfig(db_path=tmp_path / name, seed=seed, now=now))
        with db.tx() as conn:
            rows = [(*r[:4], now.replace(tzinfo=UTC) - _parse(r[4]), now.replace(tzinfo=UTC) - _parse(r[5]))
                    for r in conn.execute("SELECT id, status, attempt, ai_score, submitted_at, updated_at "
                                          "FROM reviews ORDER BY id")]
        db.close()
        return rows

    first = snapshot("a.db", 5, NOW)
    assert first == snapshot("b.db", 5, (NOW + timedelta(days=40, minutes=7)).replace(tzinfo=None))
    assert first != snapshot("c.db", 6, NOW)


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def anchored(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    """A database seeded as if at ``NOW``."""
    path = tmp_path_factory.mktemp("anchored") / "db.sqlite3"
    open_database(SandboxConfig(db_path=path, now=NOW))[0].close()
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def test_nothing_is_seeded_in_the_future(anchored: sqlite3.Connection) -> None:
    """Every time in every table and JSON document lies before the moment of seeding; only claim
    deadlines (``claim_expires_at``) are ahead of it."""
    tables = [r[0] for r in anchored.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT IN ('blobs', 'sqlite_sequence')")]
    seen = 0
    for table in tables:
        cursor = anchored.execute(f"SELECT * FROM {table}")
        columns = [d[0] for d in cursor.description]
        for row in cursor:
            for column, value in zip(columns, row, strict=True):
                if column == "claim_expires_at" or not isinstance(value, str):
                    continue
                for stamp in STAMP.findall(value):
                    seen += 1
                    assert _parse(stamp) <= NOW, (table, column, stamp)
    assert seen > 3000
    claims = anchored.execute("SELECT claimed_at, claim_expires_at FROM reviews WHERE claimed_by IS NOT NULL")
    assert all(_parse(at) < NOW < _parse(expires) for at, expires in claims)


def test_queue_ages_look_like_a_real_queue(anchored: sqlite3.Connection) -> None:
    """The demo mentor's waiting items spread over the last five days (every SLA colour well represented);
    decided items are older history, and stage reviews come after their submission."""
    rows = anchored.execute(
        "SELECT r.status, r.submitted_at, r.updated_at, r.reviewed_at FROM reviews r JOIN assignments a "
        "ON a.mentee_id = r.learner_id AND a.mentor_id = 1 AND a.status = 'active'").fetchall()
    waiting = [(NOW - _parse(r["submitted_at"])) / timedelta(hours=1) for r in rows if r["status"] in WAITING]
    buckets = [sum(age < 24 for age in waiting), sum(24 <= age <= 48 for age in waiting),
               sum(age > 48 for age in waiting)]
    assert all(count >= len(waiting) // 5 for count in buckets), buckets
    assert min(waiting) >= 1 and max(waiting) <= 5 * 24
    decided = [r for r in rows if r["status"] not in WAITING]
    assert all(NOW - _parse(r["submitted_at"]) >= timedelta(days=2) for r in decided)
    assert all(_parse(r["submitted_at"]) < _parse(r["reviewed_at"]) == _parse(r["updated_at"]) for r in decided)
    assert all(_parse(r["submitted_at"]) <= _parse(r["updated_at"]) for r in rows)


# -- the evidence really parses -----------------------------------------------------------------------
EVIDENCE = catalogue()


def test_pdf_has_valid_xref_and_text() -> None:
    pdf = EVIDENCE["report"].content
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)", pdf).group(1))
    assert pdf[startxref:].startswith(b"xref")
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n", pdf)]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    assert b"(Initial Threat Assessment" in pdf


def test_pdf_opens_in_qtpdf() -> None:
    QtPdf = pytest.importorskip("PySide6.QtPdf")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])
    buffer = QBuffer()
    buffer.setData(QByteArray(EVIDENCE["report"].content))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QtPdf.QPdfDocument()
    document.load(buffer)
    assert document.pageCount() == 1
    assert "Initial Threat Assessment" in document.getAllText(0).text()


def test_png_decodes() -> None:
    png = EVIDENCE["diagram"].content
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    idat = png[png.index(b"IDAT") + 4: png.index(b"IEND") - 8]
    assert len(zlib.decompress(idat)) == height * (1 + 3 * width)


def test_zip_pcap_log_and_mp4() -> None:
    archive = zipfile.ZipFile(io.BytesIO(EVIDENCE["zip"].content))
    assert archive.testzip() is None and "iocs.txt" in archive.namelist()
    packets = list(dpkt.pcap.Reader(io.BytesIO(EVIDENCE["pcap"].content)))
    assert len(packets) == 6
    udp = dpkt.ethernet.Ethernet(packets[0][1]).data.data
    assert dpkt.dns.DNS(udp.data).qd[0].name == "update-cdn.sync-telemetry.net"
    answer = dpkt.dns.DNS(dpkt.ethernet.Ethernet(packets[1][1]).data.data.data)
    assert answer.an[0].name == "update-cdn.sync-telemetry.net" and answer.an[0].ip == bytes([185, 220, 101, 7])
    for _, frame in packets:  # lengths and checksums as a capture tool would check them
        ip = dpkt.ethernet.Ethernet(frame).data
        assert ip.len == len(frame) - 14 and len(ip.data) == ip.len - 20
        if isinstance(ip.data, dpkt.udp.UDP):
            assert ip.data.ulen == len(ip.data)
        sums = ip.sum, ip.data.sum
        ip.sum = ip.data.sum = 0
        recomputed = dpkt.ip.IP(bytes(ip))  # dpkt fills in zeroed checksums when packing
        assert sums == (recomputed.sum, recomputed.data.sum)
    with pytest.raises(UnicodeDecodeError):
        EVIDENCE["authlog"].content.decode("utf-8")
    assert EVIDENCE["longlog"].content.count(b"\n") == 20_000
    assert len(EVIDENCE["video"].content) < 100_000


def test_mp4_duration(tmp_path: Path) -> None:
    path = tmp_path / "short.mp4"
    path.write_bytes(EVIDENCE["video"].content)
    assert mp4_duration(path) == pytest.approx(2.0, abs=0.1)
