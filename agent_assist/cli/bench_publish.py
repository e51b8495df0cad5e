"""``agent-assist bench publish``: what following the team's published version costs a
desktop, on the shipped zh-CN rule pack and script library.

Figures: the call-start lookup when nothing changed (pack and library, for a team), the
first call after a publish (fetch and unpack of the new version), compiling the new pack
(what the desktop does between calls), the publish itself (checked with the real
loaders, then stored), and a call start while the database is away.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.engine import make_url

from agent_assist import app, paths
from agent_assist.cli.bench_db import private_schema
from agent_assist.errors import UserError
from agent_assist.publishing import active
from agent_assist.publishing.active import pack_for_call, scripts_for_call
from agent_assist.publishing.bundle import bundle
from agent_assist.store.bench import latency
from agent_assist.store.database import Database, open_database
from agent_assist.store.engine import open_engine
from agent_assist.store.library_repo import Kind, LibraryRepository
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.tables import Team

REF = "zh-CN"  # the pack id and the script library's language
LOOKUP_TARGET_MS = 10.0  # on the call-start path
FIRST_CALL_TARGET_MS = 200.0
# Nothing listens on port 9 (discard): the connection is refused, as when the server is down.
AWAY_URL = "postgresql+psycopg://nobody@127.0.0.1:9/away"
WRITER_HOLD_S = 0.2
FILES: dict[Kind, str] = {"rule_pack": "pack.yaml", "script_library": "scripts.yaml"}


def register(bench_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = bench_sub.add_parser(
        "publish",
        help="the cost of following the team's published rule pack and script library",
        description=(
            f"On the shipped {REF} rule pack and script library: times a call start's look-up "
            "of the team's active versions when nothing changed (--calls of them), then "
            "--runs times publishes a new version of both (checked with the real loaders) "
            "and times the first call after it (fetch and unpack) and compiling the new "
            "pack (done between calls); last, a call start with the database away. "
            "Without --db-url the database is SQLite in a temporary folder; with it, a "
            "private schema on that PostgreSQL server, dropped afterwards."
        ),
    )
    p.add_argument("--runs", type=_positive, default=5, help="publishes timed (default 5)")
    p.add_argument(
        "--calls", type=_positive, default=200, help="call-start look-ups timed (default 200)"
    )
    p.add_argument("--db-url", metavar="URL", help="a PostgreSQL server (default: SQLite)")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.set_defaults(func=run)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="agent-assist-bench-") as folder:
        if args.db_url is None:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            figures = measure(url, Path(folder), runs=args.runs, calls=args.calls)
        else:
            if make_url(args.db_url).get_backend_name() != "postgresql":
                raise UserError(
                    "--db-url takes a PostgreSQL server's URL (postgresql+psycopg://…); "
                    "leave it out to measure on SQLite in a temporary folder"
                )
            with private_schema(args.db_url) as url:
                figures = measure(url, Path(folder), runs=args.runs, calls=args.calls)
    print(json.dumps(figures) if args.json else as_text(figures))
    return 0


def measure(url: str, folder: Path, *, runs: int, calls: int) -> dict[str, Any]:
    """Every figure on the database at ``url``; versions are unpacked under ``folder``."""
    root = folder / "published"
    db = open_database(url)
    try:
        team = PeopleRepository(db).ensure_team(SYSTEM, "bench")
        versions = _Versions(folder / "drafts")
        call = _CallStart(db, root, team)

        # The version the desktop runs when the measuring starts, unpacked and compiled.
        versions.publish(db, 0)
        previous = call.first()
        cold_compile_s = _timed(partial(app.compiled_pack, str(previous.pack)))

        lookups = [_timed(call.lookup) for _ in range(calls)]
        publish_ms: dict[Kind, list[float]] = {"rule_pack": [], "script_library": []}
        first: dict[str, list[float]] = {"pack_ms": [], "library_ms": [], "total_ms": []}
        compile_s: list[float] = []
        for n in range(1, runs + 1):
            for kind, seconds in versions.publish(db, n).items():
                publish_ms[kind].append(seconds * 1000)
            fresh = call.first()
            if fresh.pack == previous.pack:
                raise UserError(f"the call after publish {n} did not run the new version")
            previous = fresh
            for key, ms in (("pack_ms", fresh.pack_ms), ("library_ms", fresh.library_ms)):
                first[key].append(ms)
            first["total_ms"].append(fresh.pack_ms + fresh.library_ms)
            compile_s.append(_timed(partial(app.compiled_pack, str(fresh.pack))))
        behind = _behind_writer(url, call, team) if db.embedded else None
        away = _away(root, team, calls)
    finally:
        db.close()
    return {
        "backend": make_url(url).get_backend_name(),
        "ref": REF,
        "runs": runs,
        "bundle_kb": versions.sizes_kb,
        "lookup_target_ms": LOOKUP_TARGET_MS,
        "first_call_target_ms": FIRST_CALL_TARGET_MS,
        "lookup": asdict(latency(lookups)),
        "first_call": {
            **{key: _median(values) for key, values in first.items()},
            "total_max_ms": round(max(first["total_ms"]), 2),
        },
        "compile": {"median_s": _median(compile_s, 3), "cold_s": round(cold_compile_s, 3)},
        "publish": {
            "pack_ms": _median(publish_ms["rule_pack"], 1),
            "library_ms": _median(publish_ms["script_library"], 1),
        },
        "away": away,
        # SQLite: a call start while another connection's write transaction is open.
        "behind_writer": behind,
    }


class _Versions:
    """New versions of the shipped pack and library: each the shipped files with one more
    comment line, so each publish stores new content under a new version number."""

    def __init__(self, drafts: Path) -> None:
        self._drafts = drafts
        self.sizes_kb: dict[str, float] = {}

    def publish(self, db: Database, n: int) -> dict[Kind, float]:
        """Publish version ``n`` of both for every team; seconds each publish took."""
        library = LibraryRepository(db)
        took: dict[Kind, float] = {}
        shipped: dict[Kind, Path] = {
            "rule_pack": paths.resources_dir() / "packs" / REF,
            "script_library": paths.resources_dir() / "scripts" / REF,
        }
        for kind, folder in shipped.items():
            content = self._content(kind, folder, n)
            self.sizes_kb[kind] = round(len(content.encode("utf-8")) / 1024, 1)
            started = time.perf_counter()
            library.publish(SYSTEM, kind, REF, f"bench-{n}", content)
            took[kind] = time.perf_counter() - started
        return took

    def _content(self, kind: Kind, shipped: Path, n: int) -> str:
        draft = self._drafts / kind / str(n) / REF
        shutil.copytree(shipped, draft)
        main = draft / FILES[kind]
        text = main.read_text(encoding="utf-8")
        main.write_text(f"{text.rstrip(chr(10))}\n# bench version {n}\n", encoding="utf-8")
        return bundle(draft)


@dataclass(frozen=True)
class _FirstCall:
    pack: Path
    pack_ms: float
    library_ms: float


class _CallStart:
    """What a desktop of ``team`` asks at each call start."""

    def __init__(self, db: Database, root: Path, team: int) -> None:
        self._db, self._root, self._team = db, root, team

    def lookup(self) -> tuple[str, Path]:
        pack = pack_for_call(self._db, REF, root=self._root, team_id=self._team)
        library = scripts_for_call(self._db, REF, root=self._root, team_id=self._team)
        return pack, library

    def first(self) -> _FirstCall:
        """The first call after a publish: each new version fetched and unpacked."""
        started = time.perf_counter()
        pack = pack_for_call(self._db, REF, root=self._root, team_id=self._team)
        unpacked = time.perf_counter()
        library = scripts_for_call(self._db, REF, root=self._root, team_id=self._team)
        done = time.perf_counter()
        if Path(pack).parent.parent != self._root / "rule_pack" / REF:
            raise UserError(f"the call did not run the published pack but {pack}")
        if not (library / FILES["script_library"]).is_file():
            raise UserError(f"the call did not find the published script library in {library}")
        return _FirstCall(Path(pack), (unpacked - started) * 1000, (done - unpacked) * 1000)


def _behind_writer(url: str, call: _CallStart, team: int) -> dict[str, float]:
    """A call-start look-up while another connection to the same SQLite file (the last
    call's recorder, the spool, another program) holds a write transaction for
    ``WRITER_HOLD_S``: how long the call start waits for it."""
    writer = Database(open_engine(url))
    held, release = threading.Event(), threading.Event()

    def write() -> None:
        with writer.session() as session:
            session.execute(update(Team).where(Team.id == team).values(name=Team.name))
            held.set()
            release.wait(WRITER_HOLD_S)

    thread = threading.Thread(target=write, name="bench-writer")
    thread.start()
    try:
        held.wait()
        lookup_s = _timed(call.lookup)
    finally:
        release.set()
        thread.join()
        writer.close()
    return {"hold_ms": WRITER_HOLD_S * 1000, "lookup_ms": round(lookup_s * 1000, 2)}


def _away(root: Path, team: int, calls: int) -> dict[str, Any]:
    """Call starts while the database is away: the first one finds out (the connection is
    refused here; a server that does not answer costs its connect timeout), the next ones
    within ``RETRY_S`` use the version unpacked last without asking."""
    engine = open_engine(AWAY_URL)
    attempts: list[object] = []
    event.listen(engine, "do_connect", lambda *_args: attempts.append(None))
    db = Database(engine)
    call = _CallStart(db, root, team)
    try:
        with _quiet(active.log):  # the warning a desktop logs once per failure
            first_s = _timed(call.lookup)
            after = [_timed(call.lookup) for _ in range(calls)]
            pack, _library = call.lookup()
    finally:
        db.close()
    if Path(pack).parent.parent != root / "rule_pack" / REF:
        raise UserError(f"with the database away the call did not keep the last version: {pack}")
    return {
        "first_ms": round(first_s * 1000, 2),
        "after": asdict(latency(after)),
        "server_asked": len(attempts),  # over the 2 + ``calls`` call starts
    }


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _median(values: list[float], digits: int = 2) -> float:
    return round(statistics.median(values), digits)


def as_text(f: dict[str, Any]) -> str:
    lookup, first, away, behind = f["lookup"], f["first_call"], f["away"], f["behind_writer"]

    def verdict(value: float, target: float) -> str:
        return "ok" if value < target else f"over the {target:g} ms target"

    return "\n".join(
        [
            f"{f['backend']}, {f['ref']} pack ({f['bundle_kb']['rule_pack']} KB) and script "
            f"library ({f['bundle_kb']['script_library']} KB), {f['runs']} publishes",
            f"call-start look-up, nothing changed: p50 {lookup['p50_ms']} ms, p95 "
            f"{lookup['p95_ms']} ms ({verdict(lookup['p95_ms'], f['lookup_target_ms'])}), "
            f"max {lookup['max_ms']} ms over {lookup['count']} calls",
            f"first call after a publish (fetch + unpack): {first['total_ms']} ms "
            f"({verdict(first['total_ms'], f['first_call_target_ms'])}; pack "
            f"{first['pack_ms']} ms, library {first['library_ms']} ms, max "
            f"{first['total_max_ms']} ms)",
            f"compiling the new pack, between calls: {f['compile']['median_s']} s (the "
            f"first in the process: {f['compile']['cold_s']} s)",
            f"publish (checked + stored): pack {f['publish']['pack_ms']} ms, library "
            f"{f['publish']['library_ms']} ms",
            f"database away: first call start {away['first_ms']} ms, the next ones p50 "
            f"{away['after']['p50_ms']} ms, max {away['after']['max_ms']} ms (the server "
            f"asked {away['server_asked']} time(s) in {away['after']['count'] + 2} call starts)",
        ]
        + (
            [
                f"call-start look-up while another connection writes for "
                f"{behind['hold_ms']:g} ms: {behind['lookup_ms']} ms"
            ]
            if behind
            else []
        )
    )
