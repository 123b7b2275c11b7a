"""Helpers for the workspace tests. ``SandboxServices`` is a ReviewService implementation over the REAL
PlatformClient against a sandbox over loopback and a REAL Store (SQLite file in tmp_path) for the review
cache, drafts, evidence files and outbox.

It mirrors what the composition root does, without the sync engine: ``submit`` queues the outbox entry, which
is exactly the promise the protocol makes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import ReviewDetail
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.review import ReviewView
from mentor_desk.services.account import Mode
from mentor_desk.services.review_view import review_view
from mentor_desk.services.reviews import EvidenceFileRef, ProgressCallback
from mentor_desk.store.cache import DocumentKind
from mentor_desk.store.store import Store

MENTOR, PASSWORD = "mentor@demo.och", "mentor-demo"


async def signed_in(url: str, email: str = MENTOR, password: str = PASSWORD) -> PlatformClient:
    """A client of the platform at ``url``, signed in (the demo mentor by default), its mode discovered."""
    client = PlatformClient(url)
    await client.login(email, password)
    await client.discover()
    return client


class SandboxServices:
    def __init__(self, client: PlatformClient, store: Store, mode: Mode, library: Path) -> None:
        self.client = client
        self.store = store
        self._mode: Mode = mode
        self._library = library
        self.saves: list[tuple[str, str]] = []  # (review id, stage) of every draft write, for the tests

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def comment_library_path(self) -> Path:
        return self._library

    async def open_review(self, review_id: str) -> ReviewView:
        return review_view(await self.load_review(review_id))

    async def load_review(self, review_id: str) -> Any:
        if self._mode == "och-v1":
            return ReviewDetail.model_validate(await self._v1_review(review_id))
        detail = await self.client.get_review(review_id)
        await self.store.put_document(
            DocumentKind.REVIEW_DETAIL, review_id, detail.model_dump(mode="json"), detail.version
        )
        return detail

    async def _v1_review(self, review_id: str) -> dict[str, Any]:
        """Layer A offers the queue row and the mission: build the review-detail shape from those."""
        rows = {item.id: item for item in await self.client.fetch_queue()}
        item: QueueItem = rows[review_id]
        mission = await self.client.v1_mission(item.mission_id)
        return {
            "id": item.id,
            "kind": item.kind,
            "status": item.status,
            "attempt": item.attempt,
            "learner": {"name": item.learner_name, "email": item.learner_email},
            "mission": {
                "id": mission.id,
                "title": mission.title,
                "code": mission.code or item.mission_code,
                "subtasks": [
                    {"id": s.id, "title": s.title, "description": s.description, "weight": 1} for s in mission.subtasks
                ],
            },
        }

    async def load_draft(self, review_id: str, stage: str) -> ReviewDraft | None:
        saved = await self.store.draft(review_id, stage)
        return saved.draft if saved is not None else None

    async def save_draft(self, review_id: str, stage: str, draft: ReviewDraft) -> None:
        self.saves.append((review_id, stage))
        await self.store.save_draft(review_id, stage, draft)

    async def fetch_file(self, file: EvidenceFileRef, progress: ProgressCallback | None = None) -> Path:
        cached = await self.store.cached_file(file.sha256)
        if cached is not None:
            return cached
        staged = self.store.staging_dir / f"{file.sha256}.download"
        await self.client.download_file(file.url, staged, expected_sha256=file.sha256, progress=progress)
        return await self.store.add_file(staged, file.sha256, filename=file.filename)

    async def submit(self, review_id: str, stage: str, draft: ReviewDraft) -> None:
        await self.store.submit_draft(review_id, stage, "stage_review", draft)


def pick(details: list[ReviewDetail], test: Callable[[ReviewDetail], bool], what: str) -> ReviewDetail:
    """The first review matching ``test``; the sandbox's seed guarantees one (fails loudly otherwise)."""
    found = next((d for d in details if test(d)), None)
    assert found is not None, f"the sandbox seed has no review with {what}"
    return found
