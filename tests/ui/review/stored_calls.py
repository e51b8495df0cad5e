"""Calls written as a desktop writes them (``call_log``), for the review window's tests."""

from __future__ import annotations

from dataclasses import replace

from agent_assist.events import Event, Flag
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.database import Database
from agent_assist.store.records import UserRecord
from tests.core.store.builders import ended, final, flag, started


def write_call(
    db: Database,
    call_id: str,
    owner: UserRecord,
    day: int,
    *flags: Flag,
    lines: int = 1,
) -> None:
    """A call on 2026-11-``day`` at 09:00 UTC with ``lines`` utterances of the collector's
    (the first one the threat the builders' flags point at) and ``flags``."""
    ops = CallOps(str, user_id=owner.id, team_id=owner.team_id)
    events: list[Event] = [
        replace(started(call_id), started_at=f"2026-11-{day:02}T09:00:00+00:00"),
        final(1, "我们明天就去你单位找你领导"),
        *(final(n, f"第{n}句话") for n in range(2, lines + 1)),
        *flags,
        ended(lines * 1000 + 1000),
    ]
    for event in events:
        for op in ops.ops_for(event):
            apply_op(db, op)


def flag_on(utterance: int, flag_id: str, *, severity: str = "critical") -> Flag:
    """A flag on utterance ``utterance`` (``第{n}句话``: its first two characters)."""
    return replace(
        flag(flag_id, severity=severity),
        utterance=utterance,
        text=f"第{utterance}句话",
        start=0,
        end=2,
        t_ms=utterance * 1000 + 900,
    )
