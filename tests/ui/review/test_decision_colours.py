"""The decision path's marks (✓ Same as ideal, ≠ Different…) are readable in the dark theme as in the light one:
the workspace's style sheet gives them light-theme colours; each mark label's own colour follows the scheme."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QPalette

from mentor_desk.domain.preferences import Preferences, Theme
from mentor_desk.ui.theme import apply_appearance
from tests.ui.test_theme import app, contrast  # noqa: F401  (app: the theme given back afterwards)

Role = QPalette.ColorRole


@pytest.fixture(params=[Theme.LIGHT, Theme.DARK])
def theme(app, request: pytest.FixtureRequest) -> Theme:  # noqa: F811
    """The theme, applied before the workspace is made (ask for it before ``workspace``)."""
    apply_appearance(app, Preferences(theme=request.param))
    return request.param


def test_the_decision_marks_are_readable_in_both_themes(theme: Theme, details: list[Any], workspace: Any,
                                                        run: Any) -> None:
    cards = []
    for detail in (d for d in details if d.mission.branching_paths and d.decision_paths):
        assert run(workspace.open_review(detail.id))
        cards = workspace.decision_path.cards
        if any(card.step.kind.value == "same" for card in cards):
            break
    assert any(card.step.kind.value == "same" for card in cards), "a learner who chose as the ideal path"
    for card in cards:
        card.mark_label.ensurePolished()
        shown = card.mark_label.palette().color(Role.WindowText)
        background = card.palette().color(Role.Window)
        assert contrast(shown, background) >= 4.5, (theme, card.mark_label.text(), shown.name(), background.name())
