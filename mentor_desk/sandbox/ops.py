"""Idempotent writes keyed by ``client_op_id`` (the IETF Idempotency-Key rules, per user).

Only successful answers are stored: replaying the same id with the same body returns the stored answer;
the same id with another body is 422 ``op_id_reused``. A failed attempt stores nothing, so the client may
correct it and retry under the same id.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from mentor_desk.sandbox.errors import error


def body_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def replay(conn: sqlite3.Connection, user_id: int, body: dict[str, Any]) -> dict[str, Any] | None:
    """The stored answer for this body's ``client_op_id``, or None if the id is new (or absent)."""
    op_id = body.get("client_op_id")
    if not op_id:
        return None
    row = conn.execute("SELECT body_hash, response FROM operations WHERE op_id = ? AND user_id = ?",
                       (str(op_id), user_id)).fetchone()
    if row is None:
        return None
    if row["body_hash"] != body_hash(body):
        raise error(422, "op_id_reused", f"client_op_id {op_id} was already used with a different body")
    return json.loads(row["response"])


def record(conn: sqlite3.Connection, user_id: int, body: dict[str, Any], response: dict[str, Any]) -> None:
    op_id = body.get("client_op_id")
    if op_id:
        conn.execute("INSERT INTO operations VALUES (?,?,?,?,?)",
                     (str(op_id), user_id, body_hash(body), 200, json.dumps(response)))
