"""Byte-range responses (RFC 9110 §14) for evidence files and uploaded media."""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.responses import Response

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def content_disposition(filename: str) -> str:
    """``inline`` with the name as RFC 6266 says: a printable-ASCII ``filename`` for old clients and the
    exact name, UTF-8 percent-encoded, in ``filename*`` (a learner's name need not fit Latin-1)."""
    fallback = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def ranged(content: bytes, range_header: str | None, content_type: str, filename: str) -> Response:
    """200 with the whole body, 206 for one satisfiable range, 416 otherwise; several ranges → 200."""
    size = len(content)
    headers = {"Accept-Ranges": "bytes", "Content-Disposition": content_disposition(filename)}
    match = _RANGE.match(range_header.strip()) if range_header else None
    if match is None or match.groups() == ("", ""):
        return Response(content, media_type=content_type, headers=headers)
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return Response(content[start: end + 1], status_code=206, media_type=content_type, headers=headers)
