"""Every kind of evidence the sandbox seeds opens in its viewer, fetched over loopback, cached, hash-checked."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtGui import QAction
from review_helpers import pick

from mentor_desk.domain.review import EvidenceFile
from mentor_desk.services.review_view import review_view
from mentor_desk.ui.review.shortcuts import CheatSheet
from mentor_desk.ui.review.viewers.code_viewer import CodeViewer
from mentor_desk.ui.review.viewers.image_viewer import ImageViewer
from mentor_desk.ui.review.viewers.media_viewer import MediaViewer
from mentor_desk.ui.review.viewers.pcap_viewer import PcapViewer
from mentor_desk.ui.review.viewers.pdf_viewer import PdfViewer
from mentor_desk.ui.review.viewers.text_viewer import TextViewer
from mentor_desk.ui.review.viewers.zip_viewer import ZipViewer


def _evidence(details: list[Any], suffix: str) -> tuple[str, EvidenceFile]:
    detail = pick(details, lambda d: any(f.filename.lower().endswith(suffix) for f in d.files), f"a {suffix} file")
    review = review_view(detail)
    return review.id, next(f for f in review.files if f.filename.lower().endswith(suffix))


@pytest.mark.parametrize(
    ("suffix", "viewer_type"),
    [
        (".pdf", PdfViewer),
        (".py", CodeViewer),
        (".log", TextViewer),
        (".pcap", PcapViewer),
        (".zip", ZipViewer),
        (".png", ImageViewer),
        (".mp4", MediaViewer),
    ],
)
def test_each_evidence_type_opens(
    suffix: str, viewer_type: type, details: list[Any], workspace: Any, services: Any, run: Any, qtbot: Any
) -> None:
    review_id, file = _evidence(details, suffix)
    assert run(workspace.open_review(review_id))
    viewer = run(workspace.evidence.open_file(file))
    assert type(viewer) is viewer_type
    assert viewer.summary.startswith(viewer.kind) or viewer_type is CodeViewer
    if viewer_type is PdfViewer:
        assert viewer.document.pageCount() >= 1
        viewer.field.setText("Scope")  # a word of the seeded report; QPdfSearchModel finds it page by page
        qtbot.waitUntil(lambda: viewer.match_count > 0, timeout=5000)
        assert "match(es)" in viewer.matches.text()
    elif viewer_type is CodeViewer:
        assert viewer.language == "Python" and viewer.editor.toPlainText().strip()
        assert viewer._highlighter.spans, "pygments produced highlighting spans off the GUI thread"
    elif viewer_type is PcapViewer:
        assert viewer.result is not None and viewer.result.packets > 0 and viewer.result.protocols
    elif viewer_type is ZipViewer:
        assert viewer.listing is not None and viewer.listing.members
    elif viewer_type is ImageViewer:
        assert "×" in viewer.summary
    elif viewer_type is MediaViewer:
        qtbot.waitUntil(lambda: viewer.player.duration() > 0, timeout=10_000)
    # a second open comes from the store's file cache, by content hash
    assert run(services.store.cached_file(file.sha256)) is not None


def test_logs_survive_invalid_utf8_and_are_paged(details: list[Any], workspace: Any, run: Any) -> None:
    logs = {}  # every distinct seeded log, by content hash, with a review that carries it
    for detail in details:
        for file in review_view(detail).files:
            if file.filename.endswith(".log"):
                logs.setdefault(file.sha256, (detail.id, file))
    replaced, paged = [], []
    for review_id, file in logs.values():
        assert run(workspace.open_review(review_id))
        viewer = run(workspace.evidence.open_file(file))
        replaced.append(viewer.page.replaced)
        if viewer.page.size > viewer.page.end:  # a long log is paged, never loaded whole
            run(viewer.show_page(1))
            assert viewer.page.start > 0 and viewer.editor.first_line > 1
            paged.append(file.filename)
    assert any(replaced), "the seeded log with invalid UTF-8 shows U+FFFD instead of failing"
    assert paged, "the seeded long log is shown page by page"


def test_hash_mismatch_is_explained_and_nothing_is_cached(
    details: list[Any], workspace: Any, services: Any, run: Any
) -> None:
    review_id, file = _evidence(details, ".py")
    assert run(workspace.open_review(review_id))
    forged = dataclasses.replace(file, sha256="0" * 64)
    assert run(workspace.evidence.open_file(forged)) is None
    assert "could not be fetched" in workspace.evidence.message.text()
    assert run(services.store.cached_file("0" * 64)) is None


def test_cheat_sheet_reads_action_texts_by_qt_mnemonic_rules(qtbot: Any) -> None:
    """A single '&' marks the mnemonic and is not shown; '&&' is a literal '&' (as in Qt's menus)."""
    texts = ["&Approve", "Save && &close", "Q&&A notes", "No mnemonic"]
    actions = [QAction(text, shortcut=f"Ctrl+{n}") for n, text in enumerate(texts, 1)]
    sheet = CheatSheet(actions)
    qtbot.addWidget(sheet)
    shown = [text for _keys, text in sheet.rows()[: len(texts)]]
    assert shown == ["Approve", "Save & close", "Q&A notes", "No mnemonic"]
