"""``python -m mentor_desk.sandbox``: run the sandbox platform in the foreground."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from mentor_desk.paths import AppPaths
from mentor_desk.sandbox.accounts import DEMO_ACCOUNTS, demo_totp_secret
from mentor_desk.sandbox.runner import PROFILES, SandboxConfig, SandboxServer


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mentor-desk sandbox",
                                     description="A local OCH-compatible platform with seeded Tier-5 data.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, default=None,
                       help="SQLite file (seeded if new); default: sandbox-<profile>.sqlite3 in the user data folder")
    where.add_argument("--demo", action="store_true",
                       help="a freshly seeded database in a temporary folder, deleted when the sandbox stops")
    parser.add_argument("--profile", choices=PROFILES, default="full")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--scale", type=int, default=1, help="multiplies learners and submissions")
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--drop-rate", type=float, default=0.0)
    parser.add_argument("--access-ttl", type=int, default=3600, help="access token lifetime in seconds")
    parser.add_argument("--print-demo-secrets", action="store_true", help="also print the TOTP secret")
    return parser


def default_db_path(profile: str) -> Path:
    """Where the sandbox keeps its database unless told otherwise: the user data folder (or
    ``$MENTOR_DESK_DATA_DIR``), never the current folder."""
    return AppPaths.default().data_dir / "sandbox" / f"sandbox-{profile}.sqlite3"


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="mentor-desk-sandbox-")) if args.demo else None
    try:
        return _serve(args, scratch / "sandbox.sqlite3" if scratch else args.db or default_db_path(args.profile))
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _serve(args: argparse.Namespace, db_path: Path) -> int:
    if not args.demo:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        config = SandboxConfig(db_path=db_path, profile=args.profile, seed=args.seed, host=args.host,
                               port=args.port, latency_ms=args.latency_ms, error_rate=args.error_rate,
                               drop_rate=args.drop_rate, access_ttl=args.access_ttl, scale=args.scale)
    except ValueError as exc:
        print(f"mentor-desk sandbox: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server = SandboxServer(config)
    try:
        url = server.start()
    except OSError as exc:
        print(f"mentor-desk sandbox: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"listening on {url}", flush=True)
    print(f"API: {url}/api/v1 (profile {config.profile})")
    if args.demo:
        print(f"database: {config.db_path} (temporary: deleted when the sandbox stops)")
    else:
        print(f"database: {config.db_path} (kept between runs; --db FILE for another, --demo for a throw-away one)")
    print("demo accounts:")
    for account in DEMO_ACCOUNTS:
        print(f"  {account.email:<22} {account.password:<16} {account.role}")
    if args.print_demo_secrets:
        print(f"TOTP secret of mfa-mentor@demo.och: {demo_totp_secret()}")
    sys.stdout.flush()
    try:
        stop.wait()
    finally:
        server.stop()
    return 0
