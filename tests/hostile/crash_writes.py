"""SIGKILL the desk while it uploads recordings, signs learners off and hands in meeting scores; nothing it
acknowledged may be lost, applied wrongly or left stuck.

A child process (``python -m tests.hostile.crash_writes child …``) signs in as the demo mentor and loops over
the three write paths through the desk's own services: it writes a recording and queues its upload (as the
recorder and the workspace do), signs off a learner who is ready (the Tier-5 board's service), or hands in its
scores for a meeting it sits on (the meeting service), then syncs. It prints a line when each call returns:
what the mentor was told is safe. The parent kills it at a random moment, checks the store after every kill
(intact, every acknowledged write in the outbox, every recording still on disk) and, after the last kill, lets
the desk drain its outbox and checks the platform: every recording there whole, every sign-off given, every
meeting holding the scores last handed in. ``tests/hostile/test_crash_writes.py`` runs a short loop;
``benchmarks/bench_hostile.py`` the long one.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.crashcheck import killed_after, store_damage
from mentor_desk.api.client import PlatformClient
from mentor_desk.services.meetings import MeetingService
from mentor_desk.services.tier5 import Tier5Service
from mentor_desk.store import OutboxState, Store
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.sync.media_upload import UPLOAD_CHUNK, queue_uploads, recording_path
from mentor_desk.sync.meeting_scores import meeting_key

EMAIL, PASSWORD, MENTOR_ID = "mentor@demo.och", "mentor-demo", 1
RECORDINGS = "crash-check-recordings"  # the review the recordings are queued for
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class WriteCrashResult:
    kills: int = 0
    acknowledged: dict[str, dict[str, str]] = field(default_factory=lambda: {"upload": {}, "signoff": {},
                                                                              "scores": {}})
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# -- the child ---------------------------------------------------------------------------------------------
async def _upload(store: Store, rng: random.Random) -> str:
    content = rng.randbytes(rng.randint(1, 3) * UPLOAD_CHUNK + rng.randint(1, 4096))
    sha256 = hashlib.sha256(content).hexdigest()
    path = recording_path(store, sha256, "audio")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:  # as the recorder leaves a finished recording: whole and on disk
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    await queue_uploads(store, RECORDINGS, {"attachments": [{"sha256": sha256, "kind": "audio",
                                                             "duration_ms": 1000}]}, v1=False)
    print("upload", sha256, sha256, flush=True)
    return sha256


async def _sign_off(engine: SyncEngine, tier5: Tier5Service) -> None:
    await engine.tier5.pull()
    ready = [row for row in (await tier5.cached_board()).rows if row.ready_for_sign_off]
    if ready:
        await tier5.sign_off(ready[0], approved=True, comment=f"Crash check: {ready[0].key}")
        print("signoff", ready[0].key, ready[0].learner_id, flush=True)


async def _score(meetings: MeetingService, store: Store, rng: random.Random) -> None:
    waiting = {e.review_id for e in await store.outbox()}
    for meeting in await meetings.list_meetings("scoring"):
        if meeting.seats(MENTOR_ID) and meeting_key(meeting.id) not in waiting:
            review = await meetings.review(meeting)
            level = float(rng.randint(1, 3))
            scores = {str(s.id): {c.id: level for c in review.rubrics[s.rubric_id].criteria}
                      for s in review.subtasks[:1] if s.rubric_id in review.rubrics}
            comment = f"Crash check {rng.randrange(10**9)}"
            await meetings.submit_my_scores(meeting, scores, comment)
            print("scores", meeting.id, comment.replace(" ", "_"), flush=True)
            return


async def _child(origin: str, data: Path, seed: int) -> None:
    rng = random.Random(seed)
    async with PlatformClient(origin) as client:
        await client.login(EMAIL, PASSWORD)
        store = await Store.open_path(data / "db.sqlite3")
        engine = SyncEngine(client, store, mode="full", listen_events=False)
        tier5 = Tier5Service(store, lambda: "full", lambda: engine)
        meetings = MeetingService(client, store, engine)
        print("ready", flush=True)
        while True:
            work = rng.choice(("upload", "signoff", "scores"))
            if work == "upload":
                await _upload(store, rng)
            elif work == "signoff":
                await _sign_off(engine, tier5)
            else:
                await _score(meetings, store, rng)
            await engine.sync_once()


# -- the parent --------------------------------------------------------------------------------------------
def _keys(acked: dict[str, dict[str, str]]) -> dict[str, str]:
    """The outbox key of every acknowledged write, with what it was."""
    return {**{f"media:{sha}": f"the upload of {sha[:12]}" for sha in acked["upload"]},
            **{key: f"the sign-off {key}" for key in acked["signoff"]},
            **{meeting_key(mid): f"the scores for meeting {mid}" for mid in acked["scores"]}}


async def _check_store(data: Path, acked: dict[str, dict[str, str]]) -> list[str]:
    store = await Store.open_path(data / "db.sqlite3")
    try:
        problems = await store_damage(store)
        entries = await store.outbox(tuple(OutboxState))
        queued = {e.review_id for e in entries} | {e.stage for e in entries}
        problems += [f"{what} was acknowledged but is not in the outbox" for key, what in _keys(acked).items()
                     if key not in queued]
        for sha in acked["upload"]:
            path = recording_path(store, sha, "audio")
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                problems.append(f"the recording {sha[:12]} is gone or damaged on disk")
    finally:
        await store.close()
    return problems


async def _drain(origin: str, data: Path) -> list[str]:
    async with PlatformClient(origin) as client:
        await client.login(EMAIL, PASSWORD)
        store = await Store.open_path(data / "db.sqlite3")
        try:
            engine = SyncEngine(client, store, mode="full", listen_events=False)
            for _ in range(3):  # a round may leave work for the next (a sign-off waits for a fresh board)
                report = await engine.sync_once()
            stuck = [f"{e.operation} {e.review_id} is {e.state.value}: {e.last_error}" for e in await store.outbox()]
            return [] if report.all_sent and not stuck else [f"the outbox did not drain: {stuck or report}"]
        finally:
            await store.close()


def _check_platform(origin: str, acked: dict[str, dict[str, str]]) -> list[str]:
    problems = []
    token = httpx.post(f"{origin}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD,
                                                            "device_fingerprint": "crash-check"}).json()
    with httpx.Client(base_url=f"{origin}/api/v1", timeout=30,
                      headers={"Authorization": f"Bearer {token['access_token']}"}) as platform:
        for sha in acked["upload"]:
            media = platform.get(f"/mentor/media/{sha}")
            if media.status_code != 200 or hashlib.sha256(media.content).hexdigest() != sha:
                problems.append(f"the recording {sha[:12]} is not on the platform whole ({media.status_code})")
        learners = {r["learner"]["id"]: r for r in platform.get("/mentor/tier5/learners").json()["results"]}
        for key, learner in acked["signoff"].items():
            if not learners.get(int(learner), {}).get("tier5_mentor_approval"):
                problems.append(f"the sign-off {key} is not on the platform")
        for meeting_id, comment in acked["scores"].items():
            mine = platform.get(f"/scoring-meetings/{meeting_id}").json().get("my_scores") or {}
            if mine.get("comment") != comment.replace("_", " "):
                problems.append(f"meeting {meeting_id} holds {mine.get('comment')!r}, not the scores handed in last")
    return problems


def run_write_crashes(origin: str, data: Path, *, kills: int, seed: int = 0, max_delay: float = 0.8
                      ) -> WriteCrashResult:
    """Kill the writing child ``kills`` times at random moments, checking the store each time and the platform
    at the end (see the module docstring)."""
    rng = random.Random(seed)
    result = WriteCrashResult()
    for round_number in range(kills):
        argv = [sys.executable, "-m", "tests.hostile.crash_writes", "child", origin, str(data),
                str(seed * 1000 + round_number)]
        child = killed_after(argv, rng.uniform(0.0, max_delay), cwd=ROOT, start_s=60)
        if child is None:
            result.problems.append("the child did not start")
            return result
        result.kills += 1
        for kind, key, value in child.lines:
            result.acknowledged[kind][key] = value
        result.problems += asyncio.run(_check_store(data, result.acknowledged))
        if result.problems:
            return result
    result.problems += asyncio.run(_drain(origin, data))
    result.problems += _check_platform(origin, result.acknowledged)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["child"] and len(args) == 4:
        asyncio.run(_child(args[1], Path(args[2]), int(args[3])))
        return 0
    print("usage: python -m tests.hostile.crash_writes child ORIGIN DATA_DIR SEED", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
