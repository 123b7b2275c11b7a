"""Every captured exchange with a real OCH server parses with the wire models or maps to the right error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mentor_desk.api import errors, models
from mentor_desk.api.redaction import redact

CONTRACT = Path(__file__).resolve().parents[1] / "contract"  # copies of shared/contract

# file-name prefix → (what the answer is, the model or error type it must produce)
ONE, LIST, ERROR = "one", "list", "error"
EXPECTED: dict[str, tuple[str, type]] = {
    "01-": (ONE, models.LoginResponse),
    "02-": (ERROR, errors.SessionExpired),  # refresh refused with 403 mfa_required: sign in again
    "03-": (ONE, models.Me),
    "04-": (ONE, models.LoginResponse),
    "06-": (ONE, models.LoginResponse),
    "07-": (ONE, models.V1Mission),
    "17-": (ONE, models.LoginResponse),
    "18-": (ERROR, errors.SessionExpired),
    "19-": (ERROR, errors.InvalidCredentials),
    "20-": (LIST, models.V1SubmissionRow),
    "21-": (LIST, models.V1SubmissionRow),
    "22-": (LIST, models.WorkQueueItem),
    "23-": (ERROR, errors.NotFound),
    "24-": (LIST, models.InteractionRow),
    "25-": (ONE, models.InteractionRow),
    "26-": (ONE, models.InteractionUpdated),
    "27-": (ONE, models.FeedbackMediaRegistered),
    "28-": (ERROR, errors.ValidationFailed),
    "29-": (ERROR, errors.ServerError),
    "30-": (ONE, models.Interaction),
    "31-": (LIST, models.InteractionRow),
    "32-": (ERROR, errors.ValidationFailed),
    "33-": (ONE, models.V1ReviewResult),
    "34-": (ERROR, errors.NotFound),
    "35-": (LIST, models.V1SubmissionRow),
    "41-": (ONE, models.V1Mission),
    "43-": (LIST, models.V1CapstoneRow),
    "44-": (LIST, models.V1CapstoneRow),
    "45-": (ERROR, errors.NotFound),
    "46-": (ONE, models.InteractionRow),
    "47-": (ONE, models.InteractionUpdated),
    "48-": (ERROR, errors.Forbidden),
    "50-": (ONE, models.Tier5Status),
    "51-": (ERROR, errors.RequirementsNotMet),
    "52-": (ONE, models.Tier5Status),
    "53-": (ERROR, errors.ValidationFailed),
    "54-": (ONE, models.Tier5Status),
    "55-": (ONE, models.Tier5Completed),
    "56-": (ONE, models.Tier5Status),
}
# Student-side or director-side steps that set up the data; mentor_desk never makes these calls.
NOT_MENTOR_FACING = ("05-", "08-", "09-", "10-", "11-", "12-", "13-", "14-", "15-", "16-", "40-", "42-")


def _exchanges() -> list[Path]:
    return sorted(CONTRACT.glob("*.json"))


def _expectation(path: Path) -> tuple[str, type] | None:
    return next((v for k, v in EXPECTED.items() if path.name.startswith(k)), None)


def test_every_capture_is_classified() -> None:
    unclassified = [
        p.name for p in _exchanges() if _expectation(p) is None and not p.name.startswith(NOT_MENTOR_FACING)
    ]
    assert _exchanges(), "the contract captures are missing"
    assert unclassified == []


@pytest.mark.parametrize("path", [p for p in _exchanges() if _expectation(p)], ids=lambda p: p.name)
def test_capture(path: Path) -> None:
    exchange: dict[str, Any] = json.loads(path.read_text())
    kind, expected = _expectation(path)  # type: ignore[misc]
    status, body = exchange["status"], exchange["response"]
    if kind == ERROR:
        assert status >= 400
        # The login path turns any 401 into InvalidCredentials; elsewhere, the generic mapping applies.
        is_login = exchange["request"]["path"].startswith("/api/v1/auth/login")
        err = error_from_capture(status, body, login=is_login)
        assert isinstance(err, expected), (type(err), err.user_message)
        assert err.user_message and "<" not in err.user_message
        assert redact(err.user_message) == err.user_message
        return
    assert 200 <= status < 300
    if kind == LIST:
        rows, _count = models.list_items(body)
        parsed = [expected.model_validate(row) for row in rows]
        assert len(parsed) == len(rows)
    else:
        expected.model_validate(body)


def error_from_capture(status: int, body: Any, *, login: bool) -> errors.PlatformError:
    err = errors.error_from_response(status, body, mentor_endpoint=True)
    if login and status == 401:
        return errors.InvalidCredentials(status=status, body=body)
    return err


def test_queue_row_becomes_queue_item() -> None:
    body = json.loads((CONTRACT / "20-mentor-queue-all.json").read_text())["response"]
    row = models.V1SubmissionRow.model_validate(body["results"][0])
    item = models.to_queue_item(row)
    assert item.id == "c3621a49-d332-496b-bbe9-b8c20790e075"
    assert item.learner_id == 2  # OCH sends the integer id as a string
    assert item.status == "in_mentor_review"
    assert item.learner_name == "Sam Student"
    assert item.version is None and item.submitted_at is not None


def test_me_exposes_integer_id_and_roles() -> None:
    body = json.loads((CONTRACT / "03-me-mentor.json").read_text())["response"]
    me = models.Me.model_validate(body)
    assert me.id == 1 and me.is_mentor and not me.may_lead_meetings
    assert me.name == "Maya Mentor"


def test_mentor_500_says_not_a_mentor() -> None:
    err = errors.error_from_response(500, "<html>AttributeError</html>", mentor_endpoint=True)
    assert isinstance(err, errors.ServerError)
    assert "mentor" in err.user_message


def test_field_errors_are_kept() -> None:
    body = json.loads((CONTRACT / "32-mentor-review-empty-feedback-400.json").read_text())["response"]
    err = errors.error_from_response(400, body)
    assert isinstance(err, errors.ValidationFailed)
    assert err.field_errors == {"feedback": ["This field may not be blank."]}
    assert "feedback" in err.user_message


def test_tier5_readiness_from_real_och_status_bodies() -> None:
    before = models.Tier5Status.model_validate(
        json.loads((CONTRACT / "52-mentor-tier5-status.json").read_text())["response"]
    )
    after = models.Tier5Status.model_validate(
        json.loads((CONTRACT / "54-student-tier5-status-after-pass.json").read_text())["response"]
    )
    assert not before.readiness().can_approve and len(before.readiness().blocking) == 2
    assert after.readiness().can_approve and all(line.done for line in after.readiness().lines)
