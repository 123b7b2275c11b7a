"""Issue 16, part 2: every layer A and B answer the desk reads, mutated by hypothesis (missing and extra
fields, wrong types, nulls, huge numbers, unknown enums, deep nesting, invalid UTF-8, truncated JSON, HTML
error pages, wrong content types, odd statuses). The call either succeeds (tolerantly) or ends in a typed
error with a sentence for the mentor; never a crash, never a hang past ``world.DEADLINE_S``.

The budget per call is ``HOSTILE_EXAMPLES`` (default 15: the README's test command); ``benchmarks/`` runs
the long version (``hostile_cases``)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings

from mentor_desk.api.client import PlatformClient

from .hostile_server import HostileServer, Reply, Request
from .mutations import Mutation, mutations
from .tally import TALLY
from .world import CALLS, CLIENT_TIMEOUT_S, Outcome, World, attempt, plain_sentence, target

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "15"))


class Mutator:
    """The handler of a hostile server: the current mutation applied to one request's genuine answer."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.target = ""
        self.mutation: Mutation | None = None

    def __call__(self, request: Request) -> Reply:
        key = f"{request.method} {request.path.split('?')[0]}"
        if key == self.target and self.mutation is not None:
            return self.mutation.apply(self.world.answers[key])
        return self.world.genuine(request)


@pytest.fixture(scope="module")
def hostile(world: World) -> Iterator[tuple[HostileServer, Mutator]]:
    mutator = Mutator(world)
    with HostileServer(mutator) as server:
        yield server, mutator


def verdict(call: str, mutation: Mutation, outcome: Outcome) -> list[str]:
    """What was bad about one case (recorded in the tally); empty when it held."""
    category = f"answers: {call}"
    TALLY.tried_cases(category)
    bad = []
    if outcome.crash is not None:
        bad.append(("crashes", f"{mutation}: {outcome.crash!r}"))
    if outcome.hang:
        bad.append(("hangs", f"{mutation}"))
    if outcome.error is not None and not plain_sentence(outcome.sentence):
        bad.append(("crashes", f"{mutation}: no sentence for the mentor: {outcome.sentence!r}"))
    for column, what in bad:
        TALLY.bad(category, column, what[:300])
    return [what for _, what in bad]


@pytest.mark.parametrize("call", sorted(CALLS))
def test_hostile_answers_end_in_a_result_or_a_sentence(hostile: tuple[HostileServer, Mutator], world: World,
                                                       call: str) -> None:
    server, mutator = hostile
    mutator.target = target(world, call)
    with asyncio.Runner() as runner:
        client = PlatformClient(server.url, timeout=CLIENT_TIMEOUT_S)

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(mutation=mutations)
        def case(mutation: Mutation) -> None:
            mutator.mutation = mutation
            assert not verdict(call, mutation, runner.run(attempt(server.url, world, call, client=client)))

        try:
            case()
        finally:
            runner.run(client.aclose())
