"""``agent-assist transcribe``: print a call's event stream, from a file or live devices."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from agent_assist import app
from agent_assist.asr.model import DecoderSettings, RecognizerSettings
from agent_assist.call.session import CallSession
from agent_assist.cli.event_text import text_line
from agent_assist.errors import StoreError, UserError
from agent_assist.events import (
    AudioLevel,
    CallEnded,
    Event,
    Partial,
    to_dict,
)
from agent_assist.settings import load_settings
from agent_assist.store.database import Database
from agent_assist.store.recordings import CallAudioRecorder
from agent_assist.store.records import UserRecord

_SPOOL_FLUSH_S = 10.0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "transcribe",
        help="transcribe a WAV file or live audio and print the event stream",
        description=(
            "Transcribe a call offline with Vosk. Without AUDIO, listen to the default "
            "input device (or --device/--device2/--channel-map) until Ctrl-C or --duration."
        ),
    )
    p.add_argument("audio", nargs="?", type=Path, metavar="AUDIO", help="a WAV file (mono/stereo)")
    p.add_argument("--model", metavar="LANG|PATH", help="zh-CN, en-US, ko or a model folder")
    p.add_argument(
        "--speakers",
        metavar="A,B",
        help="speaker labels in channel order (default: agent, or agent,debtor for stereo)",
    )
    p.add_argument("--realtime", action="store_true", help="replay a file at real-time pace")
    p.add_argument("--format", choices=("jsonl", "text"), default="jsonl")
    p.add_argument("--device", metavar="DEV", help="input device name or index (live)")
    p.add_argument("--device2", metavar="DEV", help="second device for the second speaker (live)")
    p.add_argument(
        "--channel-map",
        metavar="MAP",
        help="one multi-channel device split by channel, e.g. left=agent,right=debtor",
    )
    p.add_argument("--duration", type=float, metavar="S", help="stop live capture after S seconds")
    p.add_argument(
        "--pack",
        metavar="PACK|none",
        help="rule pack for live flags (default: the model language's bundled pack, if any)",
    )
    p.add_argument(
        "--as", dest="user", metavar="USERNAME", help="record the call as this collector's"
    )
    p.add_argument("--no-store", action="store_true", help="do not keep the transcript and flags")
    p.add_argument("--no-partials", action="store_true", help="omit partial results")
    p.add_argument(
        "--levels-ms", type=int, default=0, metavar="MS", help="print audio levels every MS ms"
    )
    p.add_argument("--alternatives", type=int, default=0, metavar="N", help="n-best finals")
    p.add_argument("--partial-words", action="store_true", help="word times in partials")
    p.add_argument("--silence-ms", type=int, metavar="MS", help="pause that ends an utterance")
    p.add_argument("--max-utterance-s", type=float, metavar="S", help="cut utterances this long")
    p.set_defaults(func=run)


def recognizer_settings(args: argparse.Namespace) -> RecognizerSettings:
    decoder = DecoderSettings(
        silence_s=args.silence_ms / 1000 if args.silence_ms is not None else None,
        max_utterance_s=args.max_utterance_s,
    )
    return RecognizerSettings(
        partial_words=args.partial_words,
        max_alternatives=max(0, args.alternatives),
        decoder=decoder,
    )


def _speakers(args: argparse.Namespace) -> tuple[str, ...]:
    if args.speakers:
        labels = tuple(s.strip() for s in args.speakers.split(",") if s.strip())
        if not labels or len(set(labels)) != len(labels):
            raise UserError("--speakers needs distinct labels, e.g. --speakers agent,debtor")
        return labels
    if args.audio is not None:
        try:
            with wave.open(str(args.audio), "rb") as wav:
                return ("agent", "debtor") if wav.getnchannels() == 2 else ("agent",)
        except (OSError, wave.Error, EOFError):
            return ("agent",)  # the source reports what is wrong with the file
    if args.device2:
        return ("agent", "debtor")
    return ("agent",)


@dataclass
class PreparedCall:
    session: CallSession
    lang: str
    audio: CallAudioRecorder | None  # the call's audio, when recording is turned on


def build_session(
    args: argparse.Namespace,
    record_audio: bool = False,
    db: Database | None = None,
    team_id: int | None = None,
) -> PreparedCall:
    settings = recognizer_settings(args)
    speakers = _speakers(args)
    if args.audio is not None:
        from agent_assist.audio.wav import probe_wav

        probe_wav(args.audio)  # a bad file is reported before the model takes seconds to load
    model = app.open_model(args.model, settings)
    if args.audio is not None:
        source = app.file_source(args.audio, speakers, model.sample_rate, args.realtime)
    else:
        from agent_assist.audio.devices import parse_channel_map

        channel_map = parse_channel_map(args.channel_map) if args.channel_map else None
        devices = (args.device,) if args.device2 is None else (args.device, args.device2)
        setup = app.LiveAudioSetup(devices=devices, channel_map=channel_map)
        source = app.live_source(setup, speakers, model.sample_rate)
    session, audio = app.rules_session(
        source,
        model,
        settings,
        args.pack,
        record_audio=record_audio,
        level_interval_ms=args.levels_ms,
        db=db,  # the active version of a bundled pack for the --as user's team
        team_id=team_id,
    )
    return PreparedCall(session, model.lang or app.DEFAULT_LANG, audio)


def _user_of(db: Database | None, username: str | None) -> UserRecord | None:
    """The user the call is recorded as (``--as``), looked up once for the whole call;
    None: no one's (no ``--as``, or ``--no-store``), so every team's versions."""
    if db is None or not username:
        return None
    from agent_assist.store.people_repo import PeopleRepository

    user = PeopleRepository(db).find(username)
    if user is None:
        raise StoreError(f"no active user named {username!r}; see `agent-assist db demo`")
    return user


def run(args: argparse.Namespace) -> int:
    return run_call(args, build_session)


def run_call(
    args: argparse.Namespace,
    build: Callable[[argparse.Namespace, bool, Database | None, int | None], PreparedCall],
) -> int:
    """Run the call ``build`` prepares (for the ``--as`` user's team): print its events and
    (unless ``--no-store``) keep them."""
    settings = load_settings()
    # The database opens first: a wrong setting is reported before the model loads.
    db = None if args.no_store else app.open_store()
    try:
        # An unknown --as user is reported before the model takes seconds to load.
        user = _user_of(db, args.user)
        team_id = user.team_id if user is not None else None
        call = build(args, db is not None and settings.record_audio, db, team_id)
        if db is None:
            return _run_session(args, call.session, None)
        recorder, writer = app.call_recorder(db, call.lang, user=user)
        try:
            return _run_session(args, call.session, recorder.record)
        finally:
            if call.audio is not None:
                app.keep_recording(db, call.session.call_id, call.audio, settings)
            if not writer.flush(timeout=_SPOOL_FLUSH_S):
                print(
                    f"agent-assist: the database is unreachable; {writer.pending} writes wait "
                    "in the spool and are sent when it is back (next start)",
                    file=sys.stderr,
                )
            writer.close()
    finally:
        if db is not None:
            db.close()


def _run_session(
    args: argparse.Namespace, session: CallSession, record: Callable[[Event], None] | None
) -> int:
    out = sys.stdout
    timer: threading.Timer | None = None
    if args.audio is None and args.duration:
        timer = threading.Timer(args.duration, session.stop)
        timer.daemon = True
    # Ctrl-C or a termination request ends the call; what was already
    # captured is still decoded and printed before the process exits.
    previous = signal.signal(signal.SIGTERM, lambda _sig, _frame: session.stop())
    session.start()
    if timer is not None:
        timer.start()
    ended: CallEnded | None = None
    try:
        ended = _print_events(session, out, args, record)
    except KeyboardInterrupt:
        session.stop()
        ended = _print_events(session, out, args, record)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if timer is not None:
            timer.cancel()
    return 1 if ended is not None and ended.reason == "source_error" else 0


def _print_events(
    session: CallSession,
    out: TextIO,
    args: argparse.Namespace,
    record: Callable[[Event], None] | None,
) -> CallEnded | None:
    for event in session.events():
        if record is not None:
            record(event)  # stored before it is shown: what the user saw is kept
        if isinstance(event, Partial) and args.no_partials:
            continue
        if isinstance(event, AudioLevel) and not args.levels_ms:
            continue
        if args.format == "jsonl":
            out.write(json.dumps(to_dict(event), ensure_ascii=False) + "\n")
        else:
            line = text_line(event)
            if line:
                out.write(line + "\n")
        out.flush()
        if isinstance(event, CallEnded):
            return event
    return None
