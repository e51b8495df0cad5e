"""``agent-assist promises``: promises to pay that are due, and whether they were kept."""

from __future__ import annotations

import argparse
import json
from datetime import date

from agent_assist import app
from agent_assist.errors import UserError
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.records import Actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("promises", help="promises to pay: which are due, kept or broken")
    actions = parser.add_subparsers(dest="promises_command", metavar="ACTION", required=True)
    due = actions.add_parser(
        "due", help="pending promises due on or before a day, one JSON line each"
    )
    due.add_argument("--on", metavar="YYYY-MM-DD", help="default: today")
    due.add_argument("--as", dest="username", metavar="USERNAME", help="whose worklist")
    due.set_defaults(func=run_due)
    for outcome in ("kept", "broken"):
        mark = actions.add_parser(outcome, help=f"record that a promise was {outcome}")
        mark.add_argument("promise", type=int, metavar="PROMISE-ID")
        mark.add_argument("--as", dest="username", metavar="USERNAME", required=True)
        mark.set_defaults(func=run_mark, outcome=outcome)


def run_due(args: argparse.Namespace) -> int:
    try:
        on = date.fromisoformat(args.on) if args.on else date.today()
    except ValueError:
        raise UserError(f"--on {args.on!r} is not a date like 2026-12-04") from None
    db = app.open_store()
    try:
        actor = _actor(db, args.username)
        for p in CaseRepository(db).due_promises(actor, on):
            line = {
                "promise_id": p.id,
                "case_id": p.case_id,
                "amount": str(p.amount),
                "currency": p.currency,
                "due": p.due_date.isoformat(),
                "overdue_days": (on - p.due_date).days,
            }
            print(json.dumps(line))
    finally:
        db.close()
    return 0


def run_mark(args: argparse.Namespace) -> int:
    db = app.open_store()
    try:
        CaseRepository(db).resolve_promise(_actor(db, args.username), args.promise, args.outcome)
    finally:
        db.close()
    print(f"promise {args.promise} recorded as {args.outcome}")
    return 0


def _actor(db: Database, username: str | None) -> Actor:
    """The named user, or the operator at the command line acting as an administrator."""
    return SYSTEM if not username else PeopleRepository(db).actor(username)
