"""The capstone's stage timeline (the "Stages" tab): investigation → decision making → design & remediation →
reporting → presentation → final, each with who reviewed it, when and with what score; selecting a stage shows
its feedback, so earlier stages can be read while a later one is scored. ``Ctrl+Shift+V`` plays the learner's
presentation in the evidence pane's player; ``Alt+6`` shows the timeline.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from mentor_desk.domain.review import EvidenceFile, ReviewView, StageEntry
from mentor_desk.ui.background import spawn
from mentor_desk.ui.fit import scrolling_layout

from .evidence import EvidencePane
from .review_view import local_time
from .viewers.media_viewer import MediaViewer

DECISIONS = {"approve": "approved", "request_revision": "revision requested", "fail": "failed"}


def stage_text(entry: StageEntry, subtask_titles: Mapping[str, str]) -> str:
    """What the feedback box shows for a stage (plain text)."""
    if not entry.reviewed:
        return f"{entry.title}: not reviewed yet."
    head = f"{entry.title} — reviewed by {entry.reviewer or 'a mentor'}"
    if entry.completed_at:
        head += f" on {local_time(entry.completed_at)}"
    if entry.score is not None:
        head += f", score {entry.score:.2f}"
    if entry.decision:
        head += f"; decision: {DECISIONS.get(entry.decision, entry.decision)}"
    parts = [head + ".", "", entry.feedback or "(No written feedback.)"]
    for key, text in entry.feedback_per_subtask:
        parts += ["", f"{subtask_titles.get(key, key)}: {text}"]
    return "\n".join(parts)


class StageTimeline(QWidget):
    """The Stages tab. :meth:`bind` shows a review's stages; ``play_action`` plays its presentation."""

    def __init__(self, evidence: EvidencePane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageTimeline")
        self._evidence = evidence
        self._presentation: EvidenceFile | None = None
        self._titles: dict[str, str] = {}
        self.entries: list[StageEntry] = []
        self.stages = QTreeWidget(self)
        self.stages.setObjectName("stageList")
        self.stages.setAccessibleName("Capstone stages")
        self.stages.setHeaderLabels(["Stage", "Score", "Status", "When", "Reviewed by"])
        self.stages.setRootIsDecorated(False)
        self.stages.currentItemChanged.connect(lambda _item, _old: self._show_feedback())
        self.feedback = QPlainTextEdit(self)
        self.feedback.setObjectName("stageFeedback")
        self.feedback.setAccessibleName("Feedback on the selected stage")
        self.feedback.setReadOnly(True)
        self.play_button = QPushButton("Play the learner's presentation (Ctrl+Shift+V)", self)
        self.play_button.clicked.connect(lambda _checked: self.play())
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout = scrolling_layout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.stages, 2)
        layout.addWidget(QLabel("Feedback of the selected stage:", self))
        layout.addWidget(self.feedback, 3)
        layout.addWidget(self.play_button)
        self.play_action = self._action("Play the learner's presentation", "Ctrl+Shift+V", self.play)
        self.show_action = self._action("Show the capstone stages", "Alt+6", self.show_and_focus)

    def _action(self, text: str, key: str, slot: Any) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def bind(self, review: ReviewView) -> None:
        """Show ``review``'s stages, the current one selected."""
        self.entries = list(review.stage_history) if len(review.stages) > 1 else []
        self._titles = {s.id: s.title for s in review.subtasks}
        url = review.presentation.get("url")
        self._presentation = next((f for f in review.files if url and f.url == url), None) or next(
            (f for f in review.files if f.file_type == "video" and not f.subtask_id), None
        )
        self.play_button.setVisible(self._presentation is not None)
        self.play_button.setEnabled(self._presentation is not None)
        self.stages.clear()
        current = None
        for entry in self.entries:
            status = "✓ reviewed" if entry.reviewed else "● awaiting" if entry.status == "current" else "not yet"
            if entry.name == review.stage:
                status += " (open)"
            score = f"{entry.score:.2f}" if entry.score is not None else ""
            when = local_time(entry.completed_at) if entry.completed_at else ""
            item = QTreeWidgetItem([entry.title, score, status, when, entry.reviewer])
            item.setData(0, Qt.ItemDataRole.UserRole, entry.name)
            self.stages.addTopLevelItem(item)
            if entry.name == review.stage:
                current = item
        for column in range(self.stages.columnCount()):
            self.stages.resizeColumnToContents(column)
        reviewed = sum(entry.reviewed for entry in self.entries)
        self.summary.setText(f"{reviewed} of {len(self.entries)} stages reviewed" if self.entries else "")
        target = current or self.stages.topLevelItem(0)
        if target is not None:
            self.stages.setCurrentItem(target)
        self._show_feedback()

    def _show_feedback(self) -> None:
        item = self.stages.currentItem()
        name = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        entry = next((e for e in self.entries if e.name == name), None)
        self.feedback.setPlainText(stage_text(entry, self._titles) if entry is not None else "")

    def show_and_focus(self) -> None:
        """``Alt+6``: bring the Stages tab forward and focus the stage list."""
        tabs = self.parentWidget()
        while tabs is not None and not isinstance(tabs, QTabWidget):
            tabs = tabs.parentWidget()
        if tabs is not None:
            tabs.setCurrentWidget(self)
        self.stages.setFocus()

    def play(self) -> asyncio.Task[None] | None:
        """Open the presentation in the evidence pane's player and start it."""
        if self._presentation is None:
            return None
        return spawn(self._play(self._presentation))

    async def _play(self, file: EvidenceFile) -> None:
        viewer = await self._evidence.open_file(file)
        if isinstance(viewer, MediaViewer):
            viewer.player.play()
