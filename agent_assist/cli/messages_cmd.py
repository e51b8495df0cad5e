"""``agent-assist messages``: queue follow-up texts, list or cancel them, export or send them."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from agent_assist import app
from agent_assist.errors import UserError
from agent_assist.messaging.outbox import STATUSES, WAITING, OutboxRecord, OutboxRepository
from agent_assist.messaging.templates import (
    FILE_NAME,
    MessageLibrary,
    MessageTemplate,
    bundled_libraries,
    load_library,
)
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.records import Actor


def _now() -> datetime:
    """The clock every check uses (tests replace it)."""
    return datetime.now(UTC)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("messages", help="follow-up text messages: queue, list, export, send")
    actions = parser.add_subparsers(dest="messages_command", metavar="ACTION", required=True)

    queue = actions.add_parser(
        "queue",
        help="render a template for a case, check it and queue it",
        description="The message goes to the case's own debtor: the bank resolves the number "
        "from the case reference. It is refused, with every reason, outside the debtor's "
        "sending hours, for a case status that forbids contact, for a template of another "
        "language or stage, or when the rule pack flags its text.",
    )
    queue.add_argument("case_id", type=int, metavar="CASE-ID")
    queue.add_argument("--template", required=True, metavar="ID", help="a template id")
    queue.add_argument(
        "--due-date",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the pay-by date for {due_date}",
    )
    queue.add_argument("--bank", metavar="NAME", help="the bank's name for {bank_name}")
    queue.add_argument("--hotline", metavar="NUMBER", help="the bank's service number")
    queue.add_argument("--call", metavar="CALL-ID", help="the call this message follows")
    _add_actor(queue)
    queue.set_defaults(func=run_queue)

    listing = actions.add_parser("list", help="print messages as JSON lines (default: waiting)")
    listing.add_argument(
        "--status",
        action="append",
        choices=STATUSES,
        help="repeat for several (default: queued and failed)",
    )
    _add_actor(listing)
    listing.set_defaults(func=run_list)

    cancel = actions.add_parser("cancel", help="cancel a waiting message")
    cancel.add_argument("message_id", type=int, metavar="MESSAGE-ID")
    cancel.add_argument("--reason", default="cancelled by hand", metavar="TEXT")
    _add_actor(cancel)
    cancel.set_defaults(func=run_cancel)

    export = actions.add_parser(
        "export",
        help="write waiting messages as CSV for the bank's SMS gateway and mark them sent",
        description="Columns: case_ref, template_id, language, text, created_at. No phone "
        "number: the bank resolves it from the case reference.",
    )
    export.add_argument("--out", metavar="FILE", help="a new file (default: standard output)")
    _add_actor(export)
    export.set_defaults(func=run_export)

    send = actions.add_parser("send", help="post waiting messages to the bank's SMS gateway")
    send.add_argument("--gateway-url", required=True, metavar="URL")
    send.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="per message (default: 10)"
    )
    _add_actor(send)
    send.set_defaults(func=run_send)


def _add_actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="act as this user (default: the system administrator)",
    )


def run_queue(args: argparse.Namespace) -> int:
    from agent_assist.messaging.policy import check_message
    from agent_assist.messaging.render import BankDetails, render
    from agent_assist.publishing.active import pack_for_call
    from agent_assist.rules.loader import load_pack
    from agent_assist.rules.matcher import compile_pack
    from agent_assist.rules.registry import resolve_pack
    from agent_assist.store.cases_repo import CaseRepository

    db = app.open_store()
    try:
        actor = _actor(db, args.as_user)
        library, template = _find_template(active_libraries(db, actor.team_id), args.template)
        cases = CaseRepository(db)
        case = cases.get(actor, args.case_id)
        promise = None
        if {"promise_amount", "promise_date"} & set(template.variables):
            pending = [p for p in cases.promises(actor, case.id) if p.status == "pending"]
            promise = max(pending, key=lambda p: p.id, default=None)  # the latest taken
        bank = BankDetails(args.bank, args.hotline)
        message = render(template, library, case, bank, promise=promise, due_date=args.due_date)
        spec = pack_for_call(db, library.language, team_id=actor.team_id)
        matcher = compile_pack(load_pack(resolve_pack(spec)))
        verdict = check_message(
            case,
            template,
            message.text,
            library,
            matcher,
            when=_now(),
            hours=library.sms_hours,
            time_zone=case.debtor.time_zone or library.time_zone,
            blocked_statuses=library.blocked(),
            last_call_outcome=_last_call_outcome(db, actor, case.id),
        )
        if not verdict.allowed:
            lines = "".join(f"\n  {r.code}: {r.message}" for r in verdict.reasons)
            raise UserError(f"message not queued for case {case.external_ref}:{lines}")
        record = OutboxRepository(db).queue(actor, message, call_id=args.call)
    finally:
        db.close()
    _print_json(record)
    return 0


def run_list(args: argparse.Namespace) -> int:
    db = app.open_store()
    try:
        records = OutboxRepository(db).listed(_actor(db, args.as_user), args.status or WAITING)
    finally:
        db.close()
    for record in records:
        _print_json(record)
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    db = app.open_store()
    try:
        OutboxRepository(db).cancel(_actor(db, args.as_user), args.message_id, args.reason)
    finally:
        db.close()
    print(f"message {args.message_id} cancelled", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from agent_assist.messaging.dispatch import export_waiting, write_csv

    out = Path(args.out) if args.out else None
    if out is not None and out.exists():
        raise UserError(f"{out} exists already; give a new file name (never overwrite an export)")
    created = False

    def write(records: Sequence[OutboxRecord]) -> None:
        nonlocal created
        if out is None:
            write_csv(records, sys.stdout)
            sys.stdout.flush()
            return
        try:
            with out.open("x", encoding="utf-8", newline="") as stream:
                created = True
                write_csv(records, stream)
                stream.flush()
                os.fsync(stream.fileno())  # on disk before the messages count as sent
        except FileExistsError as exc:
            raise UserError(f"{out} exists already; give a new file name") from exc
        except OSError as exc:
            raise UserError(f"cannot write {out}: {exc.strerror or exc}") from exc

    db = app.open_store()
    try:
        actor = _actor(db, args.as_user)
        target = out.name if out else "stdout"
        outcome = export_waiting(
            OutboxRepository(db),
            actor,
            active_libraries(db, actor.team_id),
            _now(),
            write,
            target=target,
        )
    except BaseException:
        if created and out is not None:  # not marked sent: the file must not reach the bank
            out.unlink(missing_ok=True)
        raise
    finally:
        db.close()
    _report_left(outcome.held, outcome.cancelled)
    where = f" to {out}" if out else ""
    print(f"{len(outcome.sent)} messages exported{where}", file=sys.stderr)
    return 0


def run_send(args: argparse.Namespace) -> int:
    from agent_assist.messaging.dispatch import send_waiting
    from agent_assist.messaging.gateway import HttpGateway

    gateway = HttpGateway(args.gateway_url, timeout_s=args.timeout)
    db = app.open_store()
    try:
        actor = _actor(db, args.as_user)
        libraries = active_libraries(db, actor.team_id)
        outcome = send_waiting(OutboxRepository(db), actor, gateway, libraries, _now())
    finally:
        db.close()
    for message_id, error in outcome.failed:
        print(f"message {message_id} failed: {error}", file=sys.stderr)
    _report_left(outcome.held, outcome.cancelled)
    summary = f"{len(outcome.sent)} sent, {len(outcome.failed)} failed (they stay to be retried)"
    if outcome.untried:
        summary += f"; stopped, {outcome.untried} not tried yet"
    print(summary, file=sys.stderr)
    return 1 if outcome.failed else 0


def _report_left(held: list[tuple[int, str]], cancelled: list[tuple[int, str]]) -> None:
    for message_id, why in held:
        print(f"message {message_id} waits: {why}", file=sys.stderr)
    for message_id, why in cancelled:
        print(f"message {message_id} cancelled: {why}", file=sys.stderr)


def active_libraries(db: Database, team_id: int | None = None) -> dict[str, MessageLibrary]:
    """Each language's message templates as the active script library of ``team_id`` (the
    acting user's team; None: every team's) has them (published with ``agent-assist
    publish``), else as shipped."""
    from agent_assist.publishing.active import active_folder

    libraries = bundled_libraries()
    for language in list(libraries):
        folder = active_folder(db, "script_library", language, team_id=team_id)
        if folder is not None and (folder / FILE_NAME).is_file():  # else: shipped, loaded above
            libraries[language] = load_library(folder / FILE_NAME)
    return libraries


def _find_template(
    libraries: dict[str, MessageLibrary], template_id: str
) -> tuple[MessageLibrary, MessageTemplate]:
    for library in libraries.values():
        for template in library.templates:
            if template.id == template_id:
                return library, template
    known = ", ".join(t.id for lib in libraries.values() for t in lib.templates) or "none"
    raise UserError(f"no message template {template_id!r}; known: {known}")


def _actor(db: Database, username: str | None) -> Actor:
    """The named user, or the operator at the command line acting as an administrator."""
    return SYSTEM if not username else PeopleRepository(db).actor(username)


def _print_json(record: OutboxRecord) -> None:
    data: dict[str, Any] = {
        "id": record.id,
        "case_id": record.case_id,
        "case_ref": record.case_ref,
        "template_id": record.template_id,
        "language": record.language,
        "status": record.status,
        "created_at": record.created_at.isoformat(),
        "sent_at": record.sent_at.isoformat() if record.sent_at else None,
        "gateway_ref": record.gateway_ref,
        "error": record.error,
        "text": record.text,
    }
    print(json.dumps(data, ensure_ascii=False))


def _last_call_outcome(db: Database, actor: Actor, case_id: int) -> str | None:
    from agent_assist.store.contacts_repo import ContactRepository

    calls = ContactRepository(db).call_history(actor, case_id, datetime.min.replace(tzinfo=UTC))
    return calls[-1].outcome if calls else None
