"""The live floor: a team's calls in progress and their critical flags, as they happen.

:class:`FloorRepository` reads one snapshot; :class:`FloorWatcher` hands a new one to a
callback whenever it changed. On PostgreSQL the live write path NOTIFYs
:data:`~agent_assist.store.call_log.FLOOR_CHANNEL` in the transaction of each call and
flag write, so the watcher wakes at once; a poll backs it up (and is all SQLite has).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import ColumnElement, false, select, true

from agent_assist.store.access import require_role
from agent_assist.store.call_log import FLOOR_CHANNEL
from agent_assist.store.database import Database
from agent_assist.store.records import Actor
from agent_assist.store.tables import Call, FlagRow, User

log = logging.getLogger(__name__)

# A call still open after a shift's length was left by a desktop that crashed: not live.
SHIFT = timedelta(hours=12)
CRITICAL_SHOWN = 50  # the newest critical flags kept in a snapshot
# How long the PostgreSQL listener waits at a time, so stop() is honoured promptly.
_LISTEN_SLICE_S = 0.2
_CONNECT_TIMEOUT_S = 5
_LISTEN_RETRY_S = 30.0  # after a refused LISTEN, polling alone meanwhile


@dataclass(frozen=True)
class FloorCall:
    id: str
    user_id: int | None
    collector: str
    started_at: datetime
    flag_count: int
    critical_count: int


@dataclass(frozen=True)
class FloorFlag:
    id: int  # the flag's row
    call_id: str
    collector: str
    category: str
    rule_id: str
    text: str  # the flagged words, masked as stored
    t_ms: int  # time in the call
    at: datetime  # wall-clock time: the call's start + t_ms


@dataclass(frozen=True)
class FloorSnapshot:
    calls: tuple[FloorCall, ...]  # newest first
    critical: tuple[FloorFlag, ...]  # newest first


class FloorRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def snapshot(self, actor: Actor) -> FloorSnapshot:
        """The calls in progress of the lead's team (every team for an admin)."""
        require_role(actor, "team_lead", "admin", to="watch the floor")
        live = (
            _scope(actor) & Call.ended_at.is_(None) & (Call.started_at >= datetime.now(UTC) - SHIFT)
        )
        calls = (
            select(Call, User.display_name)
            .outerjoin(User, User.id == Call.user_id)
            .where(live)
            .order_by(Call.started_at.desc(), Call.id)
        )
        critical = (
            select(FlagRow, Call.started_at, User.display_name)
            .join(Call, Call.id == FlagRow.call_id)
            .outerjoin(User, User.id == Call.user_id)
            .where(live, FlagRow.severity == "critical", FlagRow.state != "retracted")
            .order_by(FlagRow.id.desc())
            .limit(CRITICAL_SHOWN)
        )
        with self._db.session(readonly=True) as session:
            return FloorSnapshot(
                calls=tuple(_call(c, name) for c, name in session.execute(calls)),
                critical=tuple(
                    _flag(f, started, name) for f, started, name in session.execute(critical)
                ),
            )


class FloorWatcher:
    """A thread that calls ``on_change(snapshot)`` with the first snapshot and every change.

    ``on_error`` gets what a read raised (a server gone away), once per outage; the
    watcher keeps trying at the poll interval and reports the floor again once it
    reads. Both callbacks run on the watcher's thread.
    """

    def __init__(
        self,
        db: Database,
        actor: Actor,
        on_change: Callable[[FloorSnapshot], None],
        *,
        poll_s: float = 1.0,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        require_role(actor, "team_lead", "admin", to="watch the floor")
        self._db = db
        self._actor = actor
        self._on_change = on_change
        self._on_error = on_error
        self._poll_s = poll_s
        self._floor = FloorRepository(db)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="floor-watcher", daemon=True)
        self._listener: psycopg.Connection[Any] | None = None
        self._listen_after = 0.0  # monotonic time of the next attempt to LISTEN

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """End the thread and wait for it: a read in progress finishes first, so the
        database can be closed after this returns without a connection left open."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("floor: the watcher did not stop within %.0f s", timeout_s)

    def _run(self) -> None:
        last: FloorSnapshot | None = None
        failing = False
        try:
            while not self._stop.is_set():
                # LISTEN before reading: a write committed after the read then wakes the wait.
                self._ensure_listening()
                try:
                    snapshot = self._floor.snapshot(self._actor)
                except Exception as exc:  # reported, never raised on this thread
                    if not failing and self._on_error is not None:
                        self._on_error(exc)
                    failing, last = True, None
                else:
                    failing = False
                    if snapshot != last:
                        last = snapshot
                        self._on_change(snapshot)
                self._wait()
        finally:
            self._drop_listener()

    def _ensure_listening(self) -> None:
        """LISTEN on PostgreSQL; a server that refuses is polled and asked again later."""
        if self._db.embedded or self._listener is not None:
            return
        if time.monotonic() < self._listen_after:
            return
        url = self._db.engine.url.set(drivername="postgresql")
        conn: psycopg.Connection[Any] | None = None
        try:
            conn = psycopg.connect(
                url.render_as_string(hide_password=False),
                autocommit=True,
                connect_timeout=_CONNECT_TIMEOUT_S,
            )
            conn.execute(f"LISTEN {FLOOR_CHANNEL}")
        except psycopg.Error as exc:
            if conn is not None:  # connected, but LISTEN failed: not left open
                conn.close()
            log.warning("floor: no LISTEN on %s, polling instead: %s", self._db.url, exc)
            self._listen_after = time.monotonic() + _LISTEN_RETRY_S
            return
        self._listener = conn

    def _wait(self) -> None:
        """Until a notification for this actor's floor, the poll interval, or stop()."""
        if self._listener is None:
            self._stop.wait(self._poll_s)
            return
        deadline = time.monotonic() + self._poll_s
        try:
            while not self._stop.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                for note in self._listener.notifies(timeout=min(left, _LISTEN_SLICE_S)):
                    if self._concerns(note.payload):
                        return
        except psycopg.Error as exc:
            log.warning("floor: lost the LISTEN connection, polling instead: %s", exc)
            self._drop_listener()

    def _drop_listener(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _concerns(self, team: str) -> bool:
        """Whether a write to ``team`` (the payload; empty: no team) shows on this floor."""
        return self._actor.role == "admin" or team in ("", str(self._actor.team_id))


def _scope(actor: Actor) -> ColumnElement[bool]:
    """The calls on ``actor``'s floor."""
    if actor.role == "admin":
        return true()
    if actor.team_id is None:  # a team lead without a team has no floor
        return false()
    return Call.team_id == actor.team_id


def _call(c: Call, collector: str | None) -> FloorCall:
    return FloorCall(
        id=c.id,
        user_id=c.user_id,
        collector=collector or "",
        started_at=c.started_at,
        flag_count=c.flag_count,
        critical_count=c.critical_count,
    )


def _flag(f: FlagRow, started_at: datetime, collector: str | None) -> FloorFlag:
    return FloorFlag(
        id=f.id,
        call_id=f.call_id,
        collector=collector or "",
        category=f.category,
        rule_id=f.rule_id,
        text=f.span_text,
        t_ms=f.t_ms,
        at=started_at + timedelta(milliseconds=f.t_ms),
    )
