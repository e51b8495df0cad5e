"""The review report as one long CSV: a section column, then the same columns for every row.

One file in a tidy shape is what an analyst filters and pivots in Excel; the
section column tells the tables apart. Numbers stay numbers (a rate is a
fraction such as 0.25, to format as a percentage), empty where there is none.
Written as UTF-8 with a byte-order mark so that Excel reads Chinese names right.
"""

from __future__ import annotations

import csv
from pathlib import Path

from agent_assist.errors import UserError
from agent_assist.reports.labels import Lang, text
from agent_assist.store.reports_repo import ReviewReport

COLUMNS = ("section", "week", "collector", "category", "rule", "count", "of", "rate")


def csv_rows(report: ReviewReport, lang: Lang) -> list[list[str]]:
    """The header (in ``lang``) and one row per figure; section names are stable ids."""
    rows = [[text(lang, c) for c in COLUMNS]]
    for cw in report.collector_weeks:
        rows.append(
            _row(
                "collector_week",
                week=cw.week.isoformat(),
                collector=cw.collector,
                count=str(cw.flags),
            )
        )
    for gw in report.category_weeks:
        rows.append(
            _row(
                "category_week", week=gw.week.isoformat(), category=gw.category, count=str(gw.flags)
            )
        )
    for r in report.rule_rates:
        rows.append(
            _row(
                "rule_false_positives",
                category=r.category,
                rule=r.rule_id,
                count=str(r.false_positives),
                of=str(r.verdicts),
                rate=f"{r.rate:.4f}",
            )
        )
    for p in (*report.promise_rates, report.promises_total):
        rows.append(
            _row(
                "promises_kept" if p.collector else "promises_kept_total",
                collector=p.collector,
                count=str(p.kept),
                of=str(p.kept + p.broken),
                rate="" if p.rate is None else f"{p.rate:.4f}",
            )
        )
    return rows


def _row(section: str, **values: str) -> list[str]:
    return [section, *(values.get(c, "") for c in COLUMNS[1:])]


def save_csv(report: ReviewReport, path: Path, lang: Lang) -> None:
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(csv_rows(report, lang))
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}. Choose another file.") from exc
