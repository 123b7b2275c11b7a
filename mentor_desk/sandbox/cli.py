"""``python -m mentor_desk.sandbox``: run the sandbox platform in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from mentor_desk.sandbox.accounts import DEMO_ACCOUNTS, demo_totp_secret
from mentor_desk.sandbox.runner import PROFILES, SandboxConfig, SandboxServer


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mentor-desk sandbox",
                                     description="A local OCH-compatible platform with seeded Tier-5 data.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--db", type=Path, default=Path("sandbox.sqlite3"), help="SQLite file (seeded if new)")
    parser.add_argument("--profile", choices=PROFILES, default="full")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--scale", type=int, default=1, help="multiplies learners and submissions")
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--drop-rate", type=float, default=0.0)
    parser.add_argument("--access-ttl", type=int, default=3600, help="access token lifetime in seconds")
    parser.add_argument("--print-demo-secrets", action="store_true", help="also print the TOTP secret")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = SandboxConfig(db_path=args.db, profile=args.profile, seed=args.seed, host=args.host,
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
    print(f"API: {url}/api/v1 (profile {config.profile}, database {config.db_path})")
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
