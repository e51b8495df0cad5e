"""The review window's report tab (pytest-qt, offscreen, SQLite): a team's figures for a
period in tables and painted charts, and the report exported as PDF and CSV from the window."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from agent_assist.reports import fonts, pdf_report
from agent_assist.store.audit import read_audit
from agent_assist.store.database import Database, open_database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.ui import review_run
from agent_assist.ui.review.controllers.report_controller import ReportController
from agent_assist.ui.review.views.bar_chart import BarChart
from agent_assist.ui.review.views.review_window import ReviewWindow
from tests.core.store.test_reports_repo import SINCE, UNTIL, flagged_floor


@pytest.fixture
def sqlite_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'report.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    db = open_database(url)
    flagged_floor(db)
    yield db
    db.close()


def rows(table: QTableWidget) -> list[list[str]]:
    cells = [
        [table.item(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())
    ]
    return [[cell.text() if cell else "" for cell in row] for row in cells]


def open_report(qtbot: QtBot) -> tuple[ReviewWindow, ReportController]:
    """Lee's window on the report tab, showing the built period."""
    window = review_run.build("lee", "en")
    qtbot.addWidget(window)
    window.show()
    controller = window.findChild(ReportController)
    assert controller is not None
    panel = window.report
    window.tabs.setCurrentWidget(panel)  # the first showing reads the default period
    qtbot.waitUntil(lambda: controller.report is not None)
    panel.since.setDate(QDate(SINCE.year, SINCE.month, SINCE.day))
    panel.until.setDate(QDate(UNTIL.year, UNTIL.month, UNTIL.day))
    panel.refresh.click()
    qtbot.waitUntil(lambda: controller.report is not None and controller.report.since == SINCE)
    return window, controller


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args: (str(path), "")),
    )


def test_the_periods_figures_are_shown_in_tables_and_charts(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    window, _ = open_report(qtbot)
    panel = window.report

    assert rows(panel.collectors) == [
        ["2026-11-02", "Ann", "3", "2"],
        ["2026-11-09", "Bo", "1", "0"],
    ]
    assert rows(panel.categories) == [
        ["2026-11-02", "Insult", "1"],
        ["2026-11-02", "Threat", "2"],
        ["2026-11-09", "Threat", "1"],
    ]
    assert rows(panel.rules) == [
        ["zh.agent.threat.visit_workplace", "Threat", "2", "3", "67%"],
        ["zh.agent.insult.fool", "Insult", "0", "1", "0%"],
    ]
    assert rows(panel.promises) == [["Ann", "1", "1", "50%"], ["Total", "1", "1", "50%"]]
    assert panel.status.text() == "2026-11-01 to 2026-11-09, team: red"

    assert panel.collectors_chart.labels() == ["Ann", "Bo"]
    assert panel.collectors_chart.series() == [("Flags", [3.0, 1.0])]
    # The trend: one series per category (most flags first), one group per week.
    assert panel.categories_chart.labels() == ["11-02", "11-09"]
    assert panel.categories_chart.series() == [("Threat", [2.0, 1.0]), ("Insult", [1.0, 0.0])]
    assert panel.rules_chart.labels() == ["visit_workplace", "fool"]
    assert panel.rules_chart.series() == [("False positives", [pytest.approx(2 / 3), 0.0])]
    assert panel.promises_chart.series() == [("Kept", [0.5])]


def test_a_chart_paints_its_bars(qtbot: QtBot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(300, 200)
    chart.set_data("Flags per collector", ["Ann", "Bo"], [("Flags", [3.0, 1.0])])
    image = chart.grab().toImage()
    bar = QColor("#1f77b4").rgb()
    painted = sum(
        image.pixel(x, y) == bar for x in range(image.width()) for y in range(image.height())
    )
    assert painted > 500  # two solid bars, the taller three times the shorter

    chart.set_data("Flags per collector", [], [], empty="Nothing in this period.")
    empty = chart.grab().toImage()
    assert all(
        empty.pixel(x, y) != bar for x in range(empty.width()) for y in range(empty.height())
    )


def test_export_writes_an_audited_pdf_and_csv(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _ = open_report(qtbot)
    panel = window.report

    choose_file(monkeypatch, tmp_path / "report.pdf")
    panel.export_pdf.click()
    qtbot.waitUntil(lambda: panel.status.text().startswith("Report written"), timeout=15000)
    assert (tmp_path / "report.pdf").read_bytes()[:5] == b"%PDF-"

    choose_file(monkeypatch, tmp_path / "report.csv")
    panel.export_csv.click()
    qtbot.waitUntil(lambda: panel.status.text().endswith("report.csv"))
    with (tmp_path / "report.csv").open(encoding="utf-8-sig", newline="") as f:
        sections = {row[0] for row in list(csv.reader(f))[1:]}
    assert sections == {
        "collector_week",
        "category_week",
        "rule_false_positives",
        "promises_kept",
        "promises_kept_total",
    }
    exports = [e for e in read_audit(sqlite_db, SYSTEM) if e.action == "export"]
    assert [e.detail for e in exports] == ["csv, team: red", "pdf, team: red"]  # newest first


def test_a_failed_export_says_what_to_do(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _ = open_report(qtbot)
    panel = window.report
    no_fonts = tmp_path / "no-fonts"
    no_fonts.mkdir()
    monkeypatch.setattr(pdf_report, "find_cjk_font", lambda: fonts.find_cjk_font([no_fonts]))
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        staticmethod(lambda parent, title, text: warnings.append(text)),
    )
    choose_file(monkeypatch, tmp_path / "report.pdf")
    panel.export_pdf.click()
    qtbot.waitUntil(lambda: bool(warnings))

    assert "fonts-wqy-microhei" in warnings[0]
    assert panel.status.text() == warnings[0]
    assert panel.export_pdf.isEnabled()
    assert not (tmp_path / "report.pdf").exists()


def test_cancelling_the_file_dialog_writes_nothing(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _ = open_report(qtbot)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args: ("", "")))
    window.report.export_csv.click()
    assert window.report.export_csv.isEnabled()
    assert not [e for e in read_audit(sqlite_db, SYSTEM) if e.action == "export"]
