"""Where mentor_desk keeps its files, and the names of the environment variables it reads.

A leaf module (it imports nothing of mentor_desk), so the launcher, the CLI, the composition root, the store
and the headless sync all take these from here without importing each other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "mentor_desk"

DATA_DIR_ENV = "MENTOR_DESK_DATA_DIR"
"""Overrides the data directory (the stores, the opt-in session file, logs), for the app and ``sync --once``."""
PASSWORD_ENV = "MENTOR_DESK_PASSWORD"
"""The password for ``doctor`` and ``sync --once`` (scripts, cron) instead of a prompt."""
CODE_ENV = "MENTOR_DESK_MFA_CODE"
"""A verification code for ``doctor`` on an account with MFA."""


def default_data_dir() -> Path:
    """The platform's per-user data directory for mentor_desk."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class AppPaths:
    """Where the app keeps its files: the store's data directory (shared with ``mentor-desk sync``), or
    ``$MENTOR_DESK_DATA_DIR`` when set."""

    data_dir: Path
    log_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        override = os.environ.get(DATA_DIR_ENV)
        if override:
            return cls(Path(override), Path(override) / "logs")
        return cls(default_data_dir(), platformdirs.user_log_path(APP_NAME, appauthor=False))

    @property
    def demo_dir(self) -> Path:
        return self.data_dir / "demo"
