"""``agent-assist rules test`` and ``rules scan``: run a pack's matcher on text."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from agent_assist.errors import UserError
from agent_assist.events import to_dict
from agent_assist.rules.loader import load_pack
from agent_assist.rules.registry import bundled_packs, resolve_pack

if TYPE_CHECKING:
    from agent_assist.rules.matcher import CompiledPack

# The matcher (and its text tools, slow to import) loads only when a command
# needs it, so the rest of the command line starts quickly.


def register_actions(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    test = actions.add_parser(
        "test",
        help="run every rule's examples; non-zero exit on any failure",
        description="Each should_flag example must make its rule fire and each "
        "should_not_flag example must not, through the same path as a live final result.",
    )
    test.add_argument("packs", nargs="*", metavar="PACK", help="pack ids or folders (default: all)")
    test.set_defaults(func=run_test)
    scan_p = actions.add_parser(
        "scan",
        help="flag JSON lines of utterances",
        description='Reads JSON lines {"id", "speaker", "text"} and prints one line per input: '
        '{"id", "categories": [sorted unique ids], "flags": [...]}.',
    )
    scan_p.add_argument("--pack", required=True, metavar="PACK", help="a pack id or folder")
    scan_p.add_argument("input", nargs="?", default="-", metavar="INPUT|-", help="default: stdin")
    scan_p.set_defaults(func=run_scan)


def compiled(spec: str) -> CompiledPack:
    from agent_assist.rules.matcher import compile_pack

    return compile_pack(load_pack(resolve_pack(spec)))


def run_test(args: argparse.Namespace) -> int:
    from agent_assist.rules.explain import run_examples

    specs = args.packs or list(bundled_packs())
    failed = 0
    for spec in specs:
        pack = load_pack(resolve_pack(spec))
        results = run_examples(pack)
        failures = [
            f"{f'{r.file}:{r.line}' if r.file else r.rule_id}: "
            f"{r.rule_id} {r.expected.replace('_', ' ')}: {r.text}"
            for r in results
            if not r.passed
        ]
        for line in failures:
            print(line)
        print(
            f"{pack.info.id}: {len(results) - len(failures)} of {len(results)} examples pass"
            + (f", {len(failures)} fail" if failures else ""),
            file=sys.stderr,
        )
        failed += len(failures)
    return 1 if failed else 0


def run_scan(args: argparse.Namespace) -> int:
    matcher = compiled(args.pack)
    if args.input == "-":
        return scan_lines(matcher, sys.stdin, sys.stdout)
    path = Path(args.input)
    try:
        with path.open(encoding="utf-8") as lines:
            return scan_lines(matcher, lines, sys.stdout, source=str(path))
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc


def scan_lines(matcher: CompiledPack, lines: Iterable[str], out: TextIO, source: str = "-") -> int:
    from agent_assist.rules.quality import scan

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text, speaker = str(item["text"]), str(item.get("speaker", "agent"))
        except (ValueError, KeyError, TypeError) as exc:
            raise UserError(
                f'{source}:{number}: expected a JSON object with "id", "speaker" and "text" ({exc})'
            ) from exc
        if speaker not in ("agent", "debtor"):
            raise UserError(
                f'{source}:{number}: speaker must be "agent" or "debtor", not {speaker!r}'
            )
        flags = scan(matcher, text, speaker)
        record = {
            "id": item.get("id"),
            "categories": sorted({f.category for f in flags}),
            "flags": [_flag_json(to_dict(f)) for f in flags],
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _flag_json(data: dict[str, object]) -> dict[str, object]:
    # A scanned line has no call around it: drop the live-stream bookkeeping.
    for key in ("type", "flag_id", "state", "utterance", "t_ms"):
        data.pop(key, None)
    return data
