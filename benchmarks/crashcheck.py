"""Crash-safety check: kill a process that edits and syncs at random moments, and verify nothing was lost.

A child process (this file run as ``python benchmarks/crashcheck.py child ...``) signs in, then loops: autosave a few
edits of a review's draft, submit it, sync. It prints an acknowledgement line after every save and submit
returns. The parent SIGKILLs it at a random moment, then checks the store file: ``PRAGMA integrity_check`` is
ok, and every acknowledged edit is in the draft or in the outbox. After the last kill the parent syncs
everything and checks the platform: every submitted review carries its last acknowledged edit, and no review
was applied twice. Used by ``tests/sync/test_crashcheck.py`` (the CI's 50 kills) and ``crash_harness.py`` (the
long run and the ``crash_kills_lost`` figure)::

    result = run_crash_check(server_url, data_dir, kills=50)
    assert result.ok, result.problems
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mentor_desk.api.client import MODE_FULL, PlatformClient
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.status import can_decide, is_awaiting_mentor
from mentor_desk.paths import PASSWORD_ENV
from mentor_desk.store import OutboxState, Store
from mentor_desk.sync.engine import SyncEngine

_STAGE = ""


@dataclass
class CrashCheckResult:
    kills: int = 0
    edits: int = 0  # acknowledged draft saves
    submits: int = 0  # acknowledged submissions
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# -- the child: edit, submit, sync, forever ---------------------------------------------------------------


def _words(edit: int) -> str:
    return f"Crash-check review, edit {edit}."


def _edit_of(draft: ReviewDraft) -> int:
    """The edit number a draft's feedback carries (0 for none)."""
    found = re.fullmatch(r"Crash-check review, edit (\d+)\.", draft.feedback_written)
    return int(found.group(1)) if found else 0


def _review(base: Any, edit: int, scores: dict[str, dict[str, float]] | None) -> ReviewDraft:
    """A review approving ``base`` (full marks on layer B, where the server checks the scores)."""
    return ReviewDraft(
        base_version=base.version,
        attempt=base.attempt,
        stage=_STAGE,
        decision="approve",
        feedback_written=_words(edit),
        subtask_scores=scores or {},
        mission_score=100.0 if scores else None,
        server_status=base.status,
        server_updated_at=base.updated_at.isoformat() if base.updated_at else None,
    )


async def _full_marks(client: PlatformClient, review_id: str) -> dict[str, dict[str, float]]:
    detail = await client.get_review(review_id)
    scores: dict[str, dict[str, float]] = {}
    for subtask in detail.mission.subtasks:
        rubric = detail.rubrics[subtask.rubric_id or ""]
        scores[str(subtask.id)] = {criterion.id: rubric.scale.max for criterion in rubric.criteria}
    return scores


async def _child(server_url: str, email: str, data_dir: Path, seed: int) -> None:
    rng = random.Random(seed)
    async with PlatformClient(server_url) as client:
        await client.login(email, os.environ[PASSWORD_ENV])
        info = await client.discover()
        store = await Store.open(server_url, email, data_dir=data_dir)
        engine = SyncEngine(client, store, mode=info.mode)
        if not await store.queue():
            await engine.pull()
        print("ready", flush=True)
        while True:
            base = await _next_review(store, info.mode)
            review_id = base.id if base else f"scratch-{rng.randrange(5)}"
            draft = await store.draft(review_id, _STAGE)  # edits count on from the saved draft, scratch ones too
            edit = (_edit_of(draft.draft) if draft else 0) + 1
            scores = await _full_marks(client, base.id) if base and info.mode == MODE_FULL else None
            for _ in range(rng.randint(1, 6)):
                review = _review(base, edit, scores) if base else ReviewDraft(feedback_written=_words(edit))
                await store.save_draft(review_id, _STAGE, review)
                print("edit", review_id, edit, flush=True)
                edit += 1
                await asyncio.sleep(rng.random() * 0.02)
            if base is not None:
                await engine.submit(review_id, _STAGE, review)
                print("submit", review_id, edit - 1, flush=True)
                await engine.sync_once()


def _can_decide_now(status: str, mode: str) -> bool:
    """Layer B takes a decision only in mentor review; OCH v1 takes one on anything awaiting a mentor."""
    return can_decide(status) if mode == MODE_FULL else is_awaiting_mentor(status)


async def _next_review(store: Store, mode: str) -> Any:
    """The first awaiting review not yet submitted from this store (None when all are)."""
    taken = {entry.review_id for entry in await store.outbox(tuple(OutboxState))}
    for item in sorted(await store.queue(), key=lambda item: item.id):
        single_stage = item.stage_total <= 1 or mode != MODE_FULL
        free = item.claimed_by is None or item.claimed_by_me
        if item.id not in taken and single_stage and free and _can_decide_now(item.status, mode):
            return item
    return None


# -- the parent: kill and verify --------------------------------------------------------------------------


class Child:
    """A child process to kill plus a thread collecting its acknowledgement lines (``ready``, then lines of
    three words). Also used by ``tests/hostile/crash_writes.py``."""

    def __init__(self, argv: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        self.lines: list[list[str]] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=cwd
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            words = line.split()
            if words == ["ready"]:
                self.ready.set()
            elif len(words) == 3:
                self.lines.append(words)
        self.ready.set()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._reader.join()


def killed_after(
    argv: list[str], seconds: float, *, env: dict[str, str] | None = None, cwd: Path | None = None, start_s: float = 30
) -> Child | None:
    """Start ``argv``, let it work ``seconds`` once it says ``ready``, then SIGKILL it; None (killed too) when it
    is not ready within ``start_s``."""
    child = Child(argv, env=env, cwd=cwd)
    started = child.ready.wait(timeout=start_s)
    if started:
        time.sleep(seconds)
    child.kill()
    return child if started else None


async def store_damage(store: Store) -> list[str]:
    """What is wrong with a store just reopened after a kill: recovered from damage, or failing its check."""
    problems = [f"store was damaged: {store.recovered.reason}"] if store.recovered is not None else []
    integrity = await store.call(lambda conn: conn.execute("PRAGMA integrity_check").fetchone()[0])
    return problems + ([f"integrity_check: {integrity}"] if integrity != "ok" else [])


async def _check_store(data_dir: Path, server_url: str, email: str, acked: dict[str, int]) -> list[str]:
    problems: list[str] = []
    store = await Store.open(server_url, email, data_dir=data_dir)
    try:
        problems += await store_damage(store)
        entries = await store.outbox(tuple(OutboxState))
        for review_id, edit in acked.items():
            draft = await store.draft(review_id, _STAGE)
            kept = [_edit_of(draft.draft)] if draft else []
            kept += [_edit_of(e.draft) for e in entries if e.review_id == review_id]
            if max(kept, default=0) < edit:
                problems.append(f"edit {edit} of {review_id} lost (kept: {kept})")
    finally:
        await store.close()
    return problems


async def _drain_and_check_server(
    data_dir: Path, server_url: str, email: str, password: str, submitted: dict[str, int]
) -> list[str]:
    problems: list[str] = []
    async with PlatformClient(server_url) as client:
        await client.login(email, password)
        info = await client.discover()
        store = await Store.open(server_url, email, data_dir=data_dir)
        try:
            engine = SyncEngine(client, store, mode=info.mode)
            report = await engine.sync_once()
            if not report.all_sent:
                problems.append(f"outbox not drained after the last kill: {report}")
            entries = await store.outbox(tuple(OutboxState))
            per_review: dict[str, int] = {}
            for entry in entries:
                per_review[entry.review_id] = per_review.get(entry.review_id, 0) + 1
            problems += [f"{rid} queued {n} times" for rid, n in per_review.items() if n > 1]
            problems += await _check_server(client, store, info.mode, submitted)
        finally:
            await store.close()
    return problems


async def _check_server(client: PlatformClient, store: Store, mode: str, submitted: dict[str, int]) -> list[str]:
    """Every submitted review approved on the platform with its last acknowledged edit, applied once."""
    problems: list[str] = []
    if mode == MODE_FULL:
        bases = {e.review_id: e.base_version for e in await store.outbox((OutboxState.DONE,))}
        for review_id, edit in submitted.items():
            detail = await client.get_review(review_id)
            if detail.status != "approved":
                problems.append(f"{review_id} is {detail.status}, not approved")
            elif detail.stages[-1].feedback_written != _words(edit):
                problems.append(f"{review_id} does not carry edit {edit}: {detail.stages[-1].feedback_written!r}")
            elif (base := bases.get(review_id)) is None or detail.version != base + 1:
                problems.append(f"{review_id} is at version {detail.version}, sent against {base}")
        return problems
    mentor_id = (await client.me()).id
    rows: dict[str, Any] = {}
    while True:
        page, count = await client.v1_submissions(mentor_id, limit=100, offset=len(rows))
        rows.update({row.id: row for row in page})
        if not page or len(rows) >= (count or 0):
            break
    for review_id, edit in submitted.items():
        row = rows.get(review_id)
        if row is None or row.status != "approved":
            problems.append(f"{review_id} is {row.status if row else 'missing'}, not approved")
        elif f"edit {edit}." not in (row.feedback or ""):
            problems.append(f"{review_id} does not carry edit {edit}: {row.feedback!r}")
    return problems


def run_crash_check(
    server_url: str,
    data_dir: Path,
    *,
    kills: int = 50,
    email: str = "mentor@demo.och",
    password: str = "mentor-demo",
    seed: int = 0,
    max_delay: float = 0.6,
) -> CrashCheckResult:
    """SIGKILL an editing, syncing child ``kills`` times at random moments and verify nothing was lost."""
    rng = random.Random(seed)
    result = CrashCheckResult()
    acked: dict[str, int] = {}
    submitted: dict[str, int] = {}
    for round_number in range(kills):
        argv = [sys.executable, str(Path(__file__).resolve()), "child", server_url, email, str(data_dir),
                str(seed * 1000 + round_number)]
        child = killed_after(argv, rng.uniform(0.0, max_delay), env={**os.environ, PASSWORD_ENV: password})
        if child is None:
            result.problems.append("the child did not start")
            return result
        result.kills += 1
        for kind, review_id, number in child.lines:
            if kind == "edit":
                acked[review_id] = int(number)
                result.edits += 1
            else:
                submitted[review_id] = int(number)
                result.submits += 1
        result.problems += asyncio.run(_check_store(data_dir, server_url, email, acked))
        if result.problems:
            return result
    result.problems += asyncio.run(_drain_and_check_server(data_dir, server_url, email, password, submitted))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/crashcheck.py")
    commands = parser.add_subparsers(dest="command", required=True)
    child = commands.add_parser("child", help="(internal) the process that gets killed")
    child.add_argument("server")
    child.add_argument("email")
    child.add_argument("data_dir", type=Path)
    child.add_argument("seed", type=int)
    check = commands.add_parser("run", help="run the kill loop against a running platform")
    check.add_argument("server")
    check.add_argument("data_dir", type=Path)
    check.add_argument("--kills", type=int, default=50)
    check.add_argument("--email", default="mentor@demo.och")
    args = parser.parse_args(argv)
    if args.command == "child":
        asyncio.run(_child(args.server, args.email, args.data_dir, args.seed))
        return 0
    result = run_crash_check(
        args.server, args.data_dir, kills=args.kills, email=args.email, password=os.environ[PASSWORD_ENV]
    )
    print(f"{result.kills} kills, {result.edits} edits, {result.submits} submits acknowledged")
    for problem in result.problems:
        print("PROBLEM:", problem)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
