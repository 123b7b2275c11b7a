"""Submitting stage reviews and decisions (layer B) with scores computed by the domain module."""

from __future__ import annotations

import uuid

import pytest

from mentor_desk.api import errors
from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import DecisionAnnotation, ReviewDetail, StageRef, StageReviewRequest
from mentor_desk.domain.decision_path import compare_paths
from mentor_desk.domain.scoring import mission_score
from mentor_desk.domain.status import Decision, ReviewStatus, parse_status, resulting_status
from mentor_desk.sandbox.runner import SandboxServer

from .sandbox_clients import sign_in


def _scores(detail: ReviewDetail, fraction: float) -> dict[str, dict[str, float]]:
    rubrics = detail.domain_rubrics()
    return {
        s.id: {
            c.id: rubrics[s.rubric_id].scale_min
            + fraction * (rubrics[s.rubric_id].scale_max - rubrics[s.rubric_id].scale_min)
            for c in rubrics[s.rubric_id].criteria
        }
        for s in detail.subtask_specs()
    }


def _request(
    detail: ReviewDetail, decision: Decision | None, fraction: float = 1.0, **extra: object
) -> StageReviewRequest:
    scores = _scores(detail, fraction)
    steps = compare_paths(detail.decision_points(), detail.taken_decisions()).steps
    return StageReviewRequest(
        client_op_id=str(uuid.uuid4()),
        base_version=detail.version,
        stage=detail.stage.name,
        decision=decision.value if decision else None,
        subtask_scores=scores,
        mission_score=mission_score(detail.subtask_specs(), detail.domain_rubrics(), scores),
        feedback_written="Clear, well-evidenced work.",
        decision_annotations={
            s.decision_id: DecisionAnnotation(verdict=s.suggested_verdict.value, comment="")
            for s in steps
            if s.suggested_verdict
        },
        **extra,  # type: ignore[arg-type]
    )


async def _waiting(client: PlatformClient, kind: str) -> list[ReviewDetail]:
    rows = (await client.list_reviews(status="mentor_review", limit=500)).results
    return [await client.get_review(r.id) for r in rows if r.kind == kind and not r.claimed_by][:3]


@pytest.mark.asyncio
async def test_decision_is_idempotent_and_versioned(fresh_sandbox: SandboxServer) -> None:
    async with await sign_in(fresh_sandbox.url) as client:
        detail, *_ = await _waiting(client, "mission")
        body = _request(detail, Decision.APPROVE)
        result = await client.submit_stage_review(detail.id, body)
        assert parse_status(result.status) is resulting_status(Decision.APPROVE)
        assert result.final_status == "pass" and result.version == detail.version + 1
        assert result.mentor_score == body.mission_score == 100

        assert await client.submit_stage_review(detail.id, body) == result  # replay: the first answer
        changed = body.model_copy(update={"feedback_written": "Something else."})
        with pytest.raises(errors.ValidationFailed) as reused:
            await client.submit_stage_review(detail.id, changed)
        assert reused.value.code == "op_id_reused"

        stale = body.model_copy(update={"client_op_id": str(uuid.uuid4())})
        with pytest.raises(errors.VersionConflict) as conflict:
            await client.submit_stage_review(detail.id, stale)
        assert conflict.value.current["version"] == result.version
        assert conflict.value.current["status"] == "approved"

        again = stale.model_copy(update={"base_version": result.version})
        with pytest.raises(errors.IllegalTransition):
            await client.submit_stage_review(detail.id, again)
        assert parse_status((await client.get_review(detail.id)).status) is ReviewStatus.APPROVED


@pytest.mark.asyncio
async def test_server_rejections_are_typed(fresh_sandbox: SandboxServer) -> None:
    async with await sign_in(fresh_sandbox.url) as client:
        detail, *_ = await _waiting(client, "mission")
        wrong_score = _request(detail, Decision.APPROVE).model_copy(update={"mission_score": 12.0})
        with pytest.raises(errors.ValidationFailed) as mismatch:
            await client.submit_stage_review(detail.id, wrong_score)
        assert mismatch.value.code == "score_mismatch" and "different mission score" in mismatch.value.user_message

        silent = _request(detail, Decision.REQUEST_REVISION, 0.3).model_copy(update={"feedback_written": ""})
        with pytest.raises(errors.ValidationFailed):
            await client.submit_stage_review(detail.id, silent)

        first = next(iter(detail.subtask_specs()))
        out_of_scale = _request(detail, Decision.FAIL, 0.0)
        broken = out_of_scale.model_copy(
            update={"subtask_scores": {**out_of_scale.subtask_scores, first.id: {"nope": 1.0}}}
        )
        with pytest.raises(errors.ValidationFailed) as invalid:
            await client.submit_stage_review(detail.id, broken)
        assert invalid.value.code == "invalid_scores"

        revision = await client.submit_stage_review(detail.id, _request(detail, Decision.REQUEST_REVISION, 0.3))
    assert parse_status(revision.status) is ReviewStatus.REVISION_REQUESTED


@pytest.mark.asyncio
async def test_capstone_stage_before_the_final_one(fresh_sandbox: SandboxServer) -> None:
    async with await sign_in(fresh_sandbox.url) as client:
        capstone = next(d for d in await _waiting(client, "capstone") if d.stage.name != "final")
        with pytest.raises(errors.ValidationFailed) as early:  # a decision before the final stage
            await client.submit_stage_review(capstone.id, _request(capstone, Decision.APPROVE))
        assert early.value.code == "invalid_decision"
        result = await client.submit_stage_review(capstone.id, _request(capstone, None, 0.75))
    assert isinstance(result.stage, StageRef) and result.stage.index == capstone.stage.index + 1
    assert parse_status(result.status) is ReviewStatus.MENTOR_REVIEW and result.mentor_score == 75
