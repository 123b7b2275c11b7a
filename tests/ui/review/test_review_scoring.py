"""Live totals follow the domain's scoring rules; scoring works from the keyboard alone."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from review_helpers import pick

from mentor_desk.domain.scoring import mission_score, subtask_score
from mentor_desk.services.review_view import review_view


def _scorable(details: list[Any]) -> Any:
    return pick(
        details,
        lambda d: (
            len(d.mission.subtasks) >= 3
            and d.status == "mentor_review"
            and len({s.weight for s in d.mission.subtasks}) > 1
        ),
        "three weighted subtasks in mentor review",
    )


def test_each_scoring_rule_in_the_live_totals(details: list[Any], workspace: Any, run: Any, settle: Any) -> None:
    review = review_view(_scorable(details))
    assert run(workspace.open_review(review.id))
    scorer, document = workspace.scorer, workspace.document
    first = review.subtasks[0]
    rubric = review.rubrics[first.rubric_id]
    rows = [r for r in scorer.rows if r.subtask.id == first.id]

    # partial: only the scored criterion counts
    rows[0].buttons[-1].click()
    assert scorer.subtask_labels[first.id].text() == "Subtask score: 100.00 / 100"
    assert "so far (some criteria not scored)" in scorer.totals.text()

    # weighted mean over criteria, rescaled to 0–100
    rows[1].buttons[0].click()
    expected = subtask_score(rubric, document.draft.subtask_scores[first.id])
    assert expected is not None and 0 < expected < 100
    assert scorer.subtask_labels[first.id].text() == f"Subtask score: {expected:.2f} / 100"

    # every criterion at the top level: every subtask 100, mission 100, passes
    for row in scorer.rows:
        row.buttons[-1].click()
    assert all(label.text() == "Subtask score: 100.00 / 100" for label in scorer.subtask_labels.values())
    assert "Mission score: 100.00 / 100" in scorer.totals.text() and "PASSES" in scorer.totals.text()
    assert scorer.totals.label.property("state") == "pass"

    # one subtask at its lowest levels: the mission score is the subtask-weighted mean of the shown scores
    for row in (r for r in scorer.rows if r.subtask.id == first.id):
        row.buttons[0].click()
    scores = document.draft.subtask_scores
    expected_mission = mission_score(review.subtasks, review.rubrics, scores)
    shown = {sid: float(label.text().split(": ")[1].split(" /")[0]) for sid, label in scorer.subtask_labels.items()}
    weights = {s.id: s.weight for s in review.subtasks}
    weighted = sum(weights[sid] * value for sid, value in shown.items()) / sum(weights.values())
    assert shown[first.id] < 100 and abs(expected_mission - weighted) <= 0.01
    assert f"Mission score: {expected_mission:.2f} / 100" in scorer.totals.text()
    threshold = max(r.pass_threshold for r in review.rubrics.values())
    assert ("PASSES" in scorer.totals.text()) == (expected_mission >= threshold)
    assert document.draft.mission_score == expected_mission
    assert document.draft.rubric_versions == {r.id: r.version for r in review.rubrics.values()}


def test_keyboard_only_scoring(details: list[Any], workspace: Any, run: Any, qtbot: Any) -> None:
    review = review_view(_scorable(details))
    assert run(workspace.open_review(review.id))
    scorer = workspace.scorer
    scorer.setFocus()
    first, second = scorer.rows[0], scorer.rows[1]
    qtbot.keyClick(scorer, Qt.Key.Key_3)  # level worth 3 points, then moves to the next criterion
    assert workspace.document.score(first.subtask.id, first.criterion.id) == 3
    assert scorer.current == 1
    qtbot.keyClick(scorer, Qt.Key.Key_2)
    assert workspace.document.score(second.subtask.id, second.criterion.id) == 2
    qtbot.keyClick(scorer, Qt.Key.Key_Up)
    qtbot.keyClick(scorer, Qt.Key.Key_Backspace)
    assert workspace.document.score(second.subtask.id, second.criterion.id) is None
    qtbot.keyClick(scorer, Qt.Key.Key_Right)  # next subtask
    assert scorer.rows[scorer.current].subtask.id == review.subtasks[1].id
    qtbot.keyClick(scorer, Qt.Key.Key_Left)
    assert scorer.rows[scorer.current].subtask.id == review.subtasks[0].id
    assert first.buttons[[lv.points for lv in first.criterion.levels].index(3)].isChecked()


class _LayoutRequests(QObject):
    """Counts the layout requests that reach a widget."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_a_score_repaints_the_totals_without_laying_out_the_workspace(
    details: list[Any], workspace: Any, run: Any, qtbot: Any, settle: Any
) -> None:
    """A new total must not make every pane lay itself out again (that took a keystroke 20 ms on a large
    review): only the labels that changed are repainted."""
    assert run(workspace.open_review(_scorable(details).id))
    scorer = workspace.scorer
    scorer.setFocus()
    qtbot.keyClick(scorer, "1")  # the header says "Editing…" from here on
    settle()
    requests = _LayoutRequests()
    workspace.installEventFilter(requests)
    shown = []
    for digit in "2342":
        qtbot.keyClick(scorer, digit)
        settle()
        shown.append(scorer.totals.text())
    workspace.removeEventFilter(requests)
    assert len(set(shown)) > 1, "the totals followed the scores"
    assert requests.count == 0
