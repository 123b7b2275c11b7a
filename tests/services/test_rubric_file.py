"""The rubric file chosen in the preferences scores reviews whose server has no rubrics (compatibility mode)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import ReviewDetail
from mentor_desk.sandbox.accounts import demo_account
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.services.review_view import RubricFileError, default_rubric_data, review_view

MENTOR = "mentor@demo.och"


def _bare_review(sandbox: SandboxServer) -> ReviewDetail:
    async def detail() -> ReviewDetail:
        async with PlatformClient(sandbox.url) as client:
            await client.login(MENTOR, demo_account(MENTOR).password)
            item = next(i for i in await client.fetch_queue() if i.kind == "mission")
            return await client.get_review(item.id)

    return asyncio.run(detail()).model_copy(update={"rubrics": {}})  # as a server without rubrics sends it


def test_the_mentors_rubric_file_stands_in_for_the_missing_rubrics(sandbox: SandboxServer, tmp_path: Path) -> None:
    own = {**default_rubric_data(), "id": "uni-rubric", "version": 3, "title": "Our university's rubric"}
    own["criteria"] = own["criteria"][:2]
    path = tmp_path / "rubric.json"
    path.write_text(json.dumps({"rubrics": [own]}), encoding="utf-8")
    bare = _bare_review(sandbox)

    view = review_view(bare, rubric_file=str(path))
    assert view.rubrics_from_client and {s.rubric_id for s in view.subtasks} == {"uni-rubric"}
    assert view.rubrics["uni-rubric"].version == 3 and len(view.rubrics["uni-rubric"].criteria) == 2
    assert {s.rubric_id for s in review_view(bare).subtasks} == {default_rubric_data()["id"]}  # none chosen


def test_a_rubric_file_that_is_not_a_rubric_is_said_in_words(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"rubrics": [{"id": "x"}]}', encoding="utf-8")
    for path in (broken, tmp_path / "missing.json"):
        with pytest.raises(RubricFileError, match="Preferences"):
            default_rubric_data(str(path))
