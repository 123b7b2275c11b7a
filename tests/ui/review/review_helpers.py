"""Helpers for the workspace tests. ``SandboxServices`` is a ReviewService implementation over the REAL
PlatformClient against a sandbox over loopback and a REAL Store (SQLite file in tmp_path) for the review
cache, drafts, evidence files and outbox.

It mirrors what the composition root does, without the sync engine: ``submit`` queues the outbox entry, which
is exactly the promise the protocol makes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import ReviewDetail
from mentor_desk.app import AppShell
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.outbox import OutboxState
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.review import ReviewView
from mentor_desk.services.account import Mode
from mentor_desk.services.review_view import review_view
from mentor_desk.services.reviews import EvidenceFileRef, ProgressCallback, latest_submission
from mentor_desk.store.cache import DocumentKind
from mentor_desk.store.store import Store

MENTOR, PASSWORD = "mentor@demo.och", "mentor-demo"
Until = Callable[..., None]
T = TypeVar("T")


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

    async def submission_state(self, review_id: str, stage: str) -> OutboxState | None:
        entry = latest_submission(await self.store.outbox(), review_id, stage)
        return entry.state if entry is not None else None

    async def can_amend(self, review_id: str, stage: str) -> bool:
        entry = latest_submission(await self.store.outbox(), review_id, stage)
        return entry is not None and entry.state is OutboxState.PENDING and entry.attempts == 0


def pick(details: list[ReviewDetail], test: Callable[[ReviewDetail], bool], what: str) -> ReviewDetail:
    """The first review matching ``test``; the sandbox's seed guarantees one (fails loudly otherwise)."""
    found = next((d for d in details if test(d)), None)
    assert found is not None, f"the sandbox seed has no review with {what}"
    return found


# Driving the real app by keyboard (the end-to-end and submit tests)


def key(keys: str | Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Type into whatever has the keyboard focus, as a mentor does."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    if isinstance(keys, str) and len(keys) > 1:
        QTest.keyClicks(target, keys, modifier)
    else:
        QTest.keyClick(target, keys, modifier)


def tab_to(predicate: Callable[[QWidget], bool], limit: int = 40) -> QWidget:
    for _ in range(limit):
        focused = QApplication.focusWidget()
        if focused is not None and predicate(focused):
            return focused
        key(Qt.Key.Key_Tab)
    raise AssertionError("Tab never reached the wanted widget")


def open_from_queue(shell: AppShell, learner: str, review_id: str, until: Until) -> Any:
    """The queue shows; type a filter; J/K to the submission; Enter opens it. Returns the workspace."""
    window = shell.window
    assert window is not None
    until(lambda: window.model.rowCount() > 0)
    window.activateWindow()
    window.queue.table.setFocus()  # where the window starts
    key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.queue.search
    key(learner)
    until(lambda: window.queue.proxy.rowCount() >= 1)
    tab_to(lambda w: w is window.queue.table)  # past the facet buttons
    for _ in range(window.queue.proxy.rowCount()):  # J walks the unreviewed rows (wrapping)
        key(Qt.Key.Key_J)
        if window.queue.current_review_id() == review_id:
            break
    key(Qt.Key.Key_K)
    key(Qt.Key.Key_J)
    assert window.queue.current_review_id() == review_id
    key(Qt.Key.Key_Return)
    until(
        lambda: (
            window._workspace is not None
            and window._workspace.document is not None
            and window._workspace.document.review.id == review_id
        )
    )
    workspace = window._workspace
    until(lambda: workspace.scorer.fully_built)
    return workspace


def score_everything(workspace: Any) -> None:
    """Alt+2, then a digit per criterion (each moves on); arrows go back to check one."""
    key(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    scorer = workspace.scorer
    assert QApplication.focusWidget() is scorer
    for n in range(len(scorer.rows)):
        key(str(len(scorer.rows[n].criterion.levels)))  # the top level (its points or its rank)
    key(Qt.Key.Key_Up)
    key("1")  # the last criterion, rescored to its lowest level
    key(Qt.Key.Key_Right)
    key(Qt.Key.Key_Left)
    summary = workspace.document.summary()
    assert summary.complete and summary.mission_score is not None
    assert f"{summary.mission_score:.2f}" in scorer.totals.text()


def annotate_every_decision(workspace: Any) -> int:
    """Alt+3 lands on the first card's verdict: Down picks one, Tab to the comment, Tab to the next card."""
    cards = workspace.decision_path.cards
    key(Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    for card in cards:
        assert QApplication.focusWidget() is card.verdict
        key(Qt.Key.Key_Down)  # Not judged -> Matches ideal
        key(Qt.Key.Key_Down)  # -> Acceptable
        key(Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is card.comment
        key(f"Reasonable under time pressure ({card.step.decision_id}).")
        key(Qt.Key.Key_Tab)
    return len(cards)


def decide_and_confirm(workspace: Any, decision_key: Qt.Key, feedback: str, until: Until) -> None:
    key(Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is workspace.feedback.feedback
    key(feedback)
    key(decision_key, Qt.KeyboardModifier.AltModifier)
    key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(lambda: workspace.confirmation is not None and workspace.confirmation.isVisible())
    box = workspace.confirmation
    assert "Resulting status" in box.text()
    QTest.keyClick(box, Qt.Key.Key_Return)  # the focused default: Submit
    until(lambda: workspace.confirmation is None)


async def poll(fetch: Callable[[], Awaitable[T]], done: Callable[[T], bool], seconds: float = 30.0) -> T:
    """What ``fetch`` returns once ``done`` holds (the sync engine delivers in the background)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        value = await fetch()
        if done(value) or asyncio.get_running_loop().time() > deadline:
            assert done(value), f"not delivered in {seconds:g} s: {value!r}"[:2000]
            return value
        await asyncio.sleep(0.25)
