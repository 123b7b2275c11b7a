"""Resumable media upload: chunks, 308 + Range, HEAD to resume, hash check, size limit, download."""

from __future__ import annotations

import hashlib

import httpx

from mentor_desk.sandbox.evidence import short_mp4

from .conftest import Serve, sign_in
from .reviewing import review_body

VIDEO = short_mp4()
SHA = hashlib.sha256(VIDEO).hexdigest()


def put(client: httpx.Client, media_id: str, start: int, end: int, data: bytes = VIDEO, sha: str = SHA,
        total: int | None = None) -> httpx.Response:
    return client.put(f"/mentor/media/{media_id}", content=data[start: end + 1], headers={
        "Content-Range": f"bytes {start}-{end}/{total or len(data)}", "Content-Type": "video/mp4",
        "X-Content-SHA256": sha})


def test_resumable_upload_and_download(serve: Serve) -> None:
    server = serve()
    client = sign_in(server.url, "mentor@demo.och")
    size = len(VIDEO)
    assert client.head("/mentor/media/clip-1").status_code == 404
    first = put(client, "clip-1", 0, 9999)
    assert first.status_code == 308 and first.headers["range"] == "bytes=0-9999"
    head = client.head("/mentor/media/clip-1")
    assert head.headers["upload-offset"] == "10000" and head.headers["range"] == "bytes=0-9999"
    gap = put(client, "clip-1", 20000, size - 1)
    assert gap.status_code == 416 and gap.headers["range"] == "bytes=0-9999"
    overlap = put(client, "clip-1", 5000, 29999)  # a resent overlap is accepted
    assert overlap.status_code == 308 and overlap.headers["range"] == "bytes=0-29999"
    done = put(client, "clip-1", 30000, size - 1)
    assert done.status_code == 201, done.text
    body = done.json()
    assert (body["id"], body["size"], body["sha256"], body["content_type"]) == ("clip-1", size, SHA, "video/mp4")
    assert abs(body["duration_seconds"] - 2.0) < 0.1
    assert put(client, "clip-1", 30000, size - 1).status_code == 201  # completing again is harmless
    download = client.get(body["url"])
    assert download.content == VIDEO
    assert client.get(body["url"], headers={"Range": "bytes=4-7"}).content == b"ftyp"
    with sign_in(server.url, "mentor2@demo.och") as other:
        assert other.get(body["url"]).status_code == 404  # only the uploader may fetch it


def test_hash_mismatch_discards_the_upload(serve: Serve) -> None:
    server = serve()
    client = sign_in(server.url, "mentor@demo.och")
    bad = put(client, "clip-2", 0, len(VIDEO) - 1, sha="0" * 64)
    assert bad.status_code == 422 and bad.json()["error"] == "sha256_mismatch"
    assert client.head("/mentor/media/clip-2").status_code == 404
    assert put(client, "clip-2", 0, len(VIDEO) - 1).status_code == 201


def test_limits_and_bad_requests(serve: Serve) -> None:
    server = serve(media_max_bytes=1000)
    client = sign_in(server.url, "mentor@demo.och")
    assert put(client, "big", 0, 99, total=len(VIDEO)).status_code == 413
    no_range = client.put("/mentor/media/x", content=b"abc", headers={"Content-Type": "video/mp4",
                                                                       "X-Content-SHA256": SHA})
    assert no_range.status_code == 400
    wrong_type = client.put("/mentor/media/x", content=b"abc", headers={
        "Content-Range": "bytes 0-2/3", "Content-Type": "text/plain", "X-Content-SHA256": SHA})
    assert wrong_type.status_code == 415
    assert put(client, "short", 0, 5, data=b"abc", total=3).status_code == 400


def test_review_links_uploaded_media(serve: Serve) -> None:
    server = serve()
    client = sign_in(server.url, "mentor@demo.och")
    rows = client.get("/mentor/reviews", params={"status": "ai_reviewed", "limit": 1000}).json()["results"]
    detail = client.get(f"/mentor/reviews/{next(r['id'] for r in rows if r['kind'] == 'mission')}").json()
    url = f"/mission-progress/{detail['id']}/mentor-review/complete"
    missing = client.post(url, json=review_body(detail, "approve", video_media_id="never-uploaded"))
    assert missing.json()["error"] == "invalid_media"
    assert put(client, "fb-video", 0, len(VIDEO) - 1).status_code == 201
    assert client.post(url, json=review_body(detail, "approve", video_media_id="fb-video")).status_code == 200
    stage = client.get(f"/mentor/reviews/{detail['id']}").json()["stages"][-1]
    assert stage["video_media_id"] == "fb-video"
