"""In-room meetings: members score in turn on one machine, hidden from each other until reveal."""

from __future__ import annotations

import pytest

from mentor_desk.domain.meeting_room import NotRevealed, RoomMeeting


def test_members_score_in_turn_hidden_until_reveal() -> None:
    room = RoomMeeting("r1", ("Maya", " Lena ", "Arjun"))
    assert room.members == ("Maya", "Lena", "Arjun") and room.current == "Maya"
    with pytest.raises(ValueError, match="Maya's turn"):
        room.submit("Lena", {"s": {"a": 2}})
    room.submit("Maya", {"s": {"a": 3}, "t": {}}, "solid")
    assert room.current == "Lena" and room.submitted == ("Maya",)
    with pytest.raises(NotRevealed):
        room.revealed()
    with pytest.raises(ValueError, match="At least two"):
        room.reveal()
    with pytest.raises(ValueError, match="at least one criterion"):
        room.submit("Lena", {"s": {}})
    room.submit("Lena", {"s": {"a": 1}})
    room.reveal()
    with pytest.raises(ValueError, match="revealed"):
        room.submit("Arjun", {"s": {"a": 4}})
    assert room.panel_scores() == {"Maya": {"s": {"a": 3.0}}, "Lena": {"s": {"a": 1.0}}}
    assert room.revealed()["Maya"].comment == "solid"


@pytest.mark.parametrize("members", [("Solo",), ("A", "A"), ("A", " ")])
def test_a_room_needs_two_distinct_named_members(members: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="two members"):
        RoomMeeting("r1", members)
