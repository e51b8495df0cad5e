"""The report tab's behaviour: the period's figures read on a worker thread, shown as
charts and tables; exports chosen with a file dialog and written on a worker thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidget, QTableWidgetItem

from agent_assist.errors import UserError
from agent_assist.store.reports_repo import ReviewReport
from agent_assist.ui.background import in_background
from agent_assist.ui.review.names import flag_category_name
from agent_assist.ui.review.views.report_panel import ReportPanel

log = logging.getLogger(__name__)

# The figures of a period (first and last day, inclusive).
LoadReport = Callable[[date, date], ReviewReport]
# Writes the period's report in a format ("csv" or "pdf") to a file, audited.
ExportReport = Callable[[date, date, str, Path], None]
TREND_CATEGORIES = 5  # categories drawn in the trend chart; the table holds them all
DEFAULT_WEEKS = 4


def _percent(rate: float) -> str:
    return f"{rate:.0%}"


class ReportController(QObject):
    _loaded = Signal(object)  # ReviewReport
    _load_failed = Signal(object)  # the exception
    _exported = Signal(object)  # the file written
    _export_failed = Signal(object)

    def __init__(
        self,
        panel: ReportPanel,
        load: LoadReport,
        export: ExportReport,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self._load = load
        self._export = export
        self.report: ReviewReport | None = None
        last = date.today()
        panel.until.setDate(QDate(last.year, last.month, last.day))
        first = last - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1)
        panel.since.setDate(QDate(first.year, first.month, first.day))
        panel.refresh.clicked.connect(self.refresh)
        panel.export_csv.clicked.connect(lambda: self.export("csv"))
        panel.export_pdf.clicked.connect(lambda: self.export("pdf"))
        self._loaded.connect(self._show)
        self._load_failed.connect(self._load_problem)
        self._exported.connect(self._export_done)
        self._export_failed.connect(self._export_problem)

    def period(self) -> tuple[date, date]:
        since, until = self.panel.since.date(), self.panel.until.date()
        return (
            date(since.year(), since.month(), since.day()),
            date(until.year(), until.month(), until.day()),
        )

    def refresh(self) -> None:
        since, until = self.period()
        self.panel.refresh.setEnabled(False)
        self.panel.status.setText(self.tr("Reading the report…"))
        in_background(
            "report-load", lambda: self._load(since, until), self._loaded, self._load_failed
        )

    def ensure_loaded(self) -> None:
        """The default period's figures, the first time the tab is shown."""
        if self.report is None and self.panel.refresh.isEnabled():
            self.refresh()

    def export(self, fmt: str) -> None:
        since, until = self.period()
        kind = self.tr("PDF report (*.pdf)") if fmt == "pdf" else self.tr("CSV table (*.csv)")
        chosen, _ = QFileDialog.getSaveFileName(
            self.panel,
            self.tr("Export the review report"),
            f"review-report-{since}-{until}.{fmt}",
            kind,
        )
        if not chosen:
            return
        path = Path(chosen)
        self._set_exporting(True)
        self.panel.status.setText(self.tr("Writing {file}…").format(file=path.name))

        def work() -> Path:
            self._export(since, until, fmt, path)
            return path

        in_background("report-export", work, self._exported, self._export_failed)

    def _set_exporting(self, busy: bool) -> None:
        self.panel.export_csv.setEnabled(not busy)
        self.panel.export_pdf.setEnabled(not busy)

    @Slot(object)
    def _show(self, report: ReviewReport) -> None:
        self.report = report
        self.panel.refresh.setEnabled(True)
        self._show_collectors(report)
        self._show_categories(report)
        self._show_rules(report)
        self._show_promises(report)
        self.panel.status.setText(
            self.tr("{since} to {until}, team: {team}").format(
                since=report.since, until=report.until, team=report.team or self.tr("all teams")
            )
        )

    def _show_collectors(self, report: ReviewReport) -> None:
        totals: dict[str, list[int]] = {}
        for cw in report.collector_weeks:
            flags, critical = totals.setdefault(cw.collector, [0, 0])
            totals[cw.collector] = [flags + cw.flags, critical + cw.critical]
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0]))
        self.panel.collectors_chart.set_data(
            self.tr("Flags per collector"),
            [name for name, _ in ranked],
            [(self.tr("Flags"), [float(n[0]) for _, n in ranked])],
            empty=self._nothing(),
        )
        _fill(
            self.panel.collectors,
            [self.tr("Week"), self.tr("Collector"), self.tr("Flags"), self.tr("Critical")],
            [
                [cw.week.isoformat(), cw.collector, str(cw.flags), str(cw.critical)]
                for cw in report.collector_weeks
            ],
        )

    def _show_categories(self, report: ReviewReport) -> None:
        weeks = sorted({gw.week for gw in report.category_weeks})
        totals: dict[str, int] = {}
        for gw in report.category_weeks:
            totals[gw.category] = totals.get(gw.category, 0) + gw.flags
        top = sorted(totals, key=lambda c: (-totals[c], c))[:TREND_CATEGORIES]
        counts = {(gw.week, gw.category): gw.flags for gw in report.category_weeks}
        self.panel.categories_chart.set_data(
            self.tr("Trend per category (top {n})").format(n=TREND_CATEGORIES),
            [week.strftime("%m-%d") for week in weeks],
            [(flag_category_name(c), [float(counts.get((w, c), 0)) for w in weeks]) for c in top],
            empty=self._nothing(),
            legend=True,
        )
        _fill(
            self.panel.categories,
            [self.tr("Week"), self.tr("Category"), self.tr("Flags")],
            [
                [gw.week.isoformat(), flag_category_name(gw.category), str(gw.flags)]
                for gw in report.category_weeks
            ],
        )

    def _show_rules(self, report: ReviewReport) -> None:
        self.panel.rules_chart.set_data(
            self.tr("False-positive rate per rule, worst first"),
            [r.rule_id.rsplit(".", 1)[-1] for r in report.rule_rates],
            [(self.tr("False positives"), [r.rate for r in report.rule_rates])],
            value_format=_percent,
            empty=self._nothing(),
            top=1.0,
        )
        _fill(
            self.panel.rules,
            [
                self.tr("Rule"),
                self.tr("Category"),
                self.tr("False positives"),
                self.tr("Verdicts"),
                self.tr("Rate"),
            ],
            [
                [
                    r.rule_id,
                    flag_category_name(r.category),
                    str(r.false_positives),
                    str(r.verdicts),
                    _percent(r.rate),
                ]
                for r in report.rule_rates
            ],
        )

    def _show_promises(self, report: ReviewReport) -> None:
        settled = [p for p in report.promise_rates if p.rate is not None]
        self.panel.promises_chart.set_data(
            self.tr("Promises kept per collector"),
            [p.collector for p in settled],
            [(self.tr("Kept"), [p.rate or 0.0 for p in settled])],
            value_format=_percent,
            empty=self._nothing(),
            top=1.0,
        )
        total = report.promises_total
        rows = [
            [
                p.collector,
                str(p.kept),
                str(p.broken),
                _percent(p.rate) if p.rate is not None else "",
            ]
            for p in report.promise_rates
        ]
        if total.rate is not None:
            rows.append(
                [self.tr("Total"), str(total.kept), str(total.broken), _percent(total.rate)]
            )
        _fill(
            self.panel.promises,
            [self.tr("Collector"), self.tr("Kept"), self.tr("Broken"), self.tr("Rate")],
            rows,
        )

    def _nothing(self) -> str:
        return self.tr("Nothing in this period.")

    @Slot(object)
    def _load_problem(self, error: Exception) -> None:
        self.panel.refresh.setEnabled(True)
        if isinstance(error, UserError):
            self.panel.status.setText(str(error))
            return
        log.error("the review report could not be read", exc_info=error)
        self.panel.status.setText(
            self.tr("The report could not be read ({0}). Try Refresh again.").format(error)
        )

    @Slot(object)
    def _export_done(self, path: Path) -> None:
        self._set_exporting(False)
        self.panel.status.setText(self.tr("Report written to {file}").format(file=path))

    @Slot(object)
    def _export_problem(self, error: Exception) -> None:
        self._set_exporting(False)
        if isinstance(error, UserError):
            message = str(error)
        else:
            log.error("the review report could not be exported", exc_info=error)
            message = self.tr("The report could not be written ({0}).").format(error)
        self.panel.status.setText(message)
        QMessageBox.warning(self.panel, self.tr("Export the review report"), message)


def _fill(table: QTableWidget, headers: list[str], rows: list[list[str]]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()
