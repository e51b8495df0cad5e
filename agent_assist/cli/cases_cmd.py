"""``agent-assist cases``: may a case's debtor be called now; record an override of a block."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from agent_assist import app
from agent_assist.compliance.check import Verdict
from agent_assist.compliance.guard import ContactGuard
from agent_assist.errors import UserError
from agent_assist.store.contacts_repo import ContactFacts, ContactRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.records import Actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("cases", help="cases: may the debtor be called now (compliance guard)")
    actions = parser.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    check_cmd = actions.add_parser(
        "check",
        help="one JSON line per case: allowed, every reason, the debtor's local time, next_allowed",
    )
    check_cmd.add_argument(
        "cases",
        nargs="*",
        metavar="CASE-ID",
        help="case ids or references (default: every open case you may see)",
    )
    _common(check_cmd, "as this user (default: the system administrator)")
    check_cmd.set_defaults(func=run_check)
    override = actions.add_parser("override", help="record why a blocked case is called anyway")
    override.add_argument("case", metavar="CASE-ID", help="case id or reference")
    override.add_argument("--reason", metavar="TEXT", help="why (at least 10 characters)")
    _common(override, "who overrides (required)")
    override.set_defaults(func=run_override)


def _common(parser: argparse.ArgumentParser, as_help: str) -> None:
    parser.add_argument(
        "--at",
        metavar="ISO-TIME",
        help="check this instant, with its offset (2026-11-27T10:00:00+08:00); default: now",
    )
    parser.add_argument("--as", dest="username", metavar="USERNAME", help=as_help)


def run_check(args: argparse.Namespace) -> int:
    when = _instant(args.at)
    db = app.open_store()
    try:
        actor = _actor(db, args.username) if args.username else SYSTEM
        guard = ContactGuard(ContactRepository(db), db)
        cases = (
            [guard.facts(actor, spec) for spec in args.cases]
            if args.cases
            else guard.repo.open_cases(actor)
        )
        for facts in cases:
            print(json.dumps(_line(facts, guard.verdict(actor, facts, when)), ensure_ascii=False))
    finally:
        db.close()
    return 0


def run_override(args: argparse.Namespace) -> int:
    if not args.username:
        raise UserError("say who overrides the block: --as USERNAME")
    if not args.reason or not args.reason.strip():
        raise UserError("say why the call goes ahead despite the block: --reason TEXT")
    when = _instant(args.at)
    db = app.open_store()
    try:
        actor = _actor(db, args.username)
        guard = ContactGuard(ContactRepository(db), db)
        facts = guard.facts(actor, args.case)
        verdict = guard.verdict(actor, facts, when)
        if verdict.allowed:
            raise UserError(
                f"case {facts.case_ref} is not blocked now: there is nothing to override"
            )
        guard.repo.record_override(actor, facts.case_id, verdict.reasons, args.reason)
    finally:
        db.close()
    codes = ", ".join(reason.code for reason in verdict.reasons)
    print(f"override recorded for case {facts.case_ref} ({codes})")
    return 0


def _line(facts: ContactFacts, verdict: Verdict) -> dict[str, Any]:
    return {
        "case_id": facts.case_id,
        "case_ref": facts.case_ref,
        "allowed": verdict.allowed,
        "reasons": [{"code": r.code, "message": r.message} for r in verdict.reasons],
        # Several zones (a state spanning them): the debtor's clock in each, " / " between.
        "local_time": " / ".join(t.isoformat(timespec="seconds") for t in verdict.local_times),
        "next_allowed": (
            verdict.next_allowed.isoformat(timespec="seconds") if verdict.next_allowed else None
        ),
    }


def _instant(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"--at {text!r} is not an ISO time; write it like 2026-11-27T10:00:00+08:00"
        ) from None
    if when.tzinfo is None:
        raise UserError(
            f"--at {text!r} has no offset, so it could be any zone's; add one, "
            "like 2026-11-27T10:00:00+08:00 or 2026-11-27T02:00:00Z"
        )
    return when


def _actor(db: Database, username: str) -> Actor:
    return PeopleRepository(db).actor(username)
