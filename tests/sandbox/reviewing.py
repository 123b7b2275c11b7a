"""Helpers that build valid layer B review bodies from a review detail, scoring independently of the server."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def r2(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def expected_score(detail: dict[str, Any], scores: dict[str, dict[str, float]]) -> float:
    subtasks = {str(s["id"]): s for s in detail["mission"]["subtasks"]}
    total = weighted = 0.0
    for subtask_id, criteria in scores.items():
        rubric = detail["rubrics"][subtasks[subtask_id]["rubric_id"]]
        weights = {c["id"]: c["weight"] for c in rubric["criteria"]}
        low, high = rubric["scale"]["min"], rubric["scale"]["max"]
        mean = sum(weights[c] * v for c, v in criteria.items()) / sum(weights[c] for c in criteria)
        weight = subtasks[subtask_id]["weight"]
        weighted += weight * r2((mean - low) / (high - low) * 100)
        total += weight
    return r2(weighted / total)


def uniform_scores(detail: dict[str, Any], points: float, subtask_ids: list[str] | None = None
                   ) -> dict[str, dict[str, float]]:
    chosen = subtask_ids or [str(s["id"]) for s in detail["mission"]["subtasks"]]
    by_id = {str(s["id"]): s for s in detail["mission"]["subtasks"]}
    return {sid: {c["id"]: points for c in detail["rubrics"][by_id[sid]["rubric_id"]]["criteria"]}
            for sid in chosen}


def review_body(detail: dict[str, Any], decision: str | None, points: float = 3,
                **overrides: Any) -> dict[str, Any]:
    final = detail["stage"]["name"] == "final"
    scores = uniform_scores(detail, points) if final else uniform_scores(
        detail, points, [str(detail["mission"]["subtasks"][0]["id"])])
    body = {"client_op_id": str(uuid.uuid4()), "base_version": detail["version"], "stage": detail["stage"]["name"],
            "decision": decision, "subtask_scores": scores, "mission_score": expected_score(detail, scores),
            "feedback_written": "Clear investigation; tighten the remediation owners.",
            "feedback_per_subtask": {}, "decision_annotations": {}, "audio_media_id": None,
            "video_media_id": None, "recommended_recipes": []}
    body.update(overrides)
    return body
