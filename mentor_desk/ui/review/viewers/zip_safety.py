"""Look inside a zip without trusting it: refuse path traversal, links and zip bombs (no Qt, no writes).

Nothing is ever extracted to disk. A preview reads one member into memory, at most ``PREVIEW_BYTES``, and only
when the member's declared sizes and compression ratio are plausible; the read itself is bounded too, so a
member that lies about its size cannot expand past the limit.
"""

from __future__ import annotations

import lzma
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # declared uncompressed total
MAX_RATIO = 100  # uncompressed / compressed
PREVIEW_BYTES = 256 * 1024


class UnsafeZip(Exception):
    """The archive (or one member) is refused; ``str(err)`` is a sentence for the mentor."""


@dataclass(frozen=True, slots=True)
class ZipMember:
    name: str
    size: int
    compressed: int
    problem: str  # "" when the member may be previewed, else why not

    @property
    def safe(self) -> bool:
        return not self.problem


@dataclass(frozen=True, slots=True)
class ZipListing:
    members: list[ZipMember]
    total_size: int
    problem: str  # archive-wide refusal (bomb, too many members), "" if none


def _member_problem(info: zipfile.ZipInfo) -> str:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path (refused)"
    if ".." in parts:
        return "path leaves the archive (refused)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symbolic link (refused)"
    if info.flag_bits & 0x1:
        return "encrypted"
    if info.file_size > 0 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return f"compression ratio over {MAX_RATIO}:1 (possible zip bomb, refused)"
    return ""


def list_zip(path: Path) -> ZipListing:
    """The archive's members with a verdict for each (blocking). Raises :class:`UnsafeZip` if unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as err:
        raise UnsafeZip(f"This is not a readable zip archive ({err}).") from err
    members = [
        ZipMember(i.filename, i.file_size, i.compress_size, _member_problem(i))
        for i in infos[:MAX_MEMBERS]
        if not i.is_dir()
    ]
    total = sum(i.file_size for i in infos)
    problem = ""
    if len(infos) > MAX_MEMBERS:
        problem = f"The archive has {len(infos):,} entries; only the first {MAX_MEMBERS:,} are listed."
    elif total > MAX_TOTAL_BYTES:
        problem = (
            f"The archive would expand to {total:,} bytes (over {MAX_TOTAL_BYTES:,}): possible zip bomb; "
            "previews are refused."
        )
    return ZipListing(members, total, problem)


def preview_member(path: Path, name: str, limit: int = PREVIEW_BYTES) -> bytes:
    """At most ``limit`` bytes of one safe member (blocking). Raises :class:`UnsafeZip` when refused."""
    listing = list_zip(path)
    if listing.problem:
        raise UnsafeZip(listing.problem)
    member = next((m for m in listing.members if m.name == name), None)
    if member is None:
        raise UnsafeZip(f"The archive has no member named {name!r}.")
    if member.problem:
        raise UnsafeZip(f"{name}: {member.problem}.")
    try:
        with zipfile.ZipFile(path) as archive, archive.open(name) as stream:
            data = stream.read(limit + 1)
    except NotImplementedError as err:  # a compression method Python's zipfile cannot unpack
        raise UnsafeZip(f"“{name}” is packed in a way mentor_desk cannot unpack ({err}).") from err
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError) as err:
        raise UnsafeZip(f"“{name}” cannot be read: the archive is damaged or unreadable ({err}).") from err
    if len(data) > limit:
        data = data[:limit]
    return data
