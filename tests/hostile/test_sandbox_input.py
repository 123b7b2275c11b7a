"""Issue 16, holes 7-10: input that made the sandbox answer 500, or store whatever it was sent.

Every refusal must be a 4xx whose body says in words what was wrong."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from urllib.parse import unquote

import httpx
import pytest

from mentor_desk.sandbox.runner import SandboxServer

from .peers import learner_resubmits, revision_body, signed_in, waiting_mission
from .tally import TALLY


@pytest.fixture(scope="module")
def mentor(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with signed_in(sandbox.url, "mentor@demo.och") as client:
        yield client


def review_id(client: httpx.Client) -> str:
    rows = client.get("/mentor/reviews", params={"status": "mentor_review", "limit": 1}).json()["results"]
    return str(rows[0]["id"])


def in_words(category: str, response: httpx.Response, what: str, *, allowed: tuple[int, ...] = (400, 422)) -> None:
    """A refusal in ``allowed`` with a sentence in its body; a 5xx counts as a crash."""
    TALLY.tried_cases(category)
    if response.status_code >= 500:
        TALLY.bad(category, "crashes", f"{what}: {response.status_code}")
    assert response.status_code in allowed, (what, response.status_code, response.text[:200])
    body = response.json()
    message = body.get("message") or body.get("detail") or body.get("error")
    assert isinstance(message, str) and " " in message, (what, body)


def test_numbers_and_nesting_that_crashed_the_parser_are_400s(mentor: httpx.Client) -> None:
    path = f"/mission-progress/{review_id(mentor)}/mentor-review/complete"
    headers = {"content-type": "application/json"}
    cases = {
        "200,000 open brackets": b"[" * 200_000,
        "200,000 nested objects": b'{"a":' * 200_000,
        "a 5,000-digit integer": b'{"base_version": 1, "mission_score": ' + b"9" * 5_000 + b"}",
        "a score of 10^400 as an integer": b'{"base_version": 1, "mission_score": 1' + b"0" * 400 + b"}",
        "a score of 1e400": b'{"base_version": 1, "mission_score": 1e400}',
        "NaN": b'{"base_version": 1, "mission_score": NaN}',
        "-Infinity": b'{"base_version": -Infinity}',
        "a base_version of 2^64": b'{"base_version": 18446744073709551616}',
    }
    for what, body in cases.items():
        in_words("bad input", mentor.post(path, content=body, headers=headers), what)


def test_huge_ids_and_offsets_are_400s(mentor: httpx.Client) -> None:
    huge = str(10**23)
    cases = {
        "offset 10^23": mentor.get("/mentor/reviews", params={"offset": huge}),
        "learner_id 10^23": mentor.get("/curriculum/tier5/tracks/DEFENDER_5/status", params={"learner_id": huge}),
        "rubric version 10^23": mentor.get("/rubrics/r1", params={"version": huge}),
        "mentor id 10^23": mentor.get(f"/mentors/{huge}/missions/submissions"),
    }
    for what, response in cases.items():
        in_words("bad input", response, what, allowed=(400, 403, 404, 422))
    with mentor.stream("GET", "/mentor/events", headers={"Last-Event-ID": huge}, timeout=5) as events:
        events.read()
        in_words("bad input", events, "Last-Event-ID 10^23")


def raw_request(origin: str, head: str, first_bytes: bytes, timeout: float = 5.0) -> tuple[int, bytes]:
    """Send a request's head and the first bytes of its body, then read the answer without sending more."""
    host, port = origin.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + first_bytes)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


def post_head(path: str, length: int, token: str | None = None) -> str:
    auth = f"Authorization: Bearer {token}\n" if token else ""
    return f"POST /api/v1{path} HTTP/1.1\nHost: localhost\nContent-Type: application/json\n{auth}" \
           f"Content-Length: {length}\n"


def test_big_bodies_are_refused_before_they_are_read(sandbox: SandboxServer, mentor: httpx.Client) -> None:
    """A 50 MB body announced, 1 KB sent: the answer must come without the rest (a hang here is a failure)."""
    token = mentor.headers["Authorization"].removeprefix("Bearer ")
    path = f"/mission-progress/{review_id(mentor)}/mentor-review/complete"
    fifty_mb = 50 * 1024 * 1024
    cases = {
        "anonymous 50 MB review body": (post_head(path, fifty_mb), 401),
        "50 MB sign-in body": (post_head("/auth/login", fifty_mb), 413),
        "signed-in 50 MB review body": (post_head(path, fifty_mb, token), 413),
    }
    for what, (head, expected) in cases.items():
        TALLY.tried_cases("body size")
        try:
            status, _ = raw_request(sandbox.url, head, b"[" * 1024)
        except TimeoutError:
            TALLY.bad("body size", "hangs", f"{what}: waited for the body")
            raise
        assert status == expected, what


def test_a_body_without_length_is_cut_at_the_limit(mentor: httpx.Client) -> None:
    path = f"/mission-progress/{review_id(mentor)}/mentor-review/complete"

    def chunks() -> Iterator[bytes]:
        yield b'{"feedback_written": "'
        for _ in range(64):
            yield b"x" * 65536
        yield b'"}'

    in_words("body size", mentor.post(path, content=chunks()), "a 4 MB chunked body", allowed=(413,))


def test_texts_have_a_size_limit(fresh_sandbox: SandboxServer) -> None:
    """A 1.5 MB feedback (under the body limit) was stored and served with every later fetch."""
    with signed_in(fresh_sandbox.url, "mentor@demo.och") as mentor:
        detail = waiting_mission(mentor)
        first = str(detail["mission"]["subtasks"][0]["id"])
        path = f"/mission-progress/{detail['id']}/mentor-review/complete"
        cases = {
            "a 1.5 MB feedback_written": {"feedback_written": "x" * 1_500_000},
            "a 200 KB remark per subtask": {"feedback_per_subtask": {first: "y" * 200_000}},
            "a 200 KB recipe name": {"recommended_recipes": ["z" * 200_000]},
            "lists nested 100 deep": {"recommended_recipes": json.loads("[" * 100 + "]" * 100)},
        }
        for what, overrides in cases.items():
            in_words("field size", mentor.post(path, json=revision_body(detail, **overrides)), what)
        after = mentor.get(f"/mentor/reviews/{detail['id']}").json()
        assert (after["status"], after["version"]) == ("mentor_review", detail["version"])


def test_file_names_outside_latin_1_are_served(fresh_sandbox: SandboxServer) -> None:
    names = ["résumé✓.pdf", "отчёт 2026.log", "report\u202etxt.log", 'quote" and\\slash.txt']
    with signed_in(fresh_sandbox.url, "mentor@demo.och") as mentor:
        detail = learner_resubmits(fresh_sandbox.url, mentor, [(name, b"evidence\n") for name in names])
        for shown in detail["files"]:
            if shown["filename"] not in names:
                continue
            TALLY.tried_cases("file names")
            answer = mentor.get(f"/mentor/files/{shown['id']}")
            if answer.status_code >= 500:
                TALLY.bad("file names", "crashes", f"{shown['filename']!r}: {answer.status_code}")
            assert answer.status_code == 200 and answer.content == b"evidence\n", shown["filename"]
            disposition = answer.headers["content-disposition"]
            assert "filename*=UTF-8''" in disposition
            assert unquote(disposition.split("filename*=UTF-8''")[1]) == shown["filename"]
