"""Platform values as a mentor reads them: track titles, stage names, local times in words.

The platform sends codes (``DEFENDER_5``, ``design_remediation``, ISO timestamps); these turn them into the
names OCH's curriculum uses. Unknown values are shown readably rather than dropped (the contract keeps them).
"""

from __future__ import annotations

import re
from datetime import datetime

TRACK_NAMES = {
    "DEFENDER": "Cyber Defender",
    "OFFENSIVE": "Offensive Security",
    "GRC": "Governance, Risk & Compliance",
    "INNOVATION": "Security Innovation",
    "LEADERSHIP": "Security Leadership",
}
"""OCH's curriculum tracks (``CurriculumTrack`` codes are ``<TRACK>_<tier>``, see seed_all_tracks)."""
TRACK_SHORT_NAMES = {"DEFENDER": "Defender", "OFFENSIVE": "Offensive", "GRC": "GRC", "INNOVATION": "Innovation",
                     "LEADERSHIP": "Leadership"}
"""The tracks as OCH names them in short (its ``track_key``s), for a narrow column."""
TIER_NAMES = {"2": "Beginner", "3": "Intermediate", "4": "Advanced", "5": "Mastery"}

STAGE_NAMES = {
    "investigation": "Investigation",
    "decision_making": "Decision making",
    "design_remediation": "Design & remediation",
    "reporting": "Reporting",
    "presentation": "Presentation",
    "final": "Final decision",
}
"""A capstone's stages, in the words of OCH's mentorship interaction phases."""

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TRACK_CODE = re.compile(r"^([A-Za-z]+)_(\d+)$")


def track_title(code: str) -> str:
    """``DEFENDER_5`` → ``Cyber Defender — Mastery``; an unknown code is returned as it came."""
    match = _TRACK_CODE.match(code.strip())
    prefix = match.group(1) if match is not None else code.strip()
    name = TRACK_NAMES.get(prefix.upper())
    if name is None or match is None:
        return name or code
    tier = TIER_NAMES.get(match.group(2), f"Tier {match.group(2)}")
    return f"{name} — {tier}"


def track_name(code: str) -> str:
    """``DEFENDER_5`` → ``Defender`` (short, the tier left to a column of its own); unknown codes as they came."""
    match = _TRACK_CODE.match(code.strip())
    prefix = match.group(1) if match is not None else code.strip()
    return TRACK_SHORT_NAMES.get(prefix.upper(), code)


def stage_title(name: str) -> str:
    """``design_remediation`` → ``Design & remediation``; other names lose their underscores."""
    known = STAGE_NAMES.get(name)
    if known is not None:
        return known
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def local_time_in_words(moment: datetime, now: datetime) -> str:
    """``27 Nov 19:54`` in local time; the year is added when it is not ``now``'s (``27 Nov 2025 19:54``;
    ``now`` as the caller has it, local or UTC: a difference only on New Year's night).

    By hand rather than ``strftime`` (~20 µs a call under PySide's import hook; the queue formats every row).
    """
    t = moment.astimezone()
    year = "" if t.year == now.year else f" {t.year}"
    return f"{t.day} {_MONTHS[t.month - 1]}{year} {t.hour:02d}:{t.minute:02d}"
