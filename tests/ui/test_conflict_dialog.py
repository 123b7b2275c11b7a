"""The conflict dialog over real conflicts: a sandbox, a store and a sync engine, the dialog offscreen.

Each conflict is real (see ``tests/sync/scenarios.py``): the mentor's review waits in the outbox while the same
mentor, on another computer, reviews the item differently first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QDialog, QLabel
from sync.conftest import Desk, open_desk
from sync.scenarios import (
    ReviewedTwice,
    decided_on_another_computer,
    gone_after_a_conflict,
    only,
    reviewed_on_the_web,
    server_row,
)

from mentor_desk.api.errors import PlatformError
from mentor_desk.api.models import ReviewDetail
from mentor_desk.domain.words import local_time_in_words
from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.store import Conflict, DocumentKind
from mentor_desk.ui.conflict_dialog import DIFFERS, NOT_READ, Choice, ConflictDialog, comparison_rows, merged_payload

Runner = Callable[..., Any]


@pytest.fixture
def desks(run: Runner) -> Iterator[Callable[[str, Path], Desk]]:
    """``open(url, data_dir)`` gives a signed-in desk; all are closed after the test."""
    opened: list[Desk] = []

    def open_one(url: str, data_dir: Path) -> Desk:
        opened.append(run(open_desk(url, data_dir)))
        return opened[-1]

    yield open_one
    for desk in opened:
        run(desk.store.close())
        run(desk.client.aclose())


@pytest.fixture
def v1_platform(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(db_path=tmp_path / "platform-v1.sqlite3", profile="och-v1")) as server:
        yield server


def names_of(run: Runner, desk: Desk, review_id: str) -> dict[str, str]:
    """Subtask and criterion titles from the cached review, as the sync panel gives them to the dialog."""
    cached = run(desk.store.document(DocumentKind.REVIEW_DETAIL, review_id))
    detail = ReviewDetail.model_validate(cached.data)
    names = {s.id: s.title for s in detail.mission.subtasks}
    names |= {c.id: c.title for rubric in detail.rubrics.values() for c in rubric.criteria}
    return names


def unsent(mine: dict[str, Any], theirs: dict[str, Any]) -> Conflict:
    """A conflict as the store records it, without the sandbox: for what the dialog shows of given payloads."""
    return Conflict(
        id=1, outbox_id=1, review_id="r", created_at="", resolved_at=None, resolution=None, mine=mine, theirs=theirs
    )


def open_dialog(qtbot: Any, conflict: Conflict, names: dict[str, str] | None = None) -> ConflictDialog:
    dialog = ConflictDialog(
        conflict, "Ransomware triage — Sam <Otieno>", "The review changed since you loaded it", names
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def table(dialog: ConflictDialog) -> dict[str, tuple[str, str, str]]:
    """Field label -> (mine, on the server, differs marker), as shown."""
    cells = dialog.table
    return {
        cells.item(r, 0).text(): (cells.item(r, 1).text(), cells.item(r, 2).text(), cells.item(r, 3).text())
        for r in range(cells.rowCount())
    }


def pick(dialog: ConflictDialog, key: tuple[str, ...], choice: Choice) -> None:
    """Choose in the merge column's combo box, as the mentor would."""
    chooser = dialog.choosers[key]
    assert isinstance(chooser, QComboBox) and dialog.table.indexAt(chooser.pos()).column() == ConflictDialog.USE
    chooser.setCurrentIndex(chooser.findData(choice))


def save_picture(dialog: ConflictDialog, path: Path) -> None:
    image = dialog.grab().toImage()
    assert not image.isNull() and image.save(str(path))


def layer_b_conflict(run: Runner, desk: Desk, url: str) -> tuple[ReviewedTwice, Conflict]:
    reviewed = run(decided_on_another_computer(desk, url))
    assert run(desk.engine.sync_once()).conflicts == 1
    return reviewed, only(run(desk.store.conflicts()))


def test_the_servers_scores_are_shown_per_criterion(qtbot, run, desks, fresh_sandbox, tmp_path: Path) -> None:
    desk = desks(fresh_sandbox.url, tmp_path / "desk")
    reviewed, conflict = layer_b_conflict(run, desk, fresh_sandbox.url)
    names = names_of(run, desk, reviewed.review_id)

    dialog = open_dialog(qtbot, conflict, names)
    save_picture(dialog, tmp_path / "conflict-layer-b.png")

    shown = table(dialog)
    for subtask, criteria in reviewed.theirs["subtask_scores"].items():
        for criterion, theirs in criteria.items():
            mine = reviewed.mine.subtask_scores[subtask][criterion]
            label = f"Score: {names[subtask]} / {names[criterion]}"
            assert shown[label] == (f"{mine:g}", f"{theirs:g}", DIFFERS)
    comment = f"Comment on {names[reviewed.subtask]}"
    assert shown["Written feedback"] == ("Mine: a clear <b>timeline</b>.", "Theirs: redo the timeline.", DIFFERS)
    assert shown["Decision"] == ("Approved", "Revision requested", DIFFERS)
    assert shown["Reviewed by"][1] == reviewed.reviewer
    assert shown["Status"][1] == "Revision requested"
    assert shown[comment][0] == "Mine."  # the server's per-subtask comments are not in the review detail model
    assert dialog.findChild(QLabel, "detailsMissing").isHidden()
    assert dialog.merge.isEnabled()

    dialog.keep_mine.click()
    assert dialog.resolution == "mine" and not dialog.isVisible()


def test_merge_sends_the_chosen_fields(qtbot, run, desks, fresh_sandbox, tmp_path: Path) -> None:
    desk = desks(fresh_sandbox.url, tmp_path / "desk")
    reviewed, conflict = layer_b_conflict(run, desk, fresh_sandbox.url)
    dialog = open_dialog(qtbot, conflict, names_of(run, desk, reviewed.review_id))
    subtask, criteria = next(iter(reviewed.theirs["subtask_scores"].items()))
    criterion = next(iter(criteria))
    pick(dialog, ("subtask_scores", subtask, criterion), Choice.THEIRS)
    pick(dialog, ("feedback_written",), Choice.BOTH)

    dialog.merge.click()

    merged = dialog.resolution
    assert isinstance(merged, dict)
    expected = {sid: dict(values) for sid, values in reviewed.mine.subtask_scores.items()}
    expected[subtask][criterion] = criteria[criterion]
    assert merged["subtask_scores"] == expected
    assert merged["feedback_written"].startswith("Mine: a clear") and merged["feedback_written"].endswith("timeline.")
    assert "Theirs: redo the timeline." in merged["feedback_written"] and merged["decision"] == "approve"
    entry = run(desk.engine.resolve_conflict(conflict.id, merged))
    assert entry.draft.subtask_scores == expected and entry.base_version == conflict.theirs["version"]
    assert (entry.draft.mission_score or 100) < 100  # recomputed from the merged scores


def test_layer_a_merge_reaches_the_platform(qtbot, run, desks, v1_platform, tmp_path: Path) -> None:
    desk = desks(v1_platform.url, tmp_path / "desk")
    reviewed = run(reviewed_on_the_web(desk, v1_platform))
    assert run(desk.engine.sync_once()).conflicts == 1
    dialog = open_dialog(qtbot, only(run(desk.store.conflicts())))
    save_picture(dialog, tmp_path / "conflict-layer-a.png")
    shown = table(dialog)
    # OCH v1's interactions name no submission: the other side is the submission's own record only.
    assert shown["Score: st-1 / evidence"] == ("4", "—", DIFFERS)
    assert shown["Decision"] == ("Revision requested", "Approved", DIFFERS)
    assert shown["Written feedback"][1] == reviewed.theirs["feedback_written"]

    pick(dialog, ("feedback_written",), Choice.THEIRS)
    dialog.merge.click()
    run(desk.engine.resolve_conflict(only(run(desk.store.conflicts())).id, dialog.resolution))
    report = run(desk.engine.sync_once())

    assert (report.pushed, report.conflicts, report.pending) == (1, 0, 0)
    row = run(server_row(desk, reviewed.review_id))
    assert row.status == "rejected"  # my decision (a revision), now that I have seen theirs
    assert str(reviewed.theirs["feedback_written"]) in row.feedback  # their words, taken in the merge
    assert "- st-1: evidence 4, reasoning 3" in row.feedback  # my scores
    assert "d1: divergent — Isolate first." in row.feedback


def test_unreadable_details_are_said_and_merge_is_off(qtbot, run, desks, tmp_path: Path) -> None:
    with SandboxServer(SandboxConfig(db_path=tmp_path / "platform.sqlite3")) as platform:
        desk = desks(platform.url, tmp_path / "desk")
        run(decided_on_another_computer(desk, platform.url))
        gone_after_a_conflict(desk, platform)
        with pytest.raises(PlatformError):
            run(desk.engine.sync_once())
    conflict = only(run(desk.store.conflicts()))

    dialog = open_dialog(qtbot, conflict)
    save_picture(dialog, tmp_path / "conflict-offline.png")

    notice = dialog.findChild(QLabel, "detailsMissing")
    assert notice.isVisible() and "could not be read" in notice.text() and conflict.details_error in notice.text()
    shown = table(dialog)
    assert shown["Decision"] == ("Approved", NOT_READ, "")  # unknown is not "differs"
    assert all(
        theirs == NOT_READ and not marker for label, (_, theirs, marker) in shown.items() if label.startswith("Score:")
    )
    assert not dialog.merge.isEnabled() and dialog.table.isColumnHidden(ConflictDialog.USE)
    assert shown["Status"][1:] == ("Revision requested", DIFFERS)  # from the 409's row
    dialog.take_theirs.click()
    assert dialog.resolution == "theirs"


@pytest.mark.parametrize(
    ("key", "resolution"), [(Qt.Key.Key_K, "mine"), (Qt.Key.Key_T, "theirs"), (Qt.Key.Key_M, None)]
)
def test_each_way_out_has_a_key(qtbot, key: Qt.Key, resolution: str | None) -> None:
    conflict = unsent(
        {"decision": "approve", "feedback_written": "Mine."}, {"status": "approved", "feedback_written": "Theirs."}
    )
    dialog = open_dialog(qtbot, conflict)
    QTest.keyClick(dialog.windowHandle(), key, Qt.KeyboardModifier.AltModifier)  # as the window system sends it
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)  # a mnemonic "animates" its click
    assert dialog.resolution == (resolution or dialog.merged())


def test_server_times_are_shown_in_local_time_and_other_text_as_sent() -> None:
    conflict = unsent(
        {"decision": "approve", "server_updated_at": "2026-11-25T09:30:00+00:00"},
        {"status": "approved", "updated_at": "2026-11-25T10:00:00+00:00", "completed_at": "yesterday"},
    )
    rows = {label: (mine, theirs) for label, mine, theirs in comparison_rows(conflict)}
    mine_at, theirs_at = (datetime(2026, 11, 25, h, m, tzinfo=UTC).astimezone() for h, m in ((9, 30), (10, 0)))
    now = datetime.now().astimezone()
    assert rows["Last change"] == (local_time_in_words(mine_at, now), local_time_in_words(theirs_at, now))
    assert rows["Last change"][0].startswith(f"{mine_at.day} Nov")  # "25 Nov 09:30" in words
    assert rows["Reviewed at"] == ("—", "yesterday")


def test_merge_keeps_my_scores_and_decision_and_both_comments() -> None:
    conflict = unsent(
        {"decision": "approve", "feedback_written": "Mine.", "subtask_scores": {"s1": {"c1": 3}}},
        {"status": "approved", "feedback_written": "Theirs.", "subtask_scores": {"s1": {"c1": 1, "c2": 2}}},
    )
    merged = merged_payload(conflict)
    assert merged["decision"] == "approve"
    assert merged["subtask_scores"] == {"s1": {"c1": 3, "c2": 2}}
    assert merged["feedback_written"].startswith("Mine.") and merged["feedback_written"].endswith("Theirs.")
    rows = {label: (mine, theirs) for label, mine, theirs in comparison_rows(conflict, {"s1": "Triage"})}
    assert rows["Score: Triage / c2"] == ("—", "2") and rows["Status"] == ("—", "Approved")
