"""Resolve a conflict: my review (waiting in the outbox) against the server's newer state, field by field.

Keep mine (re-send against the server's new version), take theirs (mine is exported to a file first, then
dropped) or merge (my scores and decision, both sets of comments). Learner- and mentor-written text is shown
as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.status import human_label
from mentor_desk.store.outbox import Conflict

MERGE_SEPARATOR = "\n\n— From the version on the server —\n"


def _text(value: Any) -> str:
    if value is None or value == "" or value == {}:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _theirs_scores(theirs: Mapping[str, Any]) -> Mapping[str, Any]:
    scores = theirs.get("subtask_scores")
    return scores if isinstance(scores, Mapping) else {}


def comparison_rows(conflict: Conflict, names: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(field, mine, theirs) for everything the two versions say: decision, feedback, scores, server state.
    ``names`` gives subtask and criterion titles by id (the id is shown where no title is known)."""
    mine, theirs = conflict.mine, conflict.theirs
    known = names or {}

    def name(key: str) -> str:
        return known.get(key, key)

    rows = [
        ("Decision", _text(mine.get("decision")), _text(theirs.get("decision"))),
        (
            "Status",
            _text(human_label(mine.get("server_status") or "") if mine.get("server_status") else None),
            _text(human_label(theirs.get("status")) if theirs.get("status") else None),
        ),
        ("Written feedback", _text(mine.get("feedback_written")), _text(theirs.get("feedback_written"))),
    ]
    their_scores = _theirs_scores(theirs)
    my_scores = mine.get("subtask_scores") or {}
    for subtask in sorted(set(my_scores) | set(their_scores)):
        mine_sub, theirs_sub = my_scores.get(subtask) or {}, their_scores.get(subtask) or {}
        for criterion in sorted(set(mine_sub) | set(theirs_sub)):
            rows.append(
                (
                    f"Score: {name(subtask)} / {name(criterion)}",
                    _text(mine_sub.get(criterion)),
                    _text(theirs_sub.get(criterion)),
                )
            )
    comments = mine.get("feedback_per_subtask") or {}
    their_comments = theirs.get("feedback_per_subtask") or {}
    for subtask in sorted(set(comments) | set(their_comments)):
        rows.append((f"Comment on {name(subtask)}", _text(comments.get(subtask)), _text(their_comments.get(subtask))))
    for key, label in (("attempt", "Attempt"), ("version", "Version"), ("updated_at", "Last change")):
        if key in theirs:
            rows.append(
                (label, _text(mine.get("base_version") if key == "version" else mine.get(key)), _text(theirs.get(key)))
            )
    return rows


def merged_payload(conflict: Conflict) -> dict[str, Any]:
    """My scores and decision, criterion scores only the server has filled in, and both written texts."""
    mine, theirs = dict(conflict.mine), conflict.theirs
    scores = {sid: dict(values) for sid, values in (mine.get("subtask_scores") or {}).items()}
    for sid, values in _theirs_scores(theirs).items():
        for cid, value in (values or {}).items():
            scores.setdefault(sid, {}).setdefault(cid, value)
    mine["subtask_scores"] = scores
    their_text = str(theirs.get("feedback_written") or "").strip()
    if their_text and their_text not in str(mine.get("feedback_written") or ""):
        mine["feedback_written"] = f"{mine.get('feedback_written') or ''}{MERGE_SEPARATOR}{their_text}"
    return mine


class ConflictDialog(QDialog):
    """Shows the comparison; :attr:`resolution` is ``"mine"``, ``"theirs"`` or a merged payload when accepted."""

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
        self.setObjectName("conflictDialog")
        self.setWindowTitle("Resolve a conflict — mentor_desk")
        self.resize(760, 460)

        heading = QLabel(f"{title}\nchanged on the server while your review waited to be sent.")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        explanation = QLabel(f"{reason}\n" if reason else "")
        explanation.setText(explanation.text() + "Compare the two versions and choose what to keep.")
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        explanation.setWordWrap(True)

        rows = comparison_rows(conflict, names)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["", "Mine (not sent)", "On the server"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, (label, mine, theirs) in enumerate(rows):
            for column, text in enumerate((label, mine, theirs)):
                item = QTableWidgetItem(text)  # QTableWidgetItem text is never interpreted as markup
                if column and mine != theirs:
                    item.setBackground(Qt.GlobalColor.yellow if column == 1 else Qt.GlobalColor.cyan)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()

        buttons = QDialogButtonBox()
        self.keep_mine = buttons.addButton("Keep mine", QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_mine.setToolTip("Send my review again, against the server's new version")
        self.take_theirs = buttons.addButton("Take theirs", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.take_theirs.setToolTip("Drop my review (a copy is exported to a file first)")
        self.merge = buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge.setToolTip("My scores and decision, with both written comments")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.keep_mine.clicked.connect(lambda: self._choose("mine"))
        self.take_theirs.clicked.connect(lambda: self._choose("theirs"))
        self.merge.clicked.connect(lambda: self._choose(merged_payload(conflict)))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def _choose(self, resolution: str | dict[str, Any]) -> None:
        self.resolution = resolution
        self.accept()
