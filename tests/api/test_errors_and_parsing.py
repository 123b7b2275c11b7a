"""Error mapping, tolerant parsing, redaction and the SSE parser: edges a real server cannot easily produce.

A tiny ``httpx.MockTransport`` stands in for a broken server here (malformed JSON, unknown enum values), as
the team standards allow for exactly these edges; everything else is tested against the sandbox.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from mentor_desk.api import errors
from mentor_desk.api.base import normalise_server_url
from mentor_desk.api.client import PlatformClient
from mentor_desk.api.models import ReviewRow, V1SubmissionRow, list_items, to_queue_item
from mentor_desk.api.redaction import RedactingFilter, redact
from mentor_desk.api.session import Session
from mentor_desk.api.sse import parse_sse
from mentor_desk.domain.status import ReviewStatus, human_label, parse_status

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"

ROW = {
    "id": "rv-1",
    "kind": "oral_defence",
    "mission": {"id": "m1", "code": "DEF-MAST-001", "title": "APT", "tier": 5, "track": "defender"},
    "learner": {"id": "7", "uuid_id": "u-7", "name": "Ada", "email": "ada@x"},
    "status": "escalated_to_board",
    "stage": {"index": 2, "total": 6, "name": "decision_making"},
    "attempt": 2,
    "claimed_by": {"id": 3, "name": "Lena"},
    "version": 4,
    "something_new": {"nested": True},
}


def _client(handler: httpx.MockTransport) -> PlatformClient:
    client = PlatformClient("http://127.0.0.1:9", transport=handler)
    client.restore_session(Session(JWT, JWT, user_id=3))
    return client


@pytest.mark.asyncio
async def test_malformed_json_is_a_typed_error() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"{not json"))
    async with _client(transport) as client:
        with pytest.raises(errors.MalformedResponse) as caught:
            await client.get_review("rv-1")
    assert caught.value.user_message == errors.MalformedResponse.default_message


@pytest.mark.asyncio
async def test_schema_violation_is_a_typed_error() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"results": [{"id": "x"}]}))
    async with _client(transport) as client:
        with pytest.raises(errors.MalformedResponse):
            await client.list_reviews()  # rows without a mission


@pytest.mark.asyncio
async def test_unknown_values_survive_parsing() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"count": 1, "next": None, "previous": None, "results": [ROW]})

    async with _client(httpx.MockTransport(answer)) as client:
        page = await client.list_reviews(status="mentor_review")
    (row,) = page.results
    item = to_queue_item(row, my_user_id=3)
    assert item.status == "escalated_to_board" and item.kind == "oral_defence"
    assert parse_status(item.status) is ReviewStatus.UNKNOWN
    assert human_label(item.status) == "escalated_to_board"
    assert item.learner_id == 7 and item.tier == "5" and item.claimed_by == "Lena" and item.claimed_by_me
    assert seen[0].headers["Authorization"] == f"Bearer {JWT}"
    assert seen[0].url.params["status"] == "mentor_review"


def test_list_envelopes() -> None:
    assert list_items([1, 2]) == ([1, 2], None)
    assert list_items({"results": [1]}) == ([1], None)
    assert list_items({"results": [1], "count": 9}) == ([1], 9)
    assert list_items({"count": 1, "next": None, "previous": None, "results": [1]}) == ([1], 1)
    with pytest.raises(ValueError):
        list_items({"detail": "nope"})


def test_people_given_as_bare_ids_or_names() -> None:
    assert ReviewRow.model_validate({**ROW, "claimed_by": 5}).claimed_by.id == 5  # type: ignore[union-attr]
    assert ReviewRow.model_validate({**ROW, "claimed_by": "Lena"}).claimed_by.name == "Lena"  # type: ignore[union-attr]
    assert ReviewRow.model_validate({**ROW, "claimed_by": None}).claimed_by is None


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, {"detail": "Given token not valid for any token type", "code": "token_not_valid"}, errors.SessionExpired),
        (403, {"detail": "MFA required", "mfa_required": True}, errors.SessionExpired),
        (403, {"error": "Mentee not assigned to this mentor"}, errors.Forbidden),
        (404, {"error": "Mission submission not found"}, errors.NotFound),
        (409, {"error": "version_conflict", "current": {"id": "x", "version": 9}}, errors.VersionConflict),
        (409, {"error": "claimed", "claimed_by": {"id": 2, "name": "Lena Fischer"}}, errors.ClaimedByOther),
        (409, {"error": "illegal_transition", "from": "approved", "to": "failed"}, errors.IllegalTransition),
        (
            409,
            {"error": "requirements_not_met", "missing_requirements": ["Mentor approval"]},
            errors.RequirementsNotMet,
        ),
        (422, {"error": "score_mismatch", "message": "expected 71.5"}, errors.ValidationFailed),
        (422, {"error": "invalid_scores", "message": "criterion c1: 9 is outside"}, errors.ValidationFailed),
        (422, {"error": "op_id_reused"}, errors.ValidationFailed),
        (400, {"feedback": ["This field may not be blank."]}, errors.ValidationFailed),
        (413, {"detail": "too big"}, errors.PayloadTooLarge),
        (500, "<html>boom</html>", errors.ServerError),
        (503, {"detail": "Service temporarily unavailable"}, errors.ServerError),
        (418, None, errors.PlatformError),
    ],
)
def test_envelopes_map_to_typed_errors(status: int, body: object, expected: type) -> None:
    err = errors.error_from_response(status, body)
    assert type(err) is expected
    assert err.user_message.strip() and err.status == status


def test_error_details_are_carried() -> None:
    conflict = errors.error_from_response(409, {"error": "version_conflict", "current": {"version": 9}})
    assert isinstance(conflict, errors.VersionConflict) and conflict.current == {"version": 9}
    claimed = errors.error_from_response(409, {"error": "claimed", "claimed_by": {"name": "Lena Fischer"}})
    assert "Lena Fischer" in claimed.user_message
    missing = errors.error_from_response(400, {"error": "requirements_not_met", "missing_requirements": ["A", "B"]})
    assert isinstance(missing, errors.RequirementsNotMet) and missing.missing == ["A", "B"]
    assert "A; B" in missing.user_message
    illegal = errors.error_from_response(409, {"error": "illegal_transition", "from": "approved", "to": "failed"})
    assert "approved" in illegal.user_message


def test_every_error_type_has_a_tokenless_sentence() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.PlatformError)]
    assert len(classes) >= 20
    for cls in classes:
        err = cls(None) if cls is not errors.MfaRequired else cls(challenge=None)
        assert err.user_message.endswith(".") and len(err.user_message) > 20, cls
    leaked = errors.ServerError(f"failed with Bearer {JWT}")
    assert JWT not in leaked.user_message and JWT not in str(leaked)


def test_transient() -> None:
    assert errors.is_transient(errors.Unreachable()) and errors.is_transient(errors.ConnectionDropped())
    assert errors.is_transient(errors.PlatformError(status=429))
    assert not errors.is_transient(errors.VersionConflict()) and not errors.is_transient(errors.SessionExpired())
    assert not errors.is_transient(ValueError())


def test_redaction() -> None:
    text = f'POST /auth/login {{"password": "hunter2", "refresh_token": "{JWT}"}} Authorization: Bearer abc.def'
    cleaned = redact(text)
    assert "hunter2" not in cleaned and JWT not in cleaned and "abc.def" not in cleaned
    assert "/auth/login" in cleaned
    assert redact('{"code": "token_not_valid"}') == '{"code": "token_not_valid"}'
    assert "123456" not in redact('{"code": "123456"}')


def test_redacting_filter(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("mentor_desk.test.redaction")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO, logger=logger.name):
        logger.info("token is %s", JWT)
    assert JWT not in caplog.text and "[redacted]" in caplog.text


def test_session_never_shows_tokens() -> None:
    session = Session(JWT, JWT + "x", user_id=1, email="m@x", name="M", roles=("mentor",))
    assert JWT not in repr(session)
    assert Session.from_json(session.to_json()) == session
    with pytest.raises(ValueError):
        Session.from_json('{"user_id": 1}')
    assert JWT not in repr(PlatformClient("http://127.0.0.1:1"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://localhost:8765/api/v1/", "http://localhost:8765"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("och.example.org", "https://och.example.org"),
        ("https://och.example.org/", "https://och.example.org"),
    ],
)
def test_server_url_normalised(given: str, expected: str) -> None:
    assert normalise_server_url(given) == expected


def test_plain_http_to_another_host_needs_opt_in() -> None:
    with pytest.raises(errors.InsecureServer) as caught:
        PlatformClient("http://och.example.org")
    assert "https" in caught.value.user_message
    assert normalise_server_url("http://och.example.org", allow_insecure_http=True) == "http://och.example.org"
    with pytest.raises(errors.PlatformError, match="not a server address"):
        normalise_server_url("ftp://och.example.org")


async def _lines(*lines: str) -> AsyncIterator[str]:
    for line in lines:
        yield line


@pytest.mark.asyncio
async def test_sse_parser() -> None:
    stream = _lines(
        ": keepalive",
        "retry: 2500",
        "id: 7",
        "event: review.updated",
        'data: {"id": "a",',
        'data: "version": 3}',
        "",
        "",
        'data: {"work_queue": {"total_pending": 2}}',
        "",
        "id: 8",
        "event: claim.changed",
        "data: {}",
    )
    messages = [m async for m in parse_sse(stream)]
    assert [(m.event, m.id) for m in messages] == [("review.updated", "7"), ("message", "7")]
    assert messages[0].data == '{"id": "a",\n"version": 3}' and messages[0].retry_ms == 2500
    # the last event had no terminating blank line (a cut stream): discarded, as the standard says


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ConnectError("refused"), errors.Unreachable),
        (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), errors.TlsError),
        (httpx.ReadTimeout("slow"), errors.TimedOut),
        (httpx.RemoteProtocolError("peer closed connection"), errors.ConnectionDropped),
        (httpx.ReadError("reset"), errors.ConnectionDropped),
        (httpx.DecodingError("bad gzip"), errors.MalformedResponse),
    ],
)
def test_network_failures_map_to_typed_errors(exc: httpx.RequestError, expected: type) -> None:
    err = errors.error_from_transport(exc)
    assert type(err) is expected and err.user_message.endswith(".")


def test_user_ids_in_any_spelling() -> None:
    base = {"id": "s1", "mission_id": "m", "status": "submitted"}
    assert V1SubmissionRow.model_validate({**base, "mentee_id": "12"}).mentee_id == 12
    assert V1SubmissionRow.model_validate({**base, "mentee_id": 12}).mentee_id == 12
    assert V1SubmissionRow.model_validate({**base, "mentee_id": "1fbd064a-c107"}).mentee_id is None
    assert V1SubmissionRow.model_validate({**base, "mentee_id": ""}).mentee_id is None


def test_what_a_server_said_is_quoted_as_a_short_plain_sentence() -> None:
    long = errors.error_from_response(301, {"detail": "\u202e<b>" + "x" * 1_000_000})
    assert long.user_message == "The platform answered with an unexpected status (301)."  # markup: not quoted
    words = errors.error_from_response(400, {"detail": "\u202eScore must be <= 100 " + "and more " * 100})
    said = words.user_message.split("The platform said: ")[1]
    assert said.startswith("“Score must be <= 100 and more") and said.endswith("…”")
    assert len(said) <= errors.SERVER_WORDS_MAX + 2 and "\u202e" not in said
