"""``agent-assist review export``: the review report of a period as CSV or PDF."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from agent_assist import app
from agent_assist.errors import UserError
from agent_assist.reports.csv_report import save_csv
from agent_assist.reports.labels import LANGS, Lang
from agent_assist.reports.pdf_report import save_pdf
from agent_assist.settings import load_settings
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.store.reports_repo import EXPORT_FORMATS, ReportRepository, ReviewReport


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("review", help="team leads: review statistics and reports")
    actions = parser.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="flags per collector and category per week, false positives per rule, "
        "promises kept: as CSV or PDF (audited)",
    )
    export.add_argument("--as", dest="username", metavar="USERNAME", required=True)
    export.add_argument("--since", required=True, metavar="YYYY-MM-DD", help="first day")
    export.add_argument("--until", required=True, metavar="YYYY-MM-DD", help="last day")
    export.add_argument("--format", dest="fmt", choices=EXPORT_FORMATS, required=True)
    export.add_argument("--lang", choices=LANGS, help="default: the window's language, else zh")
    export.add_argument(
        "-o", "--output", type=Path, help="default: review-report-SINCE-UNTIL.FORMAT here"
    )
    export.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    since, until = _day(args.since, "--since"), _day(args.until, "--until")
    lang: Lang = args.lang or _window_language()
    out: Path = args.output or Path(f"review-report-{since}-{until}.{args.fmt}")

    def write(report: ReviewReport) -> None:
        if args.fmt == "pdf":
            save_pdf(report, out, lang)
        else:
            save_csv(report, out, lang)

    db = app.open_store()
    try:
        actor = PeopleRepository(db).actor(args.username)
        ReportRepository(db).export(actor, since, until, args.fmt, write)
    finally:
        db.close()
    print(f"review report {since} to {until} written to {out}")
    return 0


def _window_language() -> Lang:
    return "en" if load_settings().ui_language == "en" else "zh"


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option}: {text!r} is not a date like 2026-11-01") from None
