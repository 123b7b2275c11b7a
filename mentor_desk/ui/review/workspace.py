"""The review workspace: one submission's evidence, rubric scoring, decision path, context and feedback.

Usage (the main window owns the qasync loop)::

    workspace = ReviewWorkspace(services)
    workspace.closed.connect(show_queue)
    workspace.submitted.connect(lambda review_id: ...)
    await workspace.open_review(review_id)      # or spawn it from a slot

Every edit lands in a :class:`~.document.ReviewDocument` bound to (review id, version, stage) and is autosaved
to the draft within a second; opening another submission saves the current draft first and rebinds every pane
to a new document, so nothing from one learner can appear on another's review.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.draft import MediaAttachment, ReviewDraft
from mentor_desk.domain.outbox import OutboxState
from mentor_desk.domain.review import ReviewView
from mentor_desk.domain.review_rules import below_pass_line, carry_over, submit_problems, v1_record
from mentor_desk.domain.status import Decision, human_label, resulting_status
from mentor_desk.domain.words import stage_title, track_title
from mentor_desk.services.media import MediaService
from mentor_desk.services.reviews import ReviewService
from mentor_desk.ui.background import spawn
from mentor_desk.ui.fit import make_heading
from mentor_desk.ui.modal import answer
from mentor_desk.ui.plain import isolate, plain_label

from .context_pane import ContextPane
from .decision_path_view import DecisionPathView
from .document import ReviewDocument
from .evidence import EvidencePane
from .failures import reason
from .feedback_bar import FeedbackBar
from .focus import FocusRing, focus_in_view, reading_order
from .recorder_panel import RecorderPanel, play_in_dialog, review_targets
from .rubric_scorer import RubricScorer
from .shortcuts import CheatSheet
from .stage_timeline import StageTimeline
from .theme import WORKSPACE_QSS
from .time_anchors import TimeAnchors
from .viewers.media_viewer import MediaViewer

LOADING_DELAY_MS = 150

SUBMISSION_WORDS = {
    OutboxState.PENDING: "Submitted — waiting to sync",
    OutboxState.SENDING: "Submitted — waiting to sync (sending)",
    OutboxState.FAILED: "Submitted — waiting to sync (the last try failed: see the outbox, Ctrl+Shift+S)",
    OutboxState.CONFLICT: "Submitted — a conflict to resolve in the outbox (Ctrl+Shift+S)",
}
"""The header's words for a submission in the outbox; the status bar counts the same states as waiting."""

log = logging.getLogger(__name__)


class ReviewWorkspace(QWidget):
    """One review at a time. Signals: ``closed()``, ``submitted(review_id)``, ``next_requested(review_id)``."""

    closed = Signal()
    submitted = Signal(str)
    next_requested = Signal(str)
    """Submit & open next: the review just submitted (the window opens the next unreviewed of its queue view)."""

    def __init__(self, services: ReviewService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.document: ReviewDocument | None = None
        self._previous: ReviewDocument | None = None
        self._opened: ReviewView | None = None  # the review as opened, at its current stage
        self._opening = 0
        self.confirmation: QMessageBox | None = None  # the open "Submit the review" question, if any
        self._amending: ReviewDocument | None = None  # a submitted review opened again for editing
        self._submitted: ReviewDocument | None = None  # the open review, once its submission is in the outbox
        self.setStyleSheet(WORKSPACE_QSS)

        self.title = plain_label("", self, selectable=False)
        self.title.setObjectName("reviewHeader")
        make_heading(self.title, 1.6)
        self.subtitle = plain_label("", self, selectable=False)
        self.subtitle.setObjectName("reviewSubtitle")
        self.stage_picker = QComboBox(self)
        self.stage_picker.setToolTip("Capstone stage to review (Ctrl+Page Up / Ctrl+Page Down)")
        self.stage_picker.setVisible(False)
        self.stage_picker.activated.connect(self._on_stage_picked)
        self.save_state = QLabel(self)
        self.save_state.setTextFormat(Qt.TextFormat.PlainText)  # the store's error messages quote other text
        self.save_state.setObjectName("hint")
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.stage_picker)
        header.addWidget(self.save_state)

        self.evidence = EvidencePane(services, self)
        self.scorer = RubricScorer(self)
        self.decision_path = DecisionPathView(self)
        self.context = ContextPane(self)
        self.side_tabs = QTabWidget(self)
        self.side_tabs.addTab(self.decision_path, "Decision path")
        self.side_tabs.addTab(self.context, "Context")
        self.timeline = StageTimeline(self.evidence, self)
        self.side_tabs.addTab(self.timeline, "Stages")
        self.addActions([self.timeline.play_action, self.timeline.show_action])
        self.context.play_presentation.connect(self.timeline.play)
        self.feedback = FeedbackBar(self)
        self.feedback.submit_requested.connect(lambda: spawn(self.submit_review()))
        self.scorer.current_changed.connect(self.feedback.library.focus_criterion)

        panes = self._panes = QSplitter(Qt.Orientation.Horizontal, self)
        for pane in (self.evidence, self.scorer, self.side_tabs):
            panes.addWidget(pane)
        self._sized = False
        vertical = QSplitter(Qt.Orientation.Vertical, self)
        vertical.addWidget(panes)
        vertical.addWidget(self.feedback)
        vertical.setStretchFactor(0, 4)
        vertical.setStretchFactor(1, 1)
        self.feedback.setMinimumHeight(max(190, self.feedback.minimumSizeHint().height()))  # 200 % text: more
        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addLayout(header)
        content_layout.addWidget(vertical, 1)

        self.placeholder = plain_label("No review open.", self, selectable=False)
        self.placeholder.setObjectName("explanation")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.pages)
        self.recordings: RecorderPanel | None = None
        self._own_recording: MediaViewer | None = None
        """The player of the mentor's own recording, while its window is open (time anchors follow it then)."""
        self.anchors = TimeAnchors(self, lambda: self._own_recording, lambda: self.evidence.viewer)
        self.actions_by_name = self._make_actions()
        self.focus_ring = FocusRing(self)
        self.evidence_enlarged = False

    # actions and keyboard
    def _make_actions(self) -> dict[str, QAction]:
        focus = {"evidence": self.evidence.files, "scorer": self.scorer, "feedback": self.feedback.feedback}
        specs: list[tuple[str, str, list[str], Any]] = [
            ("undo", "&Undo", ["Ctrl+Z"], self.undo),
            ("redo", "&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.redo),
            ("save", "Save draft now", ["Ctrl+S"], self.save_draft),
            ("submit", "Submit the review…", ["Ctrl+Return", "Ctrl+Enter"], lambda: spawn(self.submit_review())),
            (
                "amend",
                "Amend the submitted review (only while it waits to sync)",
                ["Ctrl+Shift+E"],
                lambda: spawn(self.amend()),
            ),
            (
                "submit_next",
                "Submit and open the next unreviewed review of the queue's view…",
                ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"],
                lambda: spawn(self.submit_review(open_next=True)),
            ),
            ("close", "Back to the queue (from an enlarged viewer: restore the panes)", ["Esc"], self._escape),
            ("enlarge", "Enlarge the evidence viewer (again: restore the panes)", ["Ctrl+Shift+F"],
             lambda: self.enlarge_evidence(not self.evidence_enlarged)),
            ("focus_evidence", "Go to the evidence files", ["Alt+1"], focus["evidence"].setFocus),
            ("focus_scorer", "Go to the rubric scorer", ["Alt+2"], focus["scorer"].setFocus),
            ("focus_path", "Show the decision path", ["Alt+3"], lambda: self._show_tab(0)),
            (
                "focus_context",
                "Show the context (AI review, reflection, attempts)",
                ["Alt+4"],
                lambda: self._show_tab(1),
            ),
            ("focus_feedback", "Go to the written feedback", ["Alt+5"], focus["feedback"].setFocus),
            ("approve", "Decide: approve", ["Alt+A"], lambda: self._decide(Decision.APPROVE)),
            ("revise", "Decide: request revision", ["Alt+R"], lambda: self._decide(Decision.REQUEST_REVISION)),
            ("fail", "Decide: fail", ["Alt+F"], lambda: self._decide(Decision.FAIL)),
            ("next_stage", "Next capstone stage", ["Ctrl+PgDown"], lambda: self._step_stage(1)),
            ("previous_stage", "Previous capstone stage", ["Ctrl+PgUp"], lambda: self._step_stage(-1)),
            ("library", "Insert the selected library remark", ["Ctrl+I"], self.feedback.library.insert_current),
            ("time_anchor", "Insert the playing media's time ([mm:ss]; click it to seek)", ["Ctrl+T"],
             self.anchors.insert),
            ("help", "Keyboard shortcuts", ["F1", "?"], self.show_cheat_sheet),
        ]
        specs += [
            (
                f"remark_{n}",
                f"Insert library remark {n}",
                [f"Ctrl+{n}"],
                functools.partial(self.feedback.library.insert_nth, n - 1),
            )
            for n in range(1, 10)
        ]
        actions = {}
        for name, text, keys, slot in specs:
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            self.addAction(action)
            actions[name] = action
        for decision, name in (
            (Decision.APPROVE, "approve"),
            (Decision.REQUEST_REVISION, "revise"),
            (Decision.FAIL, "fail"),
        ):
            self.feedback.decision_buttons[decision].setToolTip(actions[name].shortcut().toString())
        return actions

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab go through the panes in reading order (see :mod:`.focus`), not creation order."""
        order = reading_order(self)
        focused = QApplication.focusWidget()
        if focused not in order:
            return super().focusNextPrevChild(next)
        target = order[(order.index(focused) + (1 if next else -1)) % len(order)]
        focus_in_view(target, Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason)
        return True

    def enlarge_evidence(self, enlarged: bool) -> None:
        """Give the evidence viewer the whole workspace (the other panes hidden), or put the panes back."""
        if enlarged == self.evidence_enlarged:
            return
        self.evidence_enlarged = enlarged
        for pane in (self.scorer, self.side_tabs, self.feedback):
            pane.setVisible(not enlarged)
        self.evidence.set_enlarged(enlarged)
        if enlarged and self.evidence.viewer is not None:
            self.evidence.viewer.setFocus(Qt.FocusReason.OtherFocusReason)

    def _escape(self) -> None:
        if self.evidence_enlarged:
            self.enlarge_evidence(False)
        else:
            self.close_review()

    def undo(self) -> None:
        if self.document is not None and not self.document.read_only:
            self.document.undo_stack.undo()

    def redo(self) -> None:
        if self.document is not None and not self.document.read_only:
            self.document.undo_stack.redo()

    async def flush_drafts(self) -> None:
        """Write every pending edit of the open (and the just-replaced) review and wait for the writes."""
        for document in (self._previous, self.document):
            if document is not None:
                await document.flush()

    def save_draft(self) -> None:
        if self.document is not None:
            self.document.save_now()

    def add_recordings(self, media: MediaService) -> None:
        """Give the review a Recordings tab that records into ``media``'s folder (the app calls this once)."""
        panel = self.recordings = RecorderPanel(media.media_dir, media.size_limit, self)
        self.side_tabs.addTab(panel, "Recordings")
        panel.attachments_changed.connect(self._on_recordings_changed)
        panel.play_requested.connect(
            lambda path: setattr(self, "_own_recording", play_in_dialog(self, path).findChild(MediaViewer))
        )
        if self.document is not None:
            panel.bind(review_targets(self.document.review), self._recordings_of(self.document))

    @staticmethod
    def _recordings_of(document: ReviewDocument) -> list[dict[str, Any]]:
        return [item.to_json() for item in document.draft.attachments]

    def _on_recordings_changed(self, attachments: list[dict[str, Any]]) -> None:
        if self.document is not None:
            recordings = tuple(MediaAttachment.from_json(item) for item in attachments)
            self.document.set(("attachments",), recordings, "Change the recordings")

    def _show_tab(self, index: int) -> None:
        self.side_tabs.setCurrentIndex(index)
        self.side_tabs.currentWidget().setFocus()

    def show_cheat_sheet(self) -> CheatSheet:
        sheet = CheatSheet(list(self.actions_by_name.values()), self)
        sheet.open()
        return sheet

    def _decide(self, decision: Decision) -> None:
        if self.document is not None and self.feedback.decision_buttons[decision].isEnabled():
            self.document.set(("decision",), decision.value, f"Decide: {human_label(resulting_status(decision))}")

    # opening
    @property
    def review(self) -> ReviewView | None:
        return self.document.review if self.document else None

    async def open_review(self, review_id: str, stage: str | None = None) -> bool:
        """Load and show ``review_id`` (the current draft is saved first). Returns False if it failed or a
        later call superseded it; failures are explained in the workspace itself."""
        self._opening += 1
        ticket = self._opening
        self._unbind()
        self.placeholder.setText("Loading the review…")
        # Say "Loading" only when it takes a while: flipping the pages costs a cached review's first paint
        # noticeable time. Until then the panes show the previous review, no longer bound to any document.
        QTimer.singleShot(LOADING_DELAY_MS, self, functools.partial(self._show_loading, ticket))
        if self.feedback.library.path is None:
            await self.feedback.library.load(self.services.comment_library_path)
        try:
            review = await self.services.open_review(review_id)
            if stage is not None:
                review = replace(review, stage=stage)
            draft = await self.services.load_draft(review.id, review.stage)
        except Exception as err:  # shown to the mentor; the queue stays usable
            why = reason(err, f"opening review {review_id}")
            if ticket == self._opening:
                self.placeholder.setText(f"This review could not be opened.\n{why}")
                self.pages.setCurrentIndex(0)
            return False
        if ticket != self._opening:
            return False
        self._opened = review
        self._bind(review, draft)
        return True

    def _show_loading(self, ticket: int) -> None:
        if ticket == self._opening and self.document is None:
            self.pages.setCurrentIndex(0)

    async def _open_stage(self, stage: str) -> None:
        if self._opened is None or (self.review and self.review.stage == stage):
            return
        self._opening += 1
        ticket = self._opening
        self._unbind()
        review = replace(self._opened, stage=stage)
        draft = await self.services.load_draft(review.id, stage)
        if ticket == self._opening:
            self._bind(review, draft)

    def _on_stage_picked(self, index: int) -> None:
        spawn(self._open_stage(self.stage_picker.itemData(index)))

    def _step_stage(self, step: int) -> None:
        index = self.stage_picker.currentIndex() + step
        if self.stage_picker.isVisible() and 0 <= index < self.stage_picker.count():
            self.stage_picker.setCurrentIndex(index)
            self._on_stage_picked(index)

    def _unbind(self) -> None:
        """Save and detach the current document. Until the next one is bound, an edit in a pane still lands
        in this document, and so in its own review's draft (never another review's)."""
        if self.document is not None:
            self.document.save_now()
            self.document.changed.disconnect(self._on_document_changed)
            self._previous = self.document  # the panes still show it: retired once they are rebound
            self.document = None

    def _bind(self, review: ReviewView, draft: ReviewDraft | None) -> None:
        start = carry_over(review, draft)
        draft, baseline, source = start.draft, start.baseline, start.note
        document = ReviewDocument(review, draft, self.services.save_draft, self)
        self.document = document
        document.changed.connect(self._on_document_changed)
        document.saved.connect(lambda: self.save_state.setText(f"Draft saved {datetime.now():%H:%M:%S}"))
        document.save_failed.connect(lambda message: self.save_state.setText(message))
        mode = self.services.mode
        self.title.setText(review.mission_title or review.mission_code or "Untitled mission")
        parts = [
            isolate(review.learner_name) if review.learner_name else "Unknown learner",
            human_label(review.status),
            f"attempt {review.attempt}",
        ]
        if len(review.stages) > 1:
            parts.append(f"stage {isolate(stage_title(review.stage))}")
        if review.track:
            parts.append(isolate(track_title(review.track)))
        if review.mission_code:
            parts.append(isolate(review.mission_code))
        self.subtitle.setText(" · ".join(parts))
        self.stage_picker.blockSignals(True)
        self.stage_picker.clear()
        for name in review.stages:
            self.stage_picker.addItem(f"Stage: {stage_title(name)}", name)
        self.stage_picker.setCurrentIndex(max(0, self.stage_picker.findData(review.stage)))
        self.stage_picker.setVisible(len(review.stages) > 1)
        self.stage_picker.blockSignals(False)
        self.save_state.setText(source or ("Draft restored" if draft is not None else ""))
        self.evidence.bind(review, mode)
        self.scorer.bind(document, baseline)
        self.decision_path.bind(document, mode)
        self.context.bind(review, mode)
        self.timeline.bind(review)
        self.side_tabs.setTabVisible(self.side_tabs.indexOf(self.timeline), len(review.stages) > 1)
        self.feedback.bind(document, baseline)
        if self.recordings is not None:
            self.recordings.bind(review_targets(review), self._recordings_of(document))
        self.anchors.watch()
        if self._previous is not None:
            self._previous.retire()
            self._previous = None
        self.pages.setCurrentIndex(1)
        self.enlarge_evidence(False)
        if not self._sized:
            QTimer.singleShot(0, self._size_panes)
        self._amending = self._submitted = None
        self._set_read_only(False)
        self.scorer.setFocus()
        spawn(self.show_submission())

    def _size_panes(self) -> None:
        """First review shown: evidence 32 %, scorer 38 %, decision path and context 30 % (then the user's)."""
        width = self._panes.width()
        if width > 0:
            self._panes.setSizes([int(width * 0.32), int(width * 0.38), int(width * 0.30)])
            self._sized = True

    def _on_document_changed(self, path: tuple[str, ...]) -> None:
        self.save_state.setText("Editing…")
        if path[:1] == ("attachments",) and self.recordings is not None and self.document is not None:
            self.recordings.show_attachments(self._recordings_of(self.document))  # e.g. undone

    def close_review(self) -> None:
        self._unbind()
        self._opened = None
        self.placeholder.setText("No review open.")
        self.pages.setCurrentIndex(0)
        self.closed.emit()

    # submitting
    def problems(self) -> list[str]:
        """Why the review cannot be submitted yet, as sentences (empty when it can)."""
        document = self.document
        if document is None:
            return ["No review is open."]
        if document.read_only:
            return ["This review has been submitted: it is shown as sent, not edited."]
        return submit_problems(document.review, document.draft, decided_after_ai_review=self.services.mode == "full")

    async def _confirm(self, text: str, submit: str = "Submit") -> bool:
        """Ask Submit/Cancel in a window-modal box without blocking the event loop (no nested exec()). With another
        ``submit`` text (an override), Cancel is the default button."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Submit the review",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Yes).setText(submit)
        if submit != "Submit":
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.confirmation = box
        try:
            return await answer(box) == QMessageBox.StandardButton.Yes
        finally:
            self.confirmation = None
            box.deleteLater()

    def _override(self, found: list[str]) -> str:
        """On OCH v1, which takes any decision, an approval below the pass line may go out if the mentor insists
        (layer B refuses it): the reason to confirm, when that is the only problem ("" otherwise)."""
        document = self.document
        if document is None or self.services.mode != "och-v1":
            return ""
        below = below_pass_line(document.review, document.draft)
        return below if below and found == [below] else ""

    async def submit_review(self, *, confirm: bool = True, open_next: bool = False) -> bool:
        """Validate, show the resulting status for confirmation, then queue the review for sending; it is read-only
        from then on. ``open_next``: then ask for the next unreviewed review (``next_requested``)."""
        document = self.document
        if document is None:
            return False
        found = self.problems()
        override = self._override(found) if confirm else ""
        if override:
            found = []
        self.feedback.show_problems(found)
        if found:
            return False
        review, decision = document.review, document.draft.decision
        summary = document.summary()
        score = "not scored" if summary.mission_score is None else f"{summary.mission_score:.2f} / 100"
        outcome = (
            f"Resulting status: {human_label(resulting_status(Decision(decision)))}"
            if decision
            else f"Stage “{stage_title(review.stage)}” review (no decision yet)"
        )
        text = f"{outcome}\nMission score: {score}"
        record = v1_record(document.draft) if self.services.mode == "och-v1" else None
        if record is not None and decision:
            text += f"\n{record.words(Decision(decision))}"
        if override:
            text = f"{override}\n\nOCH v1 takes the approval anyway if you insist; the override is logged.\n\n{text}"
        submit = "Approve below the pass line" if override else "Submit"
        if confirm and not await self._confirm(f"{text}\n\nSubmit this review?", submit):
            return False
        if override:
            log.warning("review %s: approved below the pass line because the mentor insisted (%s)", review.id, override)
        # No edit after this point, and every draft write of it lands before the submit: a write landing after
        # it would turn the sent review back into a draft that the next attempt restores.
        amending, self._amending = self._amending, None
        self._set_read_only(True)
        try:
            await document.flush()
            await self.services.submit(review.id, review.stage, document.draft)
        except Exception as err:  # the draft is safe; say why and let the mentor retry
            self._amending = amending
            self._set_read_only(False)
            why = reason(err, f"queueing review {review.id}")
            self.feedback.show_problems([f"The review was not queued: {why} Your draft is kept."])
            return False
        self._submitted = document
        self.save_state.setText(SUBMISSION_WORDS[OutboxState.PENDING])
        self.submitted.emit(review.id)
        if open_next:
            self.next_requested.emit(review.id)
        return True

    def _set_read_only(self, read_only: bool) -> None:
        """A submitted review is shown, not edited: the panes that edit it are disabled (the evidence stays)."""
        if self.document is not None:
            self.document.read_only = read_only
        for pane in (self.scorer, self.decision_path, self.feedback, self.recordings):
            if pane is not None:
                pane.setEnabled(not read_only)
        if read_only and (self.focusWidget() is None or not self.focusWidget().isEnabled()):
            self.evidence.files.setFocus()

    async def amend(self) -> bool:
        """Edit the submitted review again where that is still possible: while its submission waits in the outbox,
        not yet tried (submitting again replaces what waits). Once it has left, the platform has the review (a
        decided review takes no new decision), and the header says so."""
        document = self.document
        if document is None or not document.read_only:
            return False
        try:
            allowed = await self.services.can_amend(document.review.id, document.review.stage)
        except Exception as err:  # said in the header; the review stays as sent
            self.save_state.setText(reason(err, "reading the outbox"))
            return False
        if document is not self.document:
            return False
        if not allowed:
            self.save_state.setText("Submitted — it has left for the platform and can no longer be amended here")
            return False
        self._amending = document
        self._set_read_only(False)
        self.save_state.setText("Amending — submit again (Ctrl+Enter) to replace what waits to sync")
        self.scorer.setFocus()
        return True

    async def show_submission(self) -> None:
        """Say where the open review's submission stands, in the words of the status bar's counts (the window
        calls this whenever the outbox changes); a review whose submission waits in the outbox is read-only."""
        document = self.document
        if document is None:
            return
        try:
            state = await self.services.submission_state(document.review.id, document.review.stage)
        except Exception as err:  # a store error is said in the header; nothing else depends on it
            state, words = None, reason(err, "reading the outbox")
        else:
            words = SUBMISSION_WORDS.get(state, "") if state is not None else ""
        if document is not self.document or document is self._amending:
            return
        if state is not None:
            self._submitted = document
            self._set_read_only(True)
        elif document is self._submitted and not words:
            words = "Submitted — the platform has it"
        if words:
            self.save_state.setText(words)
