"""``agent-assist drill``: role-play drills with the app as the debtor (docs/training.md).

``run`` shows (and with ``--speak`` says) the debtor's lines and takes the trainee's
answers typed on standard input, one line each, or spoken into the microphone
(``--voice``: the real speech model, the trainee as speaker ``agent``). Every line is
stored as it is said; Ctrl+C or the end of input ends the drill with a partial report.
When the database stops answering mid-drill, the drill goes on: its writes wait in the
local spool (as a live call's do) and are stored when it answers.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

from agent_assist import app, paths
from agent_assist.errors import UserError
from agent_assist.events import AudioLevel, Final
from agent_assist.store.people_repo import SYSTEM, PeopleRepository

if TYPE_CHECKING:
    from agent_assist.call.session import CallSession
    from agent_assist.training.drill import Drill
    from agent_assist.training.scenario import Scenario

# The rule engine and the speech model load only when a command needs them.

KEPT = (
    "The database is not answering; this drill is kept on this computer and saved when it answers."
)
SPOOL_FLUSH_S = 10.0  # at the end, how long a drill waits for the database to take its writes


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("drill", help="role-play drills: the app plays the debtor")
    actions = parser.add_subparsers(dest="drill_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the drill scenarios")
    listing.add_argument("--language", metavar="LANG", help="only this language, e.g. zh-CN")
    listing.set_defaults(func=run_list)
    run = actions.add_parser(
        "run",
        help="play a scenario: answer each debtor line by typing (default) or speaking",
        description="Typed answers are read from standard input, one line per answer.",
    )
    run.add_argument("scenario", metavar="SCENARIO", help="a scenario id or a scenario file")
    run.add_argument("--as", dest="username", metavar="USERNAME", required=True)
    how = run.add_mutually_exclusive_group()
    how.add_argument("--type", dest="voice", action="store_false", help="type answers (default)")
    how.add_argument("--voice", action="store_true", help="speak answers into the microphone")
    run.add_argument("--speak", action="store_true", help="say the debtor's lines (espeak-ng)")
    run.add_argument("--pack", metavar="PACK", help="score with this rule pack (id or folder)")
    run.add_argument("--model", metavar="LANG|PATH", help="speech model for --voice")
    run.add_argument("--device", metavar="DEV", help="microphone for --voice (name or index)")
    run.set_defaults(func=run_drill, voice=False)
    history = actions.add_parser("history", help="drills you may see, newest first")
    history.add_argument("--as", dest="username", metavar="USERNAME", help="who asks")
    history.add_argument("--user", metavar="USERNAME", help="one trainee's drills only")
    history.set_defaults(func=run_history)
    report = actions.add_parser("report", help="a drill's session report")
    report.add_argument("session", type=int, metavar="SESSION_ID")
    report.add_argument("--as", dest="username", metavar="USERNAME", help="who asks")
    report.add_argument("--json", action="store_true", help="the report as JSON")
    report.set_defaults(func=run_report)


def run_list(args: argparse.Namespace) -> int:
    from agent_assist.rules.taxonomy import load_taxonomy
    from agent_assist.training.scenario import bundled_scenarios

    for s in bundled_scenarios(load_taxonomy().keys()):
        if args.language and s.language != args.language:
            continue
        print(f"{s.id}\t{s.language}\t{s.stage}\t{s.title}")
    return 0


def run_drill(args: argparse.Namespace) -> int:
    from agent_assist.privacy import mask_text
    from agent_assist.rules.taxonomy import load_taxonomy
    from agent_assist.store.call_log import apply_op
    from agent_assist.store.drills_repo import DrillRepository
    from agent_assist.store.spool import SpoolingWriter
    from agent_assist.training.drill import Drill, Turn
    from agent_assist.training.scenario import find_scenario

    cue_ids = load_taxonomy().keys()
    scenario = find_scenario(args.scenario, cue_ids)
    db = app.open_store()
    writer = SpoolingWriter(lambda op: apply_op(db, op), paths.data_dir() / "spool")
    try:
        actor = PeopleRepository(db).actor(args.username)
        spec = args.pack or scenario.pack_spec()
        rules, library = app.drill_rules(db, spec, scenario.language, actor.team_id)
        pack = rules.pack
        region = app.mask_region(scenario.language)
        repo = DrillRepository(db, lambda text: mask_text(text, region), writer=writer)
        told = False

        def keep(turn: Turn) -> None:
            nonlocal told
            repo.keep(actor, key, turn)
            if repo.kept_locally and not told:
                told = True
                print(f"agent-assist: {KEPT}", file=sys.stderr, flush=True)

        # Everything that can refuse (the scenario against its pack, the speech model)
        # before the drill is stored, so a refused drill leaves no empty session behind.
        drill = Drill(
            scenario,
            rules,
            library=library,
            mode="voice" if args.voice else "typed",
            on_turn=keep,
        )
        call = _voice_session(args) if args.voice else None
        key = repo.start(actor, scenario.id, scenario.language, pack.info.id, pack.info.version)
        say = _debtor_voice(scenario.language) if args.speak else None
        answers = _spoken(call, drill.on_level) if call is not None else None
        _print_brief(scenario, pack.info.id, pack.info.version)
        try:
            _converse(drill, say, answers)
        except KeyboardInterrupt:
            print("\n(drill stopped)")
        finally:
            if answers is not None:
                answers.close()  # stops the microphone
        report = drill.report()
        repo.finish(actor, key, report.score, report.to_dict())
        stored = repo.wait_stored(SPOOL_FLUSH_S)
        session_id = repo.session_id(key) if stored else None
    finally:
        writer.close()
        db.close()
    for line in report_lines(report.to_dict()):
        print(line)
    _tell_where(session_id, writer.pending)
    return 0


def _tell_where(session_id: int | None, waiting: int) -> None:
    if session_id is not None:
        print(f"drill {session_id} stored; `agent-assist drill report {session_id}` shows it again")
        return
    print(
        f"agent-assist: the database is still not answering; this drill ({waiting} writes) "
        "is kept on this computer and saved when it answers, by the next agent-assist "
        "command or window that writes to it",
        file=sys.stderr,
    )


def _converse(
    drill: Drill, say: Callable[[str], None] | None, answers: Iterator[Final] | None
) -> None:
    line: str | None = drill.begin()
    while line is not None:
        print(f"debtor> {line}", flush=True)
        if say is not None:
            say(line)
        if drill.finished:
            return  # the debtor hung up
        if answers is None:
            answer = _typed()
            if answer is None:
                return
            result = drill.answer(answer)
        else:
            final = next(answers, None)
            if final is None:
                return
            print(f"you> {final.text}")
            result = drill.answer_final(final)
        for flag in result.turn.flags:
            print(f"  ! {flag.severity} {flag.rule_id}: {flag.explanation}")
        for cue in result.tone:
            print(f"  ~ {cue.message}")
        line = result.next_line


def _typed() -> str | None:
    """The next non-empty answer; None at the end of input."""
    while True:
        if sys.stdin.isatty():
            print("you> ", end="", flush=True)
        text = sys.stdin.readline()
        if not text:
            return None
        if text.strip():
            if not sys.stdin.isatty():
                print(f"you> {text.strip()}")  # piped answers: the transcript reads whole
            return text.strip()


def _voice_session(args: argparse.Namespace) -> CallSession:
    """A call over the microphone with the trainee as its one speaker."""
    from agent_assist.asr.model import RecognizerSettings

    model = app.open_model(args.model, RecognizerSettings())
    return app.answering_session(model, app.LiveAudioSetup(devices=(args.device,)))


def _spoken(
    session: CallSession, on_level: Callable[[AudioLevel], None]
) -> Generator[Final, None, None]:
    """The trainee's answers (``training/listen.py``); SIGTERM stops the call too."""
    from agent_assist.training.listen import spoken_answers

    previous = signal.signal(signal.SIGTERM, lambda _sig, _frame: session.stop())
    answers = spoken_answers(session, on_level)
    try:
        yield from answers
    finally:
        answers.close()
        signal.signal(signal.SIGTERM, previous)


def _debtor_voice(language: str) -> Callable[[str], None] | None:
    from agent_assist.training.speech import debtor_voice

    def warn(message: str) -> None:
        print(f"agent-assist: {message}", file=sys.stderr)

    return debtor_voice(language, warn)


def _print_brief(scenario: Scenario, pack_id: str, version: str) -> None:
    b = scenario.brief
    print(f"{scenario.title} [{scenario.id}, scored by {pack_id} {version}]")
    product = f"{b.product}, " if b.product else ""
    print(f"  debtor {b.debtor}: {product}{b.amount} {b.currency}, {b.days_overdue} days overdue")
    print(f"  {b.situation}")
    if b.goal:
        print(f"  goal: {b.goal}")


def report_lines(report: dict[str, Any]) -> list[str]:
    """A session report (as stored) for reading in a terminal."""
    state = "" if report["complete"] else " (ended early: scored on the turns so far)"
    lines = [f"score {report['score']:.1f} / 100{state}"]
    for c in report["components"]:
        shown = "-" if c["score"] is None else f"{c['score']:.1f}"
        lines.append(f"  {c['name']:<11}{shown:>6}  {c['detail']}")
    if report["practise"]:
        lines.append("practise:")
        lines += [f"  - {advice}" for advice in report["practise"]]
    return lines


def run_history(args: argparse.Namespace) -> int:
    from agent_assist.store.drills_repo import DrillRepository

    db = app.open_store()
    try:
        people = PeopleRepository(db)
        actor = people.actor(args.username) if args.username else SYSTEM
        user_id = people.actor(args.user).user_id if args.user else None
        for d in DrillRepository(db, str).history(actor, user_id):
            score = "unfinished" if d.ended_at is None else f"score {d.score:.1f}"
            when = d.started_at.isoformat(timespec="minutes")
            print(f"{d.id}\t{when}\t{d.username}\t{d.scenario_id}\t{score}")
    finally:
        db.close()
    return 0


def run_report(args: argparse.Namespace) -> int:
    from agent_assist.store.drills_repo import DrillRepository

    db = app.open_store()
    try:
        actor = PeopleRepository(db).actor(args.username) if args.username else SYSTEM
        detail = DrillRepository(db, str).get(actor, args.session)
    finally:
        db.close()
    if detail.report is None:
        raise UserError(f"drill {args.session} has no report yet: it has not been finished")
    if args.json:
        print(json.dumps(detail.report, ensure_ascii=False, indent=2))
        return 0
    s = detail.summary
    print(f"drill {s.id}: {s.username}, {s.scenario_id} ({s.pack_ref} {s.pack_version})")
    for turn in detail.turns:
        print(f"  {turn.turn:>2} {turn.speaker}> {turn.text}")
    for line in report_lines(detail.report):
        print(line)
    return 0
