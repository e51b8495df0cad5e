"""``agent-assist db``: create or migrate the database, show where it is, load demo data."""

from __future__ import annotations

import argparse

from agent_assist import app
from agent_assist.settings import load_settings
from agent_assist.store import migrate
from agent_assist.store.engine import describe, open_engine, resolve_url


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("db", help="the database: upgrade, path, demo")
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    actions.add_parser(
        "upgrade", help="create the database or migrate it to this version"
    ).set_defaults(func=run_upgrade)
    actions.add_parser("path", help="print which database this desktop uses").set_defaults(
        func=run_path
    )
    actions.add_parser(
        "purge", help="delete call recordings past their retention period"
    ).set_defaults(func=run_purge)
    demo = actions.add_parser("demo", help="load the demo team, cases and past calls")
    demo.add_argument("--seed", type=int, default=7, help="the same seed gives the same data")
    demo.set_defaults(func=run_demo)


def run_upgrade(args: argparse.Namespace) -> int:
    url = resolve_url(load_settings().database_url)
    engine = open_engine(url)
    try:
        before, after = migrate.upgrade(engine)
    finally:
        engine.dispose()
    if before == after:
        print(f"{describe(url)} is up to date (revision {after})")
    else:
        print(f"{describe(url)}: migrated from {before or 'empty'} to revision {after}")
    return 0


def run_path(args: argparse.Namespace) -> int:
    print(describe(resolve_url(load_settings().database_url)))
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from agent_assist.store.demo import load_demo

    db = app.open_store()
    try:
        summary = load_demo(db, seed=args.seed)
    finally:
        db.close()
    print(f"demo data in {db.url}: {summary}")
    return 0


def run_purge(args: argparse.Namespace) -> int:
    from agent_assist.store.recordings import purge_expired

    db = app.open_store()
    try:
        removed = purge_expired(db)
    finally:
        db.close()
    print(f"{removed} expired recordings deleted")
    return 0
