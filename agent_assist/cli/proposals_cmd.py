"""``agent-assist proposals``: the learning loop on the command line. Trainers list the
examples team leads' verdicts propose, accept one into a rule of a pack folder (the rule's
YAML gains the example) or dismiss it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from agent_assist import app
from agent_assist.privacy import mask_text
from agent_assist.publishing.working_copy import open_working_copy
from agent_assist.rules.add_example import AddedExample, add_example
from agent_assist.rules.loader import load_pack
from agent_assist.rules.registry import bundled_packs, packs_dir, resolve_pack
from agent_assist.store.access import require_role
from agent_assist.store.database import Database
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.store.proposals_repo import Proposal, ProposalRepository, parse_ref
from agent_assist.store.records import Actor

T = TypeVar("T")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "proposals", help="trainers: examples proposed by false positives and missed flags"
    )
    actions = parser.add_subparsers(dest="proposals_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help="the proposals nobody has answered yet, newest first (audited)",
        description="One line per proposal: id, kind, rule (false positive) or category "
        "(missed flag), call, who proposed it, when, and the words.",
    )
    listing.add_argument("--as", dest="username", metavar="USERNAME", required=True)
    listing.add_argument(
        "--pack", metavar="PACK", help="only words in this pack's language (an id or a folder)"
    )
    listing.set_defaults(func=run_list)
    accept = actions.add_parser(
        "accept", help="add a proposal to a rule's examples in a pack folder, and record it"
    )
    accept.add_argument("proposal", metavar="ID", help="fp-N or missed-N, as listed")
    accept.add_argument(
        "--rule", metavar="RULE", help="the rule (default for fp-N: the rule that fired)"
    )
    accept.add_argument(
        "--pack",
        required=True,
        metavar="PACK",
        help="a pack folder, or a shipped pack's id (its working copy is edited, as the "
        "trainer window's)",
    )
    accept.add_argument("--as", dest="username", metavar="USERNAME", required=True)
    accept.set_defaults(func=run_accept)
    dismiss = actions.add_parser("dismiss", help="answer a proposal without changing any pack")
    dismiss.add_argument("proposal", metavar="ID", help="fp-N or missed-N, as listed")
    dismiss.add_argument("--as", dest="username", metavar="USERNAME", required=True)
    dismiss.set_defaults(func=run_dismiss)


def run_list(args: argparse.Namespace) -> int:
    language = load_pack(resolve_pack(args.pack)).info.language if args.pack else None
    found = _with_repo(args.username, lambda repo, actor: repo.proposals(actor, language=language))
    for proposal in found:
        print(line(proposal))
    if not found:
        print("no proposals waiting")
    return 0


def line(p: Proposal) -> str:
    """``fp-12  should_not_flag  zh.agent.threat.x  call c1  Lee  2026-11-02  words``."""
    target = p.rule_id or p.category
    return "  ".join(
        (p.ref, p.kind, target, f"call {p.call_id}", p.by_name or "-", f"{p.at:%Y-%m-%d}", p.text)
    )


def run_accept(args: argparse.Namespace) -> int:
    source, source_id = parse_ref(args.proposal)
    added: list[AddedExample] = []
    db = app.open_store()
    try:
        actor = _actor(db, args.username)
        require_role(actor, "trainer", "admin", to="accept proposed examples")
        folder = _editable(db, args.pack)

        def apply(proposal: Proposal, rule_id: str) -> None:
            added.append(add_example(folder, rule_id, proposal.kind, proposal.text))

        ProposalRepository(db, mask_text).decide(
            actor, source, source_id, "accepted", args.rule, apply=apply
        )
    finally:
        db.close()
    result = added[0]
    where = result.file.relative_to(folder) if result.file.is_relative_to(folder) else result.file
    if result.added:
        print(f"{args.proposal}: added to {result.rule_id} as {result.kind} in {where}")
    else:
        print(f"{args.proposal}: {result.rule_id} already had this {result.kind} example")
    if args.pack in bundled_packs():
        print(f"the working copy {folder} holds it: publish it with agent-assist publish folder")
    if not result.behaves:
        print(f"note: {result.advice}")
    return 0


def _editable(db: Database, spec: str) -> Path:
    """The folder an example goes into: for a pack shipped with the app, the trainer's
    working copy of it (the installed files are never changed); else the folder named."""
    if spec not in bundled_packs():
        return resolve_pack(spec)
    library = LibraryRepository(db)
    return open_working_copy(library, "rule_pack", spec, packs_dir() / spec).folder


def run_dismiss(args: argparse.Namespace) -> int:
    source, source_id = parse_ref(args.proposal)
    _with_repo(
        args.username, lambda repo, actor: repo.decide(actor, source, source_id, "dismissed")
    )
    print(f"{args.proposal}: dismissed")
    return 0


def _with_repo(username: str, work: Callable[[ProposalRepository, Actor], T]) -> T:
    db = app.open_store()
    try:
        return work(ProposalRepository(db, mask_text), _actor(db, username))
    finally:
        db.close()


def _actor(db: Database, username: str) -> Actor:
    return PeopleRepository(db).actor(username)
