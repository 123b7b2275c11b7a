"""Reveal and compare: every criterion side by side, with the panel's figures and Krippendorff's α."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.agreement import AgreementReport, Reading
from mentor_desk.ui.theme import BAD, CAUTION, FLAGGED_CELL, GOOD, NEUTRAL, follow_scheme

OUTLIER = FLAGGED_CELL
READING_COLOURS = {Reading.GOOD: GOOD, Reading.TENTATIVE: CAUTION, Reading.DISCUSS: BAD, Reading.NOT_ENOUGH: NEUTRAL}
"""The agreement's reading, in the colours of the scheme shown (light or dark)."""


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


class CompareView(QWidget):
    """The revealed scores. ``tolerance_changed`` when the lead moves the outlier tolerance."""

    tolerance_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self.members: tuple[str, ...] = ()
        self.report: AgreementReport | None = None
        self._titles: Mapping[str, str] = {}
        layout = QVBoxLayout(self)
        self.alpha = QLabel(self)
        self.alpha.setObjectName("alphaSummary")
        self.alpha.setTextFormat(Qt.TextFormat.PlainText)
        self.alpha.setWordWrap(True)
        self._recolour_alpha = follow_scheme(self.alpha, self._alpha_sheet)
        form = QFormLayout()
        self.tolerance = QDoubleSpinBox(self)
        self.tolerance.setRange(0, 100)
        self.tolerance.setSingleStep(0.5)
        self.tolerance.setValue(1.0)
        self.tolerance.setSuffix(self.tr(" points from the median"))
        self.tolerance.valueChanged.connect(self._tolerance_moved)
        form.addRow(self.tr("Flag scores more than"), self.tolerance)
        self.table = QTableWidget(self)
        self.table.setObjectName("compareTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.alpha)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)

    def show_report(self, report: AgreementReport, members: Sequence[str], subtask_titles: Mapping[str, str]) -> None:
        self.report, self.members, self._titles = report, tuple(members), subtask_titles
        self.alpha.setText(
            self.tr("Agreement — Krippendorff's α, interval (points): {interval} · ordinal (levels): {ordinal}. "
                    "Reading: ≥ 0.800 good, ≥ 0.667 tentative, below: discuss.").format(
                interval=report.interval.describe(), ordinal=report.ordinal.describe()
            )
        )
        self._recolour_alpha()
        self._fill()

    def _alpha_sheet(self) -> str:
        """The agreement line in its reading's colour, for the scheme shown."""
        if self.report is None:
            return ""
        return f"color: {READING_COLOURS[self.report.interval.reading].name()}; font-weight: bold;"

    def _tolerance_moved(self, value: float) -> None:
        self._fill()
        self.tolerance_changed.emit(value)

    def _fill(self) -> None:
        report = self.report
        if report is None:
            return
        headers = [self.tr("Subtask"), self.tr("Criterion"), *self.members,
                   self.tr("Mean"), self.tr("Median"), self.tr("Spread"), self.tr("α (criterion)")]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(report.criteria))
        tolerance = self.tolerance.value()
        for row, c in enumerate(report.criteria):
            outliers = set(c.outliers(tolerance))
            per = report.of(c)
            cells = [self._titles.get(c.subtask_id, c.subtask_id), c.criterion_title,
                     *(_points(c.scores.get(m)) for m in self.members),
                     f"{c.mean:.2f}", _points(c.median), _points(c.spread),
                     per.interval.describe() if per else ""]
            for column, text in enumerate(cells):
                member_column = 2 <= column < 2 + len(self.members)
                outlier = member_column and self.members[column - 2] in outliers
                item = QTableWidgetItem(f"{text} ⚠" if outlier else text)  # said in text, not by colour alone
                if outlier:
                    item.setBackground(QBrush(OUTLIER.colour()))
                    far = self.tr("More than {points} points from the median")
                    item.setToolTip(far.format(points=f"{tolerance:g}"))
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def outlier_cells(self) -> list[tuple[int, str]]:
        """(row, member) of every flagged score (what the table colours)."""
        if self.report is None:
            return []
        tolerance = self.tolerance.value()
        return [(row, m) for row, c in enumerate(self.report.criteria) for m in c.outliers(tolerance)]
