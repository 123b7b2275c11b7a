"""Score a review with its rubrics, by mouse or keyboard, with live totals from the domain rules.

Keyboard: Up/Down move between criteria, Left/Right jump to the previous/next subtask, a digit picks the level
worth that many points (or, when no level has those points, the n-th level), Backspace/Delete clears a score,
D shows (or hides) every criterion's description and level descriptors. Keys reach the scorer only while it has
the focus, and it shows that it has: the focus ring around it, the current criterion drawn in the highlight
colour, and a line saying that digits score (without the focus the current criterion is only outlined).

Under each criterion its description is written, and once it is scored the chosen level's descriptor instead
(not only in tooltips); the line is as tall as the longest of these from the start, so scoring lays out nothing.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.review import Baseline
from mentor_desk.domain.scoring import Criterion, Level, Rubric, ScoringError, SubtaskSpec
from mentor_desk.ui.fit import scrolled_labels
from mentor_desk.ui.flow import FlowLayout
from mentor_desk.ui.plain import no_mnemonic, plain_label, plain_tooltip

from .changes import ChangeMarker
from .document import ReviewDocument, own_undo
from .live_label import LiveLabel
from .pages import PageHost

WHOLE_REVIEW_ROWS = 40  # a review with at most this many criteria is built at once (every seeded mission)
FIRST_ROWS = 12  # else, subtasks are built before the first paint until this many criteria (over a screenful)
LATER_BATCH = 6  # subtasks built per later turn of the event loop


KEYS_ACTIVE = "Digits score here · D: descriptors"  # short: the scorer is narrow at large text sizes
KEYS_INACTIVE = "Alt+2 to score by keys"


def _points(value: float) -> str:
    return f"{value:g}"


def _restyle(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class CriterionRow(QFrame):
    """One criterion: title and weight, and one checkable button per level."""

    picked = Signal(object)  # float points, or None to clear
    activated = Signal()  # clicked anywhere: becomes the keyboard's current criterion

    def __init__(self, subtask: SubtaskSpec, criterion: Criterion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subtask = subtask
        self.criterion = criterion
        self.setObjectName("criterionRow")
        self.setProperty("current", False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        title = plain_label(f"{criterion.title}  ·  weight {_points(criterion.weight)}", self, selectable=False)
        title.setObjectName("criterionTitle")
        title.setToolTip(plain_tooltip(criterion.description))
        self.change_note = QLabel(self)
        self.change_note.setObjectName("changeNote")
        self.change_note.setVisible(False)
        self.descriptor = LiveLabel("levelDescriptor", self, word_wrap=True)  # the description, or chosen level's
        self.descriptor.make_room_for((criterion.description, *(self._level_text(lv) for lv in criterion.levels)))
        self.descriptor.setVisible(bool(criterion.description or any(lv.description for lv in criterion.levels)))
        self.details: QLabel | None = None  # every descriptor, built the first time D asks for it
        buttons = FlowLayout(spacing=4)  # levels go on to a second line rather than being cut in a narrow pane
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: list[QToolButton] = []
        for level in criterion.levels:
            button = QToolButton(self)
            button.setText(f"{_points(level.points)}\n{no_mnemonic(level.label)}")
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.setToolTip(plain_tooltip(level.description))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(lambda checked, p=level.points: self.picked.emit(p if checked else None))
            self.group.addButton(button)
            buttons.addWidget(button)
            self.buttons.append(button)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addWidget(self.descriptor)
        layout.addWidget(self.change_note)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.activated.emit()
        super().mousePressEvent(event)

    def show_score(self, points: float | None, previous: float | None, has_previous: bool) -> None:
        for button, level in zip(self.buttons, self.criterion.levels, strict=True):
            button.setChecked(points is not None and level.points == points)
        chosen = next((lv for lv in self.criterion.levels if points is not None and lv.points == points), None)
        described = chosen is not None and bool(chosen.description)
        self.descriptor.setText(self._level_text(chosen) if described and chosen else self.criterion.description)
        changed = has_previous and previous != points
        self.change_note.setVisible(changed)
        if changed:
            was = "not scored" if previous is None else _points(previous)
            self.change_note.setText(f"Changed from the previous attempt (was {was})")

    @staticmethod
    def _level_text(level: Level) -> str:
        return f"{_points(level.points)} · {level.label}" + (f": {level.description}" if level.description else "")

    def set_current(self, current: bool) -> None:
        self.setProperty("current", current)
        _restyle(self)

    def show_details(self, shown: bool) -> None:
        """Show (or hide) the criterion's description and every level's descriptor under its buttons."""
        if shown and self.details is None:
            lines = [self.criterion.description] if self.criterion.description else []
            lines += [self._level_text(lv) for lv in self.criterion.levels]
            self.details = plain_label("\n".join(lines), self, selectable=False)
            self.details.setObjectName("criterionDetails")
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(layout.indexOf(self.descriptor) + 1, self.details)  # under the buttons
        if self.details is not None:
            self.details.setVisible(shown)

    def level_for_digit(self, digit: int) -> float | None:
        levels = self.criterion.levels
        by_points = next((lv.points for lv in levels if lv.points == digit), None)
        if by_points is not None:
            return by_points
        return levels[digit - 1].points if 1 <= digit <= len(levels) else None


class RubricScorer(QWidget):
    """All subtasks of the review, each with its rubric's criteria, plus the running totals.

    ``current_changed(criterion_id)`` fires when the keyboard's current criterion moves.
    """

    current_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setObjectName("rubricScorer")
        self.setProperty("active", False)
        self.details_shown = False
        self.document: ReviewDocument | None = None
        self.rows: list[CriterionRow] = []
        self.subtask_labels: dict[str, LiveLabel] = {}
        self.subtask_comments: dict[str, QPlainTextEdit] = {}
        self.current = 0
        self._rows_by_key: dict[tuple[str, str], CriterionRow] = {}
        self._pending: list[SubtaskSpec] = []  # subtasks whose boxes are still to be built
        self._body_layout: QVBoxLayout | None = None
        self.baseline: Baseline | None = None
        self.previous: dict[str, dict[str, float]] | None = None  # the baseline's scores, when known
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.totals = LiveLabel("missionTotals", self, word_wrap=True)
        self.rubric_note = plain_label("", self)
        self.rubric_note.setObjectName("hint")
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.viewport().installEventFilter(self)  # its resize comes after the scroll area has laid it out
        self._pages = PageHost(self._scroll)
        # over the scroll area's bottom corner, outside the layout: it costs the criteria no height
        self.keys_hint = QLabel(KEYS_INACTIVE, self._scroll)
        self.keys_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.keys_hint.setObjectName("scorerKeys")
        self.keys_hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        outer.addWidget(self.totals)
        outer.addWidget(scrolled_labels(self, self.rubric_note, at_most=3))  # scrolls, never cut, in a short pane
        outer.addWidget(self._scroll, 1)

    def bind(self, document: ReviewDocument, baseline: Baseline | None = None) -> None:
        """Show ``document``'s review; everything from an earlier binding is thrown away. With a ``baseline``
        (a resubmission), scores and comments that differ from the previous attempt's review are marked.

        The first subtasks are built at once; a long mission's others follow in small batches on the next
        turns of the event loop, so the workspace paints without waiting for all of them.
        """
        if self.document is not None:
            self.document.changed.disconnect(self._on_changed)
        self.document, self.baseline, self.rows, self.current = document, baseline, [], 0
        self.previous = baseline.subtask_scores if baseline else None
        self.subtask_labels, self.subtask_comments, self._rows_by_key = {}, {}, {}
        review = document.review
        body = self._pages.new_page()
        layout = self._body_layout = QVBoxLayout(body)
        if not review.subtasks:
            layout.addWidget(plain_label("This review has no subtasks to score.", body))
        layout.addStretch(1)
        self._pending = list(review.subtasks)
        self._build_next(self._first_batch(review.subtasks, review.rubrics))
        self._pages.show_page(body, functools.partial(self._build_later, document))
        versions = ", ".join(
            f"{r.title} v{r.version}"
            for r in review.rubrics.values()
            if any(s.rubric_id == r.id for s in review.subtasks)
        )
        source = (
            "from mentor_desk's own rubric file — this server provides no rubrics"
            if review.rubrics_from_client
            else "from the server"
        )
        self.rubric_note.setText(f"Rubric: {versions} ({source})." if versions else "")
        document.changed.connect(self._on_changed)
        self._refresh_totals()
        self._move_to(0)

    @staticmethod
    def _first_batch(subtasks: list[SubtaskSpec], rubrics: dict[str, Rubric]) -> int:
        """How many subtasks to build before the first paint."""
        sizes = [len(rubrics[s.rubric_id].criteria) for s in subtasks]
        if sum(sizes) <= WHOLE_REVIEW_ROWS:
            return len(subtasks)
        rows = 0
        for count, size in enumerate(sizes, 1):
            rows += size
            if rows >= FIRST_ROWS:
                return count
        return len(subtasks)

    def _build_later(self, document: ReviewDocument) -> None:
        if document is self.document and self._pending:
            self._build_next(LATER_BATCH)
            if self._pending:
                QTimer.singleShot(0, functools.partial(self._build_later, document))

    def _build_next(self, count: int) -> None:
        """Build the next ``count`` pending subtasks' boxes, showing their current scores."""
        assert self.document is not None and self._body_layout is not None
        document, layout = self.document, self._body_layout
        batch, self._pending = self._pending[:count], self._pending[count:]
        previous = self.previous or {}
        for subtask in batch:
            first_row = len(self.rows)
            box = self._subtask_box(document, subtask, document.review.rubrics[subtask.rubric_id])
            layout.insertWidget(layout.count() - 1, box)
            for row in self.rows[first_row:]:
                row.show_details(self.details_shown)
                cid = row.criterion.id
                row.show_score(
                    document.score(subtask.id, cid), previous.get(subtask.id, {}).get(cid), self.previous is not None
                )

    @property
    def fully_built(self) -> bool:
        """Whether every subtask's box exists (a long mission's later ones are built after the first paint)."""
        return not self._pending

    def _subtask_box(self, document: ReviewDocument, subtask: SubtaskSpec, rubric: Rubric) -> QGroupBox:
        box = QGroupBox(self)
        box.setTitle(f"{no_mnemonic(subtask.title)}  ·  weight {_points(subtask.weight)}")
        layout = QVBoxLayout(box)
        description = document.review.subtask_descriptions.get(subtask.id, "")
        if description:
            layout.addWidget(plain_label(description, box))
        notes = document.review.subtask_notes.get(subtask.id, "")
        if notes:
            learner = plain_label(f"Learner's notes: {notes}", box)
            learner.setObjectName("learnerNotes")
            layout.addWidget(learner)
        score = LiveLabel("subtaskScore", box)
        self.subtask_labels[subtask.id] = score
        layout.addWidget(score)
        for criterion in rubric.criteria:
            row = CriterionRow(subtask, criterion, box)
            row.picked.connect(lambda points, r=row: self.set_score(r, points))
            index = len(self.rows)
            row.activated.connect(lambda i=index: self._move_to(i))
            self.rows.append(row)
            self._rows_by_key[(subtask.id, criterion.id)] = row
            layout.addWidget(row)
        comment = QPlainTextEdit(box)
        comment.setPlaceholderText(f"Comment on “{subtask.title}” for the learner")
        comment.setTabChangesFocus(True)
        own_undo(comment)
        comment.setFixedHeight(comment.fontMetrics().lineSpacing() * 3 + 14)
        comment.setPlainText(document.get(("feedback_per_subtask", subtask.id)) or "")
        comment.textChanged.connect(lambda s=subtask.id, c=comment: self._comment_edited(s, c))
        self.subtask_comments[subtask.id] = comment
        layout.addWidget(comment)
        if self.baseline is not None and self.baseline.feedback_per_subtask is not None:
            marker = ChangeMarker(comment, QLabel(box))
            marker.set_baseline(self.baseline.feedback_per_subtask.get(subtask.id, ""), self.baseline.attempt)
            layout.addWidget(marker.note)
        return box

    # editing
    def set_score(self, row: CriterionRow, points: float | None) -> None:
        assert self.document is not None
        what = "Clear" if points is None else f"Score {_points(points)} for"
        self.document.set(
            ("subtask_scores", row.subtask.id, row.criterion.id), points, f"{what} “{row.criterion.title}”"
        )

    def _comment_edited(self, subtask_id: str, editor: QPlainTextEdit) -> None:
        assert self.document is not None
        self.document.set(
            ("feedback_per_subtask", subtask_id), editor.toPlainText() or None, "Edit subtask comment", merge=True
        )

    # showing
    def _on_changed(self, path: tuple[str, ...]) -> None:
        if path[0] == "feedback_per_subtask" and len(path) > 1:
            editor = self.subtask_comments.get(path[1])
            text = self.document.get(path) or "" if self.document else ""
            if editor is not None and editor.toPlainText() != text:
                editor.blockSignals(True)
                editor.setPlainText(text)
                editor.blockSignals(False)
        if path[0] == "subtask_scores":
            self._refresh_scores(path[1:])

    def _refresh_scores(self, where: tuple[str, ...]) -> None:
        """Show the scores under ``where`` ((), (subtask,) or (subtask, criterion)) and the new totals."""
        document = self.document
        assert document is not None
        previous = self.previous or {}
        rows = (
            [self._rows_by_key[where]]
            if len(where) == 2 and where in self._rows_by_key
            else [r for r in self.rows if r.subtask.id == where[0]]
            if where
            else self.rows
        )
        for row in rows:
            sid, cid = row.subtask.id, row.criterion.id
            row.show_score(document.score(sid, cid), previous.get(sid, {}).get(cid), self.previous is not None)
        self._refresh_totals(where[0] if where else None)

    def _refresh_totals(self, subtask_id: str | None = None) -> None:
        """The subtask score labels (only ``subtask_id``'s when given) and the mission totals."""
        document = self.document
        assert document is not None
        try:
            summary = document.summary()
        except ScoringError as err:
            self.totals.setText(f"Scores cannot be computed: {err}")
            return
        for sid, label in self.subtask_labels.items():
            if subtask_id is None or sid == subtask_id:
                value = summary.subtask_scores.get(sid)
                label.setText("Subtask score: not scored yet" if value is None else f"Subtask score: {value:.2f} / 100")
        if summary.mission_score is None:
            text, state = f"Mission score: not scored yet · pass line {summary.pass_threshold:g}", "none"
        else:
            verdict = "PASSES" if summary.passed else "BELOW the pass line"
            partial = "" if summary.complete else " so far (some criteria not scored)"
            text = (
                f"Mission score: {summary.mission_score:.2f} / 100 · pass line {summary.pass_threshold:g} · "
                f"{verdict}{partial}"
            )
            state = "pass" if summary.passed else "fail"
        self.totals.setText(text)
        self.totals.set_state("state", state)

    # keyboard
    @property
    def active(self) -> bool:
        """Whether keys score now: the scorer has the focus and shows it."""
        return bool(self.property("active"))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._set_active(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._set_active(False)

    def _set_active(self, active: bool) -> None:
        self.setProperty("active", active)
        self.keys_hint.setText(KEYS_ACTIVE if active else KEYS_INACTIVE)
        self.keys_hint.setProperty("active", active)
        _restyle(self.keys_hint)
        self._place_hint()
        if self.rows:
            _restyle(self.rows[self.current])

    def _place_hint(self) -> None:
        """Keep the keys hint in the scroll area's bottom right corner, above the criteria."""
        self.keys_hint.adjustSize()
        corner = self._scroll.viewport().geometry().bottomRight()
        self.keys_hint.move(
            max(0, corner.x() - self.keys_hint.width() - 4), max(0, corner.y() - self.keys_hint.height() - 4)
        )
        self.keys_hint.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._place_hint()
        return super().eventFilter(watched, event)

    def show_all_details(self, shown: bool) -> None:
        """Every criterion's description and level descriptors inline (D toggles)."""
        self.details_shown = shown
        for row in self.rows:
            row.show_details(shown)
        if self.rows:
            self._reveal(self.rows[self.current])

    def select(self, index: int) -> None:
        """Make criterion row ``index`` the keyboard's current one."""
        self._move_to(index)

    def _move_to(self, index: int) -> None:
        while index >= len(self.rows) and self._pending:  # the keyboard outran the batches
            self._build_next(LATER_BATCH)
        if not self.rows:
            return
        self.rows[self.current].set_current(False)
        self.current = max(0, min(index, len(self.rows) - 1))
        row = self.rows[self.current]
        row.set_current(True)
        self._reveal(row)
        self.current_changed.emit(row.criterion.id)

    def _reveal(self, row: CriterionRow) -> None:
        """Scroll ``row`` into view only when it is not wholly in view, and then by most of a screenful: moving
        down puts it near the top, moving up near the bottom. Scoring row after row then scrolls once a screen,
        not on every keystroke (a scroll repaints the whole scorer; a keystroke otherwise repaints two rows and
        the totals)."""
        content, viewport = self._scroll.widget(), self._scroll.viewport()
        if content is None:
            return
        bar = self._scroll.verticalScrollBar()
        top = row.mapTo(content, QPoint(0, 0)).y()
        bottom, view_top, view_height = top + row.height(), bar.value(), viewport.height()
        if top >= view_top and bottom <= view_top + view_height:
            return
        context = row.height() // 2  # a little of the row before (or after) stays in view
        bar.setValue(top - context if top > view_top else bottom + context - view_height)

    def _jump_subtask(self, step: int) -> None:
        subtasks = [s.id for s in self.document.review.subtasks] if self.document else []
        if not subtasks or not self.rows:
            return
        position = subtasks.index(self.rows[self.current].subtask.id) + step
        if 0 <= position < len(subtasks):
            target = subtasks[position]
            while self._pending and not any(r.subtask.id == target for r in self.rows):
                self._build_next(LATER_BATCH)
            self._move_to(next(i for i, r in enumerate(self.rows) if r.subtask.id == target))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if not self.rows:
            super().keyPressEvent(event)
        elif key == Qt.Key.Key_Down:
            self._move_to(self.current + 1)
        elif key == Qt.Key.Key_Up:
            self._move_to(self.current - 1)
        elif key == Qt.Key.Key_Right:
            self._jump_subtask(1)
        elif key == Qt.Key.Key_Left:
            self._jump_subtask(-1)
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.set_score(self.rows[self.current], None)
        elif key == Qt.Key.Key_D and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.show_all_details(not self.details_shown)
        elif (
            Qt.Key.Key_0 <= key <= Qt.Key.Key_9
            and self.active
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            row = self.rows[self.current]
            points = row.level_for_digit(key - Qt.Key.Key_0)
            if points is not None:
                self.set_score(row, points)
                if self.current + 1 < len(self.rows):
                    self._move_to(self.current + 1)
        else:
            super().keyPressEvent(event)
