"""The context pane in words: the presentation named as the evidence file it is (not its API address), times
as "27 Nov 19:54"."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from review_helpers import pick


def test_the_presentation_is_named_as_its_evidence_file_and_times_read_as_words(
    details: list[Any], workspace: Any, run: Any, qtbot: Any
) -> None:
    detail = pick(
        details,
        lambda d: d.presentation.submitted and d.presentation.url and d.history,
        "a resubmitted capstone with a presentation",
    )
    assert run(workspace.open_review(detail.id))
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow)
    focused = QApplication.focusWidget() or workspace
    qtbot.keyClick(focused, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)  # the context pane
    section = workspace.context.sections["presentation"]
    text = "\n".join(label.text() for label in section.findChildren(QLabel))
    filename = next(f.filename for f in detail.files if f.url == detail.presentation.url)
    assert f"“{filename}” in the evidence" in text
    assert detail.presentation.url not in text and "/api/" not in text and "http" not in text
    history = "\n".join(label.text() for label in workspace.context.sections["history"].findChildren(QLabel))
    assert re.search(r"· \d{1,2} [A-Z][a-z]{2}( \d{4})? \d\d:\d\d", history), history  # "27 Nov 19:54"
    assert not re.search(r"\d{4}-\d\d-\d\d", history), history
