"""The sign-off dialog: the learner's whole Tier-5 checklist, a required comment, and Sign off (or Revoke).

Sign off is enabled only when every requirement but the approval holds and a comment is written; for a learner
already approved the dialog revokes instead (a comment is required as well).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
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
from mentor_desk.ui.theme import BAD, follow_scheme
from mentor_desk.ui.tier5.model import track_words

DONE, NOT_DONE = "✓", "✗"
translate = QCoreApplication.translate  # the checklist is made for the board too: in the dialog's context


def checklist_lines(row: BoardRow) -> list[str]:
    """The whole checklist as lines of text: modules, every readiness line, the approval and completion."""
    counts = row.counts
    modules = counts.mandatory_modules_completed >= counts.mandatory_modules_total
    lines = [
        translate("SignOffDialog", "{mark}  Mandatory modules: {done} of {total}").format(
            mark=DONE if modules else NOT_DONE, done=counts.mandatory_modules_completed,
            total=counts.mandatory_modules_total,
        )
    ]
    lines += [f"{DONE if line.done else NOT_DONE}  {line.label}: {line.detail}" for line in row.readiness.lines]
    if counts.mentor_approval_required:
        if not row.approved:
            given = translate("SignOffDialog", "not given yet")
        elif row.approved_by:
            given = translate("SignOffDialog", "given by {mentor}").format(mentor=row.approved_by)
        else:
            given = translate("SignOffDialog", "given")
        lines.append(translate("SignOffDialog", "{mark}  Mentor approval (required): {given}").format(
            mark=DONE if row.approved else NOT_DONE, given=given
        ))
    else:
        not_required = translate("SignOffDialog", "{mark}  Mentor approval: not required on this track")
        lines.append(not_required.format(mark=DONE))
    completion = f"{row.completion:.0f}"
    lines.append(
        translate("SignOffDialog", "Completion: {percent} %, mastery complete").format(percent=completion)
        if row.mastery_complete else translate("SignOffDialog", "Completion: {percent} %").format(percent=completion)
    )
    return lines


class SignOffDialog(QDialog):
    """Asks for the comment; ``comment`` holds it once accepted. ``revoke`` says which of the two it is."""

    def __init__(self, row: BoardRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.revoke = row.approved
        self.setObjectName("tier5SignOffDialog")
        if self.revoke:
            self.setWindowTitle(self.tr("Revoke the Tier-5 approval of {learner}").format(learner=row.learner_name))
            heading = self.tr("Revoke the Tier-5 approval of {learner} on {track}")
        else:
            self.setWindowTitle(self.tr("Sign off Tier-5 mastery for {learner}").format(learner=row.learner_name))
            heading = self.tr("Sign off Tier-5 mastery for {learner} on {track}")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

        layout = QVBoxLayout(self)
        title = plain_label(heading.format(learner=isolate(row.learner_name), track=track_words(row)))
        make_heading(title)
        layout.addWidget(title)
        self.checklist = plain_label("\n".join(checklist_lines(row)))
        self.checklist.setObjectName("tier5Checklist")
        layout.addWidget(self.checklist)

        self.blocking = plain_label("")
        follow_scheme(self.blocking, lambda: f"color: {BAD.name()};")
        if not self.revoke and row.readiness.blocking:
            self.blocking.setText(
                self.tr("Sign-off is possible once everything but the approval holds. Still missing: {missing}.")
                .format(missing="; ".join(row.readiness.blocking))
            )
        self.blocking.setVisible(bool(self.blocking.text()))
        layout.addWidget(self.blocking)

        label = QLabel(
            self.tr("&Comment (required; the platform keeps it with the revoke):") if self.revoke
            else self.tr("&Comment (required; the platform keeps it with the sign-off):")
        )
        label.setWordWrap(True)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setObjectName("tier5Comment")
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setPlaceholderText(
            self.tr("Why the approval is taken back") if self.revoke
            else self.tr("What the mentor panel saw, for the learner's record")
        )
        label.setBuddy(self.comment_edit)
        layout.addWidget(label)
        layout.addWidget(self.comment_edit, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = QPushButton(self.tr("&Revoke approval") if self.revoke else self.tr("&Sign off"))
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
