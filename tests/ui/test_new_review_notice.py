"""Reviews new to the queue while the window is minimised: announced only when the mentor asked for it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from queue_items import make_items

from mentor_desk.domain.preferences import Preferences
from tests.ui.test_queue_updates import window  # noqa: F401  (the fixture: a main window over a real store)


def _assigned(run: Any, win: Any, store: Any, total: int) -> None:
    """The queue grows to ``total`` reviews, as a pull that brought new assignments leaves it."""
    before = {item.id for item in win.model.items()}
    items = make_items(total)
    run(store.replace_queue(items))
    run(win.show_pulled([item.id for item in items if item.id not in before]))


def test_new_reviews_are_announced_in_the_title_while_minimised_when_asked(window, run, qtbot) -> None:  # noqa: F811
    win, store, _reads = window
    win.show()
    title = win.windowTitle()
    win.showMinimized()
    qtbot.waitUntil(win.isMinimized)
    _assigned(run, win, store, 51)
    assert win.windowTitle() == title, "off by default"

    win.settings.set_preferences(replace(Preferences(), notify_new_reviews=True))
    _assigned(run, win, store, 53)
    assert win.model.rowCount() == 53
    assert win.windowTitle().startswith("(2 new) ")
    _assigned(run, win, store, 54)
    assert win.windowTitle().startswith("(3 new) ")

    win.showNormal()
    qtbot.waitUntil(lambda: not win.isMinimized())
    assert win.windowTitle() == title  # seen
    _assigned(run, win, store, 55)
    assert win.windowTitle() == title  # not minimised: the table shows them
