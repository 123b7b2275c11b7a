"""The FastAPI application: layer A always, layer B only with the ``full`` profile."""

from __future__ import annotations

from fastapi import FastAPI

from mentor_desk.sandbox import (
    api_auth,
    api_v1_director,
    api_v1_interactions,
    api_v1_mentor,
    api_v1_student,
    layer_b,
    tier5,
)
from mentor_desk.sandbox.errors import (
    ApiError,
    NotAMentor,
    api_error_handler,
    not_a_mentor_handler,
    overflow_handler,
)
from mentor_desk.sandbox.faults import FaultMiddleware
from mentor_desk.sandbox.guard import BodyGuard
from mentor_desk.sandbox.state import SandboxState

PREFIX = "/api/v1"


def create_app(state: SandboxState) -> FastAPI:
    config = state.config
    app = FastAPI(title="OCH sandbox", redirect_slashes=False, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.sandbox = state
    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(NotAMentor, not_a_mentor_handler)
    app.add_exception_handler(OverflowError, overflow_handler)
    for module in (api_auth, api_v1_mentor, api_v1_interactions, api_v1_director, api_v1_student, tier5):
        app.include_router(module.router, prefix=PREFIX)
    app.include_router(api_v1_interactions.media_router)
    if config.profile == "full":
        for router in layer_b.routers():
            app.include_router(router, prefix=PREFIX)
    limits = config.limits
    app.add_middleware(BodyGuard, anonymous_bytes=limits.anonymous_body_bytes, json_bytes=limits.json_body_bytes,
                       upload_bytes=limits.upload_body_bytes)
    app.add_middleware(FaultMiddleware, latency_ms=config.latency_ms, error_rate=config.error_rate,
                       drop_rate=config.drop_rate, rng=state.fault_rng)
    return app
