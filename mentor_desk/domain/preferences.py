"""The mentor's preferences and the versioned schema they are kept in (no Qt: the settings file is any mapping).

Preferences live in the app's settings file under ``preferences/`` with a schema number at
``preferences/version``. A settings file written by an older mentor_desk is brought up to date on start by
:func:`upgrade`, one numbered step at a time (as MusicBrainz Picard upgrades its configuration): step *n* turns a
version *n − 1* file into a version *n* file and never runs twice. A newer file than this mentor_desk knows is
left as it is (its unknown keys are ignored, the known ones read).

Schema history:

0. (mentor_desk ≤ 0.1.0, no version key) the offline budget at ``offline/budget_mb`` and the opt-in for the
   unencrypted session file at ``tokens/unencrypted_file``.
1. every preference under ``preferences/``: those two moved there, plus theme, font size, keyboard shortcuts,
   the compatibility-mode rubric file, TLS (the operating system's trust store, an extra CA bundle) and whether
   new reviews are announced while the window is minimised.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

SCHEMA_VERSION = 1
VERSION_KEY = "preferences/version"
PREFIX = "preferences/"
DEFAULT_OFFLINE_BUDGET_MB = 2048
"""The offline budget until the mentor changes it: the store's file cache's default cap."""
MIN_FONT_SIZE, MAX_FONT_SIZE = 6, 32


class Theme(StrEnum):
    SYSTEM = "system"  # follow the desktop's light or dark scheme
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class TlsSettings:
    """How HTTPS servers are trusted. ``system_store``: the operating system's trust store (a university's own
    CA installed there works); otherwise only the certificates shipped with mentor_desk (certifi).
    ``ca_bundle``: a PEM file of further CAs to trust ("" for none)."""

    system_store: bool = True
    ca_bundle: str = ""


DEFAULT_TLS = TlsSettings()


@dataclass(frozen=True)
class Preferences:
    theme: Theme = Theme.SYSTEM
    font_size: int = 0
    """Points; 0 follows the desktop's font size."""
    shortcuts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Action name → its keys (portable key text, e.g. ``Ctrl+Shift+S``), for the actions the mentor changed
    only; an empty tuple removes the action's keys."""
    rubric_file: str = ""
    """The rubric file used in OCH v1 compatibility mode ("" for the one shipped with mentor_desk)."""
    tls: TlsSettings = field(default_factory=TlsSettings)
    offline_budget_mb: int = DEFAULT_OFFLINE_BUDGET_MB
    keep_session_file: bool = False
    """The mentor opted in to keeping the session in an unencrypted file when no keyring works."""
    notify_new_reviews: bool = False
    """Say when reviews new to the queue arrive while the window is minimised (title, taskbar, tray)."""

    def keys_for(self, action: str, default: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.shortcuts.get(action, default))


# -- reading and writing -----------------------------------------------------------------------------------


def read(settings: Mapping[str, Any]) -> Preferences:
    """The preferences in an up-to-date settings mapping; a value of the wrong kind reads as its default."""
    default = Preferences()
    get = settings.get
    theme = str(get(PREFIX + "theme", default.theme))
    return Preferences(
        theme=Theme(theme) if theme in Theme._value2member_map_ else default.theme,
        font_size=_int(get(PREFIX + "font_size"), default.font_size, 0, MAX_FONT_SIZE),
        shortcuts=_shortcuts(get(PREFIX + "shortcuts")),
        rubric_file=str(get(PREFIX + "rubric_file", "") or ""),
        tls=TlsSettings(
            system_store=_bool(get(PREFIX + "tls/system_store"), default.tls.system_store),
            ca_bundle=str(get(PREFIX + "tls/ca_bundle", "") or ""),
        ),
        offline_budget_mb=_int(get(PREFIX + "offline_budget_mb"), default.offline_budget_mb, 0, 10**7),
        keep_session_file=_bool(get(PREFIX + "keep_session_file"), default.keep_session_file),
        notify_new_reviews=_bool(get(PREFIX + "notify_new_reviews"), default.notify_new_reviews),
    )


def write(settings: MutableMapping[str, Any], prefs: Preferences) -> None:
    """Write ``prefs`` into the settings mapping, at the current schema version."""
    settings[VERSION_KEY] = SCHEMA_VERSION
    settings[PREFIX + "theme"] = prefs.theme.value
    settings[PREFIX + "font_size"] = prefs.font_size
    settings[PREFIX + "shortcuts"] = json.dumps({name: list(keys) for name, keys in sorted(prefs.shortcuts.items())})
    settings[PREFIX + "rubric_file"] = prefs.rubric_file
    settings[PREFIX + "tls/system_store"] = prefs.tls.system_store
    settings[PREFIX + "tls/ca_bundle"] = prefs.tls.ca_bundle
    settings[PREFIX + "offline_budget_mb"] = prefs.offline_budget_mb
    settings[PREFIX + "keep_session_file"] = prefs.keep_session_file
    settings[PREFIX + "notify_new_reviews"] = prefs.notify_new_reviews


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def _bool(value: Any, default: bool) -> bool:
    """QSettings' INI files give booleans back as "true"/"false"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return default


def _shortcuts(value: Any) -> dict[str, tuple[str, ...]]:
    try:
        data = json.loads(str(value)) if value else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(name): tuple(str(key) for key in keys)
        for name, keys in data.items()
        if isinstance(keys, list) and all(isinstance(key, str) for key in keys)
    }


# -- upgrades ----------------------------------------------------------------------------------------------


def _upgrade_to_1(settings: MutableMapping[str, Any]) -> None:
    """The two preferences of the unversioned settings move under ``preferences/``."""
    for old, new in (("offline/budget_mb", "offline_budget_mb"), ("tokens/unencrypted_file", "keep_session_file")):
        if old in settings:
            settings[PREFIX + new] = settings.pop(old)


UPGRADES: dict[int, Callable[[MutableMapping[str, Any]], None]] = {1: _upgrade_to_1}
"""Step n turns a version n − 1 settings file into version n."""


def version_of(settings: Mapping[str, Any]) -> int:
    return _int(settings.get(VERSION_KEY), 0, 0, 10**6)


def upgrade(settings: MutableMapping[str, Any]) -> list[int]:
    """Run the numbered upgrades the settings have not had yet, in order; returns the steps run. Each step's
    version is written as soon as it is done, so an interrupted upgrade resumes where it stopped."""
    done = []
    for step in range(version_of(settings) + 1, SCHEMA_VERSION + 1):
        UPGRADES[step](settings)
        settings[VERSION_KEY] = step
        done.append(step)
    return done


class ShortcutSpec(NamedTuple):
    """An action whose keys the mentor may change: its name (the preferences' key), what it does, its default keys."""

    name: str
    label: str
    default: tuple[str, ...]
