"""A draft written by the version before review drafts were typed (store schema 1.2) opens in the workspace after the
upgrade with everything the mentor had written, and editing it goes on from there."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtGui import QTextCursor
from review_helpers import SandboxServices

from mentor_desk.domain.draft import DecisionNote
from mentor_desk.store.store import Store
from mentor_desk.ui.review.document import AUTOSAVE_MS
from mentor_desk.ui.review.workspace import ReviewWorkspace


def test_a_draft_of_the_previous_version_opens_and_keeps_being_edited(
    client: Any, run: Any, qtbot: Any, tmp_path: Path, schema_1_2_store: Any
) -> None:
    store = run(Store.open_path(schema_1_2_store("store-schema-1.2-full.sql", tmp_path / "store.sqlite3")))
    try:
        services = SandboxServices(client, store, "full", tmp_path / "remarks.json")
        workspace = ReviewWorkspace(services)
        qtbot.addWidget(workspace)
        (saved,) = [draft for draft in run(store.drafts()) if draft.state == "editing"]
        assert run(workspace.open_review(saved.review_id))

        assert workspace.review.stage == saved.stage and workspace.save_state.text() == "Draft restored"
        assert workspace.feedback.feedback.toPlainText() == "Good start: the timeline is clear."
        saved_scores = saved.draft.subtask_scores["1"]
        first = [row for row in workspace.scorer.rows if row.subtask.id == "1"]
        assert len(first) == len(saved_scores)
        for row in first:  # each saved score is the chosen level on screen
            (chosen,) = [i for i, button in enumerate(row.buttons) if button.isChecked()]
            assert row.criterion.levels[chosen].points == saved_scores[row.criterion.id]
        card = next(card for card in workspace.decision_path.cards if card.step.decision_id == "automation_level")
        assert card.verdict.currentData() == "divergent" and card.comment.text() == "Isolate the host first."

        workspace.feedback.feedback.setFocus()
        workspace.feedback.feedback.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClicks(workspace.feedback.feedback, " Add the IOC list.")
        run(asyncio.sleep(AUTOSAVE_MS / 1000 + 0.3))

        kept = run(store.draft(saved.review_id, saved.stage))
        assert kept is not None
        assert kept.draft.feedback_written == "Good start: the timeline is clear. Add the IOC list."
        assert kept.draft.subtask_scores == saved.draft.subtask_scores
        assert kept.draft.decision_annotations == {
            "automation_level": DecisionNote("divergent", "Isolate the host first.")
        }
        assert kept.draft.base_version == 1 and kept.draft.attachments == ()
    finally:
        run(store.close())
