"""Resubmissions and decision annotations: the context pane's effort and earlier attempts, a resubmission
pre-filled from the server's record of the previous review with the changes highlighted, and annotations that
cannot be sent without a verdict (checked end to end against a sandbox of its own)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from review_helpers import SandboxServices, pick, signed_in

from mentor_desk.domain.draft import DecisionNote
from mentor_desk.domain.status import can_decide
from mentor_desk.store.store import Store
from mentor_desk.sync.senders import StageReviewSender
from mentor_desk.ui.review.document import AUTOSAVE_MS
from mentor_desk.ui.review.workspace import ReviewWorkspace

STUDENT_ID = 6  # student@demo.och, one of the demo mentor's learners


def _context_text(workspace: Any) -> str:
    return "\n".join(label.text() for label in workspace.context.findChildren(QLabel))


def _resubmission(details: list[Any]) -> Any:
    return pick(
        details,
        lambda d: (
            d.attempt >= 2
            and d.status == "mentor_review"
            and d.history
            and d.history[-1].feedback_written
            and d.kind == "mission"
        ),
        "a resubmission in mentor review",
    )


def test_context_shows_time_hints_and_earlier_attempts(details: list[Any], workspace: Any, run: Any) -> None:
    detail = pick(
        details,
        lambda d: d.attempt >= 2 and d.history and d.hints_used and d.time_per_stage,
        "a resubmission with hints",
    )
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
    details: list[Any], workspace: Any, services: Any, run: Any
) -> None:
    detail = _resubmission(details)
    previous = detail.history[-1]
    assert run(services.store.draft(detail.id, detail.stage.name)) is None  # nothing local to start from
    assert run(workspace.open_review(detail.id))
    editor, marker = workspace.feedback.feedback, workspace.feedback.changes
    assert f"Pre-filled from the review of attempt {previous.attempt}" in workspace.save_state.text()
    assert editor.toPlainText() == previous.feedback_written
    assert workspace.document.draft.attempt == detail.attempt
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


def test_a_comment_without_a_verdict_blocks_submitting_but_is_kept(
    details: list[Any], workspace: Any, services: Any, run: Any
) -> None:
    detail = pick(
        details,
        lambda d: d.status == "mentor_review" and d.kind == "mission" and d.mission.branching_paths,
        "branching points",
    )
    assert run(workspace.open_review(detail.id))
    for row in workspace.scorer.rows:
        row.buttons[-1].click()
    workspace.actions_by_name["approve"].trigger()
    card = workspace.decision_path.cards[0]
    card.comment.setText("Isolating first was brave")
    card.comment.textEdited.emit("Isolating first was brave")
    title = workspace.review.decision_title(card.step.decision_id)

    assert workspace.problems() == [
        f"Choose a verdict for decision “{title}”: a comment needs one (matches ideal, acceptable or divergent)."
    ]
    assert not run(workspace.submit_review(confirm=False))
    assert "Choose a verdict for decision" in workspace.feedback.problems.text()
    assert run(services.store.outbox()) == []
    run(asyncio.sleep(AUTOSAVE_MS / 1000 + 0.3))
    draft = run(services.store.draft(detail.id, workspace.review.stage))
    assert draft is not None and draft.draft.decision_annotations[card.step.decision_id] == DecisionNote(
        "", "Isolating first was brave"
    )

    card.verdict.setCurrentIndex(card.verdict.findData("acceptable"))
    assert workspace.problems() == []


class OwnPlatform:
    """A sandbox of this test's own (it writes), the demo mentor signed in, and workspaces over real stores:
    each ``workspace(computer)`` has its own store, as on another computer."""

    def __init__(self, sandbox: Any, run: Any, qtbot: Any, tmp_path: Path) -> None:
        self.sandbox, self.run, self.qtbot, self.tmp_path = sandbox, run, qtbot, tmp_path
        self.client = run(signed_in(sandbox.url))
        self.stores: list[Store] = []

    def workspace(self, computer: str) -> ReviewWorkspace:
        store = self.run(Store.open_path(self.tmp_path / f"{computer}.sqlite3"))
        self.stores.append(store)
        widget = ReviewWorkspace(SandboxServices(self.client, store, "full", self.tmp_path / "remarks.json"))
        self.qtbot.addWidget(widget)
        return widget

    def send(self, workspace: ReviewWorkspace) -> None:
        """What the sync engine does with the submitted review: the real request builder and sender."""
        store = workspace.services.store  # type: ignore[attr-defined]
        (entry,) = self.run(store.outbox())
        self.run(StageReviewSender(self.client, store).send(entry))

    def close(self) -> None:
        for store in self.stores:
            self.run(store.close())
        self.run(self.client.aclose())


@pytest.fixture
def own(fresh_sandbox: Any, run: Any, qtbot: Any, tmp_path: Path) -> Iterator[OwnPlatform]:
    platform = OwnPlatform(fresh_sandbox, run, qtbot, tmp_path)
    yield platform
    platform.close()


def _free_mission(own: OwnPlatform, learner_id: int | None = None) -> Any:
    rows = own.run(own.client.list_reviews(status="mentor_review", limit=500)).results
    return next(
        r
        for r in rows
        if r.kind == "mission"
        and not r.claimed_by
        and can_decide(r.status)
        and (learner_id is None or r.learner.id == learner_id)
    )


def test_a_real_resubmission_opens_with_the_previous_review_from_the_server(own: OwnPlatform, run: Any) -> None:
    """The mentor asks for a revision, the learner resubmits (OCH's student submit-ai), and the mentor opens
    the new attempt on another computer: the server's record alone pre-fills it, and changes are marked."""
    row = _free_mission(own, STUDENT_ID)
    first = own.workspace("laptop")
    assert run(first.open_review(row.id))
    for score_row in first.scorer.rows:
        score_row.buttons[1].click()
    subtask_id = first.review.subtasks[0].id
    first.scorer.subtask_comments[subtask_id].setPlainText("Timeline gaps.")
    first.feedback.feedback.setPlainText("Name an owner for every remediation step.")
    first.actions_by_name["revise"].trigger()
    sent_scores = dict(first.document.draft.subtask_scores)
    assert run(first.submit_review(confirm=False))
    own.send(first)

    with httpx.Client(base_url=f"{own.sandbox.url}/api/v1") as learner:
        token = learner.post(
            "/auth/login",
            json={
                "email": "student@demo.och",
                "password": "student-demo",
                "device_fingerprint": "t",
                "device_name": "t",
            },
        ).json()
        resubmitted = learner.post(
            f"/student/missions/{row.mission.id}/submit-ai/",
            headers={"Authorization": f"Bearer {token['access_token']}"},
            json={"notes": "Added the timeline and named an owner for every step."},
        )
        assert resubmitted.status_code == 201, resubmitted.text

    second = own.workspace("desktop")  # nothing local: only the server's history knows the earlier review
    assert run(second.open_review(row.id))
    assert second.review.attempt == row.attempt + 1
    assert f"Pre-filled from the review of attempt {row.attempt}" in second.save_state.text()
    assert second.document.draft.subtask_scores == sent_scores
    assert second.scorer.subtask_comments[subtask_id].toPlainText() == "Timeline gaps."
    assert second.feedback.feedback.toPlainText() == "Name an owner for every remediation step."
    rows = second.scorer.rows
    assert not any(r.change_note.isVisibleTo(second) for r in rows)
    rows[0].buttons[-1].click()
    assert rows[0].change_note.isVisibleTo(second)
    assert f"was {rows[0].criterion.levels[1].points:g}" in rows[0].change_note.text()
    context = _context_text(second)
    assert f"Attempt {row.attempt}: Revision requested" in context and "  " + second.review.subtasks[0].title in context


def test_an_annotated_review_is_accepted_by_the_platform(own: OwnPlatform, run: Any) -> None:
    """Workspace → outbox → the real request builder and sender → the sandbox, which validates every verdict;
    the annotations come back from the platform as sent."""
    row = _free_mission(own)
    workspace = own.workspace("laptop")
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

    own.send(workspace)

    after = run(own.client.get_review(row.id))
    assert after.status == "approved" and after.stages[-1].decision == "approve"
    stored = run(own.client._get_json(f"mentor/reviews/{row.id}"))["stages"][-1]["decision_annotations"]
    assert stored == {
        card.step.decision_id: {"verdict": card.verdict.currentData(), "comment": f"On {card.step.decision_id}"}
        for card in cards
    }


def test_a_rewritten_word_is_marked_whole_not_as_fragments(
    details: list[Any], workspace: Any, run: Any, qtbot: Any
) -> None:
    """Typing one letter into a word of the pre-filled feedback marks that whole word, nothing else."""
    detail = _resubmission(details)
    assert run(workspace.open_review(detail.id))
    editor = workspace.feedback.feedback
    editor.setFocus()
    assert QApplication.focusWidget() is editor
    text = editor.toPlainText()
    word = next(m for m in re.finditer(r"[A-Za-z]{5,}", text) if m.start() > 0)
    cursor = editor.textCursor()
    cursor.setPosition(word.start() + 2)
    editor.setTextCursor(cursor)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_X)
    marked = [s.cursor.selectedText() for s in editor.extraSelections()]
    rewritten = word.group()[:2] + "x" + word.group()[2:]
    assert marked == [rewritten], marked


def test_the_missions_templates_show_in_the_context_pane(details: list[Any], workspace: Any, run: Any) -> None:
    detail = pick(details, lambda d: bool(d.mission.templates), "a mission with templates")
    assert run(workspace.open_review(detail.id))
    box = workspace.context.sections["templates"]
    text = "\n".join(label.text() for label in box.findChildren(QLabel))
    for template in detail.mission.templates:
        assert template["name"] in text
        assert template["url"].rsplit("/", 1)[-1] in text and template["url"] not in text
