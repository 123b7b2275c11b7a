"""The sign-off dialog: the learner's whole Tier-5 checklist, a required comment, and Sign off (or Revoke).

Sign off is enabled only when every requirement but the approval holds and a comment is written; for a learner
already approved the dialog revokes instead (a comment is required as well).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.services.tier5 import BoardRow
from mentor_desk.ui.fit import make_heading
from mentor_desk.ui.plain import isolate, plain_label
from mentor_desk.ui.theme import BAD
from mentor_desk.ui.tier5.model import track_words

DONE, NOT_DONE = "✓", "✗"


def checklist_lines(row: BoardRow) -> list[str]:
    """The whole checklist as lines of text: modules, every readiness line, the approval and completion."""
    counts = row.counts
    modules = counts.mandatory_modules_completed >= counts.mandatory_modules_total
    lines = [
        f"{DONE if modules else NOT_DONE}  Mandatory modules: "
        f"{counts.mandatory_modules_completed} of {counts.mandatory_modules_total}"
    ]
    lines += [f"{DONE if line.done else NOT_DONE}  {line.label}: {line.detail}" for line in row.readiness.lines]
    if counts.mentor_approval_required:
        given = "given" + (f" by {row.approved_by}" if row.approved_by else "") if row.approved else "not given yet"
        lines.append(f"{DONE if row.approved else NOT_DONE}  Mentor approval (required): {given}")
    else:
        lines.append(f"{DONE}  Mentor approval: not required on this track")
    lines.append(f"Completion: {row.completion:.0f} %" + (", mastery complete" if row.mastery_complete else ""))
    return lines


class SignOffDialog(QDialog):
    """Asks for the comment; ``comment`` holds it once accepted. ``revoke`` says which of the two it is."""

    def __init__(self, row: BoardRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.revoke = row.approved
        self.setObjectName("tier5SignOffDialog")
        verb = "Revoke the Tier-5 approval of" if self.revoke else "Sign off Tier-5 mastery for"
        self.setWindowTitle(f"{verb} {row.learner_name}")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

        layout = QVBoxLayout(self)
        title = plain_label(f"{verb} {isolate(row.learner_name)} on {track_words(row)}")
        make_heading(title)
        layout.addWidget(title)
        self.checklist = plain_label("\n".join(checklist_lines(row)))
        self.checklist.setObjectName("tier5Checklist")
        layout.addWidget(self.checklist)

        self.blocking = plain_label("")
        self.blocking.setStyleSheet(f"color: {BAD.name()};")
        if not self.revoke and row.readiness.blocking:
            self.blocking.setText(
                "Sign-off is possible once everything but the approval holds. Still missing: "
                + "; ".join(row.readiness.blocking)
                + "."
            )
        self.blocking.setVisible(bool(self.blocking.text()))
        layout.addWidget(self.blocking)

        what = "revoke" if self.revoke else "sign-off"
        label = QLabel(f"&Comment (required; the platform keeps it with the {what}):")
        label.setWordWrap(True)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setObjectName("tier5Comment")
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setPlaceholderText(
            "Why the approval is taken back" if self.revoke else "What the mentor panel saw, for the learner's record"
        )
        label.setBuddy(self.comment_edit)
        layout.addWidget(label)
        layout.addWidget(self.comment_edit, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = QPushButton("&Revoke approval" if self.revoke else "&Sign off")
        self.confirm.setObjectName("tier5Confirm")
        self.confirm.setShortcut(QKeySequence("Ctrl+Return"))
        self.confirm.setToolTip("Ctrl+Enter")
        buttons.addButton(self.confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.comment_edit.textChanged.connect(self._update)
        self._update()
        self.comment_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.adjustSize()  # as tall as its wrapped lines need at this width (200 % text wraps the checklist)

    @property
    def allowed(self) -> bool:
        """Whether this decision may be taken at all (a comment aside)."""
        return self.revoke or (not self.row.readiness.blocking and self.row.pending is None)

    @property
    def comment(self) -> str:
        return self.comment_edit.toPlainText().strip()

    def _update(self) -> None:
        self.confirm.setEnabled(self.allowed and bool(self.comment))

    def accept(self) -> None:
        if self.confirm.isEnabled():
            super().accept()
