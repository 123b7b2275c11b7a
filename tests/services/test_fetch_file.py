"""One download per evidence file: the prefetcher and the evidence pane (or a mentor pressing Enter twice) asking
for the same file at once share a single download into the store's staging folder; a caller that gives up does
not cancel the others' download."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.files import sha256_file
from mentor_desk.sandbox.runner import SandboxServer
from mentor_desk.services.account import Account
from mentor_desk.services.reviews import PlatformReviews
from mentor_desk.store import Store
from tests.ports import NoSync


async def _a_file(client: PlatformClient) -> Any:
    for item in await client.fetch_queue():
        detail = await client.get_review(item.id)
        if detail.files:
            return max(detail.files, key=lambda f: f.file_size or 0)
    raise AssertionError("the sandbox seed has no review with files")


def test_concurrent_fetches_of_one_file_share_one_download(sandbox: SandboxServer, tmp_path: Path) -> None:
    async def scenario() -> tuple[list[Path], int, list[tuple[int, int | None]]]:
        store = await Store.open_path(tmp_path / "db.sqlite3")
        account = Account(store, server=sandbox.url, mode="full", user_name="Mentor")
        client = PlatformClient(sandbox.url)
        await client.login("mentor@demo.och", "mentor-demo")
        account.connect(client, NoSync())
        downloads = 0
        real_download = client.download_file

        async def counted(*args: Any, **kwargs: Any) -> None:
            nonlocal downloads
            downloads += 1
            await real_download(*args, **kwargs)

        client.download_file = counted  # type: ignore[method-assign]  # counts, then downloads for real
        seen: list[tuple[int, int | None]] = []
        try:
            file = await _a_file(client)
            reviews = PlatformReviews(account, tmp_path)
            quitter = asyncio.ensure_future(reviews.fetch_file(file))
            waiters = [reviews.fetch_file(file, lambda done, total: seen.append((done, total))) for _ in range(3)]
            await asyncio.sleep(0)
            quitter.cancel()  # a superseded open gives up: the others still get the file
            paths = await asyncio.gather(*waiters)
            assert sha256_file(paths[0]) == file.sha256
            return paths, downloads, seen
        finally:
            await client.aclose()
            await store.close()

    paths, downloads, seen = asyncio.run(scenario())
    assert downloads == 1
    assert len(set(paths)) == 1 and paths[0].exists()
    assert seen, "each waiting caller hears the shared download's progress"
