"""Decisions: reason required for revision/fail, the resulting status before confirming, stage reviews,
decision-path marks, the comment library and the cheat sheet."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from review_helpers import key, pick, tab_to

from mentor_desk.domain.decision_path import StepKind
from mentor_desk.domain.draft import DecisionNote
from mentor_desk.domain.remarks import Remark
from mentor_desk.domain.words import stage_title
from mentor_desk.ui.review.decision_path_view import MARKS
from mentor_desk.ui.review.feedback_bar import CommentLibrary


def _in_review(details: list[Any]) -> Any:
    return pick(details, lambda d: d.kind == "mission" and d.status == "mentor_review", "a mission in review")


def _score_everything(workspace: Any) -> None:
    for row in workspace.scorer.rows:
        row.buttons[-2].click()


def test_request_revision_needs_a_reason_and_the_status_is_previewed(
    details: list[Any], workspace: Any, services: Any, run: Any
) -> None:
    detail = _in_review(details)
    assert run(workspace.open_review(detail.id))
    _score_everything(workspace)
    preview = workspace.feedback.preview
    assert preview.text() == "Choose a decision to see the resulting status."
    workspace.actions_by_name["revise"].trigger()
    assert "Resulting status: Revision requested" in preview.text()
    assert "Reason required" in preview.text()
    assert not run(workspace.submit_review(confirm=False))
    assert "needs a reason" in workspace.feedback.problems.text()
    assert run(services.store.outbox()) == []

    workspace.feedback.feedback.setPlainText("Redo the containment plan: isolate the DCs first.")
    assert "Reason required" not in preview.text()
    assert workspace.problems() == []
    workspace.feedback.decision_buttons[next(iter(workspace.feedback.decision_buttons))].click()  # approve
    assert "Resulting status: Approved" in preview.text()
    workspace.actions_by_name["fail"].trigger()
    assert "Resulting status: Failed" in preview.text()

    assert run(workspace.submit_review(confirm=False))
    entries = run(services.store.outbox())
    assert [(e.review_id, e.draft.decision) for e in entries] == [(detail.id, "fail")]


def test_final_decision_needs_every_criterion(details: list[Any], workspace: Any, run: Any) -> None:
    assert run(workspace.open_review(_in_review(details).id))
    workspace.actions_by_name["approve"].trigger()
    assert any("not scored yet" in p for p in workspace.problems())


def test_capstone_stage_review_has_no_decision_before_final(details: list[Any], workspace: Any, run: Any) -> None:
    detail = pick(
        details,
        lambda d: d.kind == "capstone" and len(d.stages) > 1 and d.status == "mentor_review",
        "a staged capstone in review",
    )
    early = next(s.name for s in detail.stages if s.name != "final")
    assert run(workspace.open_review(detail.id, stage=early))
    assert workspace.stage_picker.isVisible()
    assert not any(b.isEnabled() for b in workspace.feedback.decision_buttons.values())
    assert "decision is made on the final stage" in workspace.feedback.stage_note.text()
    workspace.actions_by_name["approve"].trigger()
    assert workspace.document.get(("decision",)) is None
    assert run(workspace.open_review(detail.id, stage="final"))
    assert all(b.isEnabled() for b in workspace.feedback.decision_buttons.values())


def test_decision_path_marks_with_text_not_colour_alone(details: list[Any], workspace: Any, run: Any) -> None:
    detail = pick(details, lambda d: d.mission.branching_paths and d.decision_paths, "a decision path")
    assert run(workspace.open_review(detail.id))
    cards = workspace.decision_path.cards
    assert cards
    for card in cards:
        symbol, word = MARKS[card.step.kind.value]
        assert card.mark_label.text() == f"{symbol} {word}"
        assert card.property("mark") == card.step.kind.value
        ideal = detail.mission.ideal_path
        step = next((s for s in ideal.values() if s.decision_id == card.step.decision_id), None)
        taken = detail.decision_paths.get(card.step.decision_id)
        if card.step.kind is StepKind.SAME:
            assert taken and step and taken.choice_id == step.choice_id
        elif card.step.kind is StepKind.DIFFERENT:
            assert taken and step and taken.choice_id != step.choice_id
        elif card.step.kind is StepKind.SKIPPED:
            assert taken is None
        else:
            assert step is None and taken is not None
    card = cards[0]
    card.verdict.setCurrentIndex(card.verdict.findData("divergent"))
    card.comment.setText("Narrow scoping missed the second beacon")
    card.comment.textEdited.emit(card.comment.text())
    assert workspace.document.get(("decision_annotations", card.step.decision_id)) == DecisionNote(
        "divergent", "Narrow scoping missed the second beacon"
    )


def test_comment_library_inserts_by_shortcut_and_is_shared_as_json(
    details: list[Any], workspace: Any, services: Any, run: Any, settle: Any, tmp_path: Path
) -> None:
    assert run(workspace.open_review(_in_review(details).id))
    criterion = workspace.scorer.rows[0].criterion.id
    settle(0.3)  # the rubric's starter remarks written (replaced below)
    services.comment_library_path.write_text(
        json.dumps(
            {
                "version": 1,
                "remarks": [
                    {"text": "Great timeline.", "criterion_id": None},
                    {"text": "Cite the log line.", "criterion_id": criterion},
                ],
            }
        )
    )
    library = workspace.feedback.library
    run(library.load(services.comment_library_path))
    assert [library.list.item(i).text() for i in range(2)] == ["Cite the log line.", "Great timeline."]
    assert [library.list.item(i).font().bold() for i in range(2)] == [True, False]  # tied to the current one: first
    workspace.actions_by_name["remark_1"].trigger()
    assert workspace.feedback.feedback.toPlainText() == "Cite the log line."
    library.add("Good use of <b>evidence</b>.")
    settle(0.3)
    saved = json.loads(services.comment_library_path.read_text())
    assert [r["text"] for r in saved["remarks"]][-1] == "Good use of <b>evidence</b>."

    shared = tmp_path / "shared.json"
    run(library.export_to(shared))
    assert json.loads(shared.read_text())["remarks"] == saved["remarks"]
    colleague = tmp_path / "colleague.json"
    colleague.write_text(json.dumps(["Great timeline.", "Name the owner of each remediation step."]))
    run(library.import_from(colleague))
    assert [r.text for r in library.remarks()][-1] == "Name the owner of each remediation step."
    assert len(library.remarks()) == len(saved["remarks"]) + 1  # the duplicate was skipped

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    run(library.load(broken))
    assert "not a comment library" in library.status.text()
    assert broken.read_text() == "{not json"  # never overwritten


def _button(library: CommentLibrary, text: str) -> QPushButton:
    return next(button for button in library.findChildren(QPushButton) if button.text() == text)


def test_a_new_library_starts_with_the_rubrics_remarks_and_keys_tie_a_new_one_to_the_scored_criterion(
    details: list[Any], workspace: Any, services: Any, run: Any, settle: Any, qtbot: Any
) -> None:
    assert run(workspace.open_review(_in_review(details).id))
    library = workspace.feedback.library
    rubrics = workspace.document.review.rubrics
    assert {r.criterion_id for r in library.remarks()} == {c.id for r in rubrics.values() for c in r.criteria}
    assert "starter remarks" in library.status.text()

    key(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    key(Qt.Key.Key_Down)  # the second criterion is being scored: its remarks come first
    second = workspace.scorer.rows[1].criterion.id
    assert library.list.item(0).data(Qt.ItemDataRole.UserRole) == second
    key(Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    key("Name the owner of each fix.")
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    tab_to(lambda widget: widget is _button(library, "Add"))  # the selection stays while Tab leaves the text
    key(Qt.Key.Key_Space)
    assert Remark("Name the owner of each fix.", second) in library.remarks()

    tab_to(lambda widget: widget is library.list)
    key(Qt.Key.Key_Home)
    key(Qt.Key.Key_Down)
    starter = library.list.currentItem().text()
    tab_to(lambda widget: widget is _button(library, "Remove"))
    key(Qt.Key.Key_Space)
    settle(0.3)
    again = CommentLibrary()
    qtbot.addWidget(again)
    run(again.load(services.comment_library_path))
    again.offer_starters(rubrics.values())  # seen before: a removed starter stays removed
    assert starter not in [r.text for r in again.remarks()]
    assert Remark("Name the owner of each fix.", second) in again.remarks()


def test_library_edits_reach_the_file_in_their_order_and_a_failed_write_is_said(
    qtbot: Any, run: Any, settle: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from mentor_desk.ui.review import feedback_bar

    library = feedback_bar.CommentLibrary()
    qtbot.addWidget(library)
    path = tmp_path / "remarks.json"
    run(library.load(path))
    write = feedback_bar.save_library
    slow = [0.3]  # the first write takes a while (a busy disk), the second one does not

    def busy_disk(target: Path, remarks: list[Any], starters: Any) -> None:
        time.sleep(slow.pop() if slow else 0)
        write(target, remarks, starters)

    monkeypatch.setattr(feedback_bar, "save_library", busy_disk)
    library.add("First remark.")
    library.add("Second remark.")
    settle(0.6)
    assert [r["text"] for r in json.loads(path.read_text())["remarks"]] == ["First remark.", "Second remark."]

    (tmp_path / "blocked").write_text("a file where the library's folder should be")
    library.path = tmp_path / "blocked" / "remarks.json"
    library.add("Third remark.")
    qtbot.waitUntil(lambda: library.status.text().startswith("The comment library could not be saved"))
    assert [r.text for r in library.remarks()][-1] == "Third remark."  # still listed, to export or retry
    library.path = path
    library.add("Fourth remark.")
    qtbot.waitUntil(lambda: library.status.text() == "")
    assert [r["text"] for r in json.loads(path.read_text())["remarks"]][-2:] == ["Third remark.", "Fourth remark."]


def test_cheat_sheet_lists_every_shortcut(workspace: Any) -> None:
    sheet = workspace.show_cheat_sheet()
    rows = dict((text, keys) for keys, text in sheet.rows())
    for action in workspace.actions_by_name.values():
        assert action.shortcuts(), f"{action.text()} has no shortcut"
        assert action.text().replace("&", "") in rows
    assert "F1" in rows["Keyboard shortcuts"]
    sheet.close()


def test_decided_review_accepts_no_new_decision(details: list[Any], workspace: Any, run: Any) -> None:
    detail = pick(details, lambda d: d.status == "approved", "an approved review")
    assert run(workspace.open_review(detail.id))
    assert not any(b.isEnabled() for b in workspace.feedback.decision_buttons.values())
    assert "Already decided (Approved)" in workspace.feedback.stage_note.text()
    workspace.actions_by_name["fail"].trigger()
    assert workspace.document.get(("decision",)) is None
    assert any("already decided" in p for p in workspace.problems())


def test_submit_shows_the_resulting_status_and_waits_for_the_mentor(
    details: list[Any], workspace: Any, services: Any, run: Any, qtbot: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    detail = _in_review(details)
    assert run(workspace.open_review(detail.id))
    _score_everything(workspace)
    workspace.actions_by_name["approve"].trigger()

    async def answer(button: QMessageBox.StandardButton) -> tuple[bool, str]:
        submitting = asyncio.ensure_future(workspace.submit_review())
        for _ in range(500):  # the loop keeps running while the question is open
            if workspace.confirmation is not None and workspace.confirmation.isVisible():
                break
            await asyncio.sleep(0.01)
        question = workspace.confirmation.text()
        workspace.confirmation.button(button).click()
        return await submitting, question

    submitted, question = run(answer(QMessageBox.StandardButton.Cancel))
    assert not submitted and "Resulting status: Approved" in question
    assert run(services.store.outbox()) == []
    with qtbot.waitSignal(workspace.submitted) as signal:
        submitted, _ = run(answer(QMessageBox.StandardButton.Yes))
    assert submitted and signal.args == [detail.id]
    assert [e.draft.decision for e in run(services.store.outbox())] == ["approve"]


def test_capstone_header_and_stage_picker_name_stages_in_words(details: list[Any], workspace: Any, run: Any) -> None:
    """The header and the stage picker say "Design & remediation", never the code ``design_remediation``."""
    detail = pick(
        details,
        lambda d: d.kind == "capstone" and any("_" in s.name for s in d.stages),
        "a capstone with a multi-word stage",
    )
    stage = next(s.name for s in detail.stages if "_" in s.name)
    assert run(workspace.open_review(detail.id, stage=stage))
    assert "_" not in workspace.subtitle.text() and stage_title(stage) in workspace.subtitle.text()
    picker = workspace.stage_picker
    assert picker.currentText() == f"Stage: {stage_title(stage)}"
    items = [picker.itemText(i) for i in range(picker.count())]
    assert all("_" not in item for item in items), items
