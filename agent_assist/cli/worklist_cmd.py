"""``agent-assist worklist``: the day's cases in priority order, each with may-I-call-now."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from agent_assist import app
from agent_assist.cli.risk_cmd import fitted_weights_path
from agent_assist.compliance.risk_model import default_model_path, load_risk_model
from agent_assist.compliance.worklist import WorklistItem, build_worklist
from agent_assist.errors import UserError
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.store.people_repo import PeopleRepository


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "worklist", help="a collector's cases in priority order, with whether each may be called"
    )
    p.add_argument("--as", dest="username", metavar="USERNAME", required=True)
    p.add_argument("--at", metavar="ISO-TIME", help="as of this instant (default: now)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the reasons")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    when = _instant(args.at)
    fitted = fitted_weights_path()
    model = load_risk_model(fitted if fitted.is_file() else default_model_path(), load_taxonomy())
    db = app.open_store()
    try:
        actor = PeopleRepository(db).actor(args.username)
        items = build_worklist(db, actor, model, when=when, lang=args.lang)
    finally:
        db.close()
    for item in items[: args.limit]:
        print(json.dumps(_line(item), ensure_ascii=False))
    return 0


def _line(item: WorklistItem) -> dict[str, object]:
    p, v = item.priority, item.verdict
    return {
        "case_id": item.case_id,
        "case_ref": p.history.case_ref,
        "segment": p.segment,
        "score": round(p.score, 4),
        "why_first": [r.text for r in p.reasons],
        "callable_now": v.allowed,
        "blocked_because": [r.message for r in v.reasons],
        "next_allowed": v.next_allowed.isoformat(timespec="seconds") if v.next_allowed else None,
        "promises_due": [
            {"amount": str(d.amount), "currency": d.currency, "due": d.due_date.isoformat()}
            for d in item.promises_due
        ],
    }


def _instant(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"--at {text!r} is not a time like 2026-11-27T10:00:00+08:00") from None
    if when.tzinfo is None:
        raise UserError(f"--at {text!r} needs an offset, e.g. 2026-11-27T10:00:00+08:00")
    return when
