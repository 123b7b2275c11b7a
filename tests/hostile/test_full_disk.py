"""Issue 16, item 5 (disk): every write path of the desk on a full disk and into a read-only folder ends in a
sentence for the mentor, and nothing acknowledged before is lost; once there is room, saving works again.

The data folder is a small tmpfs that the test fills to the last byte; a read-only folder is a read-only bind
mount. Both need root (or a user allowed to mount): without it the tests are skipped, saying why.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mentor_desk.api.client import PlatformClient
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.mastery import mastery_record
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.services.account import Account
from mentor_desk.services.meetings import MeetingService
from mentor_desk.services.reviews import PlatformReviews
from mentor_desk.services.tier5 import Tier5Service
from mentor_desk.store import OutboxState, Store
from mentor_desk.sync.engine import SyncEngine
from mentor_desk.ui.tier5.mastery import MasteryDialog
from tests.ports import NoSync

from .peers import signed_in
from .tally import TALLY

KEPT = "Written before the disk filled."


def mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if result.returncode:
        pytest.skip(f"cannot mount here ({' '.join(args)}): {result.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB tmpfs to hold the desk's data folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    mount("-t", "tmpfs", "-o", "size=6m", "tmpfs", str(folder))
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` read-only (a read-only bind mount over itself) for the duration."""
    mount("--bind", str(folder), str(folder))
    try:
        mount("-o", "remount,bind,ro", str(folder))
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@contextlib.contextmanager
def full(folder: Path) -> Iterator[None]:
    """The filesystem holding ``folder`` full to its last byte for the duration."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as handle:
        for block in (65536, 4096, 1):  # big blocks, then the last partial ones
            with contextlib.suppress(OSError):
                while handle.write(b"\0" * block):
                    pass
    try:
        yield
    finally:
        filler.unlink()


def said(category: str, what: str, error: BaseException | None, words: tuple[str, ...]) -> None:
    """One write attempt on a full or read-only disk: it must have failed with a sentence naming the cause."""
    TALLY.tried_cases(category)
    sentence = getattr(error, "user_message", None)
    if error is None or not isinstance(sentence, str):
        TALLY.bad(category, "crashes", f"{what}: {type(error).__name__ if error else 'no error'}: {error}")
    assert isinstance(sentence, str) and any(w in sentence.lower() for w in words), (what, repr(error))


class Desk:
    """The desk's services over a store in ``data`` and a signed-in client of the sandbox."""

    def __init__(self, origin: str, data: Path) -> None:
        self.origin, self.data = origin, data

    async def open(self) -> Desk:
        self.store = await Store.open_path(self.data / "db.sqlite3")
        self.client = PlatformClient(self.origin)
        await self.client.login("mentor@demo.och", "mentor-demo")
        self.engine = SyncEngine(self.client, self.store, mode="full", listen_events=False)
        self.account = Account(self.store, server=self.origin, mode="full", user_name="Maya Okafor")
        self.account.connect(self.client, NoSync())
        self.reviews = PlatformReviews(self.account, self.data)
        self.tier5 = Tier5Service(self.store, lambda: "full", lambda: self.engine)
        self.meetings = MeetingService(self.client, self.store, self.engine)
        return self

    async def close(self) -> None:
        await self.client.aclose()
        await self.store.close()


Attempts = dict[str, Callable[[], Awaitable[Any]]]


async def prepared(desk: Desk, meeting_id: str) -> Attempts:
    """Acknowledged work (a draft, a submission), then what each write path needs, fetched while there is room;
    returns each write path as new work (a draft, a submission, a sign-off, scores, a download)."""
    queue = await desk.client.fetch_queue()
    waiting = [i for i in queue if i.status == "mentor_review" and i.stage_total <= 1 and i.claimed_by is None]
    details = [await desk.client.get_review(i.id) for i in waiting[:8]]
    review, file = details[0], next(d.files[0] for d in details if d.files)
    await desk.reviews.save_draft("kept", "", ReviewDraft(feedback_written=KEPT))
    await desk.engine.submit(waiting[-1].id, "", ReviewDraft(feedback_written=KEPT))
    await desk.engine.tier5.pull()
    row = next(r for r in (await desk.tier5.cached_board()).rows if r.ready_for_sign_off)
    meeting = await desk.meetings.get(meeting_id)
    scores = {sid: {cid: 2.0 for cid in criteria} for sid, criteria in
              ((str(s.id), [c.id for c in meeting.rubrics[s.rubric_id].criteria]) for s in review.mission.subtasks
               if s.rubric_id in meeting.rubrics)}
    return {
        "a draft": lambda: desk.reviews.save_draft(review.id, "", ReviewDraft(feedback_written="x" * 200_000)),
        "a submission": lambda: desk.engine.submit(review.id, "", ReviewDraft(feedback_written="y" * 200_000)),
        "a Tier-5 sign-off": lambda: desk.tier5.sign_off(row, approved=True, comment="z" * 200_000),
        "meeting scores": lambda: desk.meetings.submit_my_scores(meeting, scores, "w" * 200_000),
        "an evidence file": lambda: desk.reviews.fetch_file(file),
        **exports(desk, row.learner_name, row.track_code),
    }


class Told(Exception):
    """What a screen told the mentor on its status line, read like a service's sentence."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


def exports(desk: Desk, learner: str, track: str) -> Attempts:
    """The files a mentor exports: unsynced work (JSON), a mastery record (PDF and CSV, through its dialog)."""
    folder = desk.store.exports_dir
    folder.mkdir(parents=True, exist_ok=True)
    dialog = MasteryDialog(mastery_record(learner, "", track, []), desk.tier5)

    async def through_dialog(write: Callable[[Path], Awaitable[bool]], path: Path) -> None:
        if not await write(path):
            raise Told(dialog.status.text())

    return {
        "the unsynced work exported": lambda: desk.store.export_drafts(folder / "unsynced.json"),
        "a mastery record as PDF": lambda: through_dialog(dialog.export_pdf, folder / "record.pdf"),
        "a mastery record as CSV": lambda: through_dialog(dialog.export_csv, folder / "record.csv"),
    }


async def outcome(attempt: Callable[[], Awaitable[Any]]) -> BaseException | None:
    try:
        await attempt()
    except Exception as error:  # judged by the caller: a sentence, or a crash
        return error
    return None


async def nothing_lost(category: str, desk: Desk) -> None:
    """The draft and the submission acknowledged before the disk filled (or the folder turned read-only)."""
    draft = await desk.store.draft("kept", "")
    entries = await desk.store.outbox(tuple(OutboxState))
    kept = draft is not None and draft.draft.feedback_written == KEPT and \
        any(e.draft.feedback_written == KEPT for e in entries)
    TALLY.tried_cases(category)
    if not kept:
        TALLY.bad(category, "lost edits", "the draft or the submission acknowledged before")
    assert kept


def a_meeting(origin: str) -> str:
    """A scoring meeting the lead opened on one of the demo mentor's capstones, with the mentor on its panel."""
    with signed_in(origin, "lead@demo.och") as lead, signed_in(origin, "mentor@demo.och") as mentor:
        rows = mentor.get("/mentor/reviews", params={"status": "mentor_review", "limit": 1000}).json()["results"]
        capstone = next(r for r in rows if r["kind"] == "capstone")
        return str(lead.post("/scoring-meetings", json={"review_id": capstone["id"], "panel": [1]}).json()["id"])


def test_every_write_path_on_a_full_disk(qapp: Any, fresh_sandbox: SandboxServer, small_disk: Path) -> None:
    meeting_id = a_meeting(fresh_sandbox.url)

    async def session() -> None:
        desk = await Desk(fresh_sandbox.url, small_disk).open()
        try:
            paths = await prepared(desk, meeting_id)
            with full(small_disk):
                for what, attempt in paths.items():
                    said("disk full", what, await outcome(attempt), ("full", "space"))
                await nothing_lost("disk full", desk)
            for what, attempt in paths.items():  # room again: each works
                assert await outcome(attempt) is None, what
        finally:
            await desk.close()

    asyncio.run(session())


def test_a_read_only_data_folder_or_cache(qapp: Any, fresh_sandbox: SandboxServer, small_disk: Path) -> None:
    meeting_id = a_meeting(fresh_sandbox.url)

    async def session() -> None:
        desk = await Desk(fresh_sandbox.url, small_disk).open()
        try:
            paths = await prepared(desk, meeting_id)
            desk.store.staging_dir.mkdir(parents=True, exist_ok=True)
            with read_only(desk.store.files_dir):
                said("read-only folder", "an evidence file", await outcome(paths["an evidence file"]),
                     ("read-only", "cannot write"))
            assert await outcome(paths["an evidence file"]) is None
            with read_only(desk.store.exports_dir):
                for what in ("the unsynced work exported", "a mastery record as PDF", "a mastery record as CSV"):
                    said("read-only folder", what, await outcome(paths[what]), ("read-only", "cannot write"))
        finally:
            await desk.close()
        with read_only(small_disk):
            said("read-only folder", "opening the desk", await outcome(Desk(fresh_sandbox.url, small_disk).open),
                 ("write to it", "read-only"))
        desk = await Desk(fresh_sandbox.url, small_disk).open()
        try:
            await nothing_lost("read-only folder", desk)
        finally:
            await desk.close()

    asyncio.run(session())
