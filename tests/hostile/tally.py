"""The hostile suite's ledger: cases tried per category and what went wrong, printed as one closing table.

Every hostile test records the cases it tried (``TALLY.tried``) and each bad outcome it saw (``TALLY.bad``)
before asserting on it, so the table shows what was attempted even when a test fails.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

TALLY_JSON_ENV = "HOSTILE_TALLY_JSON"  # where to write the tally as JSON at the end of a run (for benchmarks/)
BAD_COLUMNS = ("crashes", "hangs", "lost edits", "leaked secrets", "authorisation holes", "unsafe text")
"""``unsafe text``: learner or server text taken for something else (markup rendered, a spreadsheet formula,
a path outside the folder meant)."""


@dataclass
class Tally:
    tried: Counter[str] = field(default_factory=Counter)
    bad_counts: dict[str, Counter[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def tried_cases(self, category: str, count: int = 1) -> None:
        self.tried[category] += count

    def bad(self, category: str, column: str, what: str) -> None:
        """Record one bad outcome (``column`` is one of :data:`BAD_COLUMNS`)."""
        assert column in BAD_COLUMNS, column
        self.bad_counts.setdefault(category, Counter())[column] += 1
        self.notes.append(f"{category}: {column}: {what}")

    def rows(self) -> list[tuple[str, int, list[int]]]:
        categories = sorted(set(self.tried) | set(self.bad_counts))
        return [(c, self.tried[c], [self.bad_counts.get(c, Counter())[col] for col in BAD_COLUMNS])
                for c in categories]

    def as_dict(self) -> dict[str, object]:
        """Cases per category, bad outcomes per category and column, and their notes."""
        return {"tried": dict(self.tried), "bad": {c: dict(n) for c, n in self.bad_counts.items()},
                "notes": self.notes}

    def table(self) -> list[str]:
        """The closing table as text lines (empty when nothing hostile ran)."""
        rows = self.rows()
        if not rows:
            return []
        width = max(len("category"), *(len(c) for c, _, _ in rows))
        header = f"{'category':<{width}} | {'cases':>6} | " + " | ".join(BAD_COLUMNS)
        lines = [header, "-" * len(header)]
        totals = [0] * len(BAD_COLUMNS)
        cases = 0
        for category, tried, bad in rows:
            cases += tried
            totals = [a + b for a, b in zip(totals, bad, strict=True)]
            lines.append(f"{category:<{width}} | {tried:>6} | " + " | ".join(
                f"{n:>{len(col)}}" for n, col in zip(bad, BAD_COLUMNS, strict=True)))
        lines.append("-" * len(header))
        lines.append(f"{'total':<{width}} | {cases:>6} | " + " | ".join(
            f"{n:>{len(col)}}" for n, col in zip(totals, BAD_COLUMNS, strict=True)))
        lines += self.notes
        return lines


TALLY = Tally()
