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
from pathlib import Path

import dpkt
import pytest

from mentor_desk.sandbox.catalog import TRACKS
from mentor_desk.sandbox.evidence import catalogue
from mentor_desk.sandbox.media import mp4_duration
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer, open_database

STATUSES = {"submitted", "ai_reviewed", "mentor_review", "approved", "revision_requested", "failed"}


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


def test_seed_is_deterministic(tmp_path: Path) -> None:
    def snapshot(name: str, seed: int) -> list[tuple[object, ...]]:
        db, _ = open_database(SandboxConfig(db_path=tmp_path / name, seed=seed))
        with db.tx() as conn:
            rows = [tuple(r) for r in conn.execute("SELECT id, status, attempt, ai_score FROM reviews ORDER BY id")]
        db.close()
        return rows

    assert snapshot("a.db", 5) == snapshot("b.db", 5)
    assert snapshot("a.db", 5) != snapshot("c.db", 6)


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
    with pytest.raises(UnicodeDecodeError):
        EVIDENCE["authlog"].content.decode("utf-8")
    assert EVIDENCE["longlog"].content.count(b"\n") == 20_000
    assert len(EVIDENCE["video"].content) < 100_000


def test_mp4_duration(tmp_path: Path) -> None:
    path = tmp_path / "short.mp4"
    path.write_bytes(EVIDENCE["video"].content)
    assert mp4_duration(path) == pytest.approx(2.0, abs=0.1)
