"""What the sync benchmarks share: a sandbox platform in its own process, and a thousand real reviews to send.

The platform runs as ``python -m mentor_desk.sandbox`` in a child process (so it does not share the GIL with
the client being measured), over a copy of a database seeded once per process and scale (seeding a large
scale takes seconds and is not what is measured).
"""

from __future__ import annotations

import asyncio
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import cache
from pathlib import Path

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import ReviewDetail
from mentor_desk.domain import scoring
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.status import Decision, can_decide, resulting_status
from mentor_desk.store import Store
from mentor_desk.sync.engine import SyncEngine

EMAIL = "mentor@demo.och"
PASSWORD = "mentor-demo"
PUSH_COUNT = 1000
PULL_ROWS = 10_000
PULL_SCALE = 42
"""240 review rows of the demo mentor per scale unit: 42 gives 10,080, of which well over 1,000 await review."""

_WORK = tempfile.TemporaryDirectory(prefix="mentor-desk-bench-")


def work_dir(name: str) -> Path:
    """A fresh directory under this process's benchmark scratch space (removed at exit)."""
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=_WORK.name))


@contextmanager
def platform_process(db: Path, *, scale: int = 1) -> Iterator[str]:
    """Run the sandbox on ``db`` (seeded at ``scale`` if new) in a child process; yields its origin URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mentor_desk.sandbox", "--port", "0", "--db", str(db), "--scale", str(scale)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("listening on "):
                url = line.split()[-1]
                break
        else:
            raise RuntimeError(f"the sandbox exited before listening (exit code {proc.wait()})")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@cache
def _seeded_template(scale: int) -> Path:
    db = work_dir(f"template-{scale}") / "platform.sqlite3"
    with platform_process(db, scale=scale):
        pass  # the sandbox seeds the file before it listens
    return db


@contextmanager
def seeded_platform(scale: int = PULL_SCALE) -> Iterator[str]:
    """A platform on a private copy of a database seeded at ``scale``; yields its origin URL."""
    db = work_dir("platform") / "platform.sqlite3"
    shutil.copyfile(_seeded_template(scale), db)
    with platform_process(db, scale=scale) as url:
        yield url


@asynccontextmanager
async def sync_parts(url: str, name: str) -> AsyncIterator[tuple[PlatformClient, Store, SyncEngine]]:
    """The demo mentor signed in on ``url``, with a new empty store and a sync engine over both."""
    async with PlatformClient(url) as client:
        await client.login(EMAIL, PASSWORD)
        info = await client.discover()
        async with await Store.open(url, EMAIL, data_dir=work_dir(name)) as store:
            yield client, store, SyncEngine(client, store, mode=info.mode)


def reviewable(items: list[QueueItem]) -> list[QueueItem]:
    """Single-stage items awaiting this mentor's decision that no other mentor holds, in a stable order."""
    free = (
        item
        for item in items
        if item.assigned
        and item.stage_total <= 1
        and can_decide(item.status)
        and (item.claimed_by is None or item.claimed_by_me)
    )
    return sorted(free, key=lambda item: item.id)


def review_draft(detail: ReviewDetail, rng: random.Random) -> ReviewDraft:
    """A complete review of ``detail`` as the review workspace saves it: every criterion scored at one of its
    levels, the mission score computed by the domain scoring, approve if it passes and request a revision
    (with the written feedback that needs) if not."""
    rubrics = detail.domain_rubrics()
    specs = detail.subtask_specs()
    scores = {spec.id: _score_rubric(rubrics[spec.rubric_id], rng) for spec in specs}
    summary = scoring.summarize(specs, rubrics, scores)
    decision = Decision.APPROVE if summary.passed else Decision.REQUEST_REVISION
    return ReviewDraft(
        base_version=detail.version,
        attempt=detail.attempt,
        stage=detail.stage.name,
        decision=decision.value,
        feedback_written=f"Benchmark review of {detail.id}: scored {summary.mission_score}.",
        subtask_scores=scores,
        mission_score=summary.mission_score,
    )


def _score_rubric(rubric: scoring.Rubric, rng: random.Random) -> dict[str, float]:
    """Each criterion at one of its levels (at the top of the scale when it names none)."""
    return {
        criterion.id: rng.choice([level.points for level in criterion.levels] or [rubric.scale_max])
        for criterion in rubric.criteria
    }


async def queue_reviews(client: PlatformClient, store: Store, engine: SyncEngine, count: int) -> dict[str, int]:
    """Submit ``count`` real reviews into the outbox (from the cached queue, details read from the platform).
    Returns review id → the version each was written against. Raises if the queue has too few candidates."""
    candidates = reviewable(await store.queue())[:count]
    if len(candidates) < count:
        raise RuntimeError(f"only {len(candidates)} reviewable items in the queue, {count} needed")
    gate = asyncio.Semaphore(8)

    async def detail_of(item: QueueItem) -> ReviewDetail:
        async with gate:
            return await client.get_review(item.id)

    details = await asyncio.gather(*(detail_of(item) for item in candidates))
    rng = random.Random(4)
    for detail in details:
        draft = review_draft(detail, rng)
        await engine.submit(detail.id, draft.stage, draft)
    return {detail.id: detail.version for detail in details}


async def landed(client: PlatformClient, sent: dict[str, int]) -> list[str]:
    """Problems with the reviews ``sent`` as the platform shows them now (each decided exactly once)."""
    rows = {item.id: item for item in await client.fetch_queue()}
    decided = {resulting_status(decision).value for decision in Decision}
    problems = []
    for review_id, version in sent.items():
        row = rows.get(review_id)
        if row is None or row.status not in decided:
            problems.append(f"{review_id} is {row.status if row else 'missing'} on the platform")
        elif row.version != version + 1:
            problems.append(f"{review_id} is at version {row.version}, sent against {version}")
    return problems
