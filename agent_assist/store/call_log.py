"""Writes a live call as it happens: the call row, final segments, flags, the end.

The event stream becomes *write operations* (plain JSON-ready dicts, personal
numbers already masked). Each operation commits on its own, so a crash loses
nothing that was final, and each is idempotent (keyed by call id + speaker +
utterance, or call id + flag id), so a spool can replay them after an outage
without duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, String, case, cast, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from agent_assist.events import CallEnded, CallStarted, Event, Final, Flag, RequirementMissed
from agent_assist.store.database import Database
from agent_assist.store.drill_ops import DRILL_OPS, apply_drill_op
from agent_assist.store.records import SEVERITY_RANK
from agent_assist.store.tables import Base, Call, FlagRow, Segment

Op = dict[str, Any]
# PostgreSQL channel told of every call and flag write (payload: the call's team id),
# so the live floor view (store/floor.py) wakes at once instead of at its next poll.
FLOOR_CHANNEL = "agent_assist_floor"
Masker = Callable[[str], str]


class CallOps:
    """Turns the events of one call into write operations."""

    def __init__(
        self,
        mask: Masker,
        *,
        user_id: int | None = None,
        team_id: int | None = None,
        case_id: int | None = None,
    ) -> None:
        self._mask = mask
        self._owner = {"user_id": user_id, "team_id": team_id, "case_id": case_id}
        self._call_id: str | None = None
        self._started_at: str | None = None

    def ops_for(self, event: Event) -> list[Op]:
        if isinstance(event, CallStarted):
            self._call_id = event.call_id
            self._started_at = event.started_at
            return [self._started_op(event)]
        if self._call_id is None:
            return []
        op: Op | None = None
        if isinstance(event, Final) and event.text.strip():
            op = self._segment_op(self._call_id, event)
        elif isinstance(event, Flag):
            op = self._flag_op(event)
        elif isinstance(event, RequirementMissed):
            op = _requirement_op(self._call_id, event)
        elif isinstance(event, CallEnded):
            op = self._ended_op(self._call_id, event)
        return [op] if op else []

    def _ended_op(self, call_id: str, event: CallEnded) -> Op:
        return {
            "op": "call_ended",
            "call_id": call_id,
            "started_at": self._started_at,
            "duration_ms": event.t_ms,
            "end_reason": event.reason,
        }

    def _started_op(self, event: CallStarted) -> Op:
        return {
            "op": "call_started",
            "call_id": event.call_id,
            "started_at": event.started_at,
            "audio_setup": event.source[:200],
            "model": event.model[:100],
            **self._owner,
        }

    def _segment_op(self, call_id: str, event: Final) -> Op:
        return {
            "op": "segment",
            "call_id": call_id,
            "speaker": event.speaker,
            "utterance": event.utterance,
            "start_ms": event.start_ms,
            "end_ms": event.end_ms,
            "text": self._mask(event.text),
            "confidence": event.confidence,
        }

    def _masked_span(self, flag: Flag) -> str:
        # Mask the whole utterance first: a span may hold only part of a number,
        # which alone would not be recognised as one.
        masked = self._mask(flag.text)
        if len(masked) == len(flag.text):
            return masked[flag.start : flag.end]
        return self._mask(flag.text[flag.start : flag.end])

    def _flag_op(self, flag: Flag) -> Op:
        return {
            "op": "flag",
            "call_id": self._call_id,
            "flag_id": flag.flag_id,
            "rule_id": flag.rule_id,
            "category": flag.category,
            "severity": flag.severity,
            "speaker": flag.speaker,
            "utterance": flag.utterance,
            "span_start": flag.start,
            "span_end": flag.end,
            "span_text": self._masked_span(flag),
            "kind": flag.kind,
            "score": flag.score,
            "state": flag.state,
            "t_ms": flag.t_ms,
        }


def _requirement_op(call_id: str, event: RequirementMissed) -> Op:
    # Stored beside the flags so a reviewer sees it in the same list.
    return {
        "op": "flag",
        "call_id": call_id,
        "flag_id": f"required:{event.requirement_id}",
        "rule_id": event.requirement_id,
        "category": "required_statement",
        "severity": event.severity,
        "speaker": event.speaker,
        "utterance": -1,
        "span_start": 0,
        "span_end": 0,
        "span_text": "",
        "kind": "missing",
        "score": 1.0,
        "state": "confirmed",
        "t_ms": event.t_ms,
    }


def apply_op(db: Database, op: Op) -> None:
    """Apply one write operation in its own transaction; applying it twice is harmless.

    Plain Core statements (no ORM unit of work): a desktop writes one of these
    per sentence, and a team's server takes fifty desktops at once.
    """
    kind = op["op"]
    values = {k: v for k, v in op.items() if k != "op"}
    with db.engine.begin() as conn:
        if kind in DRILL_OPS:  # one spool keeps calls and drills
            apply_drill_op(conn, op)
            return
        if kind == "call_started":
            values["id"] = values.pop("call_id")
            values["started_at"] = datetime.fromisoformat(values["started_at"])
            _upsert(conn, Call, values, keys=["id"])
        elif kind == "segment":
            _upsert(conn, Segment, values, keys=["call_id", "speaker", "utterance"])
        elif kind == "flag":
            _upsert(conn, FlagRow, values, keys=["call_id", "flag_id"], update=True)
            _refresh_counts(conn, op["call_id"])
        elif kind == "call_ended":
            _call_ended(conn, op)
        else:
            raise ValueError(f"unknown write operation {kind!r}")
        if kind != "segment" and conn.dialect.name == "postgresql":
            _notify_floor(conn, op["call_id"])


def _upsert(
    conn: Connection,
    table: type[Base],
    values: dict[str, Any],
    *,
    keys: list[str],
    update: bool = False,
) -> None:
    """One statement: insert, or on a replayed key skip it (or update it)."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table).values(**values)
    if update:
        changes = {k: stmt.excluded[k] for k in values if k not in keys}
        conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=changes))
    else:
        conn.execute(stmt.on_conflict_do_nothing(index_elements=keys))


def _refresh_counts(conn: Connection, call_id: str) -> None:
    """Recount the call's live flags in the same statement that stores the counts."""
    live = (FlagRow.call_id == call_id) & (FlagRow.state != "retracted")
    rank = case(
        *((FlagRow.severity == name, value) for name, value in SEVERITY_RANK.items()), else_=0
    )
    count = select(func.count()).where(live).scalar_subquery()
    conn.execute(
        update(Call)
        .where(Call.id == call_id)
        .values(
            flag_count=count,
            critical_count=select(func.count())
            .where(live & (FlagRow.severity == "critical"))
            .scalar_subquery(),
            max_severity=select(func.coalesce(func.max(rank), 0)).where(live).scalar_subquery(),
            review_state=case(
                (Call.review_state == "reviewed", "reviewed"),
                (count > 0, "pending"),
                else_="none",
            ),
        )
    )


def _notify_floor(conn: Connection, call_id: str) -> None:
    """NOTIFY in the write's own transaction: delivered when, and only if, it commits."""
    team = func.coalesce(cast(Call.team_id, String), "")
    conn.execute(select(func.pg_notify(FLOOR_CHANNEL, team)).where(Call.id == call_id))


def _call_ended(conn: Connection, op: Op) -> None:
    started = datetime.fromisoformat(op["started_at"]) if op["started_at"] else None
    conn.execute(
        update(Call)
        .where(Call.id == op["call_id"])
        .values(
            ended_at=started + timedelta(milliseconds=op["duration_ms"]) if started else None,
            duration_ms=op["duration_ms"],
            end_reason=op["end_reason"],
        )
    )
