"""The base of every wire model and the tolerant field types both layers share.

Conventions: every model ignores unknown fields; enum-like values (``status``, ``kind``, ``state``...) are
plain ``str`` so that a value this version does not know survives and is shown as-is; ids that OCH sends
as ``"1"`` or ``1`` are normalised to ``int`` where the contract says "integer id".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict


def _blank_to_none(value: Any) -> Any:
    return None if value == "" else value


def _str_id(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _user_id(value: Any) -> Any:
    """An integer user id, sent as 1 or "1"; anything else (a uuid where an int was expected) is unknown."""
    if isinstance(value, str):
        return int(value) if value.strip().isdigit() else None
    return value


def _numbers(value: Any) -> Any:
    """A ``{key: number}`` map with anything that is not a number left out (a non-map becomes empty)."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def _score_map(value: Any) -> Any:
    """``{subtask_id: {criterion_id: number}}``, keeping only well-formed entries (tolerant of odd servers)."""
    if not isinstance(value, Mapping):
        return {}
    return {str(sid): _numbers(crit) for sid, crit in value.items() if isinstance(crit, Mapping)}


def _objects(value: Any) -> Any:
    """A list of JSON objects, anything else in it left out (a non-list becomes empty)."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _texts(value: Any) -> Any:
    """A ``{key: text}`` map with non-text values left out."""
    return {str(k): v for k, v in value.items() if isinstance(v, str)} if isinstance(value, Mapping) else {}


Timestamp = Annotated[datetime | None, BeforeValidator(_blank_to_none)]
Numbers = Annotated[dict[str, float], BeforeValidator(_numbers)]
ScoreMap = Annotated[dict[str, dict[str, float]], BeforeValidator(_score_map)]
Texts = Annotated[dict[str, str], BeforeValidator(_texts)]
UserId = Annotated[int | None, BeforeValidator(_user_id)]
OptInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
OptFloat = Annotated[float | None, BeforeValidator(_blank_to_none)]
StrId = Annotated[str, BeforeValidator(_str_id)]
OptStrId = Annotated[str | None, BeforeValidator(_str_id)]


class Wire(BaseModel):
    """Base of every wire model: unknown fields ignored, instances immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True)


def list_items(body: Any) -> tuple[list[Any], int | None]:
    """The rows and total count of a list answer in any of the platform's envelopes.

    Accepts a bare array, ``{results}``, ``{results, count}`` and DRF's ``{count, next, previous, results}``.
    Raises ``ValueError`` for anything else.
    """
    if isinstance(body, list):
        return body, None
    if isinstance(body, Mapping) and isinstance(body.get("results"), list):
        count = body.get("count")
        return body["results"], count if isinstance(count, int) else None
    raise ValueError("expected a list or a {results: [...]} object")
