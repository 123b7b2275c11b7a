"""An in-room meeting on one machine: the members score in turn on the lead's computer, each one's scores
hidden from the next until the lead reveals them; then compare, agree and send the consensus as the review.

This is the only kind of meeting an OCH v1 server allows (it cannot share provisional scores); there the
consensus goes out as OCH's decision with the whole review in its written feedback, as the workspace sends it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from mentor_desk.domain.agreement import panel_agreement
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.domain.meeting_room import RoomMeeting
from mentor_desk.domain.review import ReviewView
from mentor_desk.domain.review_rules import fresh_draft
from mentor_desk.domain.scoring import mission_score
from mentor_desk.ui.background import spawn
from mentor_desk.ui.plain import plain_label

from .reveal import RevealPanel
from .scoring import ScoringPane

Deliver = Callable[[str, str, ReviewDraft], Awaitable[Any]]


class InRoomMeeting(QWidget):
    """``delivered(review_id)`` once the consensus is in the outbox as the review."""

    delivered = Signal(str)

    def __init__(self, review: ReviewView, lead: str, deliver: Deliver, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inRoomMeeting")
        self.review, self.lead, self._deliver = review, lead, deliver
        self.room: RoomMeeting | None = None
        self.pane: ScoringPane | None = None
        layout = QVBoxLayout(self)
        self.title = plain_label(
            self.tr("In-room meeting — {mission} ({learner})").format(
                mission=review.mission_title, learner=review.learner_name
            ),
            self,
        )
        self.title.setObjectName("meetingTitle")
        self.turn = QLabel(self)
        self.turn.setObjectName("meetingTurn")
        self.turn.setTextFormat(Qt.TextFormat.PlainText)
        self.steps = QStackedWidget(self)
        layout.addWidget(self.title)
        layout.addWidget(self.turn)
        layout.addWidget(self.steps, 1)

        setup = QWidget(self.steps)
        form = QVBoxLayout(setup)
        form.addWidget(QLabel(self.tr("Who scores, in order (names separated by commas):"), setup))
        self.names = QLineEdit(setup)
        self.names.setObjectName("roomMembers")
        self.names.setAccessibleName(self.tr("Who scores, in order"))
        self.names.setAccessibleDescription(self.tr("Names separated by commas; Enter starts the scoring"))
        self.names.setPlaceholderText(self.tr("e.g. Maya, Lena, Arjun"))
        self.names.returnPressed.connect(self.start)
        self.setup_error = QLabel(setup)
        self.setup_error.setObjectName("error")
        start = QPushButton(self.tr("Start scoring (Enter)"), setup)
        start.clicked.connect(self.start)
        form.addWidget(self.names)
        form.addWidget(self.setup_error)
        form.addWidget(start)
        form.addStretch(1)
        self.steps.addWidget(setup)

        self.scoring_host = QWidget(self.steps)
        QVBoxLayout(self.scoring_host)
        self.steps.addWidget(self.scoring_host)

        self.waiting = QWidget(self.steps)
        waiting = QVBoxLayout(self.waiting)
        self.submitted = QLabel(self.waiting)
        self.submitted.setTextFormat(Qt.TextFormat.PlainText)
        reveal = QPushButton(self.tr("Reveal everyone's scores (Ctrl+Shift+R)"), self.waiting)
        reveal.clicked.connect(self.reveal)
        waiting.addWidget(self.submitted)
        waiting.addWidget(reveal)
        waiting.addStretch(1)
        self.steps.addWidget(self.waiting)
        QShortcut(QKeySequence("Ctrl+Shift+R"), self.waiting, self.reveal,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.revealed = RevealPanel(review, lead, self.steps)
        self.revealed.consensus_saved.connect(self._consensus)
        self.steps.addWidget(self.revealed)

    def start(self) -> None:
        names = [n for n in self.names.text().split(",")]
        try:
            self.room = RoomMeeting(self.review.id, tuple(names))
        except ValueError as err:
            self.setup_error.setText(str(err))
            return
        self._next_turn()

    def _next_turn(self) -> None:
        assert self.room is not None
        if self.pane is not None:  # the previous member's scores leave the screen for good
            self.pane.hide()
            self.pane.deleteLater()
            self.pane = None
        member = self.room.current
        if member is None:
            self.turn.setText(self.tr("Everyone has scored. The lead reveals the scores when the panel is ready."))
            self.submitted.setText(self.tr("Scored: {members}").format(members=", ".join(self.room.submitted)))
            self.steps.setCurrentWidget(self.waiting)
            self.waiting.setFocus()
            return
        done = ", ".join(self.room.submitted) or self.tr("nobody yet")
        self.turn.setText(
            self.tr("{member}'s turn. Everyone else, please look away. (Scored so far: {done}.)").format(
                member=member, done=done
            )
        )
        self.pane = ScoringPane(self.review, member, parent=self.scoring_host)
        self.pane.handed_in.connect(lambda scores, comment, m=member: self._handed_in(m, scores, comment))
        layout = self.scoring_host.layout()
        assert layout is not None
        layout.addWidget(self.pane)
        self.steps.setCurrentWidget(self.scoring_host)
        self.pane.focus_scorer()

    def _handed_in(self, member: str, scores: dict, comment: str) -> None:
        assert self.room is not None
        try:
            self.room.submit(member, scores, comment)
        except ValueError as err:
            self.turn.setText(str(err))
            return
        self._next_turn()

    def reveal(self) -> None:
        room = self.room
        if room is None:
            return
        try:
            room.reveal()
        except ValueError as err:
            self.submitted.setText(str(err))
            return
        report = panel_agreement(self.review.subtasks, self.review.rubrics, room.panel_scores())
        comments = {m: s.comment for m, s in room.revealed().items()}
        self.turn.setText(self.tr("Revealed: compare, agree, then save the consensus (Ctrl+S)."))
        self.revealed.show_scores(report, room.submitted, comments)
        self.steps.setCurrentWidget(self.revealed)
        self.revealed.editor.setFocus()

    def _consensus(self, scores: dict, decision: str, feedback: str, notes: str) -> None:
        spawn(self._send(scores, decision, feedback))

    async def _send(self, scores: dict, decision: str, feedback: str) -> None:
        review = self.review
        draft = fresh_draft(
            review, subtask_scores=scores, decision=decision, feedback_written=feedback,
            mission_score=mission_score(review.subtasks, review.rubrics, scores),
        )
        try:
            await self._deliver(review.id, review.stage, draft)
        except Exception as err:  # the store or the engine refused: say so, keep the consensus on screen
            message = getattr(err, "user_message", None) or str(err)
            self.revealed.status.setText(self.tr("The consensus could not be queued: {error}").format(error=message))
            return
        self.revealed.status.setText(self.tr("The consensus is in the outbox as the review; it is sent as soon as "
                                             "the platform answers."))
        self.delivered.emit(review.id)
