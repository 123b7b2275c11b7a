"""Store fixtures: a real SQLite file in a temporary directory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from mentor_desk.store import Store


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open("http://127.0.0.1:8765", "mentor@demo.och", data_dir=tmp_path)
    yield opened
    await opened.close()
