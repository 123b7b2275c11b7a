"""Per-server state shared by the route modules (``request.app.state.sandbox``)."""

from __future__ import annotations

import json
import math
import random
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from mentor_desk.sandbox.auth import Tokens
from mentor_desk.sandbox.db import Database, dumps
from mentor_desk.sandbox.errors import detail, error
from mentor_desk.sandbox.limits import Limits, Throttle

if TYPE_CHECKING:
    from mentor_desk.sandbox.runner import SandboxConfig


@dataclass
class SandboxState:
    config: SandboxConfig
    db: Database
    tokens: Tokens
    fault_rng: random.Random = field(default_factory=random.Random)
    throttle: Throttle = field(init=False)

    def __post_init__(self) -> None:
        self.throttle = Throttle(self.config.limits.login_window_s)

    @property
    def media_dir(self) -> Path:
        """Where uploaded media live: beside the database file."""
        path = self.config.db_path.parent / (self.config.db_path.name + ".media")
        path.mkdir(parents=True, exist_ok=True)
        return path


async def sandbox(request: Request) -> SandboxState:
    """FastAPI dependency: the running sandbox (async: a plain ``def`` would cost a worker-thread hop per request)."""
    return request.app.state.sandbox


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None = None) -> str:
    """One fixed UTC format (microseconds, ``Z``), so stored timestamps also compare correctly as text."""
    return (moment or now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    """Parse an ISO 8601 time; naive times are taken as UTC. A '+' offset that arrived as a space (an
    unencoded query string) is repaired."""
    text = re.sub(r"([T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$", r"\1+\2", text.strip())
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def emit(conn: sqlite3.Connection, user_ids: Iterable[int], event: str, data: dict[str, Any]) -> None:
    """Record an SSE event for each user (``GET /mentor/events`` reads and replays these)."""
    stamp = iso()
    conn.executemany("INSERT INTO events (user_id, event, data, created_at) VALUES (?,?,?,?)",
                     [(uid, event, dumps(data), stamp) for uid in sorted(set(user_ids))])


MAX_INTEGER = 2**63 - 1  # what SQLite stores; larger numbers are refused when the body is parsed


def _integer(text: str) -> int:
    value = int(text)  # over 4,300 digits Python itself refuses (ValueError)
    if abs(value) > MAX_INTEGER:
        raise ValueError("a number in the body is too large")
    return value


def _real(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("a number in the body is too large")
    return value


def _constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


async def json_body(request: Request) -> dict[str, Any]:
    """FastAPI dependency: the JSON object body (DRF's parse error otherwise); empty body → {}.

    Numbers beyond ±2⁶³, non-finite numbers and nesting too deep for the parser are parse errors (400),
    never a server error later.
    """
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw, parse_int=_integer, parse_float=_real, parse_constant=_constant)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError and the number checks above
        raise detail(400, f"JSON parse error - {exc}") from None
    except RecursionError:
        raise detail(400, "JSON parse error - the body is nested too deeply") from None
    if not isinstance(value, dict):
        raise detail(400, "Invalid data. Expected a dictionary.")
    _check_sizes(value, request.app.state.sandbox.config.limits)
    return value


def _check_sizes(value: dict[str, Any], limits: Limits) -> None:
    """422 ``too_long`` for a text longer than the limit, 400 for nesting deeper than it (named by path)."""
    pending: list[tuple[str, Any, int]] = [("", value, 1)]
    while pending:
        path, item, depth = pending.pop()
        if depth > limits.json_depth:
            raise detail(400, f"JSON parse error - {path or 'the body'} is nested more than "
                              f"{limits.json_depth} levels deep")
        children = item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else ()
        for key, child in children:
            where = f"{path}.{key}" if path else str(key)
            for text in (key, child):
                if isinstance(text, str) and len(text) > limits.text_chars:
                    raise error(422, "too_long", f"{where} holds {len(text):,} characters; at most "
                                                 f"{limits.text_chars:,} are accepted")
            if isinstance(child, dict | list):
                pending.append((where, child, depth + 1))
