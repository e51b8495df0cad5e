"""``agent-assist import cases FILE``: load a bank's case list (CSV or Excel) into the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TypeAlias

from agent_assist import app
from agent_assist.errors import UserError
from agent_assist.importing import ImportReport, import_cases
from agent_assist.store.people_repo import SYSTEM

# argparse's class is generic only to type checkers, hence the string.
Actions: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

EXIT_OK = 0
EXIT_INVALID = 2


def register(sub: Actions) -> None:
    parser = sub.add_parser("import", help="import data from a bank: case lists")
    actions = parser.add_subparsers(dest="import_action", metavar="WHAT", required=True)
    cases = actions.add_parser(
        "cases",
        help="import (or update) cases from a CSV or Excel file",
        description="Import cases from a CSV (UTF-8 or GB18030) or Excel .xlsx file; the "
        "columns are listed in docs/case-import.md. Every bad row is reported as "
        "FILE:LINE: message and nothing is imported while any row is bad, unless "
        "--skip-invalid. Importing the same file again changes nothing.",
    )
    cases.add_argument("file", type=Path, metavar="FILE", help="a .csv, .tsv or .xlsx file")
    cases.add_argument(
        "--skip-invalid", action="store_true", help="import the good rows and list the bad ones"
    )
    cases.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    cases.add_argument("--sheet", metavar="NAME", help="the Excel sheet to read (default: first)")
    cases.set_defaults(func=run_import_cases)


def run_import_cases(args: argparse.Namespace) -> int:
    db = app.open_store()
    try:
        # An operator at the command line acts as the system (an administrator).
        report = import_cases(
            db,
            SYSTEM,
            args.file,
            skip_invalid=args.skip_invalid,
            dry_run=args.dry_run,
            sheet=args.sheet,
        )
    finally:
        db.close()
    return _print(report, dry_run=args.dry_run, skip_invalid=args.skip_invalid)


def _print(report: ImportReport, *, dry_run: bool, skip_invalid: bool) -> int:
    if report.ignored_columns:
        print(
            f"{report.source}: note: ignored columns: {', '.join(report.ignored_columns)}",
            file=sys.stderr,
        )
    for line in report.error_lines():
        print(line, file=sys.stderr)
    if dry_run:
        print(f"{report.summary()} (dry run: nothing written)")
        return EXIT_OK if skip_invalid or not report.errors else EXIT_INVALID
    if not report.written:
        raise UserError(
            f"{report.source}: {report.bad_rows} of {report.rows} rows have errors, nothing "
            f"was imported; fix them, or import the other {report.valid_rows} with --skip-invalid"
        )
    print(report.summary())
    # --skip-invalid with not one good row is a failure a script should notice.
    return EXIT_INVALID if report.rows and not report.valid_rows else EXIT_OK
