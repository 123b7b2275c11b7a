"""Server-, learner- and mentor-written text shows literally everywhere in the workspace: never as rich text
(labels, tooltips, message boxes), never with "&" taken for a mnemonic (buttons, group boxes), never with "%p"
taken for a progress placeholder; and what cannot be read is said in a sentence."""

from __future__ import annotations

import asyncio
import html
import re
from typing import Any

from PySide6 import QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget
from review_helpers import SandboxServices, pick

from mentor_desk.api.models import ReviewDetail
from mentor_desk.services.review_view import review_view
from mentor_desk.ui.review.document import ReviewDocument
from mentor_desk.ui.review.failures import UNEXPECTED
from mentor_desk.ui.review.feedback_bar import FeedbackBar
from mentor_desk.ui.review.workspace import ReviewWorkspace

MISSION = "<b>Mission</b> & <img src=x>"
LEARNER = "&Delete <i>me</i>"
SUBTASK = "R&D <b>plan</b>"
LEVEL = "&Fail <u>it</u>"
DESCRIPTION = "Needs <img src=x> & <b>more</b>"
FILENAME = "100%p <b>log</b>.txt"
HOSTILE = (MISSION, LEARNER, SUBTASK, LEVEL, DESCRIPTION, FILENAME)


def as_tooltip_shows(tip: str) -> str:
    """The text QToolTip shows for ``tip`` (rich text when ``Qt::mightBeRichText``), spaces folded."""
    if not QtGui.Qt.mightBeRichText(tip):
        return tip
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()


def as_button_shows(text: str) -> str:
    """What a button or group box title shows for ``text``: "&x" is a mnemonic (x underlined), "&&" is "&"."""
    return re.sub("&(.)", r"\1", text)


def hostile(data: dict[str, Any]) -> dict[str, Any]:
    """A review detail (JSON shape) whose server-written names carry markup and mnemonics."""
    data["mission"]["title"] = MISSION
    data["learner"]["name"] = LEARNER
    for subtask in data["mission"]["subtasks"]:
        subtask["title"] = SUBTASK
    for rubric in data["rubrics"].values():
        for criterion in rubric["criteria"]:
            criterion["description"] = DESCRIPTION
            for level in criterion["levels"]:
                level["label"], level["description"] = LEVEL, DESCRIPTION
    for file in data["files"]:
        file["filename"] = FILENAME
    return data


class HostileServices(SandboxServices):
    """The shared sandbox's reviews with hostile names; a file fetch reports half done, then waits for
    ``release`` to be set."""

    def __init__(self, services: SandboxServices) -> None:
        super().__init__(services.client, services.store, services.mode, services.comment_library_path)
        self.release = asyncio.Event()

    async def load_review(self, review_id: str) -> Any:
        detail = await super().load_review(review_id)
        return ReviewDetail.model_validate(hostile(detail.model_dump(mode="json")))

    async def fetch_file(self, file: Any, progress: Any = None) -> Any:
        progress(1, 2)
        await self.release.wait()
        return await super().fetch_file(file, progress)


def _caption(widget: QWidget) -> str:
    """A button's text or a group box's title: where Qt reads "&" as a mnemonic."""
    if isinstance(widget, QAbstractButton):
        return widget.text()
    return widget.title() if isinstance(widget, QGroupBox) else ""


def text_problems(root: QWidget) -> list[str]:
    """Every place under ``root`` where a hostile text would not show literally."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        tip = widget.toolTip()
        found += [f"tooltip {tip!r}" for h in HOSTILE if h in html.unescape(tip) and h not in as_tooltip_shows(tip)]
        rich = isinstance(widget, QLabel) and widget.textFormat() != QtGui.Qt.TextFormat.PlainText
        if rich and any(h in widget.text() for h in HOSTILE) and QtGui.Qt.mightBeRichText(widget.text()):
            found.append(f"rich label {widget.text()!r}")
        caption = _caption(widget)
        meant = caption.replace("&&", "&")
        found += [f"mnemonic in {caption!r}" for h in HOSTILE if h in meant and h not in as_button_shows(caption)]
    return found


def test_hostile_names_show_literally_across_the_workspace(
    details: list[Any], services: SandboxServices, qtbot: Any, run: Any, settle: Any
) -> None:
    detail = pick(details, lambda d: d.files and d.mission.subtasks and d.rubrics, "files and rubrics")
    hostile_services = HostileServices(services)
    workspace = ReviewWorkspace(hostile_services)
    qtbot.addWidget(workspace)
    workspace.show()
    assert run(workspace.open_review(detail.id))
    assert workspace.title.text() == MISSION and LEARNER in workspace.subtitle.text()
    assert workspace.scorer.rows and workspace.evidence.file_items()

    item = workspace.evidence.file_items()[0]
    assert as_tooltip_shows(item.toolTip(0)).splitlines()[0] == FILENAME  # file name, then its type and hash
    fetching = asyncio.ensure_future(workspace.evidence.open_file(item.data(0, QtGui.Qt.ItemDataRole.UserRole)))
    settle()
    pane = workspace.evidence
    seen = [widget.text() for widget in (pane.message, pane.progress) if widget.isVisible()]
    hostile_services.release.set()
    run(asyncio.wait_for(fetching, timeout=30))
    assert any(FILENAME in text for text in seen), seen

    document = workspace.document
    assert document is not None
    document.save_failed.emit(f"The draft could not be saved: {MISSION}")
    assert text_problems(workspace) == []


def test_a_stage_named_with_markup_is_shown_as_written(details: list[Any], qtbot: Any) -> None:
    detail = pick(details, lambda d: len(d.stages) > 1 and d.status == "mentor_review", "a capstone in review")
    review = review_view(detail, stage=SUBTASK)

    async def save(*_: Any) -> None:
        """Drafts are not written in this test."""

    bar = FeedbackBar()
    qtbot.addWidget(bar)
    bar.bind(ReviewDocument(review, None, save))
    assert SUBTASK in bar.stage_note.text()
    assert text_problems(bar) == []


class BrokenServices(SandboxServices):
    """A review whose data is not what the workspace can read (its ``mission`` is text, not a mapping)."""

    def __init__(self, services: SandboxServices) -> None:
        super().__init__(services.client, services.store, services.mode, services.comment_library_path)

    async def load_review(self, review_id: str) -> Any:
        detail = await super().load_review(review_id)
        return ReviewDetail.model_validate({**detail.model_dump(mode="json"), "mission": "not a mission"})


def test_a_review_that_cannot_be_read_is_said_in_a_sentence_and_logged(
    details: list[Any], services: SandboxServices, qtbot: Any, run: Any, caplog: Any
) -> None:
    workspace = ReviewWorkspace(BrokenServices(services))
    qtbot.addWidget(workspace)
    review_id = details[0].id
    assert not run(workspace.open_review(review_id))
    assert workspace.placeholder.text() == f"This review could not be opened.\n{UNEXPECTED}"
    assert any(r.exc_info and f"opening review {review_id}" in r.getMessage() for r in caplog.records)
