"""Resolve a conflict: my review (waiting in the outbox) against the server's newer state, field by field.

Every field both sides can hold gets a row: the decision, the written feedback, each criterion score of each
subtask, each subtask's comment and each decision annotation, then what only the server knows (status,
attempt, version, who reviewed it when, earlier attempts). Rows that differ say so in words ("differs"), not
by colour alone. The mentor keeps mine (re-sent against the server's new version), takes theirs (mine is
exported to a file first, then dropped) or merges: per differing field, mine, theirs or, for texts, both.
Learner- and mentor-written text is shown as plain text.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.outbox import Conflict
from mentor_desk.domain.status import human_label
from mentor_desk.ui.review.review_view import decision_label, local_time

translate = QCoreApplication.translate  # the comparison's words are made outside the dialog: in its context

MERGE_SEPARATOR = "\n\n— From the version on the server —\n"
"""Between my text and the server's in a merged one: part of the review sent, not of the app's words."""
DIFFERS = str(QT_TRANSLATE_NOOP("ConflictDialog", "≠ differs"))
NOT_READ = str(QT_TRANSLATE_NOOP("ConflictDialog", "(not read from the server)"))
"""Both in English; shown translated (the dialog's context)."""

FieldKey = tuple[str, ...]
"""Where a mergeable value lives in a payload: ``("decision",)``, ``("subtask_scores", subtask, criterion)``..."""


class Choice(enum.StrEnum):
    MINE = "Mine"
    THEIRS = "Theirs"
    BOTH = "Both"  # texts only: mine, then theirs


CHOICE_WORDS = {
    Choice.MINE: str(QT_TRANSLATE_NOOP("ConflictDialog", "Mine")),
    Choice.THEIRS: str(QT_TRANSLATE_NOOP("ConflictDialog", "Theirs")),
    Choice.BOTH: str(QT_TRANSLATE_NOOP("ConflictDialog", "Both")),
}
"""The merge column's choices, in English (shown translated)."""


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One row of the comparison. ``key`` is None for what only informs (status, version...)."""

    label: str
    mine: str
    theirs: str
    key: FieldKey | None = None
    is_text: bool = False
    heading: bool = False  # a section title spanning the row
    known: bool = True  # False when the server's value could not be read

    @property
    def differs(self) -> bool:
        return self.known and self.mine != self.theirs


def _heading(title: str) -> FieldRow:
    return FieldRow(title, "", "", heading=True)


def _text(value: Any) -> str:
    if value is None or value == "" or value == {}:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Mapping):  # a decision annotation
        verdict, comment = value.get("verdict"), value.get("comment")
        return " — ".join(str(part) for part in (verdict, comment) if part) or "—"
    return str(value)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _lookup(payload: Mapping[str, Any], key: FieldKey) -> Any:
    value: Any = payload
    for part in key:
        value = _mapping(value).get(part)
    return value


def field_rows(conflict: Conflict, names: Mapping[str, str] | None = None) -> list[FieldRow]:
    """Every field either side holds (see the module docstring). ``names`` gives subtask, criterion and
    decision titles by id (the id is shown where no title is known)."""
    mine, theirs = conflict.mine, conflict.theirs
    titles = names or {}
    read = conflict.details_error is None

    def name(key: str) -> str:
        return titles.get(key, key)

    not_read = translate("ConflictDialog", NOT_READ)

    def row(label: str, key: FieldKey, *, is_text: bool = False) -> FieldRow:
        their_text = _text(_lookup(theirs, key)) if read else not_read
        return FieldRow(label, _text(_lookup(mine, key)), their_text, key, is_text, known=read)

    def ids(key: str) -> list[str]:
        return sorted(set(_mapping(mine.get(key))) | set(_mapping(theirs.get(key))))

    def decided(side: Mapping[str, Any]) -> str:
        return decision_label(str(side["decision"])) if side.get("decision") else "—"

    decision = FieldRow(translate("ConflictDialog", "Decision"), decided(mine), decided(theirs) if read else not_read,
                        ("decision",), known=read)
    rows = [
        _heading(translate("ConflictDialog", "Review")),
        decision,
        row(translate("ConflictDialog", "Written feedback"), ("feedback_written",), is_text=True),
    ]
    if ids("subtask_scores"):
        rows.append(_heading(translate("ConflictDialog", "Scores per criterion")))
    for subtask in ids("subtask_scores"):
        criteria = set(_mapping(_lookup(mine, ("subtask_scores", subtask))))
        criteria |= set(_mapping(_lookup(theirs, ("subtask_scores", subtask))))
        rows += [
            row(translate("ConflictDialog", "Score: {subtask} / {criterion}").format(
                subtask=name(subtask), criterion=name(criterion)), ("subtask_scores", subtask, criterion))
            for criterion in sorted(criteria)
        ]
    if ids("feedback_per_subtask") or ids("decision_annotations"):
        rows.append(_heading(translate("ConflictDialog", "Comments")))
    rows += [
        row(translate("ConflictDialog", "Comment on {subtask}").format(subtask=name(s)), ("feedback_per_subtask", s),
            is_text=True)
        for s in ids("feedback_per_subtask")
    ]
    rows += [
        row(translate("ConflictDialog", "Annotation: {decision}").format(decision=name(d)), ("decision_annotations", d))
        for d in ids("decision_annotations")
    ]
    return [*rows, _heading(translate("ConflictDialog", "Where each version stands")), *_server_rows(mine, theirs)]


def _server_rows(mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> Iterator[FieldRow]:
    """What informs the choice without being merged: the server's status, version, reviewer, history."""
    status_mine = human_label(mine["server_status"]) if mine.get("server_status") else None
    status_theirs = human_label(theirs["status"]) if theirs.get("status") else None
    yield FieldRow(translate("ConflictDialog", "Status"), _text(status_mine), _text(status_theirs))
    if "mission_score" in theirs or "mentor_score" in theirs:
        yield FieldRow(
            translate("ConflictDialog", "Mission score"),
            _text(mine.get("mission_score")),
            _text(theirs.get("mission_score", theirs.get("mentor_score"))),
        )
    for key, label, my_key in (
        ("attempt", translate("ConflictDialog", "Attempt"), "attempt"),
        ("version", translate("ConflictDialog", "Version"), "base_version"),
        ("updated_at", translate("ConflictDialog", "Last change"), "server_updated_at"),
        ("reviewer", translate("ConflictDialog", "Reviewed by"), None),
        ("completed_at", translate("ConflictDialog", "Reviewed at"), None),
    ):
        if theirs.get(key) is not None:
            show = local_time if key.endswith("_at") else _text
            yield FieldRow(label, show(mine[my_key]) if my_key and mine.get(my_key) else "—", show(theirs[key]))
    for earlier in theirs.get("history") or ():
        if isinstance(earlier, Mapping):
            summary = [
                str(earlier.get(k)) for k in ("status", "decision", "mentor_score") if earlier.get(k) is not None
            ]
            if earlier.get("feedback_written"):
                summary.append(str(earlier["feedback_written"]))
            label = translate("ConflictDialog", "Attempt {attempt} (history)")
            label = label.format(attempt=_text(earlier.get("attempt")))
            yield FieldRow(label, "—", " · ".join(summary) or "—")


def comparison_rows(conflict: Conflict, names: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(field, mine, theirs) for every row of :func:`field_rows` but the section titles."""
    return [(r.label, r.mine, r.theirs) for r in field_rows(conflict, names) if not r.heading]


def default_choice(row: FieldRow) -> Choice:
    """Mine where I filled the field in, theirs where only the server did; both texts when they differ."""
    if row.mine == "—" and row.theirs != "—":
        return Choice.THEIRS
    if row.is_text and row.differs and row.theirs != "—" and row.theirs not in row.mine:
        return Choice.BOTH
    return Choice.MINE


def merge(conflict: Conflict, choices: Mapping[FieldKey, Choice]) -> dict[str, Any]:
    """My payload with each chosen field taken from theirs (or, for texts, mine followed by theirs)."""
    merged: dict[str, Any] = dict(conflict.mine)
    for key, choice in choices.items():
        if choice is Choice.MINE:
            continue
        value = _lookup(conflict.theirs, key)
        if choice is Choice.BOTH:
            value = f"{_lookup(conflict.mine, key) or ''}{MERGE_SEPARATOR}{value or ''}"
        _place(merged, key, value)
    return merged


def _place(payload: dict[str, Any], key: FieldKey, value: Any) -> None:
    """Set ``payload[k0][k1]...`` to ``value`` (None removes it), copying the nested maps it touches."""
    *parents, last = key
    target = payload
    for part in parents:
        target[part] = dict(_mapping(target.get(part)))
        target = target[part]
    if value is None:
        target.pop(last, None)
    else:
        target[last] = value


def merged_payload(conflict: Conflict) -> dict[str, Any]:
    """The merge the dialog proposes before the mentor changes any choice (see :func:`default_choice`)."""
    return merge(conflict, {r.key: default_choice(r) for r in field_rows(conflict) if r.key and r.differs})


class ConflictDialog(QDialog):
    """Shows the comparison; :attr:`resolution` is ``"mine"``, ``"theirs"`` or a merged payload when accepted."""

    FIELD, MINE, THEIRS, SAME, USE = range(5)

    def __init__(
        self,
        conflict: Conflict,
        title: str,
        reason: str = "",
        names: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.resolution: str | dict[str, Any] | None = None
        self.choosers: dict[FieldKey, QComboBox] = {}
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Resolve a conflict — mentor_desk"))
        self.resize(1040, 700)
        details_error = conflict.details_error

        heading = self._label(
            self.tr("{review}\nchanged on the server while your review waited to be sent.").format(review=title)
        )
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        lines = [reason] if reason else []
        lines.append(
            self.tr("Rows marked “{differs}” are not the same on both sides. Keep mine, take the server's version, or "
                    "merge: choose per field in the last column.").format(differs=self.tr(DIFFERS))
        )
        explanation = self._label("\n".join(lines))
        notice = self._label(
            self.tr("The server's details could not be read: {error}\n"
                    "Only where it stands is shown below. Merging needs the details: try again when the platform can "
                    "be reached.").format(error=details_error)
        )
        notice.setObjectName("detailsMissing")
        notice_font = notice.font()
        notice_font.setBold(True)
        notice.setFont(notice_font)
        notice.setVisible(bool(details_error))

        rows = field_rows(conflict, names)
        self.table = QTableWidget(len(rows), 5)
        self.table.setAccessibleName(self.tr("Your review beside the server's, field by field"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Mine (not sent)"), self.tr("On the server"), "", self.tr("Merge uses")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        for index, row in enumerate(rows):
            self._fill(index, row, mergeable=not details_error)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.FIELD, QHeaderView.ResizeMode.Interactive)  # long field names wrap
        self.table.setColumnWidth(
            self.FIELD, min(self.table.sizeHintForColumn(self.FIELD), self.fontMetrics().averageCharWidth() * 20)
        )
        header.setSectionResizeMode(self.MINE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.THEIRS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.SAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.USE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnHidden(self.USE, bool(details_error))
        header.sectionResized.connect(self.table.resizeRowsToContents)  # wrapped texts follow the column widths

        buttons = QDialogButtonBox()
        self.keep_mine = buttons.addButton(self.tr("&Keep mine"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_mine.setToolTip(self.tr("Send my review again, against the server's new version"))
        self.take_theirs = buttons.addButton(self.tr("&Take theirs"), QDialogButtonBox.ButtonRole.DestructiveRole)
        self.take_theirs.setToolTip(self.tr("Drop my review (a copy is exported to a file first)"))
        self.merge = buttons.addButton(self.tr("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge.setToolTip(self.tr("Send my review with the fields chosen in “{merge_uses}”").format(
            merge_uses=self.tr("Merge uses")))
        self.merge.setEnabled(not details_error)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.keep_mine.clicked.connect(lambda: self._choose("mine"))
        self.take_theirs.clicked.connect(lambda: self._choose("theirs"))
        self.merge.clicked.connect(lambda: self._choose(self.merged()))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    @staticmethod
    def _label(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label

    def _fill(self, index: int, row: FieldRow, *, mergeable: bool) -> None:
        """One table row; QTableWidgetItem text is never interpreted as markup."""
        bold = QFont(self.table.font())
        bold.setBold(True)
        cells = ((self.FIELD, row.label), (self.MINE, row.mine), (self.THEIRS, row.theirs))
        for column, text in (*cells, (self.SAME, self.tr(DIFFERS) if row.differs else ""), (self.USE, "")):
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            if row.heading or (row.differs and column in (self.FIELD, self.SAME)):
                item.setFont(bold)
            if row.heading:
                item.setBackground(self.palette().mid())
                item.setForeground(self.palette().brightText())
            self.table.setItem(index, column, item)
        if row.heading:
            self.table.setSpan(index, 0, 1, self.table.columnCount())
            return
        if mergeable and row.key is not None and row.differs:
            chooser = QComboBox()
            chooser.setAccessibleName(self.tr("Merge uses for {field}").format(field=row.label))
            if row.is_text:
                chooser.setToolTip(self.tr("Both: my text, then the server's, one after the other"))
            options = list(Choice) if row.is_text else [Choice.MINE, Choice.THEIRS]
            for choice in options:
                chooser.addItem(self.tr(CHOICE_WORDS[choice]), choice)
            chooser.setCurrentIndex(options.index(default_choice(row)))
            self.table.setCellWidget(index, self.USE, chooser)
            self.choosers[row.key] = chooser

    def choices(self) -> dict[FieldKey, Choice]:
        """The merge column as it stands."""
        return {key: Choice(chooser.currentData()) for key, chooser in self.choosers.items()}

    def choose(self, key: FieldKey, choice: Choice) -> None:
        """Set one field's merge choice (what picking it in the merge column does)."""
        chooser = self.choosers[key]
        chooser.setCurrentIndex(chooser.findData(choice))

    def merged(self) -> dict[str, Any]:
        """The payload :attr:`merge` sends: mine with the chosen fields taken from the server."""
        return merge(self.conflict, self.choices())

    def _choose(self, resolution: str | dict[str, Any]) -> None:
        self.resolution = resolution
        self.accept()
