"""Layer B (the Tier-5 review API) routers, served only by the ``full`` profile."""

from __future__ import annotations

from fastapi import APIRouter

from mentor_desk.sandbox import events


def routers() -> list[APIRouter]:
    return [events.router]
