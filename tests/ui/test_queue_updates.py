"""Row changes without resets: badge and value changes signal only the rows that changed, the filter proxy
hides and shows just those rows, the saved views' counts follow, and the window coalesces outbox bursts."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from queue_items import NOW, make_items

from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.queue import QueueItem
from mentor_desk.services.account import Account
from mentor_desk.services.prefetch import OfflineCopies
from mentor_desk.services.wiring import platform_services
from mentor_desk.store.store import Store
from mentor_desk.ui.main_window import BADGES_SETTLE_MS, MainWindow
from mentor_desk.ui.queue.model import Column, LocalBadges, QueueModel, plan_update
from mentor_desk.ui.queue.proxy import QueueFilter, QueueFilterProxy
from mentor_desk.ui.queue.table import QueueTable
from mentor_desk.ui.queue.views import BUILTIN_VIEWS, SavedViews
from mentor_desk.ui.settings import AppSettings


class Signals:
    """What a model emitted: (signal, first row, last row) in order."""

    def __init__(self, model: Any) -> None:
        self.seen: list[tuple[str, int, int]] = []
        model.dataChanged.connect(lambda a, b, _roles=(): self.seen.append(("changed", a.row(), b.row())))
        model.rowsRemoved.connect(lambda _p, a, b: self.seen.append(("removed", a, b)))
        model.rowsInserted.connect(lambda _p, a, b: self.seen.append(("inserted", a, b)))
        model.modelReset.connect(lambda: self.seen.append(("reset", -1, -1)))
        model.layoutChanged.connect(lambda: self.seen.append(("layout", -1, -1)))


@pytest.fixture
def model() -> QueueModel:
    queue = QueueModel(clock=lambda: NOW)
    queue.set_items(make_items(300))
    return queue


def waiting(*ids: str) -> dict[str, LocalBadges]:
    return {review_id: LocalBadges(waiting_to_sync=True) for review_id in ids}


def test_a_badge_change_signals_only_the_rows_that_changed(model: QueueModel) -> None:
    signals = Signals(model)
    model.set_local_badges({"review-000003": LocalBadges(has_draft=True), "review-000007": LocalBadges(conflict=True)})
    assert signals.seen == [("changed", 3, 3), ("changed", 7, 7)]
    assert model.index(3, Column.BADGES).data() == "draft"
    signals.seen.clear()
    model.set_local_badges({"review-000003": LocalBadges(has_draft=True), "review-000004": LocalBadges(failed=True)})
    assert signals.seen == [("changed", 4, 4), ("changed", 7, 7)]  # row 3 kept its badge: not signalled
    signals.seen.clear()
    model.set_local_badges({"review-000003": LocalBadges(has_draft=True), "review-000004": LocalBadges(failed=True)})
    assert signals.seen == []


def test_reloading_the_same_reviews_replaces_only_changed_rows(model: QueueModel) -> None:
    signals = Signals(model)
    items = list(model.items())
    items[10] = replace(items[10], status="approved", learner_name="Renamed Learner")
    items[11] = replace(items[11], ai_score=99.0)
    model.set_items(items)
    assert signals.seen == [("changed", 10, 11)]
    assert model.index(10, Column.LEARNER).data() == "Renamed Learner"
    assert model.facet("status")[10] == "Approved"
    model.set_items(make_items(299))  # a review left the queue: the rows are different ones
    assert signals.seen[-1] == ("reset", -1, -1) and model.rowCount() == 299


def test_the_proxy_hides_and_shows_changed_rows_without_a_reset(model: QueueModel, qtmodeltester) -> None:
    proxy = QueueFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(QueueFilter(only_unreviewed=True))
    before = proxy.source_rows()
    target = before[5]
    signals = Signals(proxy)
    model.set_local_badges(waiting(model.item(target).id))  # sent: no longer "to review"
    assert signals.seen == [("removed", 5, 5)]
    assert proxy.source_rows() == [r for r in before if r != target]
    signals.seen.clear()
    model.set_local_badges({})
    assert signals.seen == [("inserted", 5, 5)]
    assert proxy.source_rows() == before
    model.set_local_badges({model.item(before[2]).id: LocalBadges(has_draft=True)})  # still shown: repainted
    assert signals.seen[-1] == ("changed", 2, 2)
    qtmodeltester.check(proxy, force_py=True)


def test_a_change_that_moves_a_row_in_the_sort_order_is_shown_in_order(model: QueueModel) -> None:
    proxy = QueueFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Column.BADGES, Qt.SortOrder.AscendingOrder)  # most flags first
    model.set_local_badges({model.item(150).id: LocalBadges(has_draft=True, waiting_to_sync=True, conflict=True)})
    assert proxy.source_rows()[0] == 150
    proxy.sort(Column.LEARNER, Qt.SortOrder.AscendingOrder)
    items = list(model.items())
    items[42] = replace(items[42], learner_name="AAA first of all")
    model.set_items(items)
    assert proxy.source_rows()[0] == 42


def test_view_counts_follow_badge_changes(model: QueueModel, qtbot, tmp_path: Path) -> None:
    views = SavedViews(AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    page = QueueTable(model, views)
    qtbot.addWidget(page)

    def brute_force() -> dict[str, int]:
        """Each view's count the slow way: every row through the proxy with that view's filter."""
        counts = {}
        for view in BUILTIN_VIEWS:
            proxy = QueueFilterProxy()
            proxy.setSourceModel(model)
            proxy.set_filter(view.filter)
            counts[view.name] = proxy.rowCount()
        return counts

    def labels() -> list[str]:
        return [page.view_box.itemText(i) for i in range(page.view_box.count())]

    expected = brute_force()
    assert labels() == [f"{name} ({count})" for name, count in expected.items()]
    unreviewed = [model.item(r).id for r in range(model.rowCount()) if model.is_unreviewed(r)][:7]
    model.set_local_badges(waiting(*unreviewed))
    assert views.counts(model)["To review"] == expected["To review"] - 7 == brute_force()["To review"]
    qtbot.waitUntil(lambda: labels()[0] == f"To review ({expected['To review'] - 7})", timeout=2000)
    assert page.view_box.currentData() == "To review"


@pytest.fixture
def window(run, qtbot, tmp_path: Path) -> Any:
    store = run(Store.open("http://127.0.0.1:9", "mentor@demo.och", data_dir=tmp_path))
    run(store.replace_queue(make_items(50)))
    account = Account(store, server="http://127.0.0.1:9", mode="full", user_name="Mentor")
    services = platform_services(account, tmp_path)
    reads: list[int] = []
    read_badges = services.queue.badges

    async def counted_badges() -> Any:
        reads.append(1)
        return await read_badges()

    services.queue.badges = counted_badges  # type: ignore[method-assign]  # counts the store reads, which stay real
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(services, settings)
    qtbot.addWidget(win)
    run(win.reload_from_store())
    reads.clear()
    yield win, store, reads
    run(store.close())


def test_a_burst_of_outbox_changes_reads_the_badges_once(window, run, qtbot) -> None:
    win, store, reads = window
    item: QueueItem = win.model.item(3)
    run(store.save_draft(item.id, "main", ReviewDraft(feedback_written="half-written")))
    for _ in range(200):  # a push reports every sent review
        win.outbox_changed()
    assert reads == []  # nothing read while the burst lasts
    qtbot.waitUntil(lambda: "draft" in win.model.index(3, Column.BADGES).data(), timeout=5000)
    qtbot.wait(BADGES_SETTLE_MS * 2)
    assert reads == [1]


def test_a_long_burst_still_updates_the_badges_every_second(window, run, qtbot) -> None:
    win, store, reads = window
    run(store.save_draft(win.model.item(4).id, "main", ReviewDraft(feedback_written="x")))
    for _ in range(12):  # an outbox change every 150 ms for 1.8 s: never 250 ms of quiet
        win.outbox_changed()
        qtbot.wait(150)
    assert reads, "badges were not read during a long burst"
    assert "draft" in win.model.index(4, Column.BADGES).data()
    assert len(reads) <= 3


def test_rows_planned_in_a_worker_thread_apply_even_if_the_rows_moved_on(model: QueueModel) -> None:
    items = list(model.items())
    items[7] = replace(items[7], learner_name="Changed In A Thread")
    with ThreadPoolExecutor(1) as pool:
        planned = pool.submit(plan_update, model.rows_snapshot(), items).result()
    assert planned.changed == [7]
    signals = Signals(model)
    model.apply(planned)
    assert signals.seen == [("changed", 7, 7)]
    stale = plan_update(model.rows_snapshot(), make_items(300))
    model.set_items(make_items(120))  # the rows changed after that plan was made
    model.apply(stale)
    assert model.rowCount() == 300 and model.index(7, Column.LEARNER).data() == make_items(8)[7].learner_name
    assert signals.seen[-1] == ("reset", -1, -1)


def count_queue_reads(win: MainWindow) -> list[int]:
    """A list that grows by one for every read of the whole cached queue (the reads stay real)."""
    queue_reads: list[int] = []
    read_queue = win.services.queue.cached_queue

    async def counted_queue() -> Any:
        queue_reads.append(1)
        return await read_queue()

    win.services.queue.cached_queue = counted_queue
    return queue_reads


def test_reloads_asked_for_together_share_one_read(window, run) -> None:
    win, store, _reads = window
    queue_reads = count_queue_reads(win)

    async def five_reloads() -> None:
        await asyncio.gather(*(win.reload_from_store() for _ in range(5)))

    run(store.replace_queue(make_items(60)))
    run(five_reloads())
    assert len(queue_reads) == 1  # all asked for before the read began: one read serves them all
    assert win.model.rowCount() == 60


def test_a_pull_shows_the_reviews_it_changed_without_reading_the_whole_queue(window, run, qtbot) -> None:
    win, store, reads = window
    queue_reads = count_queue_reads(win)
    signals = Signals(win.model)
    changed = replace(win.model.item(5), status="approved", learner_name="Decided Elsewhere")
    run(store.upsert_queue([changed]))

    run(win.show_pulled([changed.id]))

    assert queue_reads == [] and reads == [1]  # the changed row and the badges, never the whole queue
    assert signals.seen == [("changed", 5, 5)]
    assert win.model.index(5, Column.LEARNER).data() == "Decided Elsewhere"


def test_a_pull_keeps_the_offline_ready_flags(window, run, qtbot) -> None:
    win, store, _reads = window
    copied = win.model.item(3)
    win._show_offline_copies(OfflineCopies(ready=frozenset({copied.id}), used_bytes=0, budget_bytes=1024**3))
    qtbot.waitUntil(lambda: "offline ready" in win.model.index(3, Column.BADGES).data())
    changed = replace(win.model.item(5), status="approved")
    run(store.upsert_queue([changed]))

    run(win.show_pulled([changed.id]))

    assert "offline ready" in win.model.index(3, Column.BADGES).data()  # a pull changes no offline copy


def test_a_pull_that_adds_or_removes_reviews_shows_the_whole_queue_again(window, run, qtbot) -> None:
    win, store, _reads = window
    run(store.replace_queue(make_items(51)))  # a review assigned since: new to the table
    run(win.show_pulled([make_items(51)[50].id]))
    assert win.model.rowCount() == 51
    run(store.replace_queue(make_items(49)))  # two left the queue
    run(win.show_pulled([item.id for item in make_items(51)[49:]]))
    assert {item.id for item in win.model.items()} == {item.id for item in make_items(49)}
