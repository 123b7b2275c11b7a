"""One networked meeting as its lead or a panel member sees it.

Before the reveal the view shows who has submitted and never what (the server sends nobody's scores but the
caller's own); a member scores with the workspace's rubric scorer. After the reveal it shows the comparison; the
lead agrees the consensus, which the platform writes as the review's final stage, closing the meeting.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from mentor_desk.domain.review import ReviewView
from mentor_desk.domain.scoring_meeting import Consensus, ScoringMeeting
from mentor_desk.services.meetings import MeetingService
from mentor_desk.ui.background import spawn
from mentor_desk.ui.plain import plain_label
from mentor_desk.ui.review.review_view import local_time

from .reveal import RevealPanel
from .scoring import ScoringPane

STATES = {
    "scoring": str(QT_TRANSLATE_NOOP("MeetingsPage", "Scoring (blind)")),
    "revealed": str(QT_TRANSLATE_NOOP("MeetingsPage", "Revealed: compare and agree")),
    "closed": str(QT_TRANSLATE_NOOP("MeetingsPage", "Closed")),
}
"""A meeting's state in English; shown translated (``MeetingsPage``)."""


def state_words(state: str) -> str:
    """The meeting's state in the user's language (the server's word for a state the desk does not know)."""
    return QCoreApplication.translate("MeetingsPage", STATES[state]) if state in STATES else state


class MeetingView(QWidget):
    """``changed()`` after this view changed the meeting (submitted, revealed, agreed)."""

    changed = Signal()

    def __init__(self, service: MeetingService, meeting: ScoringMeeting, review: ReviewView, my_id: int,
                 parent: QWidget | None = None) -> None:
        """``review`` is the meeting's review as :meth:`MeetingService.review` gives it (its final stage)."""
        super().__init__(parent)
        self.setObjectName("meetingView")
        self.service, self.meeting, self.review, self.my_id = service, meeting, review, my_id
        self.pane: ScoringPane | None = None
        self.revealed: RevealPanel | None = None
        layout = QVBoxLayout(self)
        self.title = plain_label(f"{self.review.mission_title} — {self.review.learner_name}", self)
        self.title.setObjectName("meetingTitle")
        self.state = QLabel(self)
        self.state.setObjectName("meetingState")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel(self)
        self.message.setObjectName("meetingMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.panel = QTableWidget(0, 2, self)
        self.panel.setObjectName("panelTable")
        self.panel.setHorizontalHeaderLabels([self.tr("Panel member"), self.tr("Scores handed in")])
        self.panel.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.panel.verticalHeader().setVisible(False)
        self.panel.horizontalHeader().setStretchLastSection(True)
        self.reveal_button = QPushButton(self.tr("Reveal everyone's scores (Ctrl+Shift+R)"), self)
        self.reveal_button.clicked.connect(self.reveal)
        QShortcut(QKeySequence("Ctrl+Shift+R"), self, self.reveal,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.body = QVBoxLayout()
        self.body.addStretch(1)  # the scorer or the comparison goes above it
        for widget in (self.title, self.state, self.panel, self.reveal_button, self.message):
            layout.addWidget(widget)
        layout.addLayout(self.body, 1)
        self.show_meeting(meeting)

    @property
    def is_lead(self) -> bool:
        return self.meeting.led_by(self.my_id)

    @property
    def on_panel(self) -> bool:
        return self.meeting.seats(self.my_id)

    @property
    def lead_name(self) -> str:
        return self.meeting.lead.name if self.meeting.lead is not None else "?"

    def show_meeting(self, meeting: ScoringMeeting) -> None:
        """Show the meeting as the server last sent it (a newer version replaces the older one)."""
        self.meeting = meeting
        self.state.setText(self.tr("{state} · {handed_in} of {panel} handed in · lead {lead}").format(
            state=state_words(meeting.state), handed_in=meeting.handed_in, panel=len(meeting.panel),
            lead=self.lead_name,
        ))
        self.panel.setRowCount(len(meeting.panel))
        rows = self.panel.verticalHeader().defaultSectionSize() * len(meeting.panel)
        self.panel.setFixedHeight(min(170, rows + self.panel.horizontalHeader().sizeHint().height() + 4))
        for row, member in enumerate(meeting.panel):
            self.panel.setItem(row, 0, QTableWidgetItem(member.mentor.name))
            when = f"✓ {local_time(member.submitted_at)}" if member.submitted_at else self.tr("not yet")
            self.panel.setItem(row, 1, QTableWidgetItem(when))
        self.reveal_button.setVisible(self.is_lead and meeting.state == "scoring")
        self.reveal_button.setEnabled(meeting.handed_in >= 1)
        if self.on_panel:
            spawn(self._say_if_unsent())
        if meeting.state == "scoring" and self.on_panel:
            self._show_scoring()
        elif meeting.state in ("revealed", "closed"):
            self._show_revealed()

    async def _say_if_unsent(self) -> None:
        """My scores waiting in the outbox, failed, or in conflict with the server: say so, with what it holds."""
        entry = await self.service.my_entry(self.meeting.id)
        if entry is None:
            return
        if await self.service.my_conflict(self.meeting.id) is not None:
            self.message.setText(
                self.tr("Your scores were not accepted: {error} "
                        "Open the outbox (Ctrl+Shift+S) to keep yours or take the server's.").format(
                    error=entry.last_error or self.tr("the meeting moved on.")
                )
            )
        elif entry.last_error:
            self.message.setText(
                self.tr("Your scores are handed in and waiting to be sent: {error}").format(error=entry.last_error)
            )
        else:
            self.message.setText(self.tr("Your scores are handed in and waiting to be sent (they go as soon as the "
                                         "platform answers)."))

    def _fill_body(self, widget: QWidget) -> None:
        """Put ``widget`` above the body's stretch and let it take all the height."""
        self.body.insertWidget(self.body.count() - 1, widget, 1)
        self.body.setStretch(self.body.count() - 1, 0)

    def _show_scoring(self) -> None:
        if self.pane is not None:
            return
        mine = self.meeting.my_scores
        self.pane = ScoringPane(self.review, self.tr("you"), scores=mine.subtask_scores if mine else None,
                                comment=mine.comment if mine else "", save=self._save_draft, parent=self)
        self.pane.handed_in.connect(lambda scores, comment: spawn(self._hand_in(scores, comment)))
        self._fill_body(self.pane)
        spawn(self._restore_draft())

    async def _restore_draft(self) -> None:
        draft = await self.service.my_draft(self.meeting.id)
        if draft and self.pane is not None and draft.get("subtask_scores"):
            for sid, criteria in draft["subtask_scores"].items():
                for cid, value in criteria.items():
                    self.pane.document.apply(("subtask_scores", sid, cid), value)
            self.pane.scorer.bind(self.pane.document)
            self.pane.comment.setPlainText(str(draft.get("comment") or ""))

    async def _save_draft(self, _review_id: str, _stage: str, payload: Any) -> None:
        comment = self.pane.comment.toPlainText() if self.pane is not None else ""
        await self.service.save_my_draft(self.meeting, payload.get("subtask_scores") or {}, comment)

    async def _hand_in(self, scores: dict, comment: str) -> None:
        try:
            await self.service.submit_my_scores(self.meeting, scores, comment)
        except Exception as err:  # the store refused: the scores stay on screen
            not_kept = self.tr("Your scores could not be kept: {error}").format(error=err)
            self.message.setText(getattr(err, "user_message", None) or not_kept)
            return
        self.message.setText(self.tr("Your scores are handed in (they are sent as soon as the platform answers). "
                                     "Nobody sees them before the reveal."))
        self.changed.emit()

    def reveal(self) -> None:
        if self.is_lead and self.meeting.state == "scoring":
            spawn(self._reveal())

    async def _reveal(self) -> None:
        try:
            meeting = await self.service.reveal(self.meeting.id)
        except Exception as err:
            self.message.setText(getattr(err, "user_message", None) or str(err))
            return
        self.show_meeting(meeting)
        self.changed.emit()

    def _show_revealed(self) -> None:
        if self.pane is not None:
            self.pane.hide()
            self.pane.deleteLater()
            self.pane = None
        if self.revealed is None:
            self.revealed = RevealPanel(self.review, self.lead_name, self)
            self.revealed.consensus_saved.connect(lambda *values: spawn(self._agree(*values)))
            self._fill_body(self.revealed)
        report = MeetingService.agreement(self.meeting, self.review)
        scores = self.meeting.scores or ()
        members = [s.mentor.name for s in scores]
        self.revealed.show_scores(report, members, {s.mentor.name: s.comment for s in scores})
        self.revealed.editor.setEnabled(self.is_lead and self.meeting.state == "revealed")
        if self.meeting.state == "closed":
            consensus = self.meeting.consensus or Consensus({}, "", "", "", None)
            self.revealed.consensus = consensus.subtask_scores
            self.revealed.decision = consensus.decision
            self.revealed.feedback = consensus.feedback
            self.revealed.notes = consensus.notes
            self.message.setText(
                self.tr("Closed: consensus {decision}, mission score {score}; the learner's review carries it.").format(
                    decision=consensus.decision, score=consensus.mission_score
                )
            )

    async def _agree(self, scores: dict, decision: str, feedback: str, notes: str) -> None:
        try:
            meeting = await self.service.consensus(self.meeting, scores, decision, feedback, notes)
        except Exception as err:
            self.message.setText(getattr(err, "user_message", None) or str(err))
            return
        self.show_meeting(meeting)
        self.changed.emit()
