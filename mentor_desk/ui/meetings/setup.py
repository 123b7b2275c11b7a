"""Setting up a meeting: pick the capstone or review, choose the panel, blind on by default, or run it in the
room on this machine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from mentor_desk.ui.fit import narrow_combo


@dataclass(frozen=True, slots=True)
class Choice:
    review_id: str
    panel: tuple[int, ...]
    blind: bool
    in_room: bool


class SetupDialog(QDialog):
    """``reviews``: (review id, label) with capstones first; ``mentors``: (user id, name) the lead may pick."""

    def __init__(self, reviews: Sequence[tuple[str, str]], mentors: Sequence[tuple[int, str]], *,
                 networked: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New scoring meeting"))
        form = QFormLayout(self)
        self.review = QComboBox(self)
        self.review.setObjectName("meetingReview")
        for review_id, label in reviews:
            self.review.addItem(label, review_id)
        narrow_combo(self.review, 40)
        self.panel = QListWidget(self)
        self.panel.setObjectName("meetingPanel")
        for user_id, name in mentors:
            item = QListWidgetItem(name, self.panel)
            item.setData(Qt.ItemDataRole.UserRole, user_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.more = QLineEdit(self)
        self.more.setAccessibleName(self.tr("Other mentors' user ids"))
        self.more.setPlaceholderText(self.tr("other mentors' user ids, e.g. 12, 15"))
        self.blind = QCheckBox(self.tr("Blind: nobody sees another's scores before the reveal"), self)
        self.blind.setChecked(True)
        self.in_room = QCheckBox(self.tr("In the room, on this computer (members score in turn)"), self)
        self.in_room.setChecked(not networked)
        self.in_room.setEnabled(networked)  # OCH v1 cannot share provisional scores: in the room only
        self.error = QLabel(self)
        self.error.setObjectName("error")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(self.tr("Capstone or review"), self.review)
        form.addRow(self.tr("Panel"), self.panel)
        form.addRow("", self.more)
        form.addRow("", self.blind)
        form.addRow("", self.in_room)
        form.addRow(self.error)
        form.addRow(buttons)
        self.in_room.toggled.connect(self._mode_changed)
        self._mode_changed(self.in_room.isChecked())

    def _mode_changed(self, in_room: bool) -> None:
        for widget in (self.panel, self.more, self.blind):
            widget.setEnabled(not in_room)

    def panel_ids(self) -> tuple[int, ...]:
        picked = [self.panel.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.panel.count())
                  if self.panel.item(i).checkState() == Qt.CheckState.Checked]
        typed = [int(part) for part in self.more.text().replace(";", ",").split(",") if part.strip().isdigit()]
        return tuple(dict.fromkeys([*picked, *typed]))

    def choice(self) -> Choice:
        return Choice(self.review.currentData(), self.panel_ids(), self.blind.isChecked(), self.in_room.isChecked())

    def _accept(self) -> None:
        if self.review.currentData() is None:
            self.error.setText(self.tr("There is no review to meet about in your queue."))
            return
        rest = [p for p in self.more.text().replace(";", ",").split(",") if p.strip() and not p.strip().isdigit()]
        if rest:
            self.error.setText(
                self.tr("Not a user id: {text}. Type numbers separated by commas.").format(text=rest[0].strip())
            )
            return
        if not self.in_room.isChecked() and not self.panel_ids():
            self.error.setText(self.tr("Choose at least one panel member."))
            return
        self.accept()
