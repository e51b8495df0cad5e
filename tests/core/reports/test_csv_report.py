"""The CSV an analyst opens in Excel: one table, a section column, numbers as numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from agent_assist.errors import UserError
from agent_assist.reports.csv_report import csv_rows, save_csv
from tests.core.reports.report_samples import SAMPLE


def test_every_figure_is_a_row_under_one_header(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    save_csv(SAMPLE, path, "en")

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 (Chinese names) only with it
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = ["section", "week (Monday)", "collector", "category", "rule", "count", "of", "rate"]
    assert rows[0] == header
    assert rows[1:] == [
        ["collector_week", "2026-10-26", "张伟", "", "", "4", "", ""],
        ["collector_week", "2026-11-02", "张伟", "", "", "7", "", ""],
        ["collector_week", "2026-11-09", "Maria Lopez", "", "", "3", "", ""],
        ["category_week", "2026-11-02", "", "agent.threat", "", "5", "", ""],
        ["category_week", "2026-11-09", "", "debtor.hardship", "", "3", "", ""],
        [
            "rule_false_positives",
            "",
            "",
            "debtor.hardship",
            "zh.debtor.hardship.job_loss",
            "3",
            "4",
            "0.7500",
        ],
        [
            "rule_false_positives",
            "",
            "",
            "agent.threat",
            "zh.agent.threat.visit_workplace",
            "0",
            "5",
            "0.0000",
        ],
        ["promises_kept", "", "张伟", "", "", "3", "4", "0.7500"],
        ["promises_kept", "", "Maria Lopez", "", "", "0", "0", ""],  # nothing settled: no rate
        ["promises_kept_total", "", "", "", "", "3", "4", "0.7500"],
    ]


def test_headers_follow_the_language_and_sections_stay_ids() -> None:
    header, first, *_ = csv_rows(SAMPLE, "zh")
    assert header == ["部分", "周（周一）", "催收员", "类别", "规则", "数量", "总数", "比率"]
    assert first[0] == "collector_week"


def test_an_unwritable_file_is_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot write"):
        save_csv(SAMPLE, tmp_path / "missing" / "report.csv", "en")
