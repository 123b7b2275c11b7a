"""A review in progress: what the mentor scored, wrote, recorded and decided for one stage of one submission.

One typed value travels from the keystroke to the server: the review workspace edits a :class:`ReviewDraft`
(:meth:`~ReviewDraft.value_at` / :meth:`~ReviewDraft.with_value`, addressed by :data:`FieldPath`), the store keeps
it as JSON (:meth:`~ReviewDraft.to_json` / :meth:`~ReviewDraft.from_json`), the layer B sender turns it into a
stage-review request and, on OCH v1, the written feedback renders it.

A draft is immutable: every edit returns a new one, so an undo step or a draft write holds a snapshot for free.
Its maps are plain dicts typed read-only; build changed ones with :meth:`~ReviewDraft.with_value` or
:func:`dataclasses.replace`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, Literal, cast

FieldPath = tuple[str, ...]
"""Where a value lives in a draft: ``("decision",)``, ``("subtask_scores", subtask_id, criterion_id)``,
``("feedback_per_subtask", subtask_id)``, ``("decision_annotations", decision_id)``..."""

MediaKind = Literal["audio", "video"]


class TargetKind(StrEnum):
    """What a recording comments on."""

    REVIEW = "review"  # the whole review
    SUBTASK = "subtask"
    DECISION = "decision"


@dataclass(frozen=True, slots=True)
class AttachmentTarget:
    """The part of the review an attachment belongs to; ``id`` is the subtask or decision id ("" for the review)."""

    kind: TargetKind = TargetKind.REVIEW
    id: str = ""


@dataclass(frozen=True, slots=True)
class MediaAttachment:
    """A recording attached to the review. ``media_id`` is the platform's id once uploaded ("" before)."""

    sha256: str
    kind: MediaKind
    target: AttachmentTarget = AttachmentTarget()
    media_id: str = ""
    duration_ms: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "media_id": self.media_id,
            "sha256": self.sha256,
            "kind": self.kind,
            "duration_ms": self.duration_ms,
            "target": {"kind": self.target.kind.value, "id": self.target.id},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MediaAttachment:
        """Read a stored attachment; raises ``ValueError`` for a kind that is neither audio nor video."""
        target = _map(data.get("target"))
        kind = str(data.get("kind") or "")
        if kind not in ("audio", "video"):
            raise ValueError(f"unknown media kind {kind!r} in a draft attachment")
        return cls(
            sha256=str(data.get("sha256") or ""),
            kind=cast(MediaKind, kind),
            target=AttachmentTarget(
                TargetKind(str(target.get("kind") or TargetKind.REVIEW)), str(target.get("id") or "")
            ),
            media_id=str(data.get("media_id") or ""),
            duration_ms=int(data.get("duration_ms") or 0),
        )


@dataclass(frozen=True, slots=True)
class DecisionNote:
    """The mentor's verdict on one of the learner's decisions and a comment ("" while not given)."""

    verdict: str = ""  # "matches_ideal" | "acceptable" | "divergent" | ""
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ReviewDraft:
    """One stage review being written (see the module docstring). The request fields mirror the layer B
    stage-review request (``platform-api.md``); the ``server_*`` fields are what the draft started from."""

    base_version: int | None = None  # the review's ``version`` the draft started from (None on OCH v1)
    attempt: int = 1  # the submission attempt this draft belongs to
    stage: str = ""  # stage name ("" for a single-stage mission)
    rubric_versions: Mapping[str, int] = field(default_factory=dict)  # rubric id -> version scored against
    subtask_scores: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # subtask -> criterion -> points
    mission_score: float | None = None
    feedback_written: str = ""
    feedback_per_subtask: Mapping[str, str] = field(default_factory=dict)
    decision_annotations: Mapping[str, DecisionNote] = field(default_factory=dict)
    decision: str | None = None  # "approve" | "request_revision" | "fail" | None (non-final stages)
    server_status: str = ""  # the status seen when the draft started (layer A conflict check)
    server_updated_at: str | None = None
    attachments: tuple[MediaAttachment, ...] = ()

    # editing
    def value_at(self, path: FieldPath) -> Any:
        """The value at ``path``, or None where nothing is set."""
        name, *keys = path
        node: Any = getattr(self, _field_name(name))
        for key in keys:
            if isinstance(node, Mapping):
                node = node.get(key)
            elif isinstance(node, DecisionNote) and key in _NOTE_FIELDS:
                node = getattr(node, key)
            else:
                return None
        return node

    def with_value(self, path: FieldPath, value: Any) -> ReviewDraft:
        """A copy with ``path`` set to ``value``. Inside a map ``None`` removes the entry (and maps it leaves
        empty); a decision annotation is set whole (a :class:`DecisionNote`)."""
        name, *keys = path
        current = getattr(self, _field_name(name))
        changes: dict[str, Any] = {name: _put(current, keys, value) if keys else value}
        return replace(self, **changes)

    # serialising
    def to_json(self) -> dict[str, Any]:
        """The draft as the store keeps it (plain JSON types; the keys of the stage-review request)."""
        return {
            "base_version": self.base_version,
            "attempt": self.attempt,
            "stage": self.stage,
            "rubric_versions": dict(self.rubric_versions),
            "subtask_scores": {subtask: dict(criteria) for subtask, criteria in self.subtask_scores.items()},
            "mission_score": self.mission_score,
            "feedback_written": self.feedback_written,
            "feedback_per_subtask": dict(self.feedback_per_subtask),
            "decision_annotations": {
                decision: {"verdict": note.verdict, "comment": note.comment}
                for decision, note in self.decision_annotations.items()
            },
            "decision": self.decision,
            "server_status": self.server_status,
            "server_updated_at": self.server_updated_at,
            "attachments": [item.to_json() for item in self.attachments],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReviewDraft:
        """Read a stored draft, tolerantly: a missing key takes its default and unknown keys are ignored, so a
        draft written by an earlier version (or merged in the conflict dialog) opens."""
        return cls(
            base_version=_optional_int(data.get("base_version")),
            attempt=1 if data.get("attempt") is None else int(data["attempt"]),
            stage=str(data.get("stage") or ""),
            rubric_versions={str(k): int(v) for k, v in _map(data.get("rubric_versions")).items()},
            subtask_scores={
                str(subtask): {str(criterion): float(points) for criterion, points in _map(criteria).items()}
                for subtask, criteria in _map(data.get("subtask_scores")).items()
            },
            mission_score=_optional_float(data.get("mission_score")),
            feedback_written=str(data.get("feedback_written") or ""),
            feedback_per_subtask={str(k): str(v) for k, v in _map(data.get("feedback_per_subtask")).items()},
            decision_annotations={
                str(decision): _note(note) for decision, note in _map(data.get("decision_annotations")).items()
            },
            decision=str(data["decision"]) if data.get("decision") else None,
            server_status=str(data.get("server_status") or ""),
            server_updated_at=str(data["server_updated_at"]) if data.get("server_updated_at") else None,
            attachments=tuple(
                MediaAttachment.from_json(item) for item in data.get("attachments") or () if isinstance(item, Mapping)
            ),
        )


_FIELDS = frozenset(f.name for f in fields(ReviewDraft))
_NOTE_FIELDS = frozenset(f.name for f in fields(DecisionNote))


def _field_name(name: str) -> str:
    if name not in _FIELDS:
        raise KeyError(f"a review draft has no field {name!r}")
    return name


def _put(mapping: Mapping[str, Any], keys: list[str], value: Any) -> dict[str, Any]:
    """A copy of ``mapping`` with ``keys`` set to ``value`` (None removes; emptied inner maps go too)."""
    first, *rest = keys
    copied = dict(mapping)
    if rest:
        inner = copied.get(first)
        value = _put(inner if isinstance(inner, Mapping) else {}, rest, value) or None
    if value is None:
        copied.pop(first, None)
    else:
        copied[first] = value
    return copied


def _map(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _note(value: Any) -> DecisionNote:
    if isinstance(value, Mapping):
        return DecisionNote(str(value.get("verdict") or ""), str(value.get("comment") or ""))
    return DecisionNote(comment=str(value or ""))
