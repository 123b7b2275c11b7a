"""The transfer helpers read a file through one buffer the caller keeps (an upload reads every chunk into the same
bytearray), and hash it through one buffer of their own."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from mentor_desk.api import files


def test_read_into_fills_one_buffer_chunk_after_chunk(tmp_path: Path) -> None:
    data = os.urandom(5 * 1000 + 123)
    path = tmp_path / "recording.mp4"
    path.write_bytes(data)
    buffer = bytearray(1000)
    chunks, offset = [], 0
    while offset < len(data):
        filled = files.read_into(path, offset, buffer)
        chunks.append(bytes(buffer[:filled]))
        offset += filled
    assert [len(c) for c in chunks] == [1000] * 5 + [123] and b"".join(chunks) == data
    assert files.read_into(path, len(data), buffer) == 0
    assert files.sha256_file(path) == hashlib.sha256(data).hexdigest()
