"""Who may review: the platform's role names as the app reasons about them."""

from __future__ import annotations

from collections.abc import Set

MENTOR_ROLE = "mentor"
LEAD_ROLES = frozenset({"program_director", "admin"})
"""Roles that may review too, and lead scoring meetings."""


def may_review(roles: Set[str]) -> bool:
    """Mentors review; program directors and admins may too (they lead scoring meetings)."""
    return MENTOR_ROLE in roles or bool(roles & LEAD_ROLES)
