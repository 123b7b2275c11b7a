"""Start-up on the cached queue: the window shows what the store holds before anything touches the network, and
the session, the server's identity and sync follow in the background."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from queue_items import make_items

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.credentials import TokenVault
from mentor_desk.api.session import Session
from mentor_desk.app import AppShell
from mentor_desk.domain.queue import QueueItem
from mentor_desk.launch import open_last_store
from mentor_desk.store.database import database_path
from mentor_desk.store.store import Store, StoreOpening
from mentor_desk.ui.banner import FULL_TEXT
from mentor_desk.ui.crash import CrashHandler
from mentor_desk.ui.main_window import FIRST_ROWS
from mentor_desk.ui.queue.model import Column, QueueModel
from mentor_desk.ui.queue.table import QueueTable
from mentor_desk.ui.queue.views import SavedViews

EMAIL = "mentor@demo.och"
CACHED = make_items(40)


@pytest.fixture
def seeded(settings, paths, run):  # type: ignore[no-untyped-def]
    """``seed(server, session)``: a cached queue of 40 rows, the server remembered, the session in the opt-in file."""

    def seed(server: str, session: Session, items: list[QueueItem] = CACHED) -> None:
        store = run(Store.open(server, EMAIL, data_dir=paths.data_dir))
        run(store.replace_queue(items))
        run(store.close())
        settings.remember_server(server, EMAIL)
        settings.set_token_file_opt_in(True)
        vault = TokenVault(paths.data_dir / "session.json", allow_file=True, use_keyring=False)
        run(vault.save(server, EMAIL, session))

    return seed


@pytest.fixture
def desk_app(settings, paths, run) -> Iterator[list[AppShell]]:  # type: ignore[no-untyped-def]
    made: list[AppShell] = []
    yield made
    for app in made:
        run(app.shutdown())
        if app.window is not None:
            app.window.closed.disconnect()
            app.window.close()


def test_cached_queue_shows_without_the_network_and_goes_offline_when_unreachable(
    seeded, desk_app, settings, paths, run, until
) -> None:
    seeded("http://127.0.0.1:9", Session("old-access", "old-refresh", 1, EMAIL, "Cached Mentor", ("mentor",)))
    app = AppShell(settings, paths, CrashHandler())
    desk_app.append(app)
    run(app.start())
    window, account = app.window, app.account
    assert app.sign_in is None and window is not None and account is not None and window.isVisible()
    assert window.model.rowCount() == len(CACHED)
    assert account.client is None, "the cached queue was shown before a client even existed"
    until(lambda: account.connected and window.status_connectivity.text().endswith("Offline"))
    assert window.model.rowCount() == len(CACHED), "an unreachable server takes nothing away"
    assert app._reauth is None, "an unreachable server is no reason to ask for the password"


def test_background_sign_in_and_sync_follow_when_the_server_answers(
    seeded, desk_app, settings, paths, sandbox, run, until
) -> None:
    client = PlatformClient(sandbox.url)
    run(client.login(EMAIL, "mentor-demo"))
    me = run(client.me())
    session = client.session
    run(client.aclose())
    assert session is not None
    seeded(sandbox.url, session)
    app = AppShell(settings, paths, CrashHandler())
    desk_app.append(app)
    run(app.start())
    window, account = app.window, app.account
    assert window is not None and account is not None
    assert window.model.rowCount() == len(CACHED) and account.client is None
    until(lambda: account.connected and window.status_connectivity.text().endswith("Online"), 30)
    cached_ids = {item.id for item in CACHED}
    until(lambda: any(item.id not in cached_ids for item in window.model.items()), 30)  # the server's queue
    assert window.status_user.text() == f"{me.name} @ {sandbox.url}"
    assert window.banner.text() == FULL_TEXT and account.mode == "full"
    assert settings.mode_for(sandbox.url) == "full"
    assert Path(paths.data_dir / "session.json").exists()


def test_a_refused_server_address_leaves_the_cached_queue_usable(seeded, desk_app, settings, paths, run, until) -> None:
    seeded("http://mentors.och.example", Session("a", "r", 1, EMAIL, "Cached Mentor", ("mentor",)))  # plain http
    app = AppShell(settings, paths, CrashHandler())
    desk_app.append(app)
    run(app.start())
    window, account = app.window, app.account
    assert window is not None and account is not None
    until(lambda: window.status_connectivity.text().endswith("Offline"))
    assert not account.connected and window.model.rowCount() == len(CACHED)
    refreshing = window.refresh()
    until(refreshing.done, 5)  # F5 answers at once instead of waiting for a client that never comes
    assert "http://" in window.statusBar().currentMessage()
    assert window.model.rowCount() == len(CACHED)


UNREACHABLE = "http://127.0.0.1:9"
CACHED_SESSION = Session("old-access", "old-refresh", 1, EMAIL, "Cached Mentor", ("mentor",))


def test_a_large_queue_shows_its_first_screenful_first_then_the_whole_of_it(
    seeded, desk_app, settings, paths, run, until
) -> None:
    items = make_items(FIRST_ROWS * 3)
    seeded(UNREACHABLE, CACHED_SESSION, items)
    app = AppShell(settings, paths, CrashHandler())
    desk_app.append(app)
    run(app.start())
    window = app.window
    assert window is not None
    stored_order = run(window.services.queue.cached_queue())
    assert window.model.items() == stored_order[:FIRST_ROWS], "the first rows are the queue's first rows"
    assert window.queue.is_loading()
    assert [window.queue.view_box.itemText(i) for i in range(3)] == ["To review", "Overdue (over 48 h)", "Everything"]
    until(lambda: window.model.rowCount() == len(items))
    assert not window.queue.is_loading()
    assert window.queue.view_box.itemText(2) == f"Everything ({len(items)})"
    assert list(window.model.items()) == stored_order


def test_a_sorted_queue_waits_for_all_of_its_rows(seeded, desk_app, settings, paths, run, qtbot) -> None:
    items = make_items(FIRST_ROWS * 2)
    seeded(UNREACHABLE, CACHED_SESSION, items)
    table = QueueTable(QueueModel(), SavedViews(settings))  # the mentor sorted by AI score last time
    qtbot.addWidget(table)
    table.table.sortByColumn(Column.AI_SCORE, Qt.SortOrder.DescendingOrder)
    settings.set_header_state(table.table.horizontalHeader().saveState())
    app = AppShell(settings, paths, CrashHandler())
    desk_app.append(app)
    run(app.start())
    window = app.window
    assert window is not None and window.queue.is_sorted()
    assert window.model.rowCount() == len(items) and not window.queue.is_loading()


def test_the_last_mentors_store_opens_ahead_and_the_window_uses_it(
    seeded, desk_app, settings, paths, run, until
) -> None:
    assert open_last_store(settings, paths) is None, "nothing signed in to yet"
    seeded(UNREACHABLE, CACHED_SESSION)
    opening = open_last_store(settings, paths)
    assert opening is not None and opening.path == database_path(UNREACHABLE, EMAIL, paths.data_dir)
    app = AppShell(settings, paths, CrashHandler(), store_opening=opening)
    desk_app.append(app)
    run(app.start())
    assert app.account is not None and app.account.store.path == opening.path
    assert app._store_opening is None, "taken, not opened twice"
    assert app.window is not None and app.window.model.rowCount() == len(CACHED)


def test_a_store_opened_ahead_for_nobody_shown_is_closed(seeded, desk_app, settings, paths, run, tmp_path) -> None:
    elsewhere = tmp_path / "other.sqlite3"
    run(run(Store.open_path(elsewhere)).close())
    opening = StoreOpening(elsewhere)
    app = AppShell(settings, paths, CrashHandler(), store_opening=opening)  # nothing remembered: sign-in
    desk_app.append(app)
    run(app.start())
    assert app.sign_in is not None and app._store_opening is None
    assert not elsewhere.with_name("other.sqlite3-wal").exists(), "its connections were closed"
    app.sign_in.close()
