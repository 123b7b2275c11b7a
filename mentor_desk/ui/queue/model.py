"""The review queue as a Qt table model.

Rows are :class:`~mentor_desk.domain.queue.QueueItem` values plus the local badges the store knows about
(draft, waiting to sync, conflict). Everything a view or the filter proxy needs per row — display strings,
sort keys and a lowercase "haystack" for type-to-filter — is computed once when rows are set, so that
filtering and sorting 100,000 rows never call :meth:`QueueModel.data` per cell.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.status import human_label, is_awaiting_mentor
from mentor_desk.store.outbox import Badges

AnyIndex = QModelIndex | QPersistentModelIndex

SLA_AMBER_HOURS = 24.0
SLA_RED_HOURS = 48.0


class Column(enum.IntEnum):
    MISSION = 0
    LEARNER = enum.auto()
    TRACK = enum.auto()
    TIER = enum.auto()
    STATUS = enum.auto()
    STAGE = enum.auto()
    ATTEMPT = enum.auto()
    SUBMITTED = enum.auto()
    AGE = enum.auto()
    AI_SCORE = enum.auto()
    BADGES = enum.auto()


HEADERS: dict[Column, str] = {
    Column.MISSION: "Mission",
    Column.LEARNER: "Learner",
    Column.TRACK: "Track",
    Column.TIER: "Tier",
    Column.STATUS: "Status",
    Column.STAGE: "Stage",
    Column.ATTEMPT: "Attempt",
    Column.SUBMITTED: "Submitted",
    Column.AGE: "Age",
    Column.AI_SCORE: "AI score",
    Column.BADGES: "Flags",
}

ItemRole = Qt.ItemDataRole.UserRole + 1
"""The row's :class:`QueueItem`."""
SortKeyRole = Qt.ItemDataRole.UserRole + 2
"""A value that orders the column correctly (numbers as numbers, times as times, missing values last)."""
ReviewIdRole = Qt.ItemDataRole.UserRole + 3


LocalBadges = Badges
"""What this machine knows about a review that the server does not (the store's badges)."""
NO_BADGES = Badges()


class Sla(enum.Enum):
    NORMAL = "normal"
    AMBER = "amber"
    RED = "red"


def sla_for(age_hours: float | None) -> Sla:
    """<24 h normal, 24–48 h amber, >48 h red."""
    if age_hours is None or age_hours < SLA_AMBER_HOURS:
        return Sla.NORMAL
    return Sla.AMBER if age_hours <= SLA_RED_HOURS else Sla.RED


def format_age(hours: float | None) -> str:
    if hours is None:
        return "—"
    if hours < 1:
        return f"{max(int(hours * 60), 0)} min"
    if hours < 48:
        return f"{int(hours)} h"
    return f"{int(hours // 24)} d"


def badge_labels(item: QueueItem, local: LocalBadges) -> list[str]:
    """Short flags shown in the Flags column, most urgent first."""
    labels = []
    if local.conflict:
        labels.append("conflict")
    if local.failed:
        labels.append("sync failed")
    if local.waiting_to_sync:
        labels.append("waiting to sync")
    if local.has_draft:
        labels.append("draft")
    if item.claimed_by and not item.claimed_by_me:
        labels.append(f"claimed by {item.claimed_by}")
    if item.kind == "capstone":
        labels.append("capstone")
    if item.attempt > 1:
        labels.append("resubmission")
    if item.presentation_required:
        labels.append("presentation")
    return labels


_SLA_BRUSHES = {
    Sla.AMBER: (QBrush(QColor("#fff3cd")), QBrush(QColor("#7a5200"))),
    Sla.RED: (QBrush(QColor("#f8d7da")), QBrush(QColor("#842029"))),
}
_MISSING = (1, 0)  # sorts after every present value in ascending order


@functools.cache
def _status_label(raw: str) -> str:
    return human_label(raw)


@functools.cache
def _awaiting(raw: str) -> bool:
    return is_awaiting_mentor(raw)


def _local_minute(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM`` in local time (by hand: ``strftime`` is ~20 µs a call under PySide's import hook)."""
    t = moment.astimezone()
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"


def _key(value: Any) -> tuple[int, Any]:
    return _MISSING if value is None else (0, value)


class _Row:
    """Everything derived from one item, computed once."""

    __slots__ = ("badges", "display", "haystack", "item", "local", "sort_keys", "status_label", "unreviewed")

    def __init__(self, item: QueueItem, local: LocalBadges) -> None:
        self.item = item
        self.local = local
        self.status_label = _status_label(item.status)
        self.badges = badge_labels(item, local)
        self.unreviewed = (
            _awaiting(item.status) and not local.waiting_to_sync and not (item.claimed_by and not item.claimed_by_me)
        )
        stage = "—"  # a single-stage mission
        if item.stage_total > 1:
            stage = f"{item.stage_index}/{item.stage_total} {item.stage_name}".rstrip()
        submitted = _local_minute(item.submitted_at) if item.submitted_at else "—"
        ai = f"{item.ai_score:.0f}" if item.ai_score is not None else "—"
        self.display = (
            item.mission_title,
            item.learner_name,
            item.track,
            item.tier,
            self.status_label,
            stage,
            str(item.attempt),
            submitted,
            "",  # age: depends on the clock, computed in data()
            ai,
            ", ".join(self.badges),
        )
        submitted_ts = item.submitted_at.timestamp() if item.submitted_at else None
        self.sort_keys = (
            _key(item.mission_title.casefold()),
            _key(item.learner_name.casefold()),
            _key(item.track.casefold() or None),
            _key(item.tier or None),
            _key(self.status_label.casefold()),
            (0, (item.stage_index, item.stage_total)),
            (0, item.attempt),
            _key(submitted_ts),
            _key(-submitted_ts if submitted_ts is not None else None),
            _key(item.ai_score),
            (0, -len(self.badges)),
        )
        self.haystack = "\x1f".join(
            (*self.display, item.mission_code, item.learner_email, item.stage_name, item.status)
        ).casefold()


class QueueModel(QAbstractTableModel):
    """Table model over the mentor's queue. Replace rows with :meth:`set_items`; update badges with
    :meth:`set_local_badges`."""

    def __init__(self, parent=None, *, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._row_of: dict[str, int] = {}
        self._local: dict[str, LocalBadges] = {}
        self._clock = clock or (lambda: datetime.now(UTC))

    # -- data in --------------------------------------------------------------------------------------

    def set_items(self, items: Iterable[QueueItem]) -> None:
        """Replace every row (items no longer assigned to me are dropped)."""
        self.beginResetModel()
        self._rows = [_Row(item, self._local.get(item.id, NO_BADGES)) for item in items if item.assigned]
        self._row_of = {row.item.id: i for i, row in enumerate(self._rows)}
        self.endResetModel()

    def set_local_badges(self, badges: Mapping[str, LocalBadges]) -> None:
        """Replace the local badges (reviews not in ``badges`` have none)."""
        self._local = dict(badges)
        changed = [i for i, row in enumerate(self._rows) if row.local != self._local.get(row.item.id, NO_BADGES)]
        for i in changed:
            row = self._rows[i]
            self._rows[i] = _Row(row.item, self._local.get(row.item.id, NO_BADGES))
        if changed:
            self.layoutAboutToBeChanged.emit()  # sort keys of the Flags column moved
            self.layoutChanged.emit()
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), len(Column) - 1))

    def refresh_clock(self) -> None:
        """Ages and SLA colours depend on the time: repaint that column."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, Column.AGE),
                self.index(len(self._rows) - 1, Column.AGE),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole],
            )

    # -- fast access for the proxy and the window (no Qt round trips) ------------------------------------

    def item(self, row: int) -> QueueItem:
        return self._rows[row].item

    def items(self) -> Sequence[QueueItem]:
        return [row.item for row in self._rows]

    def row_of(self, review_id: str) -> int | None:
        return self._row_of.get(review_id)

    def facet(self, name: str) -> list[str]:
        """Per-row values of a filterable facet: ``status`` (human label), ``stage``, ``track`` or ``tier``."""
        if name == "status":
            return [row.status_label for row in self._rows]
        return [getattr(row.item, "stage_name" if name == "stage" else name) for row in self._rows]

    def haystacks(self) -> list[str]:
        return [row.haystack for row in self._rows]

    def sort_keys(self, column: int) -> list[tuple[int, Any]]:
        return [row.sort_keys[column] for row in self._rows]

    def age_hours(self, row: int) -> float | None:
        submitted = self._rows[row].item.submitted_at
        if submitted is None:
            return None
        return (self._clock() - submitted).total_seconds() / 3600

    def ages_hours(self) -> list[float | None]:
        now = self._clock()
        return [
            (now - row.item.submitted_at).total_seconds() / 3600 if row.item.submitted_at else None
            for row in self._rows
        ]

    def is_unreviewed(self, row: int) -> bool:
        """Waiting for a mentor, not claimed by another one, and nothing of mine already on its way."""
        return self._rows[row].unreviewed

    def unreviewed_flags(self) -> list[bool]:
        return [row.unreviewed for row in self._rows]

    # -- QAbstractTableModel ----------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[Column(section)]
            if role == Qt.ItemDataRole.ToolTipRole and section == Column.AGE:
                return "Time since submission: amber after 24 h, red after 48 h"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid():
            return None
        row_number, column = index.row(), index.column()
        if not (0 <= row_number < len(self._rows) and 0 <= column < len(Column)):
            return None
        row = self._rows[row_number]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.AGE:
                return format_age(self.age_hours(row_number))
            return row.display[column]
        if role == SortKeyRole:
            return row.sort_keys[column][1] if row.sort_keys[column] != _MISSING else None
        if role == ItemRole:
            return row.item
        if role == ReviewIdRole:
            return row.item.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if column == Column.AGE and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            brushes = _SLA_BRUSHES.get(sla_for(self.age_hours(row_number)))
            if brushes:
                return brushes[0] if role == Qt.ItemDataRole.BackgroundRole else brushes[1]
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            Column.ATTEMPT,
            Column.AGE,
            Column.AI_SCORE,
            Column.TIER,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _tooltip(self, row: _Row, column: int) -> str | None:
        item = row.item
        if column == Column.MISSION:
            return f"{item.mission_code} — {item.mission_title}" if item.mission_code else item.mission_title
        if column == Column.LEARNER:
            return item.learner_email or None
        if column == Column.STATUS:
            return f"Server status: {item.status}"
        if column == Column.AGE:
            sla = sla_for(self.age_hours(self._row_of[item.id]))
            return {Sla.NORMAL: None, Sla.AMBER: "Waiting over 24 h", Sla.RED: "Waiting over 48 h"}[sla]
        if column == Column.BADGES and row.badges:
            return "\n".join(row.badges)
        return None
