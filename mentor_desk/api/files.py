"""Blocking file helpers for transfers, meant to run in a worker thread (``asyncio.to_thread``)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_HASH_BLOCK = 1 << 20
_RANGE_END = re.compile(r"bytes\s*=?\s*\d+-(\d+)")
_CONTENT_RANGE_START = re.compile(r"bytes\s+(\d+)-\d+/(\d+|\*)")


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file, read in 1 MiB blocks into one buffer."""
    digest = hashlib.sha256()
    buffer = bytearray(_HASH_BLOCK)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as handle:
        while count := handle.readinto(buffer):
            digest.update(view[:count])
    return digest.hexdigest()


def read_into(path: Path, offset: int, buffer: bytearray) -> int:
    """Fill ``buffer`` from ``offset`` of the file (less at its end); how many bytes it holds.

    The caller keeps one buffer for a whole transfer: a new block per read, made in whichever worker thread
    ran it, left each thread's malloc arena holding freed megabytes (a 200 MB upload grew the desk by 57 MB)."""
    view = memoryview(buffer)
    filled = 0
    with path.open("rb", buffering=0) as handle:
        handle.seek(offset)
        while filled < len(buffer) and (count := handle.readinto(view[filled:])):
            filled += count
    return filled


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
