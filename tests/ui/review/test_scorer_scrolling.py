"""Scoring row after row keeps the current criterion in view and scrolls once a screenful, not on every key."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import QPoint, Qt

from mentor_desk.services.review_view import review_view


def _in_view(scorer: Any, row: Any) -> bool:
    scroll = scorer._scroll
    top = row.mapTo(scroll.widget(), QPoint(0, 0)).y()
    view_top = scroll.verticalScrollBar().value()
    return view_top <= top and top + row.height() <= view_top + scroll.viewport().height()


def test_scoring_down_the_rubric_scrolls_a_screenful_at_a_time(
    details: list[Any], workspace: Any, run: Any, settle: Any, qtbot: Any
) -> None:
    largest = max(details, key=lambda d: sum(len(r.criteria) for r in d.rubrics.values()) * len(d.mission.subtasks))
    review = review_view(largest)
    assert run(workspace.open_review(review.id))
    scorer = workspace.scorer
    qtbot.waitUntil(lambda: scorer.fully_built, timeout=10_000)  # later subtasks are built after the first paint
    settle(0.1)  # and laid out
    bar = scorer._scroll.verticalScrollBar()
    assert bar.maximum() > 0, "the review must be taller than the scorer for this test"
    scorer.setFocus()
    scorer.select(0)
    positions = [bar.value()]
    for _ in range(len(scorer.rows) - 1):
        qtbot.keyClick(scorer, "1")
        assert _in_view(scorer, scorer.rows[scorer.current])
        positions.append(bar.value())
    assert scorer.current == len(scorer.rows) - 1
    scrolls = sum(1 for before, after in pairwise(positions) if after != before)
    assert 1 <= scrolls <= len(scorer.rows) // 3
    for _ in range(len(scorer.rows) - 1):  # and back up with the arrow key
        qtbot.keyClick(scorer, Qt.Key.Key_Up)
        assert _in_view(scorer, scorer.rows[scorer.current])
