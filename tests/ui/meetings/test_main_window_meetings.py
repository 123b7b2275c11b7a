"""The main window's Meetings page: Ctrl+Shift+M opens it, Alt+Left goes back to the queue."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from mentor_desk.api.client import PlatformClient
from mentor_desk.ui.meetings.page import MeetingsPage


def _window(shell: Any, run: Any, until: Any, url: str) -> Any:
    client = PlatformClient(url)
    run(client.login("mentor@demo.och", "mentor-demo"))
    run(shell.open_account(client, "mentor@demo.och", run(client.me())))
    window = shell.window
    assert window is not None
    until(lambda: window.model.rowCount() > 0 and not window._refreshing)
    window.activateWindow()
    until(window.isActiveWindow)
    return window


@pytest.mark.parametrize("profile", ["full", "och-v1"])
def test_ctrl_shift_m_opens_the_meetings_page(
    profile: str, shell: Any, sandbox: Any, sandbox_v1: Any, run: Any, until: Any, qtbot: Any
) -> None:
    window = _window(shell, run, until, (sandbox if profile == "full" else sandbox_v1).url)
    window.queue.table.setFocus()
    qtbot.keyClick(
        window.queue.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    until(lambda: isinstance(window.pages.currentWidget(), MeetingsPage))
    page = window.pages.currentWidget()
    if profile == "full":
        until(lambda: "Live" in page.live.text())
        assert page.service is not None
    else:
        assert page.service is None and "in the room" in page.live.text()
    qtbot.keyClick(page.list, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.pages.currentWidget() is window.queue
    run(window.flush_drafts())  # before the store closes: the page stops following the platform
    assert page.watch is None
