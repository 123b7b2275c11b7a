"""The bottom bar: written feedback, the comment library, and the decision with its resulting status."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.remarks import Remark, starter_remarks
from mentor_desk.domain.review import Baseline
from mentor_desk.domain.scoring import Rubric
from mentor_desk.domain.status import Decision, human_label, is_final, resulting_status
from mentor_desk.domain.words import stage_title
from mentor_desk.ui.background import spawn
from mentor_desk.ui.fit import scrolled_labels
from mentor_desk.ui.flow import FlowLayout
from mentor_desk.ui.plain import plain_tooltip

from .changes import ChangeMarker
from .comment_library import LibraryError, load_library, save_library
from .document import ReviewDocument, own_undo

SAVE_FAILED = "The comment library could not be saved"
DECISION_TEXT = {Decision.APPROVE: "Approve", Decision.REQUEST_REVISION: "Request revision", Decision.FAIL: "Fail"}


class CommentLibrary(QGroupBox):
    """The mentor's reusable remarks. Double-click or Ctrl+1…9 inserts; items are edited in place.

    The remarks tied to the criterion being scored come first (so Ctrl+1 inserts the likeliest one), and a remark
    added then is tied to it. A rubric seen for the first time gives the library its starter remarks, once."""

    insert_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Comment library", parent)
        self.path: Path | None = None
        self.list = QListWidget(self)
        self.list.setEditTriggers(QListWidget.EditTrigger.EditKeyPressed | QListWidget.EditTrigger.SelectedClicked)
        self.list.setToolTip("Enter or double-click inserts; F2 edits; Ctrl+1…9 insert the first nine remarks")
        self.list.setAccessibleName("Comment library")
        self.list.setAccessibleDescription("Enter inserts the remark; F2 edits it; Ctrl+1 to 9 insert the first nine")
        self.list.setMinimumHeight(self.list.fontMetrics().lineSpacing() * 3)  # the status below keeps its lines
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        buttons = FlowLayout()
        for text, slot, tip in (
            ("Insert", self.insert_current, "Insert the selected remark"),
            ("Add", self.add_from_feedback, "Add the feedback's selected text as a remark"),
            ("Remove", self.remove_current, "Remove the selected remark"),
            ("Import…", self.import_file, "Merge remarks from a shared JSON file"),
            ("Export…", self.export_file, "Save the library as a JSON file to share"),
        ):
            button = QPushButton(text, self)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(scrolled_labels(self, self.status, at_most=2))  # the list keeps the room
        self.list.itemActivated.connect(lambda item: self.insert_requested.emit(item.text()))
        self.list.itemChanged.connect(self._persist)
        self.selection_source: QPlainTextEdit | None = None
        self.focused_criterion = ""
        self.starters: frozenset[str] = frozenset()
        self._writing = asyncio.Lock()

    def remarks(self) -> list[Remark]:
        return [
            Remark(self.list.item(i).text(), self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).text().strip()
        ]

    def focus_criterion(self, criterion_id: str) -> None:
        """List the remarks tied to the criterion being scored first, in bold. Only those items move (the scorer
        calls this on every move between criteria: refilling the list each time cost a keystroke ~7 ms)."""
        self.focused_criterion = criterion_id
        self.list.blockSignals(True)
        tied = [i for i in range(self.list.count()) if criterion_id and self._criterion_at(i) == criterion_id]
        for position, row in enumerate(tied):  # a later tied row keeps its number: one item left above it, one came
            if row != position:
                self.list.insertItem(position, self.list.takeItem(row))
        for index in range(self.list.count()):
            item = self.list.item(index)
            bold = index < len(tied)
            if item.font().bold() != bold:
                font = item.font()
                font.setBold(bold)
                item.setFont(font)
        self.list.blockSignals(False)

    def _criterion_at(self, row: int) -> str | None:
        criterion: str | None = self.list.item(row).data(Qt.ItemDataRole.UserRole)
        return criterion

    def show_remarks(self, remarks: list[Remark]) -> None:
        self._fill(remarks)
        self.focus_criterion(self.focused_criterion)
        if not remarks:
            self.status.setText("No remarks yet: select text in the feedback and press Add, or import a file.")
        elif self.status.text().startswith("No remarks yet"):
            self.status.setText("")

    def _fill(self, remarks: list[Remark]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for remark in remarks:
            item = QListWidgetItem(remark.text)
            item.setData(Qt.ItemDataRole.UserRole, remark.criterion_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            if remark.criterion_id:
                item.setToolTip(plain_tooltip(f"For criterion {remark.criterion_id} (bold while it is being scored)"))
            self.list.addItem(item)
        self.list.blockSignals(False)

    async def load(self, path: Path) -> None:
        self.path = path
        try:
            library = await asyncio.to_thread(load_library, path)
            self.starters = library.starters
            self.show_remarks(library.remarks)
        except LibraryError as err:
            self.status.setText(f"{err} Starting with an empty library; the file was left untouched.")
            self.path = None  # never overwrite a file we could not read

    def insert_nth(self, index: int) -> None:
        if 0 <= index < self.list.count():
            self.insert_requested.emit(self.list.item(index).text())

    def insert_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.insert_requested.emit(item.text())

    def add(self, text: str, criterion_id: str | None = None) -> None:
        if text.strip():
            self.show_remarks([*self.remarks(), Remark(text.strip(), criterion_id)])
            self._persist()

    def add_from_feedback(self) -> None:
        """Add the feedback's selected text, tied to the criterion being scored."""
        if self.selection_source is not None:
            text = self.selection_source.textCursor().selectedText().replace("\u2029", "\n")
            self.add(text, self.focused_criterion or None)

    def offer_starters(self, rubrics: Iterable[Rubric]) -> None:
        """Add the starter remarks of each rubric the library has not been given before (a library that could
        not be read is left alone)."""
        fresh = {rubric.id: rubric for rubric in rubrics if rubric.id not in self.starters}
        if self.path is None or not fresh:
            return
        known = {remark.text for remark in self.remarks()}
        added = [r for rubric in fresh.values() for r in starter_remarks(rubric) if r.text not in known]
        self.starters |= fresh.keys()
        self.show_remarks(self.remarks() + added)
        titles = ", ".join(rubric.title for rubric in fresh.values())
        self.status.setText(f"Added {len(added)} starter remarks for {titles}: edit (F2) or remove them freely.")
        self._persist()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._persist()

    def _persist(self, *_: object) -> None:
        if self.path is not None:
            spawn(self._write(self.path, self.remarks(), self.starters))

    async def _write(self, path: Path, remarks: list[Remark], starters: frozenset[str]) -> None:
        """Write the library in a worker thread, one write at a time in the order of the edits (an earlier,
        slower write must not land last); a failure is said below the list, which keeps the remarks."""
        async with self._writing:
            try:
                await asyncio.to_thread(save_library, path, remarks, starters)
            except OSError as err:
                self.status.setText(f"{SAVE_FAILED}: {err.strerror or err}.")
            else:
                if self.status.text().startswith(SAVE_FAILED):
                    self.status.setText("")  # saved after all: the earlier failure no longer holds

    def import_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import remarks", "", "Comment library (*.json)")
        if name:
            spawn(self.import_from(Path(name)))

    async def import_from(self, path: Path) -> None:
        """Merge the remarks of a shared library file (duplicates skipped); a bad file is explained."""
        try:
            extra = (await asyncio.to_thread(load_library, path)).remarks
        except LibraryError as err:
            self.status.setText(str(err))
            return
        known = {r.text for r in self.remarks()}
        added = [r for r in extra if r.text not in known]
        self.show_remarks(self.remarks() + added)
        self.status.setText(f"Imported {len(added)} remark(s) from “{path.name}”.")
        self._persist()

    def export_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export remarks", "remarks.json", "Comment library (*.json)")
        if name:
            spawn(self.export_to(Path(name)))

    async def export_to(self, path: Path) -> None:
        try:
            await asyncio.to_thread(save_library, path, self.remarks())
        except OSError as err:
            self.status.setText(f"The library could not be exported: {err.strerror or err}.")
        else:
            self.status.setText(f"Exported {len(self.remarks())} remark(s) to “{path.name}”.")


class FeedbackBar(QWidget):
    """Feedback text + library + decision. ``submit_requested`` asks the workspace to validate and submit."""

    submit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: ReviewDocument | None = None
        self.feedback = QPlainTextEdit(self)
        self.feedback.setPlaceholderText("Written feedback for the learner (required to request a revision or fail)")
        self.feedback.setTabChangesFocus(True)
        own_undo(self.feedback)
        self.library = CommentLibrary(self)
        self.library.selection_source = self.feedback
        self.library.insert_requested.connect(self.insert_remark)

        decision_box = QGroupBox("Decision", self)
        self.decisions = QButtonGroup(self)
        self.decision_buttons: dict[Decision, QRadioButton] = {}
        box_layout = QVBoxLayout(decision_box)
        for decision, text in DECISION_TEXT.items():
            button = QRadioButton(text, decision_box)
            self.decisions.addButton(button)
            self.decision_buttons[decision] = button
            box_layout.addWidget(button)
            button.clicked.connect(lambda _checked, d=decision: self._choose(d))
        self.stage_note = QLabel(decision_box)
        self.stage_note.setTextFormat(Qt.TextFormat.PlainText)  # names the stage and status the server sent
        self.stage_note.setWordWrap(True)
        self.stage_note.setObjectName("hint")
        self.preview = QLabel(decision_box)
        self.preview.setObjectName("resultPreview")
        self.preview.setWordWrap(True)
        self.submit_button = QPushButton("Submit review…", decision_box)
        self.submit_button.setObjectName("primary")
        self.submit_button.setToolTip("Ctrl+Enter")
        self.submit_button.clicked.connect(self.submit_requested)
        self.problems = QLabel(decision_box)
        self.problems.setObjectName("warning")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setVisible(False)
        box_layout.addWidget(scrolled_labels(decision_box, self.stage_note, self.preview, self.problems), 1)
        box_layout.addWidget(self.submit_button)

        feedback_box = QGroupBox("Written feedback", self)
        self.changes = ChangeMarker(self.feedback, QLabel(feedback_box))
        feedback_layout = QVBoxLayout(feedback_box)
        feedback_layout.addWidget(self.feedback)
        feedback_layout.addWidget(self.changes.note)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(feedback_box, 5)
        layout.addWidget(self.library, 3)
        layout.addWidget(decision_box, 2)
        self.feedback.textChanged.connect(self._feedback_edited)

    def bind(self, document: ReviewDocument, baseline: Baseline | None = None) -> None:
        """Show ``document``; with a ``baseline`` (a resubmission), changes from its feedback are highlighted."""
        if self.document is not None:
            self.document.changed.disconnect(self._on_changed)
        self.document = document
        review = document.review
        final = review.is_final_stage
        decided = is_final(review.status)
        for button in self.decision_buttons.values():
            button.setEnabled(final and not decided)
        if decided:
            note = f"Already decided ({human_label(review.status)}): no further decision on this attempt."
        elif not final:
            note = (
                f"Stage “{stage_title(review.stage)}”: this stage review sends scores and feedback; the decision "
                "is made on the final stage."
            )
        else:
            note = ""
        self.stage_note.setText(note)
        self.stage_note.setVisible(bool(note))
        self.show_problems([])
        self.submit_button.setText("Submit review…" if final else "Submit stage review…")
        document.changed.connect(self._on_changed)
        self.changes.set_baseline(baseline.feedback_written if baseline else None, baseline.attempt if baseline else 0)
        self._show_feedback()
        self._show_decision()
        self.library.offer_starters(review.rubrics.values())

    def show_problems(self, problems: list[str]) -> None:
        """Say (inline, without a modal dialog) why the review cannot be submitted yet; [] hides it."""
        self.problems.setText("\n".join(f"• {p}" for p in problems))
        self.problems.setVisible(bool(problems))

    def decision(self) -> Decision | None:
        raw = self.document.get(("decision",)) if self.document else None
        return Decision(raw) if raw in {d.value for d in Decision} else None

    def _choose(self, decision: Decision) -> None:
        assert self.document is not None
        self.document.set(("decision",), decision.value, f"Decide: {human_label(resulting_status(decision))}")

    def insert_remark(self, text: str) -> None:
        cursor = self.feedback.textCursor()
        before = self.feedback.toPlainText()[: cursor.position()]
        cursor.insertText(("" if not before or before.endswith((" ", "\n")) else " ") + text)
        self.feedback.setFocus()

    def _feedback_edited(self) -> None:
        if self.document is not None:
            self.document.set(("feedback_written",), self.feedback.toPlainText(), "Edit feedback", merge=True)
            self._show_decision()

    def _on_changed(self, path: tuple[str, ...]) -> None:
        if path == ("feedback_written",):
            self._show_feedback()
        if path in (("decision",), ("feedback_written",)):
            self._show_decision()

    def _show_feedback(self) -> None:
        text = (self.document.get(("feedback_written",)) if self.document else "") or ""
        if self.feedback.toPlainText() != text:
            self.feedback.blockSignals(True)
            self.feedback.setPlainText(text)
            self.feedback.blockSignals(False)

    def _show_decision(self) -> None:
        decision = self.decision()
        self.decisions.setExclusive(False)
        for value, button in self.decision_buttons.items():
            button.setChecked(value is decision)
        self.decisions.setExclusive(True)
        if self.document is None or not self.document.review.is_final_stage or is_final(self.document.review.status):
            self.preview.setText("")
        elif decision is None:
            self.preview.setText("Choose a decision to see the resulting status.")
        else:
            text = f"Resulting status: {human_label(resulting_status(decision))}"
            if decision.needs_feedback and not self.feedback.toPlainText().strip():
                text += "\nReason required: write it in the feedback."
            self.preview.setText(text)
