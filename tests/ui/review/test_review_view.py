"""services/review_view.py: the review detail becomes the workspace's ReviewView in one pass, no JSON round trip."""

from __future__ import annotations

from typing import Any

import pytest

from mentor_desk.api.models import ReviewDetail
from mentor_desk.services.review_view import review_view


def test_a_detail_is_read_from_its_typed_fields_not_dumped_and_parsed_again(
    details: list[ReviewDetail], monkeypatch: pytest.MonkeyPatch
) -> None:
    capstone = next(d for d in details if len(d.stages) > 1 and d.files and d.rubrics)
    expected_updated = capstone.model_dump(mode="json")["updated_at"]

    def no_dump(*_: Any, **__: Any) -> Any:
        raise AssertionError("the detail was dumped to JSON to be parsed again")

    monkeypatch.setattr(ReviewDetail, "model_dump", no_dump)
    review = review_view(capstone)
    assert review.updated_at == expected_updated  # the drafts record it as the server writes it
    assert [s.id for s in review.subtasks] == [s.id for s in capstone.mission.subtasks]
    assert review.rubrics == capstone.domain_rubrics()
    assert [e.name for e in review.stage_history] == [s.name for s in capstone.stages if s.name]
    assert review.stage == capstone.stage.name and review_view(capstone, stage="final").stage == "final"
