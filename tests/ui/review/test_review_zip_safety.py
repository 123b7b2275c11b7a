"""Zip evidence is listed and previewed without trusting it: traversal, links and bombs are refused."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest

from mentor_desk.ui.review.viewers.zip_safety import MAX_MEMBERS, MAX_RATIO, UnsafeZip, list_zip, preview_member
from mentor_desk.ui.review.viewers.zip_viewer import ZipViewer


def _zip(path: Path, members: dict[str, bytes], *, symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


def test_traversal_absolute_and_link_members_are_refused(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "evil.zip",
        {
            "notes/readme.txt": b"fine",
            "../../etc/cron.d/x": b"owned",
            "/abs/path.txt": b"abs",
            "..\\win\\evil.txt": b"w",
        },
        symlink="link",
    )
    verdicts = {m.name: m.problem for m in list_zip(path).members}
    assert verdicts["notes/readme.txt"] == ""
    assert "leaves the archive" in verdicts["../../etc/cron.d/x"]
    assert "leaves the archive" in verdicts["..\\win\\evil.txt"]
    assert "absolute" in verdicts["/abs/path.txt"]
    assert "symbolic link" in verdicts["link"]
    assert preview_member(path, "notes/readme.txt") == b"fine"
    with pytest.raises(UnsafeZip, match="leaves the archive"):
        preview_member(path, "../../etc/cron.d/x")
    assert not (tmp_path.parent / "etc").exists()  # nothing was ever extracted


def test_zip_bomb_member_is_refused_by_ratio(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bomb.zip", {"zeros.bin": bytes(20 * 1024 * 1024), "ok.txt": b"hello"})
    member = next(m for m in list_zip(path).members if m.name == "zeros.bin")
    assert member.size > MAX_RATIO * member.compressed
    assert "zip bomb" in member.problem
    with pytest.raises(UnsafeZip, match="zip bomb"):
        preview_member(path, "zeros.bin")


def test_preview_is_bounded(tmp_path: Path) -> None:
    import os

    path = _zip(tmp_path / "big.zip", {"random.bin": os.urandom(300_000)})
    assert len(preview_member(path, "random.bin", limit=1000)) == 1000


def test_not_a_zip_gets_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "fake.zip"
    path.write_bytes(b"PK\x03\x04 definitely not a zip")
    with pytest.raises(UnsafeZip, match="not a readable zip"):
        list_zip(path)


def test_viewer_lists_and_refuses_in_words(qtbot, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _zip(tmp_path / "mixed.zip", {"a.txt": b"alpha", "../escape.sh": b"rm -rf /"})
    viewer = ZipViewer()
    qtbot.addWidget(viewer)
    run(viewer.load(path))
    assert viewer.table.model().rowCount() == 2
    assert "1 member(s) refused" in viewer.warning.text()
    assert run(viewer.show_member("a.txt")) == "alpha"
    refused = run(viewer.show_member("../escape.sh"))
    assert refused.startswith("Preview refused") and "rm -rf" not in viewer.preview.toPlainText()


def test_a_damaged_member_is_explained_in_the_preview(qtbot, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _zip(tmp_path / "damaged.zip", {"notes.txt": b"The timeline of the incident, hour by hour. " * 40})
    raw = bytearray(path.read_bytes())
    start = raw.index(b"notes.txt") + len(b"notes.txt")  # the member's compressed data follows its local header
    raw[start + 10 : start + 40] = bytes(30)
    path.write_bytes(bytes(raw))
    with pytest.raises(UnsafeZip, match=r"“notes\.txt” cannot be read: the archive is damaged"):
        preview_member(path, "notes.txt")

    viewer = ZipViewer()
    qtbot.addWidget(viewer)
    run(viewer.load(path))
    shown = run(viewer.show_member("notes.txt"))
    assert shown.startswith("Preview refused: “notes.txt” cannot be read") and viewer.preview.toPlainText() == shown


def test_a_huge_listing_is_listed_whole_and_previews_its_last_member(qtbot: Any, run: Any, tmp_path: Path) -> None:
    # How long the GUI thread may stall meanwhile is a benchmark figure (benchmarks/bench_viewers.py).
    path = tmp_path / "evidence.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(MAX_MEMBERS):
            archive.writestr(f"capture/frames/frame-{number:05d}.txt", b"frame %d" % number)
    viewer = ZipViewer()
    qtbot.addWidget(viewer)
    viewer.resize(800, 600)
    viewer.show()
    run(viewer.load(path))
    assert viewer.table.model().rowCount() == MAX_MEMBERS
    assert viewer.summary.startswith(f"zip: {MAX_MEMBERS:,} member(s)")
    viewer.table.selectRow(MAX_MEMBERS - 1)  # the mentor picks the last member: its preview follows
    qtbot.waitUntil(lambda: viewer.preview.toPlainText() == f"frame {MAX_MEMBERS - 1}", timeout=5000)
