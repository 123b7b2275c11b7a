"""The preferences' schema: numbered upgrades from older settings, tolerant reading, a round trip."""

from __future__ import annotations

from mentor_desk.domain import preferences
from mentor_desk.domain.preferences import SCHEMA_VERSION, VERSION_KEY, Preferences, Theme, TlsSettings


def test_unversioned_settings_are_upgraded_step_by_step_and_keep_their_values():
    settings = {"offline/budget_mb": "512", "tokens/unencrypted_file": "true", "servers": '["https://a"]'}
    assert preferences.upgrade(settings) == list(range(1, SCHEMA_VERSION + 1))
    assert settings[VERSION_KEY] == SCHEMA_VERSION
    assert "offline/budget_mb" not in settings and "tokens/unencrypted_file" not in settings
    assert settings["servers"] == '["https://a"]'  # not a preference: untouched
    prefs = preferences.read(settings)
    assert (prefs.offline_budget_mb, prefs.keep_session_file) == (512, True)
    assert preferences.upgrade(settings) == []  # each step runs once


def test_a_newer_schema_is_left_alone_and_read_for_what_is_known():
    settings = {VERSION_KEY: SCHEMA_VERSION + 5, "preferences/theme": "dark", "preferences/holograms": "on"}
    assert preferences.upgrade(settings) == []
    assert settings[VERSION_KEY] == SCHEMA_VERSION + 5
    assert preferences.read(settings).theme is Theme.DARK


def test_values_of_the_wrong_kind_read_as_defaults():
    settings = {"preferences/theme": "sepia", "preferences/font_size": "huge", "preferences/shortcuts": "{not json",
                "preferences/tls/system_store": "maybe", "preferences/offline_budget_mb": "-3"}
    assert preferences.read(settings) == Preferences()


def test_preferences_round_trip():
    prefs = Preferences(
        theme=Theme.LIGHT,
        font_size=14,
        shortcuts={"refresh": ("F6",), "outbox": ()},
        rubric_file="/home/m/rubric.json",
        tls=TlsSettings(system_store=False, ca_bundle="/etc/uni-ca.pem"),
        offline_budget_mb=0,
        keep_session_file=True,
        notify_new_reviews=True,
    )
    settings: dict[str, object] = {}
    preferences.write(settings, prefs)
    assert preferences.read(settings) == prefs
    assert prefs.keys_for("refresh", ("F5",)) == ("F6",) and prefs.keys_for("quit", ("Ctrl+Q",)) == ("Ctrl+Q",)
