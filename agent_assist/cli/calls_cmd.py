"""``agent-assist calls``: after a call — what wrap-up proposes, and saving the wrap-up."""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal, InvalidOperation

from agent_assist import app
from agent_assist.compliance.wrapup import ConfirmedWrapUp, propose, save_wrap_up
from agent_assist.errors import UserError
from agent_assist.privacy import mask_text
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CASE_STATUSES, CaseRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.store.records import Actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("calls", help="after a call: wrap-up proposals and the wrap-up")
    actions = parser.add_subparsers(dest="calls_command", metavar="ACTION", required=True)
    proposals = actions.add_parser(
        "propose", help="the case update and promise the call's debtor cues propose (JSON)"
    )
    proposals.add_argument("call", metavar="CALL-ID")
    proposals.add_argument("--language", default="zh-CN", help="zh-CN or en-US (default zh-CN)")
    proposals.add_argument(
        "--today", metavar="YYYY-MM-DD", help="for relative dates; default today"
    )
    proposals.add_argument("--as", dest="username", metavar="USERNAME", required=True)
    proposals.set_defaults(func=run_propose)
    wrap = actions.add_parser("wrap-up", help="save the outcome, notes and confirmed updates")
    wrap.add_argument("call", metavar="CALL-ID")
    wrap.add_argument("--case", type=int, required=True, metavar="CASE-ID")
    wrap.add_argument("--outcome", required=True, help="e.g. promise_to_pay, refused, no_answer")
    wrap.add_argument("--notes", default="")
    wrap.add_argument("--status", choices=CASE_STATUSES, help="the case status to set")
    wrap.add_argument("--promise", metavar="AMOUNT@YYYY-MM-DD", help="e.g. 500@2026-12-04")
    wrap.add_argument("--as", dest="username", metavar="USERNAME", required=True)
    wrap.set_defaults(func=run_wrap_up)


def run_propose(args: argparse.Namespace) -> int:
    today = _day(args.today, "--today") if args.today else date.today()
    db = app.open_store()
    try:
        detail = CallRepository(db, mask_text).get(_actor(db, args.username), args.call)
    finally:
        db.close()
    proposal = propose(detail.flags, detail.segments, language=args.language, today=today)
    out: dict[str, object] = {"call_id": args.call, "status": None, "promise": None}
    if proposal.status:
        out["status"] = {
            "status": proposal.status.status,
            "cue": proposal.status.cue,
            "evidence": proposal.status.evidence,
        }
    if proposal.promise:
        out["promise"] = {
            "amount": str(proposal.promise.amount) if proposal.promise.amount else None,
            "due": proposal.promise.due.isoformat() if proposal.promise.due else None,
            "evidence": proposal.promise.evidence,
        }
    print(json.dumps(out, ensure_ascii=False))
    return 0


def run_wrap_up(args: argparse.Namespace) -> int:
    amount, due = _promise(args.promise) if args.promise else (None, None)
    confirmed = ConfirmedWrapUp(
        outcome=args.outcome,
        notes=args.notes,
        status=args.status,
        promise_amount=amount,
        promise_due=due,
    )
    db = app.open_store()
    try:
        save_wrap_up(
            CallRepository(db, mask_text),
            CaseRepository(db),
            _actor(db, args.username),
            call_id=args.call,
            case_id=args.case,
            confirmed=confirmed,
        )
    finally:
        db.close()
    print(f"call {args.call} wrapped up: {args.outcome}")
    return 0


def _promise(text: str) -> tuple[Decimal, date]:
    amount, sep, day = text.partition("@")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        value = Decimal(0)
    if not sep or value <= 0:
        raise UserError(f"--promise {text!r}: write AMOUNT@YYYY-MM-DD, e.g. 500@2026-12-04")
    return value, _day(day, "--promise")


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option}: {text!r} is not a date like 2026-12-04") from None


def _actor(db: Database, username: str) -> Actor:
    return PeopleRepository(db).actor(username)
