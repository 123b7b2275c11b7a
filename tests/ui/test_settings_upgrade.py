"""A settings file written by mentor_desk 0.1.0 (no schema version) is upgraded on open, values kept."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from mentor_desk.domain.preferences import SCHEMA_VERSION
from mentor_desk.ui.settings import AppSettings

SETTINGS_0_1_0 = """[General]
servers="[\\"https://och.example.org\\"]"
emails="{\\"https://och.example.org\\": \\"m@example.org\\"}"

[offline]
budget_mb=512

[tokens]
unencrypted_file=true
"""


def test_settings_of_0_1_0_are_upgraded_to_the_current_schema(tmp_path):
    path = tmp_path / "mentor_desk.conf"
    path.write_text(SETTINGS_0_1_0, encoding="utf-8")
    settings = AppSettings(QSettings(str(path), QSettings.Format.IniFormat))
    assert settings.upgrades_run == list(range(1, SCHEMA_VERSION + 1))
    assert settings.offline_budget_mb() == 512 and settings.token_file_opt_in()
    assert settings.last_account() == ("https://och.example.org", "m@example.org")
    settings.qsettings.sync()
    written = path.read_text(encoding="utf-8")
    assert "[offline]" not in written and "[tokens]" not in written
    assert f"version={SCHEMA_VERSION}" in written

    again = AppSettings(QSettings(str(path), QSettings.Format.IniFormat))
    assert again.upgrades_run == []
    assert again.offline_budget_mb() == 512 and again.token_file_opt_in()
