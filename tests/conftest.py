"""Suite-wide test set-up: headless Qt, and a real sandbox platform served over loopback."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from mentor_desk.sandbox.runner import SandboxConfig, SandboxServer
from mentor_desk.store.database import connect, schema_version
from mentor_desk.store.schema import MIGRATIONS

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _serve(tmp_path_factory: pytest.TempPathFactory, **options: object) -> Iterator[SandboxServer]:
    db = Path(tmp_path_factory.mktemp("sandbox")) / "platform.sqlite3"
    with SandboxServer(SandboxConfig(db_path=db, **options)) as server:  # type: ignore[arg-type]
        yield server


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A full-profile sandbox (layers A and B) shared by read-mostly tests. ``sandbox.url`` is its origin."""
    yield from _serve(tmp_path_factory, profile="full")


@pytest.fixture(scope="session")
def sandbox_v1(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """An ``och-v1`` profile sandbox: layer A only, as a real OCH server today."""
    yield from _serve(tmp_path_factory, profile="och-v1")


@pytest.fixture
def fresh_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A private full-profile sandbox for tests that write."""
    yield from _serve(tmp_path_factory, profile="full")


@pytest.fixture
def fresh_sandbox_v1(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A private ``och-v1`` profile sandbox for tests that write (deliver reviews, resubmit as a learner)."""
    yield from _serve(tmp_path_factory, profile="och-v1")


@pytest.fixture
def schema_1_2_store() -> Callable[[str, Path], Path]:
    """Writes, at a path, a store of schema 1.2 (the shipped migrations 1.0-1.2) holding the rows of a fixture file
    written by that version (``tests/fixtures/store-schema-1.2-*.sql``); returns the path."""

    def write(fixture: str, path: Path) -> Path:
        schema_1_2 = [migration for migration in MIGRATIONS if migration.version <= (1, 2)]
        with closing(connect(path, schema_1_2)) as conn:
            assert schema_version(conn) == (1, 2)
            conn.executescript((FIXTURES / fixture).read_text(encoding="utf-8"))
        return path

    return write
