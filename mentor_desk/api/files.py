"""Blocking file helpers for transfers, meant to run in a worker thread (``asyncio.to_thread``)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_HASH_BLOCK = 1 << 20
_RANGE_END = re.compile(r"bytes\s*=?\s*\d+-(\d+)")
_CONTENT_RANGE_START = re.compile(r"bytes\s+(\d+)-\d+/(\d+|\*)")


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def read_block(path: Path, offset: int, size: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(size)


def append_block(path: Path, data: bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data)


def size_or_zero(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def received_bytes(range_header: str | None) -> int:
    """How many bytes a server holds, from a ``Range: bytes=0-N`` header (resumable uploads); 0 if none."""
    match = _RANGE_END.search(range_header or "")
    return int(match.group(1)) + 1 if match else 0


def content_range_start(header: str | None) -> int | None:
    """The first byte of a 206 answer's ``Content-Range: bytes a-b/total``, or None."""
    match = _CONTENT_RANGE_START.search(header or "")
    return int(match.group(1)) if match else None
