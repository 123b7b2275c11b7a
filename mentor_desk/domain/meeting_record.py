"""The record of a scoring meeting (panel, each score, α, consensus, notes, times) as rows for CSV and PDF.

One function builds the rows; the CSV writer and the PDF page (``ui/meetings/export.py``) both lay them out,
so the two files always say the same.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from mentor_desk.domain.agreement import AgreementReport
from mentor_desk.domain.spreadsheet import inert_rows


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    title: str  # mission and learner (or the anonymous label)
    lead: str
    members: tuple[str, ...]
    report: AgreementReport
    consensus: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    decision: str = ""
    feedback: str = ""
    notes: str = ""
    times: Mapping[str, str] = field(default_factory=dict)  # e.g. created, revealed, closed → ISO time
    comments: Mapping[str, str] = field(default_factory=dict)  # member → their comment


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def summary_rows(record: MeetingRecord) -> list[list[str]]:
    """Who, when, agreement and the decision: one (label, value) pair per row."""
    rows = [["Meeting", record.title], ["Lead", record.lead], ["Panel", ", ".join(record.members)]]
    rows += [[f"Time {what}", when] for what, when in record.times.items()]
    rows += [
        ["Krippendorff's alpha (interval, points)", record.report.interval.describe()],
        ["Krippendorff's alpha (ordinal, levels)", record.report.ordinal.describe()],
        ["Decision", record.decision],
        ["Feedback", record.feedback],
        ["Notes", record.notes],
    ]
    rows += [[f"Comment of {member}", text] for member, text in record.comments.items() if text]
    return rows


def score_header(record: MeetingRecord) -> list[str]:
    return ["Subtask", "Criterion", *record.members, "Mean", "Median", "Spread", "Alpha (interval)", "Consensus"]


def score_rows(record: MeetingRecord, subtask_titles: Mapping[str, str]) -> list[list[str]]:
    """One row per scored criterion: every member's score side by side, the figures and the consensus."""
    rows = []
    for c in record.report.criteria:
        per = record.report.of(c)
        alpha = per.interval.describe() if per else ""
        rows.append([
            subtask_titles.get(c.subtask_id, c.subtask_id), c.criterion_title,
            *(_number(c.scores.get(m)) for m in record.members),
            f"{c.mean:.2f}", _number(c.median), _number(c.spread), alpha,
            _number(record.consensus.get(c.subtask_id, {}).get(c.criterion_id)),
        ])
    return rows


def to_csv(record: MeetingRecord, subtask_titles: Mapping[str, str]) -> str:
    """The record as CSV text: the summary, a blank line, then the score table (no cell read as a formula)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(inert_rows(summary_rows(record)))
    writer.writerow([])
    writer.writerows(inert_rows([score_header(record), *score_rows(record, subtask_titles)]))
    return out.getvalue()
