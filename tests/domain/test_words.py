"""Platform codes in words: track titles, stage names, local times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from mentor_desk.domain.words import local_time_in_words, stage_title, track_name, track_title


def test_track_codes_read_as_the_curriculum_names_and_unknown_ones_stay() -> None:
    assert track_title("DEFENDER_5") == "Cyber Defender — Mastery"
    assert track_title("GRC_4") == "Governance, Risk & Compliance — Advanced"
    assert track_title("OFFENSIVE_7") == "Offensive Security — Tier 7"
    assert track_name("LEADERSHIP_5") == "Leadership" and track_name("GRC_5") == "GRC"
    assert track_title("QUANTUM_5") == track_name("QUANTUM_5") == "QUANTUM_5"
    assert track_title("") == ""


def test_stage_names_lose_their_underscores() -> None:
    assert stage_title("design_remediation") == "Design & remediation"
    assert stage_title("final") == "Final decision"
    assert stage_title("threat_modelling") == "Threat modelling"


def test_times_in_words_in_the_local_zone_with_the_year_only_when_another() -> None:
    moment = datetime(2026, 11, 27, 19, 54, 35, 290326, tzinfo=UTC)
    local = moment.astimezone()
    expected = f"{local.day} {local:%b} {local:%H:%M}"
    assert local_time_in_words(moment, moment + timedelta(days=3)) == expected
    assert local_time_in_words(moment, datetime(2027, 2, 1, tzinfo=UTC)) == f"{local.day} {local:%b} 2026 {local:%H:%M}"
    plus_two = datetime(2026, 11, 27, 21, 54, tzinfo=timezone(timedelta(hours=2)))
    assert local_time_in_words(plus_two, moment) == local_time_in_words(moment.replace(second=0, microsecond=0), moment)
