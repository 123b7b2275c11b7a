"""Editing safety: autosave, undo/redo, no stale scores after switching, learner text always plain."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget
from review_helpers import pick

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.ui.review.document import AUTOSAVE_MS, ReviewDocument

HOSTILE = ("<script>", "<b>", "<img src=x>", "\u202e")


def _mission(details: list[Any], *, skip: set[str] = frozenset()) -> Any:  # type: ignore[assignment]
    return pick(
        details,
        lambda d: (
            d.kind == "mission" and d.status == "mentor_review" and d.id not in skip and len(d.mission.subtasks) >= 2
        ),
        "a mission in mentor review",
    )


def test_autosave_writes_the_draft_within_a_second(details: list[Any], workspace: Any, services: Any, run: Any) -> None:
    detail = _mission(details)
    assert run(workspace.open_review(detail.id))
    row = workspace.scorer.rows[0]
    row.buttons[1].click()
    workspace.feedback.feedback.setPlainText("Solid scoping; tighten the IOC list.")
    assert run(services.store.draft(detail.id, workspace.review.stage)) is None  # debounced, not yet
    run(asyncio.sleep(AUTOSAVE_MS / 1000 + 0.3))
    draft = run(services.store.draft(detail.id, workspace.review.stage))
    assert draft is not None
    assert draft.draft.subtask_scores[row.subtask.id][row.criterion.id] == row.criterion.levels[1].points
    assert draft.draft.feedback_written == "Solid scoping; tighten the IOC list."
    assert draft.draft.base_version == detail.version


def test_undo_and_redo_cover_scores_verdicts_and_comments(details: list[Any], workspace: Any, run: Any) -> None:
    detail = pick(details, lambda d: d.status == "mentor_review" and d.mission.branching_paths, "branching points")
    assert run(workspace.open_review(detail.id))
    document, row = workspace.document, workspace.scorer.rows[0]
    key = (row.subtask.id, row.criterion.id)
    row.buttons[2].click()
    row.buttons[3].click()
    card = workspace.decision_path.cards[0]
    card.verdict.setCurrentIndex(card.verdict.findData("acceptable"))
    workspace.feedback.feedback.setPlainText("first words")
    assert document.get(("decision_annotations", card.step.decision_id, "verdict")) == "acceptable"

    workspace.actions_by_name["undo"].trigger()  # feedback
    assert workspace.feedback.feedback.toPlainText() == ""
    workspace.actions_by_name["undo"].trigger()  # verdict
    assert card.verdict.currentData() == "" and document.get(("decision_annotations",)) in (None, {})
    workspace.actions_by_name["undo"].trigger()  # second score
    assert document.score(*key) == row.criterion.levels[2].points and row.buttons[2].isChecked()
    workspace.actions_by_name["redo"].trigger()
    assert document.score(*key) == row.criterion.levels[3].points and row.buttons[3].isChecked()


def test_switching_submissions_never_shows_stale_scores(
    details: list[Any], workspace: Any, services: Any, run: Any
) -> None:
    first = _mission(details)
    second = _mission(details, skip={first.id})
    assert run(workspace.open_review(first.id))
    first_stage = workspace.review.stage
    for row in workspace.scorer.rows:
        row.buttons[-1].click()
    workspace.feedback.feedback.setPlainText("Feedback for the first learner")
    first_scores = {
        (r.subtask.id, r.criterion.id): max(lv.points for lv in r.criterion.levels) for r in workspace.scorer.rows
    }

    assert run(workspace.open_review(second.id))  # before the autosave timer fires
    assert workspace.review.id == second.id
    assert not any(b.isChecked() for row in workspace.scorer.rows for b in row.buttons)
    assert workspace.feedback.feedback.toPlainText() == ""
    assert "not scored yet" in workspace.scorer.totals.text()
    workspace.scorer.rows[0].buttons[0].click()  # editing B never touches A's draft

    run(asyncio.sleep(AUTOSAVE_MS / 1000 + 0.3))
    saved_first = run(services.store.draft(first.id, first_stage))
    assert saved_first is not None and saved_first.draft.feedback_written == "Feedback for the first learner"
    assert {(s, c): v for s, crit in saved_first.draft.subtask_scores.items() for c, v in crit.items()} == first_scores

    assert run(workspace.open_review(first.id))  # back to A: A's draft, A's scores
    assert workspace.feedback.feedback.toPlainText() == "Feedback for the first learner"
    assert all(row.buttons[-1].isChecked() for row in workspace.scorer.rows)

    run(asyncio.sleep(0.1))  # the earlier reviews' documents go once their drafts are written
    assert [c for c in workspace.children() if isinstance(c, ReviewDocument)] == [workspace.document]


def test_hostile_learner_text_stays_plain(details: list[Any], workspace: Any, run: Any) -> None:
    detail = pick(details, lambda d: any(h in (d.reflection or "") for h in HOSTILE), "a hostile reflection")
    assert run(workspace.open_review(detail.id))
    workspace.side_tabs.setCurrentIndex(1)
    reflections = [e.toPlainText() for e in workspace.context.findChildren(QPlainTextEdit)]
    assert detail.reflection in reflections  # shown verbatim, markup and all
    for label in workspace.findChildren(QLabel):
        if any(h in label.text() for h in HOSTILE):
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    for widget in workspace.findChildren(QWidget):  # tooltips are rich text whenever they look like markup
        tip = widget.toolTip()
        assert not tip or not any(h in tip for h in HOSTILE[:3]) or not Qt.mightBeRichText(tip), tip


def test_tooltips_show_server_text_literally() -> None:
    from PySide6.QtGui import QTextDocument

    from mentor_desk.ui.plain import plain_tooltip

    text = "Use <b>bold</b> & <img src=x> \u202e\nsecond line"
    shown = QTextDocument()
    shown.setHtml(plain_tooltip(text))
    assert shown.toPlainText() == text


def test_resubmission_starts_from_the_previous_review_with_changes_marked(
    details: list[Any], workspace: Any, services: Any, run: Any
) -> None:
    detail = pick(details, lambda d: d.attempt >= 2 and d.status == "mentor_review" and d.history, "a resubmission")
    assert run(workspace.open_review(detail.id))
    stage, rows = workspace.review.stage, workspace.scorer.rows
    first, second = rows[0], rows[1]
    earlier = {first.subtask.id: {first.criterion.id: first.criterion.levels[0].points}}
    run(
        services.store.save_draft(
            detail.id,
            stage,
            ReviewDraft(
                attempt=detail.attempt - 1,
                base_version=1,
                subtask_scores=earlier,
                feedback_per_subtask={first.subtask.id: "Attempt 1: scope too narrow"},
            ),
        )
    )

    assert run(workspace.open_review(detail.id))
    document, rows = workspace.document, workspace.scorer.rows
    assert "Pre-filled from the review of attempt" in workspace.save_state.text()
    assert document.draft.attempt == detail.attempt and document.draft.base_version == detail.version
    assert document.score(first.subtask.id, first.criterion.id) == first.criterion.levels[0].points
    assert workspace.scorer.subtask_comments[first.subtask.id].toPlainText() == "Attempt 1: scope too narrow"
    assert not rows[0].change_note.isVisibleTo(workspace)
    rows[0].buttons[-1].click()
    rows[1].buttons[0].click()
    assert rows[0].change_note.isVisibleTo(workspace)
    assert f"was {first.criterion.levels[0].points:g}" in rows[0].change_note.text()
    assert "was not scored" in rows[1].change_note.text() and second.criterion.id == rows[1].criterion.id
    # the previous attempt's learner history is listed in the context pane
    texts = " ".join(label.text() for label in workspace.context.findChildren(QLabel))
    assert f"Attempt {detail.history[-1].attempt}: Revision requested" in texts


def test_ctrl_z_in_a_text_field_uses_the_review_undo_history(
    details: list[Any], workspace: Any, run: Any, qtbot: Any
) -> None:
    assert run(workspace.open_review(_mission(details).id))
    row = workspace.scorer.rows[0]
    row.buttons[-1].click()
    editor = workspace.feedback.feedback
    workspace.activateWindow()
    editor.setFocus()
    qtbot.keyClicks(editor, "typed words")
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == ""
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # next step back: the score
    assert workspace.document.score(row.subtask.id, row.criterion.id) is None
    qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert row.buttons[-1].isChecked()


def test_a_failed_autosave_is_reported_and_keeps_the_edits(
    details: list[Any], workspace: Any, services: Any, run: Any, monkeypatch: Any
) -> None:
    from mentor_desk.store.errors import DiskFull

    detail = _mission(details)
    assert run(workspace.open_review(detail.id))
    real_save = services.store.save_draft

    async def disk_full(*_args: Any) -> None:
        raise DiskFull(services.store.path)

    monkeypatch.setattr(services.store, "save_draft", disk_full)  # the edge: a full disk
    workspace.feedback.feedback.setPlainText("Words that must not be lost")
    run(asyncio.sleep(AUTOSAVE_MS / 1000 + 0.3))
    assert "disk" in workspace.save_state.text() and "full" in workspace.save_state.text()
    assert workspace.document.dirty

    monkeypatch.setattr(services.store, "save_draft", real_save)  # room again: the next save writes it all
    workspace.save_draft()
    run(asyncio.sleep(0.3))
    draft = run(services.store.draft(detail.id, workspace.review.stage))
    assert draft is not None and draft.draft.feedback_written == "Words that must not be lost"


def test_quitting_within_the_autosave_delay_loses_nothing(
    details: list[Any], workspace: Any, services: Any, run: Any
) -> None:
    detail = _mission(details)
    assert run(workspace.open_review(detail.id))
    row = workspace.scorer.rows[0]
    row.buttons[2].click()
    workspace.feedback.feedback.setPlainText("Written just before quitting.")
    run(workspace.flush_drafts())  # what the app awaits on quit, before the debounce fired
    draft = run(services.store.draft(detail.id, workspace.review.stage))
    assert draft is not None
    assert draft.draft.subtask_scores[row.subtask.id][row.criterion.id] == row.criterion.levels[2].points
    assert draft.draft.feedback_written == "Written just before quitting."
