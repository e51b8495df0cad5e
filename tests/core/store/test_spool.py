"""Team mode: when the server goes away mid-call, writes wait in a local spool."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from agent_assist.events import Event
from agent_assist.store.call_log import CallOps, Op, apply_op
from agent_assist.store.database import Database, open_database
from agent_assist.store.spool import SpoolingWriter
from agent_assist.store.tables import FlagRow, Segment
from tests.core.store.builders import ended, final, flag, started
from tests.support import databases
from tests.support.tcp_proxy import TcpProxy


@pytest.fixture
def proxied_pg(pg_database_url: str) -> Iterator[tuple[TcpProxy, Database]]:
    databases.reset_schema(pg_database_url)
    url = make_url(pg_database_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432)).start()
    db = open_database(url.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
    yield proxy, db
    db.close()
    proxy.close()


def count(db: Database, table: type[Segment] | type[FlagRow]) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_writes_survive_a_server_outage_without_loss_or_duplicates(
    proxied_pg: tuple[TcpProxy, Database], tmp_path: Path
) -> None:
    proxy, db = proxied_pg
    ops = CallOps(str)
    writer = SpoolingWriter(lambda op: apply_op(db, op), tmp_path, retry_s=0.1)
    try:
        before: list[Event] = [started(), final(0, "before the outage"), flag("f0", "raised")]
        for event in before:
            for op in ops.ops_for(event):
                writer.write(op)
        assert writer.pending == 0
        proxy.cut()
        for i in range(1, 6):
            for op in ops.ops_for(final(i, f"during the outage {i}")):
                writer.write(op)
        for op in ops.ops_for(flag("f0", "confirmed")) + ops.ops_for(ended()):
            writer.write(op)
        assert writer.pending == 7
        assert list(tmp_path.glob("spool-*.jsonl"))
        proxy.restore()
        assert writer.flush(timeout=30)
    finally:
        writer.close()
    assert count(db, Segment) == 6
    assert count(db, FlagRow) == 1
    with db.session() as session:
        assert session.scalar(select(FlagRow.state)) == "confirmed"
    assert not list(tmp_path.glob("spool-*.jsonl"))


def test_a_spool_left_by_a_crashed_process_is_replayed(db: Database, tmp_path: Path) -> None:
    ops = CallOps(str)
    lines: list[Op] = []
    crashed: list[Event] = [started(), final(0, "a"), final(1, "b")]
    for event in crashed:
        lines += ops.ops_for(event)
    text = "".join(json.dumps(op) + "\n" for op in lines)
    # The crash cut the last line short: it was never acknowledged, so it is dropped.
    (tmp_path / "spool-old.jsonl").write_text(text + '{"op": "segm', encoding="utf-8")
    writer = SpoolingWriter(lambda op: apply_op(db, op), tmp_path, retry_s=0.1)
    try:
        assert writer.flush(timeout=30)
    finally:
        writer.close()
    assert count(db, Segment) == 2
    assert not list(tmp_path.glob("spool-*"))


def test_a_refused_write_is_kept_aside_not_dropped(db: Database, tmp_path: Path) -> None:
    writer = SpoolingWriter(lambda op: apply_op(db, op), tmp_path, retry_s=0.1)
    try:
        with pytest.raises(ValueError, match="unknown write operation"):
            writer.write({"op": "nonsense"})
    finally:
        writer.close()


def test_a_spool_whose_writer_still_runs_is_left_to_it(db: Database, tmp_path: Path) -> None:
    ops = CallOps(str)
    away: list[Op] = []

    def unreachable(op: Op) -> None:
        away.append(op)
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("server away"))

    desktop = SpoolingWriter(unreachable, tmp_path, retry_s=60)
    try:
        for event in (started(), final(0, "a"), final(1, "b")):
            for op in ops.ops_for(event):
                desktop.write(op)
        assert desktop.pending == 3
        # A second program on the same computer starts while the desktop still runs.
        trainer = SpoolingWriter(lambda op: apply_op(db, op), tmp_path, retry_s=0.1)
        try:
            assert trainer.pending == 0, "the desktop's spool stays the desktop's"
        finally:
            trainer.close()
    finally:
        desktop.close()
    assert count(db, Segment) == 0

    after = SpoolingWriter(lambda op: apply_op(db, op), tmp_path, retry_s=0.1)
    try:
        assert after.flush(timeout=30), "a closed writer's spool is taken over"
    finally:
        after.close()
    assert count(db, Segment) == 2
    assert not list(tmp_path.glob("spool-*"))
