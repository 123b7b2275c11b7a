"""The workspace's three panes share a 1280-pixel window as designed (evidence 32 %, scorer 38 %, the tabs 30 %):
no tab's long content (a subtask's title in the Recordings tab's "Attach to", a device's name) widens its pane
at the others' expense."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_review_recordings import FolderMedia

from mentor_desk.ui.review.workspace import ReviewWorkspace


def test_the_panes_keep_their_shares_of_a_1280_pixel_window(
    details: list[Any], services: Any, run: Any, qtbot: Any, tmp_path: Path
) -> None:
    detail = max(details, key=lambda d: max((len(s.title) for s in d.mission.subtasks), default=0))
    workspace = ReviewWorkspace(services)
    qtbot.addWidget(workspace)
    workspace.add_recordings(FolderMedia(tmp_path / "media"))
    workspace.resize(1280, 760)
    workspace.show()
    assert run(workspace.open_review(detail.id))
    qtbot.waitUntil(lambda: workspace._sized)

    evidence, scorer, tabs = workspace._panes.sizes()
    whole = evidence + scorer + tabs
    assert evidence >= 0.28 * whole and scorer >= 0.34 * whole, (evidence, scorer, tabs)
