"""The typed review draft: editing by field path, its stored JSON form, and reading drafts of earlier versions."""

from __future__ import annotations

import json

import pytest

from mentor_desk.domain.draft import AttachmentTarget, DecisionNote, MediaAttachment, ReviewDraft, TargetKind

RECORDING = MediaAttachment(
    sha256="ab" * 32, kind="audio", target=AttachmentTarget(TargetKind.SUBTASK, "st-2"), media_id="m-1"
)


def test_every_edit_returns_a_new_draft_and_leaves_the_old_one() -> None:
    start = ReviewDraft(subtask_scores={"st-1": {"evidence": 3.0}})
    scored = start.with_value(("subtask_scores", "st-1", "reasoning"), 2.0)
    decided = scored.with_value(("decision",), "approve")
    assert start.subtask_scores == {"st-1": {"evidence": 3.0}} and start.decision is None
    assert decided.subtask_scores == {"st-1": {"evidence": 3.0, "reasoning": 2.0}}
    assert decided.value_at(("subtask_scores", "st-1", "reasoning")) == 2.0
    assert decided.value_at(("decision",)) == "approve"


def test_none_inside_a_map_removes_the_entry_and_the_maps_it_empties() -> None:
    draft = ReviewDraft(subtask_scores={"st-1": {"evidence": 3.0}, "st-2": {"a": 1.0}}, feedback_per_subtask={"x": "y"})
    cleared = draft.with_value(("subtask_scores", "st-1", "evidence"), None)
    cleared = cleared.with_value(("feedback_per_subtask", "x"), None)
    assert cleared.subtask_scores == {"st-2": {"a": 1.0}} and cleared.feedback_per_subtask == {}
    assert cleared.value_at(("subtask_scores", "st-1", "evidence")) is None


def test_a_decision_note_is_set_whole_and_read_by_its_parts() -> None:
    draft = ReviewDraft().with_value(("decision_annotations", "d1"), DecisionNote("divergent", "Isolate first."))
    assert draft.value_at(("decision_annotations", "d1", "verdict")) == "divergent"
    assert draft.value_at(("decision_annotations", "d1", "comment")) == "Isolate first."
    assert draft.value_at(("decision_annotations", "d2", "verdict")) is None
    assert draft.with_value(("decision_annotations", "d1"), None).decision_annotations == {}


def test_an_unknown_field_is_refused() -> None:
    with pytest.raises(KeyError, match="no field 'comment'"):
        ReviewDraft().with_value(("comment",), "x")


def test_the_json_form_round_trips_through_text() -> None:
    draft = ReviewDraft(
        base_version=4,
        attempt=2,
        stage="final",
        rubric_versions={"r": 3},
        subtask_scores={"st-1": {"evidence": 3.5}},
        mission_score=81.25,
        feedback_written="Well argued. <b>not html</b>",
        feedback_per_subtask={"st-1": "Cite the log lines."},
        decision_annotations={"d1": DecisionNote("acceptable", "")},
        decision="approve",
        server_status="mentor_review",
        server_updated_at="2026-11-30T06:54:04+00:00",
        attachments=(RECORDING, MediaAttachment(sha256="cd" * 32, kind="video")),
    )
    stored = json.loads(json.dumps(draft.to_json()))
    assert ReviewDraft.from_json(stored) == draft
    assert stored["attachments"][0] == {
        "media_id": "m-1",
        "sha256": "ab" * 32,
        "kind": "audio",
        "duration_ms": 0,
        "target": {"kind": "subtask", "id": "st-2"},
    }
    assert stored["decision_annotations"] == {"d1": {"verdict": "acceptable", "comment": ""}}


def test_a_draft_of_an_earlier_version_opens_with_defaults_for_what_it_lacks() -> None:
    """Drafts written before the draft was typed: keys missing, integer points, unknown keys (ignored)."""
    old = {
        "base_version": 7,
        "subtask_scores": {"1": {"evidence": 3}},
        "decision_annotations": {"d1": {"verdict": "divergent"}, "d2": "a bare comment"},
        "edit": 12,
    }
    draft = ReviewDraft.from_json(old)
    assert draft == ReviewDraft(
        base_version=7,
        subtask_scores={"1": {"evidence": 3.0}},
        decision_annotations={"d1": DecisionNote("divergent", ""), "d2": DecisionNote("", "a bare comment")},
    )
    assert ReviewDraft.from_json({}) == ReviewDraft()


def test_an_attachment_of_an_unknown_kind_is_refused_in_words() -> None:
    with pytest.raises(ValueError, match="unknown media kind 'gif'"):
        ReviewDraft.from_json({"attachments": [{"sha256": "x", "kind": "gif"}]})
