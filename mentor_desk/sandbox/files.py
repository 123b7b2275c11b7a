"""Byte-range responses (RFC 9110 §14) for evidence files and uploaded media."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from starlette.responses import Response, StreamingResponse

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
PIECE_BYTES = 1 << 20


def content_disposition(filename: str) -> str:
    """``inline`` with the name as RFC 6266 says: a printable-ASCII ``filename`` for old clients and the
    exact name, UTF-8 percent-encoded, in ``filename*`` (a learner's name need not fit Latin-1)."""
    fallback = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _span(size: int, range_header: str | None) -> tuple[tuple[int, int] | None, bool]:
    """The (first, last) byte to send and whether that is a part: the whole file when the header asks for
    none (or several ranges); None when the range cannot be satisfied."""
    match = _RANGE.match(range_header.strip()) if range_header else None
    if match is None or match.groups() == ("", ""):
        return (0, size - 1), False
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:
        start, end = max(size - int(last), 0), size - 1
    return (None if start >= size or start > end else (start, end)), True


def _headers(filename: str, size: int, span: tuple[int, int] | None, part: bool) -> dict[str, str]:
    headers = {"Accept-Ranges": "bytes", "Content-Disposition": content_disposition(filename)}
    if span is None:
        headers["Content-Range"] = f"bytes */{size}"
    elif part:
        headers["Content-Range"] = f"bytes {span[0]}-{span[1]}/{size}"
    return headers


def ranged(content: bytes, range_header: str | None, content_type: str, filename: str) -> Response:
    """200 with the whole body, 206 for one satisfiable range, 416 otherwise; several ranges → 200."""
    size = len(content)
    span, part = _span(size, range_header)
    headers = _headers(filename, size, span, part)
    if span is None:
        return Response(status_code=416, headers=headers)
    return Response(content[span[0]: span[1] + 1], status_code=206 if part else 200, media_type=content_type,
                    headers=headers)


def ranged_file(path: Path, range_header: str | None, content_type: str, filename: str) -> Response:
    """:func:`ranged` for a file on disk, streamed a piece at a time (never whole in memory)."""
    size = path.stat().st_size
    span, part = _span(size, range_header)
    headers = _headers(filename, size, span, part)
    if span is None:
        return Response(status_code=416, headers=headers)
    start, end = span

    def pieces() -> Iterator[bytes]:
        with path.open("rb") as handle:
            handle.seek(start)
            left = end - start + 1
            while left > 0 and (piece := handle.read(min(PIECE_BYTES, left))):
                left -= len(piece)
                yield piece

    headers["Content-Length"] = str(end - start + 1)
    return StreamingResponse(pieces(), status_code=206 if part else 200, media_type=content_type, headers=headers)
