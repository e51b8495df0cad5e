"""A drill's writes as operations: the start, each line, the end.

Like a call's (``call_log``), each operation is a plain JSON-ready dict whose text
is already masked, commits on its own and is idempotent: keyed by the drill's
client-made key (and the turn number for a line), so the spool can replay them
after an outage without duplicates. ``call_log.apply_op`` hands them here, so a
spool left by any process replays drills and calls alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from agent_assist.errors import StoreError
from agent_assist.store.tables import DrillSession, DrillTurn

DRILL_OPS = frozenset({"drill_started", "drill_turn", "drill_finished"})


def started_op(
    key: str,
    *,
    user_id: int,
    scenario: str,
    language: str,
    pack_ref: str,
    pack_version: str,
    started_at: datetime,
) -> dict[str, Any]:
    return {
        "op": "drill_started",
        "key": key,
        "user_id": user_id,
        "scenario": scenario,
        "language": language,
        "pack_ref": pack_ref,
        "pack_version": pack_version,
        "started_at": started_at.isoformat(),
    }


def turn_op(
    key: str,
    *,
    turn: int,
    speaker: str,
    text: str,
    flags: Sequence[Mapping[str, Any]],
    at: datetime,
) -> dict[str, Any]:
    """One line; ``text`` and ``flags`` masked already."""
    return {
        "op": "drill_turn",
        "key": key,
        "turn": turn,
        "speaker": speaker,
        "text": text,
        "flags": [dict(flag) for flag in flags],
        "at": at.isoformat(),
    }


def finished_op(
    key: str, *, score: float, report: Mapping[str, Any], ended_at: datetime
) -> dict[str, Any]:
    """The end; ``report`` masked already."""
    return {
        "op": "drill_finished",
        "key": key,
        "score": score,
        "report": dict(report),
        "ended_at": ended_at.isoformat(),
    }


def apply_drill_op(conn: Connection, op: Mapping[str, Any]) -> None:
    """Apply one drill operation on ``conn`` (in its caller's transaction); twice is harmless."""
    kind = op["op"]
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    if kind == "drill_started":
        row = insert(DrillSession).values(
            key=op["key"],
            user_id=op["user_id"],
            scenario_id=op["scenario"],
            language=op["language"],
            pack_ref=op["pack_ref"],
            pack_version=op["pack_version"],
            started_at=datetime.fromisoformat(op["started_at"]),
        )
        conn.execute(row.on_conflict_do_nothing(index_elements=["key"]))
    elif kind == "drill_turn":
        line = insert(DrillTurn).values(
            session_id=_session_id(conn, op["key"]),
            turn=op["turn"],
            speaker=op["speaker"],
            text=op["text"],
            flags=json.dumps(op["flags"]),
            at=datetime.fromisoformat(op["at"]),
        )
        conn.execute(line.on_conflict_do_nothing(index_elements=["session_id", "turn"]))
    elif kind == "drill_finished":
        _session_id(conn, op["key"])
        conn.execute(
            update(DrillSession)
            .where(DrillSession.key == op["key"])
            .values(
                ended_at=datetime.fromisoformat(op["ended_at"]),
                score=op["score"],
                report=json.dumps(op["report"], ensure_ascii=False),
            )
        )
    else:
        raise ValueError(f"unknown drill operation {kind!r}")


def _session_id(conn: Connection, key: str) -> int:
    found = conn.scalar(select(DrillSession.id).where(DrillSession.key == key))
    if found is None:
        # Never silently dropped: the spool keeps a refused operation aside.
        raise StoreError(f"no drill with key {key}: its start was never stored")
    return found
