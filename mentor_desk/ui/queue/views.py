"""Saved queue views: named filters kept in QSettings, with built-in ones every mentor starts with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from mentor_desk.ui.queue.model import QueueModel, Sla
from mentor_desk.ui.queue.proxy import QueueFilter, matching_rows
from mentor_desk.ui.settings import AppSettings


@dataclass(frozen=True)
class SavedView:
    name: str
    filter: QueueFilter
    builtin: bool = False


EVERYTHING = str(QT_TRANSLATE_NOOP("QueueTable", "Everything"))
BUILTIN_VIEWS = (
    SavedView(str(QT_TRANSLATE_NOOP("QueueTable", "To review")), QueueFilter(only_unreviewed=True), builtin=True),
    SavedView(
        str(QT_TRANSLATE_NOOP("QueueTable", "Overdue (over 48 h)")),
        QueueFilter(only_unreviewed=True, sla=frozenset({Sla.RED})),
        builtin=True,
    ),
    SavedView(EVERYTHING, QueueFilter(), builtin=True),
)
"""Named in English, which is also how they are kept; the queue page shows them translated (``QueueTable``)."""


class SavedViews:
    """The built-in views followed by the user's own, persisted through :class:`AppSettings`."""

    def __init__(self, settings: AppSettings) -> None:
        self._settings = settings

    def all(self) -> list[SavedView]:
        own = [
            SavedView(name, QueueFilter.from_json(data))
            for name, data in self._settings.saved_views().items()
            if isinstance(data, dict)
        ]
        return [*BUILTIN_VIEWS, *own]

    def save(self, name: str, flt: QueueFilter) -> SavedView:
        """Save (or overwrite) a user view. Built-in names are refused."""
        name = name.strip()
        if not name or any(view.name == name for view in BUILTIN_VIEWS):
            raise ValueError(
                QCoreApplication.translate("SavedViews", "“{name}” cannot be used as a view name.").format(name=name)
            )
        views = self._settings.saved_views()
        views[name] = flt.to_json()
        self._settings.set_saved_views(views)
        return SavedView(name, flt)

    def delete(self, name: str) -> None:
        views = self._settings.saved_views()
        views.pop(name, None)
        self._settings.set_saved_views(views)

    def counts(self, model: QueueModel, views: Sequence[SavedView] | None = None) -> dict[str, int]:
        """How many rows each view (default: all of them) shows right now, from the model's per-row values."""
        return {view.name: len(matching_rows(model, view.filter)) for view in (self.all() if views is None else views)}
