"""Resubmissions and decision annotations: the context pane's effort and earlier attempts, a resubmission
pre-filled from the server's record of the previous review with the changes highlighted, and annotations that
cannot be sent without a verdict (checked end to end against a sandbox of its own)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel
from review_helpers import SandboxServices, pick

from mentor_desk.api.client import PlatformClient
from mentor_desk.domain.status import can_decide
from mentor_desk.store.store import Store
from mentor_desk.sync.senders import StageReviewSender
from mentor_desk.ui.review.document import AUTOSAVE_MS
from mentor_desk.ui.review.workspace import ReviewWorkspace


def _context_text(workspace: Any) -> str:
    return "\n".join(label.text() for label in workspace.context.findChildren(QLabel))


def _resubmission(details: list[Any]) -> Any:
    return pick(details, lambda d: d.attempt >= 2 and d.status == "mentor_review" and d.history
                and d.history[-1].feedback_written and d.kind == "mission", "a resubmission in mentor review")


def test_context_shows_time_hints_and_earlier_attempts(details: list[Any], workspace: Any, run: Any) -> None:
    detail = pick(details, lambda d: d.attempt >= 2 and d.history and d.hints_used and d.time_per_stage,
                  "a resubmission with hints")
    assert run(workspace.open_review(detail.id))
    text = _context_text(workspace)
    titles = {s.id: s.title for s in detail.mission.subtasks}
    for subtask_id, minutes in detail.time_per_stage.items():
        hours, rest = divmod(round(minutes), 60)
        assert f"{titles[subtask_id]}: " + (f"{hours} h {rest:02d} min" if hours else f"{rest} min") in text
    assert f"Hints used: {len(detail.hints_used)}" in text
    hint = detail.hints_used[0]
    assert f"{titles[hint.subtask_id]}: level {hint.hint_level}" in text
    for past in detail.history:
        assert f"Attempt {past.attempt}: Revision requested · score {past.mentor_score:.2f}" in text
        assert past.feedback_written in text and past.reviewer.name in text
    assert "does not report time per stage" not in text


def test_resubmission_starts_from_the_servers_record_of_the_previous_review(
        details: list[Any], workspace: Any, services: Any, run: Any) -> None:
    detail = _resubmission(details)
    previous = detail.history[-1]
    assert run(services.store.draft(detail.id, detail.stage.name)) is None  # nothing local to start from
    assert run(workspace.open_review(detail.id))
    editor, marker = workspace.feedback.feedback, workspace.feedback.changes
    assert f"Pre-filled from the review of attempt {previous.attempt}" in workspace.save_state.text()
    assert editor.toPlainText() == previous.feedback_written
    assert workspace.document.payload["attempt"] == detail.attempt
    assert marker.note.isVisibleTo(workspace) and not marker.spans
    assert marker.note.text() == f"Same as the review of attempt {previous.attempt}"

    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText(" The owners are named now; check the timeline.")
    assert marker.note.text().startswith(f"Changed since the review of attempt {previous.attempt}")
    start = len(previous.feedback_written)
    assert marker.spans and all(begin >= start - 1 for begin, _ in marker.spans)  # only the new words
    marked = "".join(s.cursor.selectedText() for s in editor.extraSelections())
    assert marked.strip() == "The owners are named now; check the timeline."

    run(asyncio.sleep(AUTOSAVE_MS / 1000 + 0.3))  # the edited draft is this attempt's; reopening keeps the marks
    assert run(workspace.open_review(detail.id))
    assert workspace.feedback.feedback.toPlainText().endswith("check the timeline.")
    assert workspace.feedback.changes.spans and "Pre-filled" not in workspace.save_state.text()


def test_earlier_scores_from_the_server_are_prefilled_and_changes_marked(
        details: list[Any], workspace: Any, services: Any, run: Any, monkeypatch: Any) -> None:
    """A server that keeps the earlier review's scores (the contract allows it; the sandbox sends only the
    mission score) has them pre-filled, and a changed score is marked."""
    detail = _resubmission(details)
    subtask = detail.mission.subtasks[0]
    rubric = detail.rubrics[subtask.rubric_id]
    low = {c.id: rubric.scale.min for c in rubric.criteria}
    data = detail.model_dump(mode="json")
    data["history"][-1]["scores"] = {"subtask_scores": {subtask.id: low}, "mission_score": 0}
    data["history"][-1]["feedback_per_subtask"] = {subtask.id: "Scope too narrow"}
    kept = type(detail).model_validate(data)
    monkeypatch.setattr(services, "load_review", lambda _review_id: asyncio.sleep(0, kept))

    assert run(workspace.open_review(detail.id))
    document, rows = workspace.document, workspace.scorer.rows
    assert document.payload["subtask_scores"] == {subtask.id: low}
    assert workspace.scorer.subtask_comments[subtask.id].toPlainText() == "Scope too narrow"
    assert not any(row.change_note.isVisibleTo(workspace) for row in rows)
    rows[0].buttons[-1].click()
    assert rows[0].change_note.isVisibleTo(workspace)
    assert f"was {rubric.scale.min:g}" in rows[0].change_note.text()
    context = _context_text(workspace)  # the earlier attempt's per-subtask score and comment are listed
    assert f"  {subtask.title}: 0.0\n" in context and f"  {subtask.title}: Scope too narrow" in context


def test_a_comment_without_a_verdict_blocks_submitting_but_is_kept(details: list[Any], workspace: Any,
                                                                   services: Any, run: Any) -> None:
    detail = pick(details, lambda d: d.status == "mentor_review" and d.kind == "mission"
                  and d.mission.branching_paths, "branching points")
    assert run(workspace.open_review(detail.id))
    for row in workspace.scorer.rows:
        row.buttons[-1].click()
    workspace.actions_by_name["approve"].trigger()
    card = workspace.decision_path.cards[0]
    card.comment.setText("Isolating first was brave")
    card.comment.textEdited.emit("Isolating first was brave")
    title = workspace.review.decision_title(card.step.decision_id)

    assert workspace.problems() == [f"Choose a verdict for decision “{title}”: a comment needs one "
                                    "(matches ideal, acceptable or divergent)."]
    assert not run(workspace.submit_review(confirm=False))
    assert "Choose a verdict for decision" in workspace.feedback.problems.text()
    assert run(services.store.outbox()) == []
    run(asyncio.sleep(AUTOSAVE_MS / 1000 + 0.3))
    draft = run(services.store.draft(detail.id, workspace.review.stage))
    assert draft is not None and draft.payload["decision_annotations"][card.step.decision_id] == {
        "verdict": "", "comment": "Isolating first was brave"}

    card.verdict.setCurrentIndex(card.verdict.findData("acceptable"))
    assert workspace.problems() == []


def test_an_annotated_review_is_accepted_by_the_platform(fresh_sandbox: Any, run: Any, qtbot: Any,
                                                         tmp_path: Path) -> None:
    """Workspace → outbox → the real request builder and sender → a sandbox of its own, which validates
    every verdict; the annotations come back from the platform as sent."""

    async def signed_in() -> PlatformClient:
        client = PlatformClient(fresh_sandbox.url)
        await client.login("mentor@demo.och", "mentor-demo")
        await client.discover()
        return client

    client = run(signed_in())
    store = run(Store.open_path(tmp_path / "store.sqlite3"))
    try:
        rows = run(client.list_reviews(status="mentor_review", limit=500)).results
        row = next(r for r in rows if r.kind == "mission" and not r.claimed_by and can_decide(r.status))
        workspace = ReviewWorkspace(SandboxServices(client, store, "full", tmp_path / "remarks.json"))
        qtbot.addWidget(workspace)
        assert run(workspace.open_review(row.id))
        for score_row in workspace.scorer.rows:
            score_row.buttons[-1].click()
        cards = workspace.decision_path.cards
        assert cards
        for card, verdict in zip(cards, ("matches_ideal", "acceptable", "divergent") * 3, strict=False):
            card.verdict.setCurrentIndex(card.verdict.findData(verdict))
            card.comment.setText(f"On {card.step.decision_id}")
            card.comment.textEdited.emit(f"On {card.step.decision_id}")
        workspace.actions_by_name["approve"].trigger()
        workspace.feedback.feedback.setPlainText("Well evidenced.")
        assert run(workspace.submit_review(confirm=False))
        (entry,) = run(store.outbox())

        run(StageReviewSender(client, store).send(entry))

        after = run(client.get_review(row.id))
        sent = {card.step.decision_id: {"verdict": card.verdict.currentData(), "comment": f"On {card.step.decision_id}"}
                for card in cards}
        assert after.status == "approved" and after.stages[-1].decision == "approve"
        stored = run(client._get_json(f"mentor/reviews/{row.id}"))["stages"][-1]["decision_annotations"]
        assert stored == sent
        workspace.close_review()
        workspace.deleteLater()
    finally:
        run(store.close())
        run(client.aclose())
