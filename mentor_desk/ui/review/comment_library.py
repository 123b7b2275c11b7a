"""Reusable remarks a mentor inserts into feedback, kept in a JSON file that can be shared with colleagues.

File shape: ``{"version": 1, "remarks": [{"text": str, "criterion_id": str | null}], "starters": [rubric id]}``,
``starters`` naming the rubrics whose starter remarks the library was given once (so a remark the mentor removed
does not come back). Reading tolerates a bare list and skips entries without text; a malformed file raises
:class:`LibraryError` with a sentence, and the caller keeps the library it had.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from mentor_desk.domain.remarks import Remark


class LibraryError(Exception):
    """The file cannot be used as a comment library; ``str(err)`` says why."""


@dataclass(frozen=True, slots=True)
class Library:
    remarks: list[Remark]
    starters: frozenset[str] = frozenset()  # rubric ids whose starter remarks were added once


def load_library(path: Path) -> Library:
    """Read the library at ``path`` (blocking). A missing file is an empty library."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Library([])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise LibraryError(f"“{path.name}” is not a comment library file ({err}).") from err
    entries = data.get("remarks") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise LibraryError(f"“{path.name}” has no list of remarks.")
    remarks = []
    for entry in entries:
        if isinstance(entry, str):
            entry = {"text": entry}
        if isinstance(entry, dict) and isinstance(entry.get("text"), str) and entry["text"].strip():
            criterion = entry.get("criterion_id")
            remarks.append(Remark(entry["text"], criterion if isinstance(criterion, str) and criterion else None))
    starters = data.get("starters") if isinstance(data, dict) else None
    if not isinstance(starters, list):
        starters = []
    return Library(remarks, frozenset(s for s in starters if isinstance(s, str)))


def save_library(path: Path, remarks: list[Remark], starters: Iterable[str] = ()) -> None:
    """Write remarks atomically (temp file + rename) so a crash never leaves half a library (blocking)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "remarks": [asdict(r) for r in remarks], "starters": sorted(starters)}
    text = json.dumps(data, ensure_ascii=False, indent=2)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
