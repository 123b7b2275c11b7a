"""The installed app and its desktop entry agree: the entry names the window's class, the window has the icon."""

from __future__ import annotations

import configparser
import subprocess
from pathlib import Path

from mentor_desk.launch import DESKTOP_ID, create_application

RESOURCES = Path(__file__).parents[1] / "resources"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(RESOURCES / "mentor-desk.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_entry_names_the_window_class_and_icon_the_app_sets() -> None:
    entry = desktop_entry()
    app = create_application()
    assert entry["StartupWMClass"] == DESKTOP_ID == app.desktopFileName()
    assert entry["Icon"] == DESKTOP_ID
    assert not app.windowIcon().isNull()
    assert not app.windowIcon().pixmap(48, 48).isNull(), "the SVG icon renders"


def test_the_desktop_entry_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(RESOURCES / "mentor-desk.desktop")], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_the_appstream_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(RESOURCES / "org.och.mentor_desk.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
