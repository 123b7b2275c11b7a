"""Errors in OCH's own shapes: ``{"detail"}``, ``{"error"}``, ``{"error", "message"}``, ``{field: [msgs]}``."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse, JSONResponse
from starlette.requests import Request
from starlette.responses import Response


class ApiError(Exception):
    """Raised anywhere in a handler; becomes ``status`` with ``body`` as JSON."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}


class NotAMentor(Exception):
    """OCH's ``get_current_mentor`` raises a bare Exception for non-mentors: Django answers 500 (HTML)."""


def detail(status: int, message: str, **extra: Any) -> ApiError:
    return ApiError(status, {"detail": message, **extra})


def error(status: int, code: str, message: str | None = None, **extra: Any) -> ApiError:
    body: dict[str, Any] = {"error": code}
    if message is not None:
        body["message"] = message
    return ApiError(status, {**body, **extra})


def field_errors(**fields: str) -> ApiError:
    return ApiError(400, {name: [message] for name, message in fields.items()})


async def api_error_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)


async def not_a_mentor_handler(request: Request, _exc: Exception) -> Response:
    return HTMLResponse(
        "<!DOCTYPE html><html><head><title>Exception at " + request.url.path + "</title></head>"
        "<body><h1>Exception</h1><pre>User is not a mentor</pre></body></html>", status_code=500)


async def overflow_handler(_request: Request, _exc: Exception) -> Response:
    """A number from the path or query that SQLite cannot hold (beyond ±2⁶³) is the caller's mistake."""
    return JSONResponse({"detail": "A number in the request is too large."}, status_code=400)
