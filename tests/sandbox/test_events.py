"""SSE ``/mentor/events``: ids and names, Last-Event-ID replay, keep-alive comments."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx

from .conftest import Serve, sign_in


def events(client: httpx.Client, headers: dict[str, str] | None = None, want: int = 1,
           timeout: float = 10) -> list[dict[str, str]]:
    """Read ``want`` events (ignoring comments) from a fresh connection."""
    found: list[dict[str, str]] = []
    with client.stream("GET", "/mentor/events", headers=headers or {}, timeout=timeout) as stream:
        for block in _blocks(stream.iter_lines()):
            if "event" in block:
                found.append(block)
                if len(found) == want:
                    break
    return found


def _blocks(lines: Iterator[str]) -> Iterator[dict[str, str]]:
    block: dict[str, str] = {}
    for line in lines:
        if not line:
            if block:
                yield block
            block = {}
        elif line.startswith(":"):
            block.setdefault("comment", line)
            yield block
            block = {}
        else:
            key, _, value = line.partition(": ")
            block[key] = value


def test_replay_after_last_event_id(serve: Serve) -> None:
    server = serve(events_keepalive_s=0.3)
    maya, lena = sign_in(server.url, "mentor@demo.och"), sign_in(server.url, "mentor2@demo.och")
    shared = {r["id"] for r in lena.get("/mentor/reviews", params={"limit": 1000}).json()["results"]}
    rows = [r for r in maya.get("/mentor/reviews", params={"status": "ai_reviewed", "limit": 1000}
                                ).json()["results"] if r["id"] in shared]
    maya.post(f"/mentor/reviews/{rows[0]['id']}/claim")
    maya.delete(f"/mentor/reviews/{rows[0]['id']}/claim")
    maya.post(f"/mentor/reviews/{rows[1]['id']}/claim")
    replayed = events(lena, {"Last-Event-ID": "0"}, want=3)
    assert [e["event"] for e in replayed] == ["claim.changed"] * 3
    ids = [int(e["id"]) for e in replayed]
    assert ids == sorted(ids)
    assert json.loads(replayed[0]["data"])["claimed_by"]["id"] == 1
    assert json.loads(replayed[1]["data"])["claimed_by"] is None
    after = events(lena, {"Last-Event-ID": str(ids[1])}, want=1)
    assert after[0]["id"] == str(ids[2])
    # an unrelated mentor hears nothing about it
    with sign_in(server.url, "mentor3@demo.och") as arjun, arjun.stream(
            "GET", "/mentor/events", headers={"Last-Event-ID": "0"}, timeout=3) as stream:
        started = time.monotonic()
        lines = []
        for line in stream.iter_lines():
            lines.append(line)
            if time.monotonic() - started > 1.2:
                break
        assert not any(line.startswith("event:") for line in lines)


def test_live_event_and_keepalive(serve: Serve) -> None:
    server = serve(events_keepalive_s=0.5)
    maya = sign_in(server.url, "mentor@demo.och")
    row = maya.get("/mentor/reviews", params={"status": "ai_reviewed", "limit": 1}).json()["results"][0]
    seen: list[dict[str, str]] = []
    with maya.stream("GET", "/mentor/events", timeout=10) as stream:
        for block in _blocks(stream.iter_lines()):
            seen.append(block)
            if block.get("comment") == ": keep-alive" and not any("event" in b for b in seen):
                httpx.post(f"{server.url}/api/v1/mentor/reviews/{row['id']}/claim", headers=maya.headers)
            if "event" in block:
                break
    assert any(b.get("comment") == ": keep-alive" for b in seen)
    assert seen[-1]["event"] == "claim.changed" and json.loads(seen[-1]["data"])["id"] == row["id"]


def test_director_assignment_announces_items(serve: Serve) -> None:
    """Contract 05's assign-direct: the learner's items appear for the mentor, with review.assigned events."""
    server = serve(events_keepalive_s=0.3)
    with sign_in(server.url, "lead@demo.och") as lead, sign_in(server.url, "mentor3@demo.och") as arjun:
        before = arjun.get("/mentor/reviews", params={"limit": 1000}).json()["count"]
        mine = {r["learner"]["id"] for r in arjun.get("/mentor/reviews", params={"limit": 1000}).json()["results"]}
        learner = next(i for i in range(7, 60) if i not in mine)
        assigned = lead.post("/director/mentors/assign-direct/", json={"mentee_id": str(learner), "mentor_id": "4"})
        assert assigned.status_code == 201 and set(assigned.json()) == {"id", "mentee_id", "mentor_id", "created"}
        assert lead.post("/director/mentors/assign-direct/", json={"mentee_id": learner, "mentor_id": 4}
                         ).json()["created"] is False
        after = arjun.get("/mentor/reviews", params={"limit": 1000}).json()["count"]
        assert after == before + 6
        announced = events(arjun, {"Last-Event-ID": "0"}, want=6)
        assert {e["event"] for e in announced} == {"review.assigned"}
        assert arjun.post("/director/mentors/assign-direct/", json={"mentee_id": learner, "mentor_id": 4}
                          ).status_code == 403
