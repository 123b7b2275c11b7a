"""Hypothesis strategies that turn a genuine platform answer into a hostile one.

A :class:`Mutation` changes either one place in the JSON (a field dropped or added, a wrong type, null, a
huge or non-finite number, an unknown enum value, deep nesting, a 1 MB text) or the bytes and the envelope
(invalid UTF-8, truncated JSON, an HTML error page, a wrong content type, an empty body, any status)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from .hostile_server import Reply
from .world import Recorded

JSON_KINDS = ("drop field", "extra field", "wrong type", "null", "huge number", "unknown enum", "deep nesting",
              "long text")
BYTE_KINDS = ("invalid utf-8", "truncated", "html page", "wrong content type", "empty body", "other status")
_SENTINEL = "\u0000hostile\u0000"
HUGE_NUMBERS = ("1e400", "-1e400", "1" + "0" * 400, "9" * 5000, "-0", "1e-400", "18446744073709551617")
HTML = (b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>"
        b"<script>alert(document.cookie)</script></body></html>")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)


@dataclass(frozen=True)
class Mutation:
    kind: str
    seed: int
    value: Any = None
    status: int = 200

    def apply(self, genuine: Recorded) -> Reply:
        rng = random.Random(self.seed)
        body = genuine.body
        if self.kind in JSON_KINDS:
            try:
                document = json.loads(body)
            except ValueError:
                return Reply(genuine.status, body, content_type=genuine.content_type)
            text = json.dumps(self._mutate(document, rng))
            if self.kind == "huge number":
                text = text.replace(json.dumps(_SENTINEL), rng.choice(HUGE_NUMBERS))
            return Reply(self.status if self.status != 200 else genuine.status, text.encode())
        if self.kind == "invalid utf-8":
            at = rng.randrange(len(body) + 1)
            return Reply(genuine.status, body[:at] + rng.choice([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80"]) + body[at:])
        if self.kind == "truncated":
            return Reply(genuine.status, body[: rng.randrange(len(body) + 1)])
        if self.kind == "html page":
            return Reply(self.status, HTML, content_type="text/html; charset=utf-8")
        if self.kind == "wrong content type":
            return Reply(genuine.status, body, content_type=rng.choice(["text/html", "application/octet-stream",
                                                                         "text/event-stream", None]))
        if self.kind == "empty body":
            return Reply(self.status, b"")
        return Reply(self.status, body)

    def _mutate(self, document: Any, rng: random.Random) -> Any:
        """Change one place of the document (chosen by a random walk), returning the new document."""
        replacement = {"wrong type": self.value, "null": None, "huge number": _SENTINEL,
                       "unknown enum": "quantum_" + str(rng.randrange(10**6)),
                       "deep nesting": _nested(rng.choice([50, 500, 5000])),
                       "long text": "\u202e<b>" + "x" * 1_000_000}.get(self.kind)
        node: Any = document
        parent: Any = None
        key: Any = None
        while isinstance(node, dict | list) and node and rng.random() < 0.8:
            parent, key = node, rng.choice(list(node) if isinstance(node, dict) else range(len(node)))
            node = node[key]
        container = node if isinstance(node, dict) else parent if isinstance(parent, dict) else None
        if self.kind == "drop field" and container:
            del container[rng.choice(list(container))]
        elif self.kind == "extra field" and isinstance(container, dict):
            container["x_" + str(rng.randrange(1000))] = self.value
        elif parent is None:
            return replacement if self.kind not in ("drop field", "extra field") else document
        elif self.kind not in ("drop field", "extra field"):
            parent[key] = replacement
        return document


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


mutations = st.builds(
    Mutation,
    kind=st.sampled_from(JSON_KINDS + BYTE_KINDS),
    seed=st.integers(0, 2**32),
    value=json_values,
    status=st.sampled_from([200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503]),
)
