"""Layer B (the Tier-5 review API) routers, served only by the ``full`` profile."""

from __future__ import annotations

from fastapi import APIRouter

from mentor_desk.sandbox import events, media, meetings, reviews, tier5


def routers() -> list[APIRouter]:
    return [reviews.router, media.router, meetings.router, tier5.b_router, events.router]
