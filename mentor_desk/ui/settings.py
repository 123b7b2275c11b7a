"""Typed access to the app's QSettings: remembered servers, saved queue views, window state, the mentor's
preferences (their schema and upgrades: :mod:`mentor_desk.domain.preferences`). Nothing secret."""

from __future__ import annotations

import json
from collections.abc import Iterator, MutableMapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from mentor_desk.domain import preferences
from mentor_desk.domain.preferences import Preferences

MAX_SERVERS = 10


class AppSettings:
    """A thin typed layer over one :class:`QSettings` (pass an INI-backed one in tests)."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings if settings is not None else QSettings("OCH", "mentor_desk")
        self._values = _SettingsMapping(self.qsettings)
        self.upgrades_run = preferences.upgrade(self._values)
        """The numbered schema upgrades this start ran (none when the file was up to date)."""

    # -- preferences --------------------------------------------------------------------------------------

    def preferences(self) -> Preferences:
        return preferences.read(self._values)

    def set_preferences(self, prefs: Preferences) -> None:
        preferences.write(self._values, prefs)

    # -- servers and accounts ---------------------------------------------------------------------------

    def servers(self) -> list[str]:
        """Servers signed in to before, most recent first."""
        return [str(s) for s in self._json("servers", [])]

    def remember_server(self, server: str, email: str) -> None:
        servers = [server, *(s for s in self.servers() if s != server)][:MAX_SERVERS]
        self._set_json("servers", servers)
        emails = self._json("emails", {})
        emails[server] = email
        self._set_json("emails", emails)

    def email_for(self, server: str) -> str:
        return str(self._json("emails", {}).get(server, ""))

    def last_account(self) -> tuple[str, str] | None:
        """The server signed in to last and the email used there, if any."""
        servers = self.servers()
        email = self.email_for(servers[0]) if servers else ""
        return (servers[0], email) if email else None

    def insecure_allowed(self, server: str) -> bool:
        """Whether the user explicitly allowed plain http:// to this (non-loopback) server."""
        return server in self._json("insecure_servers", [])

    def set_insecure_allowed(self, server: str, allowed: bool) -> None:
        servers = [s for s in self._json("insecure_servers", []) if s != server]
        self._set_json("insecure_servers", [*servers, server] if allowed else servers)

    def mode_for(self, server: str) -> str:
        """The API layer last discovered on ``server`` (used when starting offline)."""
        return str(self._json("modes", {}).get(server, "och-v1"))

    def set_mode_for(self, server: str, mode: str) -> None:
        modes = self._json("modes", {})
        modes[server] = mode
        self._set_json("modes", modes)

    def token_file_opt_in(self) -> bool:
        return self.preferences().keep_session_file

    def set_token_file_opt_in(self, enabled: bool) -> None:
        self.set_preferences(replace(self.preferences(), keep_session_file=enabled))

    def offline_budget_mb(self) -> int:
        """The disk the offline copies of the queue's evidence may take, in MB."""
        return self.preferences().offline_budget_mb

    def set_offline_budget_mb(self, megabytes: int) -> None:
        self.set_preferences(replace(self.preferences(), offline_budget_mb=megabytes))

    # -- queue views --------------------------------------------------------------------------------------

    def saved_views(self) -> dict[str, dict[str, Any]]:
        views = self._json("queue/views", {})
        return views if isinstance(views, dict) else {}

    def set_saved_views(self, views: dict[str, dict[str, Any]]) -> None:
        self._set_json("queue/views", views)

    # -- window -------------------------------------------------------------------------------------------

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self.qsettings.value("window/geometry"), self.qsettings.value("window/state")

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue("window/state", state)

    def header_state(self) -> QByteArray | None:
        return self.qsettings.value("queue/header")

    def set_header_state(self, state: QByteArray) -> None:
        self.qsettings.setValue("queue/header", state)

    # -- helpers ------------------------------------------------------------------------------------------

    def _json(self, key: str, default: Any) -> Any:
        raw = self.qsettings.value(key)
        if not raw:
            return default
        try:
            return json.loads(str(raw))
        except ValueError:
            return default

    def _set_json(self, key: str, value: Any) -> None:
        self.qsettings.setValue(key, json.dumps(value))


class _SettingsMapping(MutableMapping[str, Any]):
    """A :class:`QSettings` seen as a mapping of keys to values, for the Qt-free preferences schema."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def __getitem__(self, key: str) -> Any:
        if not self._settings.contains(key):
            raise KeyError(key)
        return self._settings.value(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._settings.setValue(key, value)

    def __delitem__(self, key: str) -> None:
        if not self._settings.contains(key):
            raise KeyError(key)
        self._settings.remove(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._settings.allKeys())

    def __len__(self) -> int:
        return len(self._settings.allKeys())
