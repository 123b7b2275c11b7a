"""The Meetings page (Ctrl+Shift+M): the scoring meetings I lead or sit on, live, and new ones.

On a server with scoring meetings (layer B) the list follows ``meeting.updated`` events and says whether it is
live, polling or offline; on OCH v1 a meeting can only be held in the room, on this machine.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.review import ReviewView
from mentor_desk.domain.scoring_meeting import ScoringMeeting
from mentor_desk.services.meetings import MeetingService, MeetingWatch, WatchState
from mentor_desk.ui.background import spawn
from mentor_desk.ui.modal import answer

from .meeting_view import MeetingView, state_words
from .room import Deliver, InRoomMeeting
from .setup import SetupDialog

WATCH_WORDS = {
    WatchState.LIVE: str(QT_TRANSLATE_NOOP("MeetingsPage", "Live: changes appear as they happen.")),
    WatchState.POLLING: str(
        QT_TRANSLATE_NOOP("MeetingsPage", "The platform sends no live updates: checking every few seconds.")
    ),
    WatchState.OFFLINE: str(QT_TRANSLATE_NOOP(
        "MeetingsPage", "Offline: the platform cannot be reached; what you score is kept and sent later."
    )),
}
"""In English; shown translated (``MeetingsPage``)."""


class MeetingsPage(QWidget):
    def __init__(
        self,
        *,
        service: MeetingService | None,
        my_id: int | None,
        user_name: str,
        load_review: Callable[[str], Awaitable[ReviewView]],
        deliver: Deliver,
        reviews: Callable[[], Awaitable[Sequence[tuple[str, str]]]],
        mentors: Sequence[tuple[int, str]] = (),
        may_lead: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("meetingsPage")
        self.service, self.my_id, self.user_name = service, my_id, user_name
        self._load_review, self._deliver, self._reviews = load_review, deliver, reviews
        self.mentors, self.may_lead = list(mentors), may_lead
        self.views: dict[str, MeetingView] = {}
        self.watch: MeetingWatch | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new = QPushButton(self.tr("New meeting… (Ctrl+N)"), self)
        self.new.clicked.connect(self.set_up)
        self.live = QLabel(self)
        self.live.setObjectName("meetingsLive")
        self.live.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.new)
        bar.addWidget(self.live, 1)
        self.list = QListWidget(self)
        self.list.setObjectName("meetingsList")
        self.list.setAccessibleName(self.tr("Meetings"))
        self.list.currentItemChanged.connect(lambda item, _old: self._selected(item))
        self.stack = QStackedWidget(self)
        self.empty = QLabel(self.tr("Choose a meeting, or set up a new one (Ctrl+N)."), self.stack)
        self.stack.addWidget(self.empty)
        split = QSplitter(self)
        split.addWidget(self.list)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 4)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        QShortcut(QKeySequence("Ctrl+N"), self, self.set_up, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if service is None:
            self.live.setText(
                self.tr("This server has no scoring meetings (OCH v1): hold one in the room, on this computer.")
            )

    # -- live ----------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the meetings and follow their changes (call once the page is shown)."""
        if self.service is not None and self.watch is None:
            self.watch = MeetingWatch(self.service, self._updated, self._watch_state)
            self.watch.start()

    async def stop(self) -> None:
        if self.watch is not None:
            await self.watch.stop()
            self.watch = None

    def _watch_state(self, state: WatchState) -> None:
        self.live.setText(self.tr(WATCH_WORDS[state]))

    def _updated(self, meeting_id: str, _version: int) -> None:
        spawn(self._refresh(meeting_id))

    async def _refresh(self, meeting_id: str) -> None:
        assert self.service is not None
        meeting = await self.service.get(meeting_id)
        self._list_item(meeting)
        view = self.views.get(meeting_id)
        if view is not None and meeting.version >= view.meeting.version:
            view.show_meeting(meeting)

    def _list_item(self, meeting: ScoringMeeting) -> None:
        text = self.tr("{state} · {handed_in}/{panel} handed in · review {review}").format(
            state=state_words(meeting.state), handed_in=meeting.handed_in, panel=len(meeting.panel),
            review=meeting.review_id[:8],
        )
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == meeting.id:
                item.setText(text)
                return
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, meeting.id)
        self.list.insertItem(0, item)

    def _selected(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            spawn(self.open_meeting(item.data(Qt.ItemDataRole.UserRole)))

    async def open_meeting(self, meeting_id: str) -> MeetingView:
        assert self.service is not None and self.my_id is not None
        view = self.views.get(meeting_id)
        if view is None:
            meeting = await self.service.get(meeting_id)
            review = await self.service.review(meeting)
            view = MeetingView(self.service, meeting, review, self.my_id, self.stack)
            view.changed.connect(lambda mid=meeting_id: spawn(self._refresh(mid)))
            self.views[meeting_id] = view
            self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        return view

    # -- new meetings --------------------------------------------------------------------------------------

    def set_up(self) -> None:
        spawn(self._set_up())

    async def _set_up(self) -> None:
        dialog = SetupDialog(await self._reviews(), self.mentors, networked=self.service is not None, parent=self)
        if await answer(dialog) != SetupDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        if choice.in_room:
            await self.start_in_room(choice.review_id)
            return
        assert self.service is not None
        try:
            meeting = await self.service.create(choice.review_id, list(choice.panel), blind=choice.blind)
        except Exception as err:
            self.live.setText(getattr(err, "user_message", None) or str(err))
            return
        self._list_item(meeting)
        await self.open_meeting(meeting.id)

    async def start_in_room(self, review_id: str) -> InRoomMeeting:
        review = await self._load_review(review_id)
        room = InRoomMeeting(review, self.user_name, self._deliver, self.stack)
        self.stack.addWidget(room)
        self.stack.setCurrentWidget(room)
        room.names.setFocus()
        return room
