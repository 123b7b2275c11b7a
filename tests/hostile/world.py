"""The genuine answers of a sandbox, recorded once, that the hostile server serves (mutated or not), and the
client calls a mentor's desk makes against them."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import PlatformError

from .hostile_server import Reply, Request
from .peers import login

DEADLINE_S = 15.0  # a client call that has not finished (answered or failed) by then is a hang
CLIENT_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Recorded:
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class World:
    """Genuine answers by path (query strings dropped) and the ids the calls need."""

    answers: dict[str, Recorded]
    review_id: str
    rubric_id: str

    def genuine(self, request: Request) -> Reply:
        found = self.answers.get(request.method + " " + request.path.split("?")[0])
        if found is None:
            return Reply(404, b'{"detail": "Not found."}')
        return Reply(found.status, found.body, content_type=found.content_type)


def record(origin: str) -> World:
    """Sign in to a running sandbox as the demo mentor and record the answers the calls below read."""
    signed = login(origin, "mentor@demo.och")
    token = signed.json()["access_token"]
    api = f"{origin}/api/v1"
    answers = {"POST /api/v1/auth/login": Recorded(200, "application/json", signed.content)}
    with httpx.Client(base_url=api, headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
        reviews = http.get("/mentor/reviews", params={"limit": 20})
        review_id = reviews.json()["results"][0]["id"]
        detail = http.get(f"/mentor/reviews/{review_id}")
        rubric_id = next(iter(detail.json()["rubrics"]))
        paths = ["/auth/me", "/mentor/capabilities", "/mentor/reviews", f"/mentor/reviews/{review_id}",
                 f"/rubrics/{rubric_id}", "/mentor/tier5/learners", "/scoring-meetings",
                 "/mentors/1/missions/submissions", "/mentor/workqueue", "/mentors/1/capstones"]
        for path in paths:
            answer = http.get(path)
            answers[f"GET /api/v1{path}"] = Recorded(answer.status_code, answer.headers["content-type"],
                                                     answer.content)
    return World(answers, review_id, rubric_id)


Call = Callable[[PlatformClient, World], Awaitable[Any]]
CALLS: dict[str, tuple[str, Call]] = {
    # name: (the request whose answer is made hostile, what the desk does)
    "sign-in": ("POST /api/v1/auth/login", lambda c, w: c.login("mentor@demo.och", "mentor-demo")),
    "who am I": ("GET /api/v1/auth/me", lambda c, w: c.me()),
    "capabilities": ("GET /api/v1/mentor/capabilities", lambda c, w: c.discover()),
    "queue": ("GET /api/v1/mentor/reviews", lambda c, w: c.list_reviews()),
    "review": ("GET /api/v1/mentor/reviews/{review}", lambda c, w: c.get_review(w.review_id)),
    "rubric": ("GET /api/v1/rubrics/{rubric}", lambda c, w: c.get_rubric(w.rubric_id)),
    "tier-5 learners": ("GET /api/v1/mentor/tier5/learners", lambda c, w: c.tier5_learners()),
    "meetings": ("GET /api/v1/scoring-meetings", lambda c, w: c.list_meetings()),
    "v1 submissions": ("GET /api/v1/mentors/1/missions/submissions", lambda c, w: c.v1_submissions(1)),
    "v1 work queue": ("GET /api/v1/mentor/workqueue", lambda c, w: c.v1_workqueue()),
}


def target(world: World, call: str) -> str:
    return CALLS[call][0].format(review=world.review_id, rubric=world.rubric_id)


@dataclass(frozen=True)
class Outcome:
    """How one client call ended: ``value``, or ``error`` (a PlatformError with its sentence), or neither
    (``crash`` holds the unexpected exception, or ``hang`` is set)."""

    value: Any = None
    error: PlatformError | None = None
    crash: BaseException | None = None
    hang: bool = False

    @property
    def sentence(self) -> str:
        return self.error.user_message if self.error else ""


async def attempt(origin: str, world: World, call: str, *, client: PlatformClient | None = None) -> Outcome:
    """Run one desk call against ``origin`` (signed in first with the genuine answer unless it is the
    sign-in); ``client`` may be reused across attempts (making one loads the TLS trust store, ~0.3 s)."""
    own = client is None
    client = client or PlatformClient(origin, timeout=CLIENT_TIMEOUT_S)
    try:
        async with asyncio.timeout(DEADLINE_S):
            if call != "sign-in":
                await client.login("mentor@demo.och", "mentor-demo")
            return Outcome(value=await CALLS[call][1](client, world))
    except TimeoutError:
        return Outcome(hang=True)
    except PlatformError as error:
        return Outcome(error=error)
    except Exception as crash:  # anything else escaping the client is a crash of the desk
        return Outcome(crash=crash)
    finally:
        if own:
            await client.aclose()


def plain_sentence(text: str) -> bool:
    """A sentence for a mentor: words, no Python exception text, no markup."""
    return bool(re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", text)) and "Traceback" not in text and "<" not in text


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()
