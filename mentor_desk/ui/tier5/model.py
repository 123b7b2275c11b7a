"""The Tier-5 board's table: one row per learner and track, the readiness checklist in columns, and the proxy
that filters by track and readiness and sorts (by default: closest to completion first)."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush

from mentor_desk.domain.words import track_name, track_title
from mentor_desk.services.tier5 import BoardRow
from mentor_desk.ui.plain import plain_tooltip
from mentor_desk.ui.theme import BAD, CAUTION, GOOD

translate = QCoreApplication.translate  # the board's words are made outside its widgets too

Index = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    LEARNER = 0
    TRACK = 1
    MODULES = 2
    MISSIONS = 3
    CAPSTONE = 4
    REFLECTIONS = 5
    RUBRIC = 6
    APPROVAL = 7
    COMPLETION = 8
    CLOSENESS = 9
    MISSING = 10


_COLUMNS = tuple(Column)
HEADERS = {  # in English: headerData translates them
    Column.LEARNER: str(QT_TRANSLATE_NOOP("BoardModel", "Learner")),
    Column.TRACK: str(QT_TRANSLATE_NOOP("BoardModel", "Track")),
    Column.MODULES: str(QT_TRANSLATE_NOOP("BoardModel", "Modules")),
    Column.MISSIONS: str(QT_TRANSLATE_NOOP("BoardModel", "Missions")),
    Column.CAPSTONE: str(QT_TRANSLATE_NOOP("BoardModel", "Capstone")),
    Column.REFLECTIONS: str(QT_TRANSLATE_NOOP("BoardModel", "Reflections")),
    Column.RUBRIC: str(QT_TRANSLATE_NOOP("BoardModel", "Rubric")),
    Column.APPROVAL: str(QT_TRANSLATE_NOOP("BoardModel", "Mentor approval")),
    Column.COMPLETION: str(QT_TRANSLATE_NOOP("BoardModel", "Complete")),
    Column.CLOSENESS: str(QT_TRANSLATE_NOOP("BoardModel", "Closeness")),
    Column.MISSING: str(QT_TRANSLATE_NOOP("BoardModel", "What is missing")),
}


class Readiness(enum.Enum):
    """The board's readiness filter."""

    ALL = str(QT_TRANSLATE_NOOP("Tier5Board", "All learners"))
    READY = str(QT_TRANSLATE_NOOP("Tier5Board", "Ready for my sign-off"))
    NOT_READY = str(QT_TRANSLATE_NOOP("Tier5Board", "Not ready"))
    APPROVED = str(QT_TRANSLATE_NOOP("Tier5Board", "Approved"))
    PENDING = str(QT_TRANSLATE_NOOP("Tier5Board", "Pending confirmation"))


def readiness_of(row: BoardRow) -> Readiness:
    if row.pending is not None:
        return Readiness.PENDING
    if row.approved:
        return Readiness.APPROVED
    if row.ready_for_sign_off:
        return Readiness.READY
    return Readiness.NOT_READY


def approval_text(row: BoardRow) -> str:
    if row.pending is not None:
        if row.pending:
            return translate("BoardModel", "Sign-off pending confirmation")
        return translate("BoardModel", "Revoke pending confirmation")
    if row.refused:
        return translate("BoardModel", "Refused: {reason}").format(reason=row.refused)
    if row.approved:
        if row.approved_by:
            return translate("BoardModel", "Given by {mentor}").format(mentor=row.approved_by)
        return translate("BoardModel", "Given")
    if not row.counts.mentor_approval_required:
        return translate("BoardModel", "Not required")
    if row.ready_for_sign_off:  # in words, not only in green
        return translate("BoardModel", "Ready for sign-off")
    return translate("BoardModel", "Required")


def missing_text(row: BoardRow) -> str:
    """What is missing, in the platform's words; the approval when that is all that is left."""
    if row.missing:
        return "; ".join(item.text for item in row.missing)
    if row.approved or not row.counts.mentor_approval_required:
        if row.mastery_complete:
            return translate("BoardModel", "Nothing: mastery complete")
        return translate("BoardModel", "Nothing")
    return translate("BoardModel", "Only your approval")


def _fraction(done: int, total: int) -> str:
    return f"{done}/{total}"


_READY, _BLOCKED, _PENDING = GOOD, BAD, CAUTION  # each a light/dark pair, picked when painted


class BoardModel(QAbstractTableModel):
    """The board's rows (read-only; replaced whole when the board is read again)."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._rows: tuple[BoardRow, ...] = ()
        self._sort: tuple[Column, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[BoardRow]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(tuple(rows))
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows themselves, in one Python sort (a sorting proxy would ask :meth:`data` for every
        comparison: ~50,000 calls for a board of 2,500 rows)."""
        self._sort = (Column(column), order)
        self.layoutAboutToBeChanged.emit()
        self._rows = self._sorted(self._rows)
        self.layoutChanged.emit()

    def _sorted(self, rows: tuple[BoardRow, ...]) -> tuple[BoardRow, ...]:
        if self._sort is None:
            return rows
        column, order = self._sort
        ordered = sorted(rows, key=lambda row: self._sort_key(row, column))
        return tuple(reversed(ordered) if order == Qt.SortOrder.DescendingOrder else ordered)

    def row(self, index: int) -> BoardRow:
        return self._rows[index]

    def rows(self) -> tuple[BoardRow, ...]:
        return self._rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[Column(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = _COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in _TOOLTIPS:
            return plain_tooltip(_TOOLTIPS[column](row))
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and Column.MODULES <= column <= Column.CLOSENESS:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _display(row: BoardRow, column: Column) -> str:
        counts = row.counts
        match column:
            case Column.LEARNER:
                return row.learner_name
            case Column.TRACK:
                return track_name(row.track_code)
            case Column.MODULES:
                return _fraction(counts.mandatory_modules_completed, counts.mandatory_modules_total)
            case Column.MISSIONS:
                return _fraction(counts.mastery_missions_approved, counts.mastery_missions_total)
            case Column.CAPSTONE:
                return _fraction(counts.capstone_approved, counts.capstone_total)
            case Column.REFLECTIONS:
                return _fraction(counts.reflections_submitted, counts.reflections_required)
            case Column.RUBRIC:
                return translate("BoardModel", "passed") if counts.rubric_passed else translate("BoardModel", "not yet")
            case Column.APPROVAL:
                return approval_text(row)
            case Column.COMPLETION:
                return f"{row.completion:.0f} %"
            case Column.CLOSENESS:
                return f"{row.closeness * 100:.0f} %"
            case Column.MISSING:
                return missing_text(row)
        return ""

    @staticmethod
    def _sort_key(row: BoardRow, column: Column) -> float | str:
        counts = row.counts
        match column:
            case Column.MODULES:
                return counts.mandatory_modules_completed
            case Column.MISSIONS:
                return counts.mastery_missions_approved
            case Column.CAPSTONE:
                return counts.capstone_approved
            case Column.REFLECTIONS:
                return counts.reflections_submitted
            case Column.RUBRIC:
                return int(counts.rubric_passed)
            case Column.COMPLETION:
                return row.completion
            case Column.CLOSENESS:
                return row.closeness
            case Column.MISSING:
                return len(row.missing)
        return BoardModel._display(row, column).casefold()

    @staticmethod
    def _colour(row: BoardRow, column: Column) -> QBrush | None:
        if column == Column.APPROVAL:
            if row.pending is not None:
                return QBrush(_PENDING.colour())
            if row.refused:
                return QBrush(_BLOCKED.colour())
            if row.approved or row.ready_for_sign_off:
                return QBrush(_READY.colour())
        if column == Column.MISSING:
            return QBrush((_BLOCKED if row.missing else _READY).colour())
        return None


def _learner(row: BoardRow) -> str:
    return f"{row.learner_name} <{row.learner_email}>" if row.learner_email else row.learner_name


def track_words(row: BoardRow) -> str:
    """The row's track by the catalog's name (its code's title when the platform gave no name)."""
    return row.track_name if row.track_name and row.track_name != row.track_code else track_title(row.track_code)


_TOOLTIPS = {
    Column.MISSING: missing_text,
    Column.APPROVAL: approval_text,
    Column.LEARNER: _learner,
    Column.TRACK: lambda row: f"{track_words(row)} ({row.track_code})",
}


class BoardFilter(QSortFilterProxyModel):
    """Filters the board by track and readiness, keeping the model's order."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._track = ""
        self._readiness = Readiness.ALL

    def set_track(self, track: str) -> None:
        """Only this track ("" for every track)."""
        self.beginFilterChange()
        self._track = track
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_readiness(self, readiness: Readiness) -> None:
        self.beginFilterChange()
        self._readiness = readiness
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The board model sorts itself (see :meth:`BoardModel.sort`); this proxy only filters, in its order."""
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    @property
    def readiness(self) -> Readiness:
        return self._readiness

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, BoardModel)
        row = model.row(source_row)
        if self._track and row.track_code != self._track:
            return False
        return self._readiness is Readiness.ALL or readiness_of(row) is self._readiness

    def board_row(self, proxy_row: int) -> BoardRow:
        model = self.sourceModel()
        assert isinstance(model, BoardModel)
        return model.row(self.mapToSource(self.index(proxy_row, 0)).row())
