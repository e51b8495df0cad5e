"""``agent-assist bench review``: a month's review report on a large history (target ≤ 5 s)
and the review window's queue after a filter change (target ≤ 100 ms)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import case, select, update

from agent_assist.cli.bench_db import DEFAULT_PG, PG_ENV, bench_server, private_schema
from agent_assist.cli.bench_ui import bench_env
from agent_assist.errors import UserError
from agent_assist.reports.csv_report import save_csv
from agent_assist.reports.pdf_report import save_pdf
from agent_assist.store import bench_data
from agent_assist.store.database import Database, open_database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import Actor
from agent_assist.store.reports_repo import ReportRepository
from agent_assist.store.tables import Call, FlagRow

TARGET_S = 5.0
QUEUE_TARGET_MS = 100.0
WINDOW_BENCH = "agent_assist.ui.review.bench"


def register(bench_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = bench_sub.add_parser(
        "review",
        help="a month's review report (figures, PDF, CSV) on a large history",
        description=(
            "Generates --calls calls and --flags flags (a reviewed call's flags judged, one "
            "in five false), then times the last month's report for a team lead and for an "
            "administrator (every team): the figures from the database, then the PDF and "
            "the CSV; then opens the review window as a lead of the first team and times "
            "each filter change to its first page listed and painted. PostgreSQL work "
            "happens in a private schema dropped afterwards."
        ),
    )
    p.add_argument("--calls", type=int, default=200_000)
    p.add_argument("--flags", type=int, default=1_000_000)
    p.add_argument(
        "--backend", choices=("both", "sqlite", "postgresql"), default="both", help="default: both"
    )
    p.add_argument("--pg-url", help=f"PostgreSQL server (default: ${PG_ENV[0]} or {DEFAULT_PG})")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    figures: dict[str, Any] = {
        "calls": args.calls,
        "flags": args.flags,
        "target_s": TARGET_S,
        "queue_target_ms": QUEUE_TARGET_MS,
    }
    if args.backend in ("both", "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            figures["sqlite"] = _measure(url, args, Path(folder))
    if args.backend in ("both", "postgresql"):
        with private_schema(bench_server(args)) as url, tempfile.TemporaryDirectory() as folder:
            figures["postgresql"] = _measure(url, args, Path(folder))
    print(json.dumps(figures) if args.json else _as_text(figures))
    return 0


def _measure(url: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    db = open_database(url)
    try:
        started = time.perf_counter()
        bench_data.populate(db, calls=args.calls, flags=args.flags)
        _judge(db)
        result: dict[str, Any] = {"populate_s": round(time.perf_counter() - started, 1)}
        lead = Actor(user_id=0, role="team_lead", team_id=1)
        for name, actor in (("team_lead", lead), ("admin", SYSTEM)):
            result[name] = _month_report(db, actor, folder / name)
    finally:
        db.close()
    result["queue_window"] = _queue_in_window(url)
    return result


def _queue_in_window(url: str) -> dict[str, Any]:
    """The window's own figures, from a process of its own: the command line never imports Qt."""
    command = [sys.executable, "-m", WINDOW_BENCH, "--db-url", url]
    done = subprocess.run(
        command, env=bench_env(os.environ), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise UserError(f"the review window could not be measured: {done.stderr.strip()[-600:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _judge(db: Database) -> None:
    """Verdicts on the reviewed calls' flags: every fifth one found false."""
    reviewed = FlagRow.call_id.in_(select(Call.id).where(Call.review_state == "reviewed"))
    verdict = case((FlagRow.id % 5 == 0, "false_positive"), else_="upheld")
    with db.session() as session:
        session.execute(update(FlagRow).where(reviewed).values(verdict=verdict))
    bench_data.settle(db)


def _month_report(db: Database, actor: Actor, stem: Path) -> dict[str, float]:
    until = (bench_data.END - timedelta(seconds=1)).date()
    since = until - timedelta(days=29)
    reports = ReportRepository(db)
    started = time.perf_counter()
    report = reports.review_report(actor, since, until)
    queried = time.perf_counter()
    save_pdf(report, stem.with_suffix(".pdf"), "zh")
    pdf_done = time.perf_counter()
    save_csv(report, stem.with_suffix(".csv"), "zh")
    csv_done = time.perf_counter()
    return {
        "query_s": round(queried - started, 3),
        "pdf_s": round(pdf_done - queried, 3),
        "csv_s": round(csv_done - pdf_done, 3),
        "pdf_report_s": round(pdf_done - started, 3),
        "collectors": len({w.collector for w in report.collector_weeks}),
    }


def _as_text(figures: dict[str, Any]) -> str:
    lines = [f"{figures['calls']:,} calls, {figures['flags']:,} flags; a month's report"]
    for backend in ("sqlite", "postgresql"):
        if backend not in figures:
            continue
        for who in ("team_lead", "admin"):
            f = figures[backend][who]
            verdict = "ok" if f["pdf_report_s"] <= TARGET_S else f"over the {TARGET_S:g} s target"
            lines.append(
                f"{backend}, {who.replace('_', ' ')} ({f['collectors']} collectors): "
                f"figures {f['query_s']} s + PDF {f['pdf_s']} s = {f['pdf_report_s']} s "
                f"({verdict}); CSV {f['csv_s']} s"
            )
        q = figures[backend]["queue_window"]
        verdict = "ok" if q["page_p95_ms"] <= QUEUE_TARGET_MS else "over the 100 ms target"
        lines.append(
            f"{backend}, the review window's first page after a filter change "
            f"({q['changes']} changes): p50 {q['page_p50_ms']} ms, p95 {q['page_p95_ms']} ms "
            f"({verdict}), max {q['page_max_ms']} ms; the count p50 {q['count_p50_ms']} ms, "
            f"p95 {q['count_p95_ms']} ms"
        )
    return "\n".join(lines)
