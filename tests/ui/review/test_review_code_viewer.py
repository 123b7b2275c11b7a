"""The code viewer: pygments finds the language and lexes off the GUI thread (its first lookup takes ~70 ms)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from mentor_desk.ui.review.viewers import code_viewer, viewer_for


def test_language_lookup_and_lexing_run_in_worker_threads(
    qtbot: Any, run: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    source = tmp_path / "3f9a"  # the store keeps files under their hash
    source.write_text("def triage(alert):\n    return alert.severity  # noisy\n", encoding="utf-8")
    looked_up_in: list[threading.Thread] = []
    lookup = code_viewer.get_lexer_for_filename

    def watched(*args: Any, **kwargs: Any) -> Any:
        looked_up_in.append(threading.current_thread())
        return lookup(*args, **kwargs)

    monkeypatch.setattr(code_viewer, "get_lexer_for_filename", watched)
    viewer = viewer_for("triage.py")
    qtbot.addWidget(viewer)
    run(viewer.load(source))
    assert isinstance(viewer, code_viewer.CodeViewer) and viewer.language == "Python"
    assert viewer._highlighter.spans, "the page was highlighted"
    assert looked_up_in and threading.main_thread() not in looked_up_in
