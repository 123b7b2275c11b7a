"""Run the sandbox platform: uvicorn in a background thread over a seeded SQLite database."""

from __future__ import annotations

import logging
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from mentor_desk.sandbox.app import create_app
from mentor_desk.sandbox.auth import Tokens
from mentor_desk.sandbox.db import Database
from mentor_desk.sandbox.faults import HideInjectedDrops
from mentor_desk.sandbox.limits import Limits
from mentor_desk.sandbox.state import SandboxState

log = logging.getLogger(__name__)
PROFILES = ("full", "och-v1")


@dataclass
class SandboxConfig:
    db_path: Path
    profile: str = "full"  # "full" (layers A+B) | "och-v1" (layer A only; layer B paths 404)
    seed: int = 5  # RNG seed for deterministic seed data
    host: str = "127.0.0.1"
    port: int = 0  # 0 = pick a free port
    latency_ms: int = 0
    error_rate: float = 0.0  # fraction of requests answered 503 at random
    drop_rate: float = 0.0  # fraction of responses cut mid-body (headers sent, connection closed)
    access_ttl: int = 3600  # seconds
    scale: int = 1  # multiplies learners/submissions
    events_keepalive_s: float = 15.0  # SSE keep-alive comment interval (tests shorten it)
    media_max_bytes: int = 2 * 1024**3  # resumable media upload limit (413 above)
    now: datetime | None = None  # the seed's times are offsets from this moment (None: the current UTC time)
    limits: Limits = field(default_factory=Limits)  # rates and sizes refused (sandbox/limits.py)

    def __post_init__(self) -> None:
        self.db_path = Path(self.db_path)
        if self.profile not in PROFILES:
            raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {self.profile!r}")
        for name in ("error_rate", "drop_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must lie between 0 and 1")


def open_database(config: SandboxConfig) -> tuple[Database, float]:
    """Open (and on first use seed) the database; returns it with the seconds spent seeding (0 if reused)."""
    db = Database(config.db_path)
    started = time.perf_counter()
    with db.tx() as conn:
        if conn.execute("SELECT 1 FROM meta WHERE key = 'jwt_secret'").fetchone():
            return db, 0.0
        from mentor_desk.sandbox.seed import seed_database  # only a new database pays for the seed's imports

        seed_database(conn, seed=config.seed, scale=config.scale, now=config.now)
    return db, time.perf_counter() - started


class SandboxServer:
    """uvicorn in a background thread; context manager; seeds the db on first start if empty."""

    def __init__(self, config: SandboxConfig) -> None:
        self._config = config
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._db: Database | None = None
        self._url = ""
        self._app: FastAPI | None = None
        self.seed_seconds = 0.0

    @property
    def config(self) -> SandboxConfig:
        return self._config

    @property
    def url(self) -> str:
        if not self._url:
            raise RuntimeError("the sandbox is not running")
        return self._url

    @property
    def app(self) -> FastAPI:
        """The running application (tests enumerate its routes)."""
        if self._app is None:
            raise RuntimeError("the sandbox is not running")
        return self._app

    def start(self) -> str:
        """Seed if needed, start listening, and return the origin ``http://host:port``."""
        if self._server is not None:
            return self.url
        config = self._config
        self._db, self.seed_seconds = open_database(config)
        with self._db.tx() as conn:
            secret = conn.execute("SELECT value FROM meta WHERE key = 'jwt_secret'").fetchone()[0]
        state = SandboxState(config, self._db, Tokens(secret, config.access_ttl), random.Random(config.seed))
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit TCP_NODELAY; without it every response waits ~40 ms for a delayed ACK
        # (uvicorn writes the headers and the body separately).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((config.host, config.port))
        port = sock.getsockname()[1]
        logging.getLogger("uvicorn.error").addFilter(HideInjectedDrops())
        self._app = create_app(state)
        server = uvicorn.Server(uvicorn.Config(self._app, log_level="warning", access_log=False,
                                               lifespan="off", timeout_graceful_shutdown=1))
        self._thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                                        name=f"sandbox-{port}", daemon=True)
        self._server = server
        self._thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.005)
        self._url = f"http://{config.host}:{port}"
        log.info("sandbox listening on %s (seeded in %.2f s)", self._url, self.seed_seconds)
        return self._url

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            if self._thread is not None:
                self._thread.join(timeout=10)
        if self._db is not None:
            self._db.close()
        self._server = self._thread = self._db = self._app = None
        self._url = ""

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
