"""``mentor-desk``: the GUI by default, plus ``sandbox``, ``doctor`` and ``sync`` subcommands.

Subcommands import only what they need, so ``doctor`` and ``sync`` run without Qt (on a server, in CI), and
the GUI's start imports nothing it can do without before its first window (see :mod:`mentor_desk.launch`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from mentor_desk.paths import CODE_ENV, DATA_DIR_ENV, PASSWORD_ENV


def _version() -> str:
    from importlib import metadata  # only for --version: reading the package metadata costs ~15 ms

    try:
        return metadata.version("mentor-desk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


class _PrintVersion(argparse.Action):
    """``--version``, with the version looked up only when asked for (argparse's own action wants it up front)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        print(f"mentor-desk {_version()}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentor-desk",
        description="Review Tier-5 mission submissions of the OCH platform.",
    )
    parser.add_argument("--version", action=_PrintVersion)
    parser.add_argument("--demo", action="store_true", help="start a local demo platform and sign in to it")
    parser.add_argument("--server", help="server URL to offer in the sign-in dialog")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser(
        "sandbox",
        help="run the local demo platform (see 'mentor-desk sandbox --help')",
        add_help=False,
    )

    doctor = commands.add_parser("doctor", help="check that a server is usable by a mentor")
    _add_account_arguments(doctor)
    doctor.add_argument("--json", action="store_true", help="print one JSON object instead of a report")

    sync = commands.add_parser("sync", help="push waiting reviews and pull the queue, without the GUI")
    sync.add_argument("--once", action="store_true", required=True, help="one round, then exit")
    _add_account_arguments(sync)
    sync.add_argument(
        "--data-dir", help=f"where mentor_desk keeps its data (default: ${DATA_DIR_ENV} or the user data dir)"
    )
    return parser


def _add_account_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", required=True, help="server origin, e.g. https://och.example.org")
    parser.add_argument("--email", required=True, help="the mentor's sign-in email")
    parser.add_argument(
        "--allow-http",
        action="store_true",
        help="allow plain http:// to a server that is not on this machine (passwords travel unencrypted)",
    )
    parser.add_argument(
        "--ca-bundle",
        metavar="FILE",
        default="",
        help="also trust the certificate authorities in this PEM file (the system's trust store is always used)",
    )


def _password(email: str) -> str:
    """From the environment (scripts) or a prompt that does not echo."""
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise SystemExit(f"mentor-desk: no password: set {PASSWORD_ENV} or run in a terminal")
    return getpass.getpass(f"Password for {email}: ")


def _run_doctor(args: argparse.Namespace) -> int:
    import asyncio

    from mentor_desk.doctor import diagnose
    from mentor_desk.domain.preferences import TlsSettings

    password = _password(args.email)
    report = asyncio.run(
        diagnose(
            args.server,
            args.email,
            password,
            args.allow_http,
            mfa_code=os.environ.get(CODE_ENV),
            tls=TlsSettings(ca_bundle=args.ca_bundle),
        )
    )
    print(report.to_json() if args.json else report.render())
    return 0 if report.mentor_can_work else 1


def _run_sync(args: argparse.Namespace) -> int:
    import asyncio
    from pathlib import Path

    from mentor_desk.domain.preferences import TlsSettings
    from mentor_desk.sync.headless import sync_once_headless

    chosen = args.data_dir or os.environ.get(DATA_DIR_ENV)
    data_dir = Path(chosen) if chosen else None  # None: the store's default, as the GUI uses
    prompt = f"Password for {args.email}: "
    return asyncio.run(
        sync_once_headless(
            args.server,
            args.email,
            data_dir,  # the stored session first; the password only without a usable one (from cron: the env)
            ask_password=(lambda: getpass.getpass(prompt)) if sys.stdin.isatty() else None,
            allow_insecure_http=args.allow_http,
            tls=TlsSettings(ca_bundle=args.ca_bundle),
        )
    )


def run(argv: list[str]) -> int:
    """Parse ``argv`` (without the program name) and run; returns the process exit code."""
    if argv[:1] == ["sandbox"]:
        from mentor_desk.sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "doctor":
        return _run_doctor(args)
    if args.command == "sync":
        return _run_sync(args)
    import gc

    gc.disable()  # start-up allocates what the app keeps: the GUI's own collector takes over (mentor_desk.ui.garbage)
    from mentor_desk.launch import run_gui

    return run_gui(demo=args.demo, server=args.server)
