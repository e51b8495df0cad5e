"""``agent-assist rules``: work with rule packs (``check`` here; ``test`` and
``scan`` in ``rules_run_cmd``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TypeAlias

from agent_assist.cli import rules_run_cmd
from agent_assist.rules.loader import PackError, load_pack
from agent_assist.rules.model import RulePack
from agent_assist.rules.registry import resolve_pack

# argparse's class is generic only to type checkers, hence the string.
Actions: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

EXIT_OK = 0
EXIT_INVALID = 1


def register(sub: Actions) -> None:
    parser = sub.add_parser("rules", help="check, test and scan rule packs")
    parser.set_defaults(func=_usage(parser))
    actions = parser.add_subparsers(dest="rules_action", metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="validate a rule pack and list every problem",
        description="Validate a rule pack. Problems are printed as file:line:col: message; "
        "the exit status is 0 when the pack is valid and 1 when it is not.",
    )
    check.add_argument("pack", metavar="PATH|ID", help="a bundled pack id (zh-CN) or a folder")
    check.set_defaults(func=_check)
    rules_run_cmd.register_actions(actions)


def _usage(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return handler


def _check(args: argparse.Namespace) -> int:
    folder = resolve_pack(args.pack)
    try:
        pack = load_pack(folder)
    except PackError as exc:
        for problem in exc.problems:
            print(problem)
        count = len(exc.problems)
        print(f"{folder.name}: {count} problem{'s' if count != 1 else ''} — FAILED")
        return EXIT_INVALID
    print(summary(pack))
    return EXIT_OK


def summary(pack: RulePack) -> str:
    """One line: ``zh-CN 1.0: 64 rules, 312 patterns, 16 categories — OK``."""
    patterns = sum(len(rule.patterns) for rule in pack.rules)
    categories = len({rule.category for rule in pack.rules})
    return (
        f"{pack.info.id} {pack.info.version}: {len(pack.rules)} rules, {patterns} patterns, "
        f"{categories} categories — OK"
    )
