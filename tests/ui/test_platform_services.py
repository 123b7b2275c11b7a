"""The services over a real sandbox: claiming keeps an up-to-date draft pushable, and OCH v1 review
details carry the queue row's change time for the sync engine's moved-on check."""

from __future__ import annotations

import json
from pathlib import Path

from mentor_desk.api.client import PlatformClient
from mentor_desk.app import AppShell
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.services.account import Account
from mentor_desk.services.outbox import PlatformOutbox
from mentor_desk.services.wiring import platform_services
from mentor_desk.store.store import Store
from mentor_desk.ui.main_window import MainWindow


def open_window(shell: AppShell, run, until, url: str):  # type: ignore[no-untyped-def]
    client = PlatformClient(url)
    run(client.login("mentor@demo.och", "mentor-demo"))
    run(shell.open_account(client, "mentor@demo.och", run(client.me())))
    window, account = shell.window, shell.account
    assert window is not None and account is not None
    until(lambda: window.model.rowCount() > 0 and not window._refreshing)
    return window, account


def test_claiming_again_moves_a_current_draft_onto_the_new_version(shell, fresh_sandbox, run, until) -> None:
    window, account = open_window(shell, run, until, fresh_sandbox.url)
    queue, store, client = window.services.queue, account.store, account.client
    item = next(
        item
        for item in window.model.items()
        if item.status == "mentor_review" and item.kind == "mission" and not item.claimed_by
    )
    assert run(queue.claim(item.id)) is None
    assert run(queue.claim(item.id)) is None  # renewing my own claim changes nothing else…
    claimed = run(client.get_review(item.id)).version
    run(client.release_claim(item.id))  # …releasing it is a change of the item
    version = run(client.get_review(item.id)).version
    assert version == claimed + 1
    run(store.save_draft(item.id, "review", {"base_version": version, "comment": "started"}))
    run(store.save_draft(item.id, "older", {"base_version": version - 1, "comment": "stale"}))
    assert run(queue.claim(item.id)) is None  # claiming it again bumps the version
    now = run(client.get_review(item.id)).version
    assert now == version + 1
    current, stale = run(store.draft(item.id, "review")), run(store.draft(item.id, "older"))
    assert current.base_version == now and current.payload == {"base_version": now, "comment": "started"}
    assert stale.base_version == version - 1, "a draft from before someone else's change keeps its base"


def test_v1_review_detail_carries_the_queue_rows_update_time(shell, sandbox_v1, run, until) -> None:
    window, _account = open_window(shell, run, until, sandbox_v1.url)
    item = next(item for item in window.model.items() if item.updated_at is not None)
    detail = run(window.services.reviews.load_review(item.id))
    assert detail.updated_at == item.updated_at


def test_taking_theirs_needs_no_connection(run, tmp_path: Path) -> None:
    """Before the platform client and the sync engine exist (start-up, offline), taking the server's version
    settles the conflict at once, keeping an export of mine."""
    store = run(Store.open_path(tmp_path / "store.sqlite3"))
    try:
        entry = run(
            store.submit_draft("r1", "", "stage_review", ReviewDraft(base_version=3, feedback_written="keep a copy"))
        )
        conflict = run(store.raise_conflict(entry.id, {"version": 5}, "version conflict"))

        async def unconnected_outbox() -> PlatformOutbox:
            return PlatformOutbox(Account(store, server="https://och.example.org", mode="full", user_name="M"))

        outbox = run(unconnected_outbox())
        export = run(outbox.resolve_conflict(conflict.id, "theirs"), timeout=5)
        assert json.loads(export.read_text(encoding="utf-8"))["mine"]["feedback_written"] == "keep a copy"
        assert run(store.conflicts()) == [] and run(store.badges()) == {}
    finally:
        run(store.close())


def test_the_status_bar_counts_follow_outbox_edits_without_a_sync_engine(run, until, settings, qtbot, tmp_path) -> None:
    """Settling a conflict in the outbox panel updates "1 conflict to resolve" even when no engine runs to
    announce the change."""
    store = run(Store.open_path(tmp_path / "store.sqlite3"))
    try:
        entry = run(store.submit_draft("r1", "", "stage_review", ReviewDraft(base_version=3, feedback_written="mine")))
        conflict = run(store.raise_conflict(entry.id, {"version": 5}, "version conflict"))

        async def window_on_unconnected_account() -> MainWindow:
            account = Account(store, server="https://och.example.org", mode="full", user_name="M")
            return MainWindow(platform_services(account, tmp_path), settings)

        window = run(window_on_unconnected_account())
        qtbot.addWidget(window)
        run(window.reload_outbox_counts())
        assert window.status_conflicts.text() == "1 conflict to resolve"
        run(window.services.outbox.resolve_conflict(conflict.id, "theirs"), timeout=5)
        window.sync_panel.changed.emit()  # what the panel says after any retry, discard or settled conflict
        until(lambda: window.status_conflicts.text() == "")
        assert window.status_waiting.text() == "Nothing waiting to sync"
    finally:
        run(store.close())
