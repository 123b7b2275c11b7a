"""The editable state of one review stage, with undo/redo and debounced autosave.

Every editor in the workspace reads from and writes to one :class:`ReviewDocument`, which is bound to a single
(review id, version, stage) key. Opening another submission creates a new document and rebinds the editors, so a
widget can never show (or save) one learner's scores on another's review — the bug Canvas SpeedGrader had.

All edits go through :meth:`ReviewDocument.set`, which pushes a :class:`SetValue` command on the document's
:class:`QUndoStack`; undo and redo therefore cover scores, verdicts, comments and the decision alike.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from mentor_desk.domain.draft import FieldPath, ReviewDraft
from mentor_desk.domain.review import ReviewView
from mentor_desk.domain.review_rules import fresh_draft
from mentor_desk.domain.scoring import ScoreSummary, summarize
from mentor_desk.ui.background import spawn

AUTOSAVE_MS = 700


class SetValue(QUndoCommand):
    """Set one value of the draft. With ``merge``, consecutive typing into one field becomes one undo step."""

    _ID = 0x5E7

    def __init__(self, document: ReviewDocument, path: FieldPath, value: Any, text: str, merge: bool) -> None:
        super().__init__(text)
        self._document = document
        self.path = path
        self.old = copy.deepcopy(document.get(path))
        self.new = value
        self.merge = merge

    def id(self) -> int:
        return self._ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetValue) or not other.merge or other.path != self.path:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self._document.apply(self.path, self.new)

    def undo(self) -> None:
        self._document.apply(self.path, self.old)


class LeaveUndoToDocument(QObject):
    """Event filter for text editors bound to a document: their own Ctrl+Z/Ctrl+Y would otherwise swallow the
    key (Qt text widgets claim undo shortcuts), so one review could have two diverging undo histories."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and any(event.matches(key) for key in (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo))
        ):
            event.ignore()  # not claimed by the editor: the workspace's undo/redo actions fire
            return True
        return super().eventFilter(watched, event)


def own_undo(editor: QWidget) -> None:
    """Make ``editor``'s Ctrl+Z/Ctrl+Y reach the review's undo stack instead of its private one."""
    if hasattr(editor, "setUndoRedoEnabled"):
        editor.setUndoRedoEnabled(False)
    editor.installEventFilter(LeaveUndoToDocument(editor))


class ReviewDocument(QObject):
    """One stage review being edited. ``changed(path)`` fires after every change, from an edit or an undo."""

    changed = Signal(tuple)
    saved = Signal()
    save_failed = Signal(str)

    def __init__(
        self,
        review: ReviewView,
        draft: ReviewDraft | None,
        save: Callable[[str, str, ReviewDraft], Awaitable[None]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.review = review
        self.draft = draft if draft is not None else fresh_draft(review)
        self.undo_stack = QUndoStack(self)
        self._save = save
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_now)
        self.dirty = False
        self.read_only = False
        """Set once the review is handed over for sending: edits are refused and nothing re-saves the draft (a
        write landing after the submit would bring the sent review back as a draft)."""
        self._summary: ScoreSummary | None = None
        self._writes: set[asyncio.Task[None]] = set()  # draft writes in flight
        self._retired = False

    @property
    def key(self) -> tuple[str, int | None, str]:
        return self.review.key

    # reading
    def get(self, path: FieldPath) -> Any:
        return self.draft.value_at(path)

    def score(self, subtask_id: str, criterion_id: str) -> float | None:
        return self.get(("subtask_scores", subtask_id, criterion_id))

    def summary(self) -> ScoreSummary:
        """Live totals from the domain rules (the UI never computes scores itself), kept until the scores
        change. Raises ``ScoringError`` when the scores do not fit the rubrics."""
        if self._summary is None:
            self._summary = summarize(self.review.subtasks, self.review.rubrics, self.draft.subtask_scores)
        return self._summary

    # editing
    def set(self, path: FieldPath, value: Any, description: str, *, merge: bool = False) -> None:
        """Change one value as an undoable step (no-op when unchanged or read-only); ``None`` removes it."""
        if self.read_only or self.get(path) == value:
            return
        self.undo_stack.push(SetValue(self, path, value, description, merge))

    def apply(self, path: FieldPath, value: Any) -> None:
        """Write without recording an undo step (used by the undo commands themselves)."""
        self.draft = self.draft.with_value(path, copy.deepcopy(value))
        if path[0] == "subtask_scores":
            self._summary = None
            self.draft = replace(self.draft, mission_score=self.summary().mission_score)
        self.dirty = True
        self._timer.start()
        self.changed.emit(path)

    # saving
    def save_now(self) -> None:
        """Write the draft at once (pending debounce included). Safe to call when nothing changed."""
        self._timer.stop()
        if not self.dirty:
            return
        self.dirty = False
        task = spawn(self._write_draft(self.draft))
        self._writes.add(task)
        task.add_done_callback(self._write_over)

    async def flush(self) -> None:
        """Write pending edits now and wait until every write of this document has landed: when the app quits
        the debounce must not lose them, and a submit must come after the last of them."""
        self.save_now()
        while self._writes:
            await asyncio.wait(set(self._writes))

    def retire(self) -> None:
        """No pane edits this document any more: delete it once its last draft write is over."""
        self.save_now()
        self._retired = True
        if not self._writes:
            self.deleteLater()

    def _write_over(self, task: asyncio.Task[None]) -> None:
        self._writes.discard(task)
        if self._retired and not self._writes:
            self.deleteLater()

    async def _write_draft(self, snapshot: ReviewDraft) -> None:
        try:
            await self._save(self.review.id, self.review.stage, snapshot)
        except Exception as err:  # any store failure must reach the mentor; the edits stay dirty
            self.dirty = True
            self.save_failed.emit(getattr(err, "user_message", None) or f"The draft could not be saved: {err}")
        else:
            self.saved.emit()
