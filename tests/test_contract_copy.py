"""The copies of the captured OCH exchanges in tests/contract match the shared contract folder, when it is there."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COPY = ROOT / "tests" / "contract"
SHARED = ROOT.parent / "shared" / "contract"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared/contract folder beside this checkout")
def test_the_copied_captures_are_current() -> None:
    shared = {path.name: path.read_bytes() for path in SHARED.glob("*.json")}
    copied = {path.name: path.read_bytes() for path in COPY.glob("*.json")}
    assert shared, "the shared contract folder holds captures"
    assert copied == shared, "refresh tests/contract from shared/contract"
