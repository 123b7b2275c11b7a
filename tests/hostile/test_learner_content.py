"""Issue 16, part 4 (files): a learner names their evidence as they like: path separators, ``..``, control
characters, right-to-left overrides, zero-width characters, a very long name. The desk fetches and caches each
file by its checked hash, so no name becomes a path: everything lands inside the data folder, intact."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import httpx

from mentor_desk.api.client import PlatformClient
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.services.account import Account
from mentor_desk.services.reviews import PlatformReviews
from mentor_desk.store import Store
from tests.ports import NoSync

from .peers import learner_resubmits, signed_in
from .tally import TALLY

NAMES = ["../../../../tmp/escape.log", "..\\..\\windows\\evil.log", "/etc/cron.d/job.log", "sub/dir/notes.txt",
         "bell\x07\x1b[31mred.txt", "invoice\u202efdp.log", "zero\u200b\u200dwidth.txt", "n" * 250 + ".txt",
         "<img src=x onerror=alert(1)>.txt", "%2e%2e%2fencoded.txt"]



def test_learner_file_names_never_become_paths(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    files = [(name, f"evidence {n}\n".encode()) for n, name in enumerate(NAMES)]
    with signed_in(fresh_sandbox.url, "mentor@demo.och") as mentor:
        detail = learner_resubmits(fresh_sandbox.url, mentor, files)
    sent = {hashlib.sha256(content).hexdigest(): content for _, content in files}
    ours = [f for f in detail["files"] if f["sha256"] in sent]
    assert len(ours) == len(NAMES), [f["filename"] for f in detail["files"]]
    data = tmp_path / "home" / "data"
    data.mkdir(parents=True)
    before = set(tmp_path.rglob("*"))

    async def fetch_all() -> list[Path]:
        store = await Store.open_path(data / "db.sqlite3")
        account = Account(store, server=fresh_sandbox.url, mode="full", user_name="Mentor")
        client = PlatformClient(fresh_sandbox.url)
        await client.login("mentor@demo.och", "mentor-demo")
        account.connect(client, NoSync())
        try:
            reviews = PlatformReviews(account, data)
            return [await reviews.fetch_file(_Ref(f)) for f in ours]
        finally:
            await client.aclose()
            await store.close()

    paths = asyncio.run(fetch_all())
    for ref, path in zip(ours, paths, strict=True):
        TALLY.tried_cases("learner files")
        inside = data in path.resolve().parents and path.read_bytes() == sent[ref["sha256"]]
        if not inside:
            TALLY.bad("learner files", "authorisation holes", f"{ref['filename']!r} went to {path}")
        assert inside, (ref["filename"], path)
    stray = {p for p in set(tmp_path.rglob("*")) - before if data not in p.parents}
    assert not stray, stray


class _Ref:
    def __init__(self, row: dict[str, Any]) -> None:
        self.id, self.filename, self.sha256, self.url = row["id"], row["filename"], row["sha256"], row["url"]


def test_the_sandbox_serves_each_name_back_unchanged(fresh_sandbox: SandboxServer) -> None:
    """The names are the learner's text: kept exactly (for the desk to show as plain text), never cleaned up
    into something else on the way."""
    files = [(name, b"x") for name in NAMES[5:]]  # (httpx writes control characters in part names as %XX)
    with signed_in(fresh_sandbox.url, "mentor@demo.och") as mentor:
        detail = learner_resubmits(fresh_sandbox.url, mentor, files)
        shown = {f["filename"] for f in detail["files"]}
        for name, _ in files:
            TALLY.tried_cases("learner files")
            assert name in shown, (name, shown)
            answer = mentor.get(next(f["url"] for f in detail["files"] if f["filename"] == name))
            assert isinstance(answer, httpx.Response) and answer.status_code == 200
