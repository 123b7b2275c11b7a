"""The queue model and its filter proxy: model invariants, sorting, filtering, badges, SLA colours."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from queue_items import NOW, make_item, make_items

from mentor_desk.ui.plain import plain_tooltip
from mentor_desk.ui.queue.model import Column, LocalBadges, QueueModel, Sla, SortKeyRole, sla_for
from mentor_desk.ui.queue.proxy import QueueFilter, QueueFilterProxy
from mentor_desk.ui.queue.table import QueueTable
from mentor_desk.ui.queue.views import SavedViews
from mentor_desk.ui.settings import AppSettings


@pytest.fixture
def model() -> QueueModel:
    queue = QueueModel(clock=lambda: NOW)
    queue.set_items(make_items(200))
    return queue


@pytest.fixture
def proxy(model: QueueModel) -> QueueFilterProxy:
    view = QueueFilterProxy()
    view.setSourceModel(model)
    return view


def column_values(proxy: QueueFilterProxy, column: Column) -> list[str]:
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester, model: QueueModel) -> None:
    qtmodeltester.check(model, force_py=True)


def test_proxy_passes_qt_model_tester_while_filtering_and_sorting(qtmodeltester, proxy: QueueFilterProxy) -> None:
    proxy.set_filter_text("learner 1")
    proxy.sort(Column.AI_SCORE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy, force_py=True)


def test_display_values_and_unknown_status_shown_raw(model: QueueModel) -> None:
    model.set_items(
        [
            make_item(1, status="mentor_review", stage_index=2, stage_total=6, stage_name="reporting"),
            make_item(2, status="escalated_to_board"),
        ]
    )
    assert model.index(0, Column.STATUS).data() == "Awaiting mentor review"
    assert model.index(0, Column.STAGE).data() == "2/6 Reporting"
    assert model.index(1, Column.STATUS).data() == "escalated_to_board"


def test_age_column_uses_sla_colours() -> None:
    assert [sla_for(h) for h in (None, 3, 23.9, 24.5, 47, 48.5, 200)] == [
        Sla.NORMAL,
        Sla.NORMAL,
        Sla.NORMAL,
        Sla.AMBER,
        Sla.AMBER,
        Sla.RED,
        Sla.RED,
    ]
    queue = QueueModel(clock=lambda: NOW)
    queue.set_items([make_item(0, submitted_at=NOW.replace(hour=2)), make_item(1, submitted_at=NOW.replace(day=22))])
    fresh, old = queue.index(0, Column.AGE), queue.index(1, Column.AGE)
    assert fresh.data() == "10 h" and fresh.data(Qt.ItemDataRole.BackgroundRole) is None
    assert old.data() == "3 d ⚠" and old.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "48 h" in old.data(Qt.ItemDataRole.ToolTipRole)


def test_badges_from_items_and_from_the_store(model: QueueModel) -> None:
    model.set_items(
        [
            make_item(1, kind="capstone", attempt=2, presentation_required=True, claimed_by="Mentor Two"),
            make_item(2, attempt=1, claimed_by="Me", claimed_by_me=True),
        ]
    )
    assert model.index(0, Column.BADGES).data() == "claimed by Mentor Two, capstone, resubmission, presentation"
    assert model.index(1, Column.BADGES).data() == ""
    model.set_local_badges({"review-000002": LocalBadges(has_draft=True, waiting_to_sync=True, conflict=True)})
    assert model.index(1, Column.BADGES).data() == "conflict, waiting to sync, draft"
    assert not model.is_unreviewed(1) or model.item(1).status not in ("submitted",)


def test_type_to_filter_matches_words_across_columns(proxy: QueueFilterProxy) -> None:
    proxy.set_filter_text("offensive LEARNER1")  # every word somewhere in the row, case-insensitive
    learners = column_values(proxy, Column.LEARNER)
    assert learners and all(name.startswith("Learner 1") for name in learners)
    assert set(column_values(proxy, Column.TRACK)) == {"Offensive"}  # OFFENSIVE_5, by name
    proxy.set_filter_text("offensive LEARNER11@")  # narrowing re-checks only the visible rows; email matches
    assert set(column_values(proxy, Column.LEARNER)) == {"Learner 11"}
    proxy.set_filter_text("")
    assert proxy.rowCount() == 200


def test_facet_filters(proxy: QueueFilterProxy) -> None:
    proxy.set_filter(QueueFilter(statuses=frozenset({"Approved"}), tracks=frozenset({"GRC_5"})))
    assert proxy.rowCount() > 0
    assert set(column_values(proxy, Column.STATUS)) == {"Approved"}
    assert set(column_values(proxy, Column.TRACK)) == {"GRC"}
    proxy.set_filter(QueueFilter(sla=frozenset({Sla.RED})))
    assert all(value.endswith(" d ⚠") for value in column_values(proxy, Column.AGE))


def test_filter_round_trips_through_json() -> None:
    flt = QueueFilter(text="x", statuses=frozenset({"Approved"}), sla=frozenset({Sla.AMBER}), only_unreviewed=True)
    assert QueueFilter.from_json(flt.to_json()) == flt
    assert QueueFilter.from_json({"sla": ["purple"], "tiers": ["5"]}) == QueueFilter(tiers=frozenset({"5"}))


@pytest.mark.parametrize("column", list(Column))
def test_sort_on_every_column_uses_sort_keys_with_missing_values_last(proxy: QueueFilterProxy, column: Column) -> None:
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        proxy.sort(column, order)
        keys = [proxy.index(row, column).data(SortKeyRole) for row in range(proxy.rowCount())]
        present = [key for key in keys if key is not None]
        assert keys[: len(present)] == present, "missing values sort last"
        assert present == sorted(present, reverse=order == Qt.SortOrder.DescendingOrder)


def test_ai_score_sorts_numerically(proxy: QueueFilterProxy) -> None:
    proxy.sort(Column.AI_SCORE, Qt.SortOrder.AscendingOrder)
    scores = [v for v in column_values(proxy, Column.AI_SCORE) if v != "—"]
    assert [int(v) for v in scores] == sorted(int(v) for v in scores)
    assert column_values(proxy, Column.AI_SCORE)[-1] == "—"


def test_filtering_100k_rows_narrows_and_restores_them() -> None:
    # Its speed is a benchmark figure (queue_filter_ms in benchmarks/bench_ui.py), not a timed test.
    queue = QueueModel(clock=lambda: NOW)
    queue.set_items(make_items(100_000))
    proxy = QueueFilterProxy()
    proxy.setSourceModel(queue)
    for text in ("l", "le", "lea", "learner 12", "learner 123"):  # typed one key at a time
        proxy.set_filter_text(text)
    assert set(column_values(proxy, Column.LEARNER)) == {"Learner 123"}
    assert proxy.rowCount() == sum(1 for n in range(100_000) if n % 977 == 123)
    proxy.set_filter_text("")
    assert proxy.rowCount() == 100_000


def test_filter_follows_badge_changes_after_results_were_reused(proxy: QueueFilterProxy, model: QueueModel) -> None:
    proxy.set_filter_text("draft")
    assert proxy.rowCount() == 0
    proxy.set_filter_text("")
    model.set_local_badges({"review-000006": LocalBadges(has_draft=True)})
    proxy.set_filter_text("draft")  # the earlier (empty) result for "draft" must not come back
    assert [proxy.index(row, Column.BADGES).data() for row in range(proxy.rowCount())] == ["draft"]
    proxy.set_filter_text("dra")
    proxy.set_filter_text("draft")  # deleting and retyping letters gives the same rows
    assert proxy.rowCount() == 1
    model.set_local_badges({})
    assert proxy.rowCount() == 0


def test_filter_haystacks_are_built_while_idle_and_filtering_mid_way_is_exact(qtbot) -> None:
    queue = QueueModel(clock=lambda: NOW)
    items = make_items(5_000)
    queue.set_items(items)
    assert queue._haystacks == []  # nothing computed while the rows are shown
    qtbot.waitUntil(lambda: 0 < len(queue._haystacks) < len(items), timeout=5000)
    proxy = QueueFilterProxy()
    proxy.setSourceModel(queue)
    proxy.set_filter_text("learner 12")  # mid-way: the rest is built now, every row is searched
    reference = QueueModel(clock=lambda: NOW)
    reference.set_items(items)
    reference.haystacks()  # all at once
    expected = QueueFilterProxy()
    expected.setSourceModel(reference)
    expected.set_filter_text("learner 12")
    assert 0 < proxy.rowCount() < len(items)
    assert proxy.source_rows() == expected.source_rows()
    queue.set_items(items[:10])
    qtbot.waitUntil(lambda: len(queue._haystacks) == 10, timeout=5000)


def test_tooltips_show_server_text_literally(model: QueueModel) -> None:
    model.set_items(
        [
            make_item(
                1,
                mission_title="<b>Phish</b> & <img src=x>",
                mission_code="M&5",
                learner_email="<i>x</i>@demo.och",
                status="<b>escalated</b>",
                claimed_by="&Mentor <u>Two</u>",
            )
        ]
    )
    tips = {column: model.index(0, column).data(Qt.ItemDataRole.ToolTipRole) for column in Column}
    assert tips[Column.MISSION] == plain_tooltip("M&5 — <b>Phish</b> & <img src=x>")
    assert tips[Column.LEARNER] == plain_tooltip("<i>x</i>@demo.och")
    assert tips[Column.STATUS] == plain_tooltip("Server status: <b>escalated</b>")
    assert tips[Column.BADGES] == plain_tooltip("claimed by &Mentor <u>Two</u>\nresubmission")


def test_facet_menus_show_values_with_an_ampersand(model: QueueModel, qtbot, tmp_path) -> None:
    model.set_items([make_item(1, track="R&D_5"), make_item(2, track="DEFENDER_5")])
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    page = QueueTable(model, SavedViews(settings))
    qtbot.addWidget(page)
    menu = page.facet_buttons["track"].menu()
    menu.aboutToShow.emit()
    assert [action.text() for action in menu.actions()] == ["Cyber Defender — Mastery", "R&&D_5"]  # "&&" shows "&"
    menu.actions()[1].setChecked(True)
    assert page.proxy.filter().tracks == frozenset({"R&D_5"})
