"""``agent-assist demo-call``: replay a scripted call through the live call session.

No speech model and no microphone: a demo dialogue is "spoken" at real-time
pace (or ``--speed`` times faster) and goes through the same session, rule
engine, printing and recording as ``agent-assist transcribe``.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import date

from agent_assist import app
from agent_assist.call.demo import DemoDialogue, ScriptedCallSource, load_dialogues
from agent_assist.cli.transcribe_cmd import PreparedCall, run_call
from agent_assist.errors import UserError

DEFAULT_DIALOGUE = "zh-workplace-threat"  # flags, a missing statement, partials: every panel


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo-call",
        help="replay a scripted demo call through the live call session",
        description=(
            "Replay one of the demo dialogues as if it were a live call, with no speech "
            "model or microphone, and print the event stream as `transcribe` does."
        ),
    )
    p.add_argument("--speed", type=float, default=1.0, metavar="X", help="replay X times faster")
    p.add_argument(
        "--dialogue", default=DEFAULT_DIALOGUE, metavar="ID", help="which dialogue (see --list)"
    )
    p.add_argument("--list", action="store_true", help="list the demo dialogues and exit")
    p.add_argument("--format", choices=("jsonl", "text"), default="jsonl")
    p.add_argument(
        "--pack",
        metavar="PACK|none",
        help="rule pack for live flags (default: the dialogue language's bundled pack)",
    )
    p.add_argument(
        "--as", dest="user", metavar="USERNAME", help="record the call as this collector's"
    )
    p.add_argument("--no-store", action="store_true", help="do not keep the transcript and flags")
    p.add_argument("--no-partials", action="store_true", help="omit partial results")
    p.add_argument(
        "--levels-ms", type=int, default=0, metavar="MS", help="print audio levels every MS ms"
    )
    # What transcribe's shared call runner reads: a replay has no file and no time limit.
    p.set_defaults(func=run, audio=None, duration=None)


def run(args: argparse.Namespace) -> int:
    dialogues = load_dialogues(date.today())
    if args.list:
        for d in dialogues.values():
            print(f"{d.id:<24} {d.language:<6} {len(d.turns):>2} turns  {d.outcome}")
        return 0
    dialogue = dialogues.get(args.dialogue)
    if dialogue is None:
        raise UserError(f"no demo dialogue {args.dialogue!r}; see `agent-assist demo-call --list`")
    if not args.speed > 0:
        raise UserError(f"--speed must be above 0 (got {args.speed}); e.g. --speed 10")

    # No audio is kept, whatever the settings say: the demo's "audio" is a hum.
    return run_call(args, lambda parsed, _audio, _db, _team: _prepare(parsed, dialogue))


def _prepare(args: argparse.Namespace, dialogue: DemoDialogue) -> PreparedCall:
    pack = args.pack if args.pack is not None else dialogue.pack
    analyzers = app.live_analyzers(pack) if pack != "none" else []
    interval = args.levels_ms or (app.TONE_LEVEL_MS if analyzers else 0)
    source = ScriptedCallSource(dialogue, speed=args.speed)
    session = app.demo_session(source, interval, analyzers, call_id=uuid.uuid4().hex)
    return PreparedCall(session, dialogue.language, None)
