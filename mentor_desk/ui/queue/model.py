"""The review queue as a Qt table model.

Rows are :class:`~mentor_desk.domain.queue.QueueItem` values plus the local badges the store knows about
(draft, waiting to sync, conflict). Setting rows only stores them: what a view or the filter proxy needs —
display strings, sort keys, lowercase "haystacks" for type-to-filter, facet values — is computed on first
use and kept until the rows or their badges change. Display strings are made per row when a row is first
painted (a view paints a few dozen), the per-column lists the first time a filter or a sort needs them, so
that a large queue shows at once and filtering or sorting 100,000 rows never calls :meth:`QueueModel.data`
per cell.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor

from mentor_desk.domain.outbox import Badges
from mentor_desk.domain.queue import QueueItem
from mentor_desk.domain.status import human_label, is_awaiting_mentor
from mentor_desk.domain.words import local_time_in_words, stage_title, track_name, track_title
from mentor_desk.ui.plain import plain_tooltip

AnyIndex = QModelIndex | QPersistentModelIndex

WARM_UP_DELAY_MS = 300
WARM_UP_ROWS = 500
"""After rows are set (and the first paint), the filter's haystacks are built in slices of this many rows
(~5 ms each) while the event loop idles, so that the first keystroke finds them ready."""
BULK_CHANGE_ROWS = 64
"""A change to more rows than this (a sync that updated a thousand reviews) is signalled as one
``dataChanged`` over every row, after which the values derived from the rows are computed again, instead of
row by row."""
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


HEADERS: dict[Column, str] = {  # in English: headerData translates them
    Column.MISSION: str(QT_TRANSLATE_NOOP("QueueModel", "Mission")),
    Column.LEARNER: str(QT_TRANSLATE_NOOP("QueueModel", "Learner")),
    Column.TRACK: str(QT_TRANSLATE_NOOP("QueueModel", "Track")),
    Column.TIER: str(QT_TRANSLATE_NOOP("QueueModel", "Tier")),
    Column.STATUS: str(QT_TRANSLATE_NOOP("QueueModel", "Status")),
    Column.STAGE: str(QT_TRANSLATE_NOOP("QueueModel", "Stage")),
    Column.ATTEMPT: str(QT_TRANSLATE_NOOP("QueueModel", "Attempt")),
    Column.SUBMITTED: str(QT_TRANSLATE_NOOP("QueueModel", "Submitted")),
    Column.AGE: str(QT_TRANSLATE_NOOP("QueueModel", "Age")),
    Column.AI_SCORE: str(QT_TRANSLATE_NOOP("QueueModel", "AI score")),
    Column.BADGES: str(QT_TRANSLATE_NOOP("QueueModel", "Flags")),
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


SLA_MARKS = {Sla.NORMAL: "", Sla.AMBER: " ⚠", Sla.RED: " ⚠"}
"""An age past the SLA says so in its text, not only by its colour (the unit tells amber from red: up to 47 h
is amber, days are red)."""


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
    if local.available_offline:
        labels.append("offline ready")
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


def _key(value: Any) -> tuple[int, Any]:
    return _MISSING if value is None else (0, value)


_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_RIGHT_ALIGNED = frozenset({Column.ATTEMPT, Column.AGE, Column.AI_SCORE, Column.TIER})
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
SERVED_ROLES = frozenset(
    {_DISPLAY, _BACKGROUND, _FOREGROUND, _TOOLTIP, _ALIGNMENT, int(ItemRole), int(SortKeyRole), int(ReviewIdRole)}
)
"""Roles :meth:`QueueModel.cell` answers; a delegate asks for a dozen per cell, most of them answered None."""
_AGE = int(Column.AGE)  # plain ints: reading an enum member costs a descriptor call in the paint path
_COLUMNS = len(Column)
_FACET_ATTRS = {"stage": attrgetter("stage_name"), "track": attrgetter("track"), "tier": attrgetter("tier")}


@functools.cache
def _track_name(code: str) -> str:
    return track_name(code)


@functools.cache
def _stage_title(name: str) -> str:
    return stage_title(name) if name else ""


def _display_of(item: QueueItem, local: LocalBadges, now: datetime) -> tuple[str, ...]:
    """The row's display strings, by column (the age column depends on the clock: answered in ``cell``)."""
    stage = "—"  # a single-stage mission
    if item.stage_total > 1:
        stage = f"{item.stage_index}/{item.stage_total} {_stage_title(item.stage_name)}".rstrip()
    return (
        item.mission_title,
        item.learner_name,
        _track_name(item.track),
        item.tier,
        _status_label(item.status),
        stage,
        str(item.attempt),
        local_time_in_words(item.submitted_at, now) if item.submitted_at else "—",
        "",
        f"{item.ai_score:.0f}" if item.ai_score is not None else "—",
        ", ".join(badge_labels(item, local)),
    )


def _sort_key(item: QueueItem, local: LocalBadges, column: int) -> tuple[int, Any]:
    if column == Column.MISSION:
        return _key(item.mission_title.casefold())
    if column == Column.LEARNER:
        return _key(item.learner_name.casefold())
    if column == Column.TRACK:
        return _key(_track_name(item.track).casefold() or None)
    if column == Column.TIER:
        return _key(item.tier or None)
    if column == Column.STATUS:
        return _key(_status_label(item.status).casefold())
    if column == Column.STAGE:
        return (0, (item.stage_index, item.stage_total))
    if column == Column.ATTEMPT:
        return (0, item.attempt)
    submitted_ts = item.submitted_at.timestamp() if item.submitted_at else None
    if column == Column.SUBMITTED:
        return _key(submitted_ts)
    if column == Column.AGE:
        return _key(-submitted_ts if submitted_ts is not None else None)
    if column == Column.AI_SCORE:
        return _key(item.ai_score)
    return (0, -len(badge_labels(item, local)))


def _haystack_of(item: QueueItem, display: tuple[str, ...]) -> str:
    """Everything type-to-filter matches a word against, lowercase."""
    return "\x1f".join(
        (*display, item.mission_code, item.learner_email, item.track, item.stage_name, item.status)
    ).casefold()


def _facet_value(name: str, item: QueueItem) -> str:
    return _status_label(item.status) if name == "status" else _FACET_ATTRS[name](item)


def _timestamp(item: QueueItem) -> float | None:
    return item.submitted_at.timestamp() if item.submitted_at else None


def _same_review(a: QueueItem, b: QueueItem) -> bool:
    return a.id == b.id


def _runs(rows: Sequence[int]) -> Iterator[tuple[int, int]]:
    """``(first, last)`` of each run of consecutive numbers in the ascending ``rows``."""
    first = previous = rows[0]
    for row in rows[1:]:
        if row != previous + 1:
            yield first, previous
            first = row
        previous = row
    yield first, previous


def _is_unreviewed(item: QueueItem, local: LocalBadges) -> bool:
    return _awaiting(item.status) and not local.waiting_to_sync and not (item.claimed_by and not item.claimed_by_me)


@dataclass(frozen=True)
class QueueUpdate:
    """New rows for :meth:`QueueModel.apply`, compared with the rows they replace."""

    base: Sequence[QueueItem]
    """The rows this was planned against."""
    items: list[QueueItem]
    changed: list[int] | None
    """Rows whose values changed, when the reviews are the same ones in the same order; else None (a reset)."""
    row_of: dict[str, int]


def plan_update(current: Sequence[QueueItem], items: Iterable[QueueItem]) -> QueueUpdate:
    """Compare new rows with the ``current`` ones. Pure Python without Qt: a reload runs it in a worker
    thread, so that comparing 10,000 rows does not hold up the event loop."""
    new = [item for item in items if item.assigned]
    if len(new) == len(current) and all(map(_same_review, new, current)):
        changed = [i for i, (item, old) in enumerate(zip(new, current, strict=True)) if item != old]
        return QueueUpdate(current, new, changed, {})
    return QueueUpdate(current, new, None, {item.id: i for i, item in enumerate(new)})


class QueueModel(QAbstractTableModel):
    """Table model over the mentor's queue. Replace rows with :meth:`set_items`; update badges with
    :meth:`set_local_badges`."""

    def __init__(self, parent=None, *, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self._items: list[QueueItem] = []
        self._row_of: dict[str, int] = {}
        self._local: dict[str, LocalBadges] = {}
        self._clock = clock or (lambda: datetime.now(UTC))
        self._warming = QTimer(self)
        self._warming.setSingleShot(True)
        self._warming.timeout.connect(self._warm_up_slice)
        self._forget_derived()

    def _forget_derived(self) -> None:
        """Drop every value derived from the rows (they are computed again on first use)."""
        self._display: list[tuple[str, ...] | None] = [None] * len(self._items)
        self._haystacks: list[str] = []  # built for a prefix of the rows, see haystacks()
        self._unreviewed: list[bool] | None = None
        self._facets: dict[str, list[str]] = {}
        self._timestamps: list[float | None] | None = None
        self._sort_keys: dict[int, list[tuple[int, Any]]] = {}

    # -- data in --------------------------------------------------------------------------------------

    def set_items(self, items: Iterable[QueueItem]) -> None:
        """Replace every row (items no longer assigned to me are dropped). See :meth:`apply`."""
        self.apply(plan_update(self._items, items))

    def replace_items(self, items: Iterable[QueueItem]) -> bool:
        """Show new values of reviews already in the table, in place (``dataChanged`` for their rows only).

        Returns False, changing nothing, when that would not be the queue as the store orders it: a review new to
        the table, no longer assigned to me, or submitted again (which moves it in the queue's order).
        """
        rows: dict[int, QueueItem] = {}
        for item in items:
            row = self._row_of.get(item.id)
            if row is None or not item.assigned or item.submitted_at != self._items[row].submitted_at:
                return False
            if item != self._items[row]:
                rows[row] = item
        if rows:
            self._items = [rows.get(row, item) for row, item in enumerate(self._items)]
            self._rows_changed(sorted(rows))
        return True

    def rows_snapshot(self) -> Sequence[QueueItem]:
        """The current rows, for :func:`plan_update` (in another thread): never changed in place."""
        return self._items

    def apply(self, update: QueueUpdate) -> None:
        """Show the rows of ``update`` (planned against the current rows, or planned again here).

        When the reviews are the same ones in the same order (a reload after a sync), only the rows whose
        values changed are replaced and signalled with ``dataChanged``: views and the filter proxy keep their
        state. Other rows reset the model.
        """
        if update.base is not self._items:  # the rows changed since it was planned
            update = plan_update(self._items, update.items)
        if update.changed is not None:
            self._items = update.items
            self._rows_changed(update.changed)
            return
        self.beginResetModel()
        self._items = update.items
        self._row_of = update.row_of
        self._forget_derived()
        self.endResetModel()
        self._warming.start(WARM_UP_DELAY_MS)

    def set_local_badges(self, badges: Mapping[str, LocalBadges]) -> None:
        """Replace the local badges (reviews not in ``badges`` have none). Only rows whose badges changed
        are signalled."""
        old, self._local = self._local, dict(badges)
        self._rows_changed(
            sorted(
                row
                for review_id in old.keys() | self._local.keys()
                if old.get(review_id, NO_BADGES) != self._local.get(review_id, NO_BADGES)
                and (row := self._row_of.get(review_id)) is not None
            )
        )

    def _rows_changed(self, rows: Sequence[int]) -> None:
        """Bring the derived values of ``rows`` (ascending) up to date, then emit ``dataChanged`` once per
        run of consecutive rows."""
        if not rows:
            return
        last = len(Column) - 1
        if len(rows) > BULK_CHANGE_ROWS:
            self._forget_derived()
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, last))
            self._warming.start(WARM_UP_DELAY_MS)
            return
        for i in rows:
            item, local = self._items[i], self._badges(i)
            self._display[i] = None
            if i < len(self._haystacks):
                self._haystacks[i] = _haystack_of(item, self._row_display(i))
            if self._unreviewed is not None:
                self._unreviewed[i] = _is_unreviewed(item, local)
            if self._timestamps is not None:
                self._timestamps[i] = _timestamp(item)
            for name, values in self._facets.items():
                values[i] = _facet_value(name, item)
            for column, keys in self._sort_keys.items():
                keys[i] = _sort_key(item, local, column)
        for first, end in _runs(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))

    def refresh_clock(self) -> None:
        """Ages and SLA colours depend on the time: repaint that column."""
        if self._items:
            self.dataChanged.emit(
                self.index(0, Column.AGE),
                self.index(len(self._items) - 1, Column.AGE),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole],
            )

    # -- fast access for the proxy and the window (no Qt round trips) ------------------------------------

    def item(self, row: int) -> QueueItem:
        return self._items[row]

    def items(self) -> Sequence[QueueItem]:
        return list(self._items)

    def row_of(self, review_id: str) -> int | None:
        return self._row_of.get(review_id)

    def _badges(self, row: int) -> LocalBadges:
        return self._local.get(self._items[row].id, NO_BADGES)

    def _row_display(self, row: int) -> tuple[str, ...]:
        display = self._display[row]
        if display is None:
            display = self._display[row] = _display_of(self._items[row], self._badges(row), self._clock())
        return display

    def facet(self, name: str) -> list[str]:
        """Per-row values of a filterable facet: ``status`` (human label), ``stage``, ``track`` or ``tier``."""
        values = self._facets.get(name)
        if values is None:
            if name == "status":
                values = [_status_label(item.status) for item in self._items]
            else:
                values = list(map(_FACET_ATTRS[name], self._items))
            self._facets[name] = values
        return values

    def haystacks(self) -> list[str]:
        """Per-row lowercase text that type-to-filter searches (kept until the rows or badges change)."""
        self._build_haystacks(len(self._items))
        return self._haystacks

    def _build_haystacks(self, upto: int) -> None:
        built, items = len(self._haystacks), self._items
        self._haystacks.extend(_haystack_of(items[i], self._row_display(i)) for i in range(built, upto))

    def _warm_up_slice(self) -> None:
        self._build_haystacks(min(len(self._haystacks) + WARM_UP_ROWS, len(self._items)))
        if len(self._haystacks) < len(self._items):
            self._warming.start(0)

    def sort_keys(self, column: int) -> list[tuple[int, Any]]:
        keys = self._sort_keys.get(column)
        if keys is None:
            local = self._local
            keys = [_sort_key(item, local.get(item.id, NO_BADGES), column) for item in self._items]
            self._sort_keys[column] = keys
        return keys

    def age_hours(self, row: int) -> float | None:
        submitted = self._items[row].submitted_at
        if submitted is None:
            return None
        return (self._clock() - submitted).total_seconds() / 3600

    def ages_hours(self, rows: Iterable[int] | None = None) -> list[float | None]:
        """The age in hours (None without a submission time) of ``rows`` (default: every row), from per-row
        timestamps kept until the rows change: no datetime arithmetic per row."""
        if self._timestamps is None:
            self._timestamps = list(map(_timestamp, self._items))
        now = self._clock().timestamp()
        stamps = self._timestamps if rows is None else map(self._timestamps.__getitem__, rows)
        return [None if ts is None else (now - ts) / 3600 for ts in stamps]

    def is_unreviewed(self, row: int) -> bool:
        """Waiting for a mentor, not claimed by another one, and nothing of mine already on its way."""
        return self.unreviewed_flags()[row]

    def unreviewed_flags(self) -> list[bool]:
        if self._unreviewed is None:
            local = self._local
            self._unreviewed = [_is_unreviewed(item, local.get(item.id, NO_BADGES)) for item in self._items]
        return self._unreviewed

    def cell(self, row: int, column: int, role: int) -> Any:
        """The value of ``role`` in row ``row`` and column ``column`` (both in range): ``data()`` without
        indexes, which the filter proxy calls directly."""
        if role == _DISPLAY:
            if column == _AGE:
                hours = self.age_hours(row)
                return format_age(hours) + SLA_MARKS[sla_for(hours)]
            return self._row_display(row)[column]
        if role not in SERVED_ROLES:
            return None
        if role == _ALIGNMENT:
            return _ALIGN_RIGHT if column in _RIGHT_ALIGNED else None
        if role in (_BACKGROUND, _FOREGROUND):
            if column != _AGE:
                return None
            brushes = _SLA_BRUSHES.get(sla_for(self.age_hours(row)))
            return None if brushes is None else brushes[0] if role == _BACKGROUND else brushes[1]
        item = self._items[row]
        if role == SortKeyRole:
            key = _sort_key(item, self._badges(row), column)
            return key[1] if key != _MISSING else None
        if role == ItemRole:
            return item
        if role == ReviewIdRole:
            return item.id
        return plain_tooltip(self._tooltip(row, column))  # server text: never rendered as markup

    # -- QAbstractTableModel ----------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr(HEADERS[Column(section)])
            if role == Qt.ItemDataRole.ToolTipRole and section == Column.AGE:
                return self.tr("Time since submission: amber and ⚠ after 24 h, red and ⚠ after 48 h")
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._items) and 0 <= column < _COLUMNS):
            return None
        return self.cell(row, column, role)

    def _tooltip(self, row: int, column: int) -> str:
        item = self._items[row]
        if column == Column.MISSION:
            return f"{item.mission_code} — {item.mission_title}" if item.mission_code else item.mission_title
        if column == Column.LEARNER:
            return item.learner_email
        if column == Column.TRACK:
            return f"{track_title(item.track)} ({item.track})" if item.track else ""
        if column == Column.STAGE:
            if item.stage_total <= 1:
                return ""
            return self.tr("Stage {index} of {total}: {name}").format(
                index=item.stage_index, total=item.stage_total, name=item.stage_name
            )
        if column == Column.SUBMITTED:
            when = f"{item.submitted_at.astimezone():%A %d %B %Y, %H:%M}" if item.submitted_at else ""
            return self.tr("Submitted {when}").format(when=when) if when else ""
        if column == Column.STATUS:
            return self.tr("Server status: {status}").format(status=item.status)
        if column == Column.AGE:
            sla = sla_for(self.age_hours(row))
            return {Sla.NORMAL: "", Sla.AMBER: self.tr("Waiting over 24 h"), Sla.RED: self.tr("Waiting over 48 h")}[sla]
        if column == Column.BADGES:
            return "\n".join(badge_labels(item, self._badges(row)))
        return ""
