"""Resumable media upload (``PUT /mentor/media/{client_media_id}``) and download, layer B.

Chunks carry ``Content-Range: bytes a-b/total``; the server answers 308 with ``Range: bytes=0-n`` until it
has every byte, then checks ``X-Content-SHA256`` (422 on mismatch, the partial data is discarded) and answers
201. ``HEAD`` reports the bytes received so an interrupted upload resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
import struct
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, Response

from mentor_desk.sandbox.auth import User, reviewer_user
from mentor_desk.sandbox.errors import detail, error
from mentor_desk.sandbox.files import ranged_file
from mentor_desk.sandbox.state import SandboxState, sandbox

router = APIRouter()
State = Annotated[SandboxState, Depends(sandbox)]
CONTENT_TYPES = ("audio/mp4", "video/mp4")
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


SCAN_BYTES = 1 << 20  # an upload is read this much at a time (hashed, searched): never whole into memory


def _find(path: Path, needle: bytes) -> int:
    """The offset of the first ``needle`` in the file, or -1 (read a piece at a time)."""
    with path.open("rb") as handle:
        offset, tail = 0, b""
        while piece := handle.read(SCAN_BYTES):
            at = (tail + piece).find(needle)
            if at >= 0:
                return offset - len(tail) + at
            tail = (tail + piece)[-(len(needle) - 1):]
            offset += len(piece)
    return -1


def mp4_duration(path: Path) -> float | None:
    """Seconds from the ``mvhd`` box of an MP4/M4A, or None if there is none."""
    at = _find(path, b"mvhd")
    if at < 0:
        return None
    with path.open("rb") as handle:
        handle.seek(at)
        box = handle.read(36)
    if len(box) < 24 or (box[4] == 1 and len(box) < 36):
        return None
    if box[4] == 1:
        timescale, duration = struct.unpack(">IQ", box[24:36])
    else:
        timescale, duration = struct.unpack(">II", box[16:24])
    return round(duration / timescale, 3) if timescale else None


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _path(state: SandboxState, owner: int, media_id: str) -> Path:
    return state.media_dir / f"{owner}-{media_id}"


def _range_header(received: int) -> dict[str, str]:
    return {"Range": f"bytes=0-{received - 1}"} if received else {}


def _view(row: sqlite3.Row, base_url: str) -> dict[str, Any]:
    return {"id": row["id"], "url": f"{base_url}/api/v1/mentor/media/{row['id']}", "size": row["total"],
            "sha256": row["sha256"], "content_type": row["content_type"],
            "duration_seconds": row["duration_seconds"]}


def _row(conn: sqlite3.Connection, owner: int, media_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM media WHERE id = ? AND owner_id = ?", (media_id, owner)).fetchone()


@router.put("/mentor/media/{media_id}", response_model=None)
async def upload(media_id: str, request: Request, state: State) -> Response:
    user = await asyncio.to_thread(reviewer_user, request)
    if not _SAFE_ID.match(media_id):
        raise detail(400, "client_media_id may only contain letters, digits, '.', '_' and '-'")
    match = _CONTENT_RANGE.match(request.headers.get("content-range", "").strip())
    if match is None:
        raise detail(400, "Content-Range: bytes a-b/total is required")
    start, end, total = (int(g) for g in match.groups())
    if total > state.config.media_max_bytes:
        raise error(413, "too_large", f"media may be at most {state.config.media_max_bytes} bytes")
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type not in CONTENT_TYPES:
        raise error(415, "unsupported_media_type", f"Content-Type must be one of {', '.join(CONTENT_TYPES)}")
    digest = request.headers.get("x-content-sha256", "").strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise detail(400, "X-Content-SHA256 (hex SHA-256 of the whole file) is required")
    if not start <= end < total:
        raise detail(400, "Content-Range is not a valid range of the file")
    chunk = await request.body()
    if len(chunk) != end - start + 1:
        raise detail(400, f"the body has {len(chunk)} bytes but Content-Range announces {end - start + 1}")
    return await asyncio.to_thread(_store, state, user, media_id, start, total, content_type, digest, chunk,
                                   str(request.base_url).rstrip("/"))


def _store(state: SandboxState, user: User, media_id: str, start: int, total: int, content_type: str,
           digest: str, chunk: bytes, base_url: str) -> Response:
    path = _path(state, user.id, media_id)
    with state.db.tx() as conn:
        row = _row(conn, user.id, media_id)
        if row is not None and (row["total"] != total or row["sha256"] != digest):
            raise error(409, "upload_mismatch", "this client_media_id is in use for another file")
        if row is not None and row["complete"]:
            return JSONResponse(_view(row, base_url), status_code=201)
        if row is None:
            _make_room(state, conn, user, total)
            conn.execute("INSERT INTO media VALUES (?,?,?,?,0,?,0,NULL)", (media_id, user.id, content_type, total,
                                                                          digest))
            path.write_bytes(b"")
        received = row["received"] if row else 0
        if start > received:
            return Response(status_code=416, headers={**_range_header(received),
                                                      "Content-Range": f"bytes */{total}"})
        with path.open("r+b") as handle:
            handle.seek(start)
            handle.write(chunk)
        received = max(received, start + len(chunk))
        conn.execute("UPDATE media SET received = ? WHERE id = ? AND owner_id = ?", (received, media_id, user.id))
        if received < total:
            return Response(status_code=308, headers=_range_header(received))
        if _sha256(path) != digest:
            conn.execute("DELETE FROM media WHERE id = ? AND owner_id = ?", (media_id, user.id))
            path.unlink(missing_ok=True)
            return JSONResponse({"error": "sha256_mismatch", "message": "the uploaded bytes do not match "
                                 "X-Content-SHA256; upload the file again"}, status_code=422)
        conn.execute("UPDATE media SET complete = 1, duration_seconds = ? WHERE id = ? AND owner_id = ?",
                     (mp4_duration(path), media_id, user.id))
        row = _row(conn, user.id, media_id)
        assert row is not None
        return JSONResponse(_view(row, base_url), status_code=201)


def _make_room(state: SandboxState, conn: sqlite3.Connection, user: User, total: int) -> None:
    """Delete the user's unfinished uploads nobody touched for ``partial_upload_ttl_s``; 413 if the ones
    left and a new one of ``total`` bytes would pass the user's quota of unfinished uploads."""
    limits = state.config.limits
    waiting = 0
    for media_id, size in conn.execute("SELECT id, total FROM media WHERE owner_id = ? AND complete = 0",
                                       (user.id,)).fetchall():
        path = _path(state, user.id, media_id)
        touched = path.stat().st_mtime if path.exists() else 0.0
        if time.time() - touched > limits.partial_upload_ttl_s:
            conn.execute("DELETE FROM media WHERE id = ? AND owner_id = ?", (media_id, user.id))
            path.unlink(missing_ok=True)
        else:
            waiting += size
    if waiting + total > limits.partial_upload_bytes:
        raise error(413, "upload_quota", f"your unfinished uploads already hold {waiting:,} of the "
                                         f"{limits.partial_upload_bytes:,} bytes allowed; finish or wait for them "
                                         "to expire before starting another")


@router.head("/mentor/media/{media_id}")
def progress(media_id: str, state: State, user: Annotated[User, Depends(reviewer_user)]) -> Response:
    with state.db.tx() as conn:
        row = _row(conn, user.id, media_id)
    if row is None:
        return Response(status_code=404)
    headers = {**_range_header(row["received"]), "Upload-Offset": str(row["received"]),
               "Upload-Length": str(row["total"]), "Upload-Complete": "?1" if row["complete"] else "?0"}
    return Response(status_code=200 if row["complete"] else 308, headers=headers)


@router.get("/mentor/media/{media_id}")
def download(media_id: str, request: Request, state: State,
             user: Annotated[User, Depends(reviewer_user)]) -> Response:
    with state.db.tx() as conn:
        row = _row(conn, user.id, media_id)
    if row is None or not row["complete"]:
        raise detail(404, "Not found.")
    return ranged_file(_path(state, user.id, media_id), request.headers.get("range"), row["content_type"], media_id)
