"""``agent-assist bench db``: the review queue on a large history, and many desktops writing."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from agent_assist.errors import UserError
from agent_assist.store import bench, bench_data
from agent_assist.store.database import open_database
from agent_assist.store.engine import open_engine

PG_ENV = ("AGENT_ASSIST_BENCH_PG_URL", "AGENT_ASSIST_TEST_PG_URL")
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def register(bench_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = bench_sub.add_parser(
        "db",
        help="review-queue query time on a large history; concurrent writers on PostgreSQL",
        description=(
            "Generates --calls calls and --flags flags, then times the team lead's review "
            "queue (filters plus the first page of 50) on SQLite and PostgreSQL, and "
            "--writers desktops recording calls into PostgreSQL at once (commit latency). "
            "PostgreSQL work happens in a private schema that is dropped afterwards."
        ),
    )
    p.add_argument("--calls", type=int, default=200_000)
    p.add_argument("--flags", type=int, default=1_000_000)
    p.add_argument("--queries", type=int, default=400, help="review-queue queries per backend")
    p.add_argument("--writers", type=int, default=50, help="concurrent desktops (PostgreSQL)")
    p.add_argument("--ops", type=int, default=30, help="writes per desktop")
    p.add_argument(
        "--interval-s",
        type=float,
        default=1.0,
        help="seconds between a desktop's writes (a live call writes one every 2-3 s)",
    )
    p.add_argument(
        "--backend", choices=("both", "sqlite", "postgresql"), default="both", help="default: both"
    )
    p.add_argument("--pg-url", help=f"PostgreSQL server (default: ${PG_ENV[0]} or {DEFAULT_PG})")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    figures: dict[str, Any] = {"calls": args.calls, "flags": args.flags}
    if args.backend in ("both", "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            figures["sqlite"] = _measure(f"sqlite:///{Path(folder) / 'bench.db'}", args, False)
    if args.backend in ("both", "postgresql"):
        with private_schema(bench_server(args)) as url:
            figures["postgresql"] = _measure(url, args, True)
    if args.json:
        print(json.dumps(figures))
    else:
        print(_as_text(figures))
    return 0


def bench_server(args: argparse.Namespace) -> str:
    """The PostgreSQL server a benchmark uses: --pg-url, the environment, or the default."""
    return str(args.pg_url or next((os.environ[v] for v in PG_ENV if v in os.environ), DEFAULT_PG))


@contextmanager
def private_schema(server: str) -> Iterator[str]:
    """A URL into a schema of its own on ``server``, dropped with what is in it afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = open_engine(server)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        raise UserError(f"cannot use the PostgreSQL server {server}: {exc}") from exc
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _measure(url: str, args: argparse.Namespace, writers: bool) -> dict[str, Any]:
    db = open_database(url)
    try:
        started = time.perf_counter()
        bench_data.populate(db, calls=args.calls, flags=args.flags)
        result: dict[str, Any] = {"populate_s": round(time.perf_counter() - started, 1)}
        bench.review_queue(db, queries=min(20, args.queries), teams=20)  # warm the cache
        result["review_queue"] = asdict(bench.review_queue(db, queries=args.queries, teams=20))
    finally:
        db.close()
    if writers:
        result["writers"] = args.writers
        result["commit"] = asdict(
            bench.concurrent_writers(
                url, writers=args.writers, ops_each=args.ops, interval_s=args.interval_s
            )
        )
    return result


def _as_text(figures: dict[str, Any]) -> str:
    lines = [f"{figures['calls']:,} calls, {figures['flags']:,} flags"]
    for backend in ("sqlite", "postgresql"):
        if backend not in figures:
            continue
        f = figures[backend]
        q = f["review_queue"]
        lines.append(
            f"{backend}: review queue p50 {q['p50_ms']} ms, p95 {q['p95_ms']} ms, "
            f"max {q['max_ms']} ms over {q['count']} queries (data made in {f['populate_s']} s)"
        )
        if "commit" in f:
            c = f["commit"]
            lines.append(
                f"{backend}: {f['writers']} concurrent writers, commit p50 {c['p50_ms']} ms, "
                f"p95 {c['p95_ms']} ms, max {c['max_ms']} ms over {c['count']} writes"
            )
    return "\n".join(lines)
