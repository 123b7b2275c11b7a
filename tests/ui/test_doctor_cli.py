"""``mentor-desk doctor`` and the CLI: diagnosis against both sandbox profiles and a closed port, exit codes,
``--json``, and that the headless commands never import Qt."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from mentor_desk.cli import run
from mentor_desk.doctor import DoctorReport, Outcome, check_clock, diagnose


def outcomes(report: DoctorReport) -> dict[str, Outcome]:
    return {check.name: check.outcome for check in report.checks}


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_full_server_lets_a_mentor_work(sandbox) -> None:
    report = asyncio.run(diagnose(sandbox.url, "mentor@demo.och", "mentor-demo"))
    checks = outcomes(report)
    assert report.mentor_can_work, report.render()
    assert report.mode == "full" and report.api_version == 1
    assert checks["api"] is Outcome.OK and checks["roles"] is Outcome.OK and checks["sign-in"] is Outcome.OK
    assert report.queue_size and report.queue_size > 0
    assert checks["tls"] is Outcome.WARN  # plain http on loopback: allowed, but said
    assert checks["refresh"] is Outcome.WARN  # OCH's 403 mfa_required on a password-only session: a warning
    assert report.clock_skew_s is not None and abs(report.clock_skew_s) < 60


def test_och_v1_server_works_in_compatibility_mode(sandbox_v1) -> None:
    report = asyncio.run(diagnose(sandbox_v1.url, "mentor@demo.och", "mentor-demo"))
    assert report.mentor_can_work, report.render()
    assert report.mode == "och-v1"
    assert outcomes(report)["api"] is Outcome.WARN
    assert "compatibility mode" in report.render()


def test_unreachable_server_fails_with_a_sentence() -> None:
    report = asyncio.run(diagnose(closed_port_url(), "mentor@demo.och", "x"))
    assert not report.mentor_can_work
    assert outcomes(report) == {"reachable": Outcome.FAIL}
    assert "reach" in report.checks[0].detail.lower()


def test_wrong_password_and_not_a_mentor_fail(sandbox) -> None:
    wrong = asyncio.run(diagnose(sandbox.url, "mentor@demo.och", "nope"))
    assert outcomes(wrong)["sign-in"] is Outcome.FAIL and not wrong.mentor_can_work
    student = asyncio.run(diagnose(sandbox.url, "student@demo.och", "student-demo"))
    assert outcomes(student)["roles"] is Outcome.FAIL and "not a mentor" in student.render()


def test_plain_http_to_another_host_is_refused_before_any_request() -> None:
    report = asyncio.run(diagnose("http://och.example.org", "mentor@demo.och", "x"))
    assert outcomes(report) == {"address": Outcome.FAIL}


def test_mfa_account_is_reported(sandbox) -> None:
    report = asyncio.run(diagnose(sandbox.url, "mfa-mentor@demo.och", "mfa-mentor-demo"))
    assert outcomes(report)["sign-in"] is Outcome.WARN
    assert "verification code" in report.render()


def _cli(*args: str, password: str = "mentor-demo") -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh interpreter and report whether Qt got imported."""
    code = (
        "import sys; from mentor_desk.cli import run; rc = run(sys.argv[1:]); "
        "print('QT-IMPORTED' if 'PySide6' in sys.modules else 'QT-FREE', file=sys.stderr); sys.exit(rc)"
    )
    env = {**os.environ, "MENTOR_DESK_PASSWORD": password}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_doctor_json_exit_codes_and_no_qt(sandbox) -> None:
    ok = _cli("doctor", "--server", sandbox.url, "--email", "mentor@demo.och", "--json")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["mentor_can_work"] is True and data["mode"] == "full"
    assert {c["name"] for c in data["checks"]} >= {"reachable", "api", "sign-in", "roles", "queue", "refresh"}
    assert "QT-FREE" in ok.stderr
    down = _cli("doctor", "--server", closed_port_url(), "--email", "mentor@demo.och")
    assert down.returncode == 1
    assert "A mentor cannot work yet." in down.stdout


def test_version_and_usage_errors(capsys) -> None:
    with pytest.raises(SystemExit) as version:
        run(["--version"])
    assert version.value.code == 0 and capsys.readouterr().out.startswith("mentor-desk ")
    with pytest.raises(SystemExit) as missing:
        run(["doctor", "--server", "http://127.0.0.1:1"])
    assert missing.value.code == 2 and "--email" in capsys.readouterr().err


def test_sync_once_runs_headless_into_the_given_data_dir(sandbox, tmp_path) -> None:
    done = _cli("sync", "--once", "--server", sandbox.url, "--email", "mentor@demo.och", "--data-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "QT-FREE" in done.stderr
    assert list(tmp_path.glob("*.sqlite3")), "the queue was pulled into a store under --data-dir"
    refused = _cli(
        "sync",
        "--once",
        "--server",
        sandbox.url,
        "--email",
        "mentor@demo.och",
        "--data-dir",
        str(tmp_path),
        password="wrong",
    )
    assert refused.returncode != 0


def test_sandbox_subcommand_is_the_sandbox_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mentor_desk", "sandbox", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert "--profile" in done.stdout and "--access-ttl" in done.stdout


def test_clock_on_the_same_machine_is_no_skew_and_the_date_headers_resolution_is_stated(sandbox) -> None:
    report = asyncio.run(diagnose(sandbox.url, "mentor@demo.och", "mentor-demo"))
    clock = next(check for check in report.checks if check.name == "clock")
    assert clock.outcome is Outcome.OK and report.clock_skew_s == 0.0
    assert "No measurable difference" in clock.detail and "whole seconds" in clock.detail
    assert "whole seconds" in report.render()


def test_clock_compares_the_date_header_with_the_requests_midpoint() -> None:
    header = "Thu, 03 Dec 2026 20:00:00 GMT"  # read somewhere in 20:00:00.000–.999, refreshed once a second
    sent = datetime(2026, 12, 3, 20, 0, 0, 900_000, tzinfo=UTC)
    same_clock = DoctorReport(server="https://och.example.org")
    check_clock(same_clock, header, sent, sent + timedelta(seconds=0.4))  # answered at 20:00:01.300 here
    assert same_clock.clock_skew_s == 0.0  # was reported as 1.3 s of skew
    assert "±1.2 s" in same_clock.render()
    behind = DoctorReport(server="https://och.example.org")
    check_clock(behind, header, sent - timedelta(seconds=95), sent - timedelta(seconds=94.8))
    assert behind.checks[0].outcome is Outcome.WARN and behind.clock_skew_s == -95.0
    assert "95 s behind the server's" in behind.render()


def test_doctor_trusts_a_ca_bundle_it_is_given(tmp_path) -> None:
    """A server whose certificate comes from a private CA (a university's): refused in words, trusted with
    ``--ca-bundle``; a bundle that is no PEM file is said in words."""
    from mentor_desk.domain.preferences import TlsSettings
    from tests.hostile.hostile_server import HostileServer, Reply, tls_context

    with HostileServer(lambda _request: Reply(200, b"{}"), tls=tls_context(tmp_path, expired=False)) as server:
        refused = asyncio.run(diagnose(server.url, "mentor@demo.och", "x"))
        trusted = asyncio.run(diagnose(server.url, "mentor@demo.och", "x",
                                       tls=TlsSettings(ca_bundle=str(tmp_path / "cert.pem"))))
        broken = asyncio.run(diagnose(server.url, "mentor@demo.och", "x",
                                      tls=TlsSettings(ca_bundle=str(tmp_path / "key.pem"))))
    assert outcomes(refused)["tls"] is Outcome.FAIL
    assert outcomes(trusted)["reachable"] is Outcome.OK and outcomes(trusted).get("tls") is not Outcome.FAIL
    assert outcomes(broken) == {"tls": Outcome.FAIL} and "CA bundle" in broken.checks[0].detail
