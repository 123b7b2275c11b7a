"""Reusable remarks for written feedback, and the starter remarks a rubric gives a mentor's library."""

from __future__ import annotations

from dataclasses import dataclass

from mentor_desk.domain.scoring import Rubric


@dataclass(frozen=True, slots=True)
class Remark:
    text: str
    criterion_id: str | None = None


def starter_remarks(rubric: Rubric) -> list[Remark]:
    """Two remarks per criterion of ``rubric``, tied to it and in the words of its description: one naming the
    criterion as a strength, one as the thing to work on next. A starting point a mentor edits into their own."""
    remarks = []
    for criterion in rubric.criteria:
        what = criterion.description.strip().rstrip(".")
        if what[1:2].islower():  # "Clear scope …" reads on after a colon as "clear scope …"; "ISO 27001 …" stays
            what = what[0].lower() + what[1:]
        for verdict in ("a strength", "to work on next"):
            text = f"{criterion.title} — {verdict}: {what}." if what else f"{criterion.title} — {verdict}."
            remarks.append(Remark(text, criterion.id))
    return remarks
