"""Role-play drills: a session per drill, each line kept as it is said, the score at the end.

Every role may drill (a trainer tries a scenario too). A drill belongs to its trainee:
only they add its lines and finish it. History follows the review rules: a trainee sees
their own drills, a team lead their team's, a trainer or an administrator everyone's;
reading another person's drill is audited. Text is masked before it is stored: the
lines, the words of each flag and every string of the report.

A drill's writes are idempotent operations (``drill_ops``) keyed by a key made here,
so with a :class:`SpoolingWriter` a drill goes on while the server is away: its writes
wait, masked, in the local spool and are stored in order when the server answers.
Whose drill it is and whether it has ended are therefore checked here, not on the row.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, false, or_, select

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.events import Flag
from agent_assist.store import drill_ops as ops
from agent_assist.store.access import may_read_call, require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.call_log import apply_op
from agent_assist.store.database import Database
from agent_assist.store.records import ROLES, Actor
from agent_assist.store.spool import SpoolingWriter
from agent_assist.store.tables import DrillSession, DrillTurn, User

if TYPE_CHECKING:
    from agent_assist.training.drill import Turn

SPEAKERS = ("debtor", "agent")
SEES_EVERYONE = ("trainer", "admin")


@dataclass(frozen=True)
class DrillSummary:
    id: int
    user_id: int
    username: str
    scenario_id: str
    language: str
    pack_ref: str
    pack_version: str
    started_at: datetime
    ended_at: datetime | None
    score: float | None


@dataclass(frozen=True)
class DrillTurnRecord:
    turn: int
    speaker: str
    text: str  # masked
    flags: tuple[dict[str, Any], ...]
    at: datetime


@dataclass(frozen=True)
class DrillDetail:
    summary: DrillSummary
    turns: tuple[DrillTurnRecord, ...]
    report: dict[str, Any] | None  # the session report, once finished


@dataclass
class _Open:
    """A drill started by this repository: whose it is, and whether it has ended."""

    user_id: int
    finished: bool = False


class DrillRepository:
    """``writer``: where the writes go; a :class:`SpoolingWriter` keeps them on this
    computer while the server is away. Without one they go straight to ``db``."""

    def __init__(
        self, db: Database, mask: Callable[[str], str], *, writer: SpoolingWriter | None = None
    ) -> None:
        self._db = db
        self._mask = mask
        self._writer = writer
        self._open: dict[str, _Open] = {}

    @property
    def kept_locally(self) -> int:
        """Writes waiting on this computer for the server (0: everything is stored)."""
        return self._writer.pending if self._writer is not None else 0

    def wait_stored(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the waiting writes; True once all are stored."""
        return self._writer.flush(timeout) if self._writer is not None else True

    def start(
        self, actor: Actor, scenario_id: str, language: str, pack_ref: str, pack_version: str
    ) -> str:
        """A new drill of ``actor``'s; returns its key (made here: no server needed)."""
        require_role(actor, *ROLES, to="run drills")
        if not actor.user_id:
            raise StoreError("a drill belongs to a person: sign in as a user (--as USERNAME)")
        key = uuid.uuid4().hex
        self._write(
            ops.started_op(
                key,
                user_id=actor.user_id,
                scenario=scenario_id,
                language=language,
                pack_ref=pack_ref,
                pack_version=pack_version,
                started_at=datetime.now(UTC),
            )
        )
        self._open[key] = _Open(actor.user_id)
        return key

    def add_turn(
        self,
        actor: Actor,
        key: str,
        turn: int,
        speaker: str,
        text: str,
        *,
        flags: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        """Keep one line as it is said (its own transaction: a crash loses no earlier line)."""
        if speaker not in SPEAKERS:
            raise StoreError(f"a drill line is said by the debtor or the agent, not {speaker!r}")
        self._own_open(actor, key)
        masked = [_masked(dict(f), self._mask) for f in flags]
        now = datetime.now(UTC)
        self._write(
            ops.turn_op(
                key, turn=turn, speaker=speaker, text=self._mask(text), flags=masked, at=now
            )
        )

    def keep(self, actor: Actor, key: str, turn: Turn) -> None:
        """Keep a drill's line as it happened, with what each of its flags matched."""
        flags = [_flag_json(flag) for flag in turn.flags]
        self.add_turn(actor, key, turn.number, turn.speaker, turn.text, flags=flags)

    def finish(self, actor: Actor, key: str, score: float, report: Mapping[str, Any]) -> None:
        """Close the drill with its score and session report (also a partial one)."""
        drill = self._own_open(actor, key)
        masked = _masked(dict(report), self._mask)
        self._write(ops.finished_op(key, score=score, report=masked, ended_at=datetime.now(UTC)))
        drill.finished = True

    def session_id(self, key: str) -> int | None:
        """The stored drill's id (``get``, ``drill report``); None while its start waits."""
        with self._db.session(readonly=True) as session:
            return session.scalar(select(DrillSession.id).where(DrillSession.key == key))

    def history(self, actor: Actor, user_id: int | None = None) -> list[DrillSummary]:
        """Drills ``actor`` may see, newest first; ``user_id`` narrows to one trainee."""
        query = _summaries()
        if actor.role == "collector":
            if user_id not in (None, actor.user_id):
                raise AccessDenied("a collector sees only their own drills")
            query = query.where(DrillSession.user_id == actor.user_id)
        elif actor.role == "team_lead":
            own = DrillSession.user_id == actor.user_id
            team = User.team_id == actor.team_id if actor.team_id is not None else false()
            query = query.where(or_(own, team))  # a lead with no team: their own drills
        if user_id is not None:
            query = query.where(DrillSession.user_id == user_id)
        query = query.order_by(DrillSession.started_at.desc(), DrillSession.id.desc())
        with self._db.session(readonly=True) as session:
            return [_summary(row, name) for row, name in session.execute(query)]

    def get(self, actor: Actor, session_id: int) -> DrillDetail:
        """One drill with its lines and report; a read by another person is audited."""
        with self._db.session() as session:
            query = _summaries().add_columns(User.team_id).where(DrillSession.id == session_id)
            found = session.execute(query).one_or_none()
            if found is None:
                raise StoreError(f"no drill {session_id}; `agent-assist drill history` lists them")
            row, name, team = found
            if not _may_read(actor, row.user_id, team):
                raise AccessDenied("this drill belongs to another trainee or team")
            if actor.user_id != row.user_id:
                write_audit(session, actor, "read_drill", "drill", str(session_id))
            turns = session.scalars(
                select(DrillTurn).where(DrillTurn.session_id == session_id).order_by(DrillTurn.turn)
            )
            return DrillDetail(
                summary=_summary(row, name),
                turns=tuple(
                    DrillTurnRecord(t.turn, t.speaker, t.text, tuple(json.loads(t.flags)), t.at)
                    for t in turns
                ),
                report=json.loads(row.report) if row.report else None,
            )

    def _write(self, op: dict[str, Any]) -> None:
        if self._writer is not None:
            self._writer.write(op)
        else:
            apply_op(self._db, op)

    def _own_open(self, actor: Actor, key: str) -> _Open:
        """The checks of the stored row, made here: the drill is this process's own, or
        (started elsewhere) is read once from the database."""
        drill = self._open.get(key)
        if drill is None:
            with self._db.session(readonly=True) as session:
                row = session.scalar(select(DrillSession).where(DrillSession.key == key))
                if row is None:
                    raise StoreError(f"no drill {key}")
                drill = _Open(row.user_id, finished=row.ended_at is not None)
        if drill.user_id != actor.user_id:
            raise AccessDenied("only the trainee of a drill adds to it")
        if drill.finished:
            raise StoreError("this drill is finished already; start a new one")
        self._open[key] = drill
        return drill


def _flag_json(flag: Flag) -> dict[str, object]:
    """What a stored turn keeps of a flag: the rule, and the words that matched."""
    return {
        "rule_id": flag.rule_id,
        "category": flag.category,
        "severity": flag.severity,
        "said": flag.text[flag.start : flag.end],
        "kind": flag.kind,
        "score": flag.score,
    }


def _may_read(actor: Actor, owner_id: int, team_id: int | None) -> bool:
    # Drills follow the calls' rules, and trainers see every trainee's.
    return (
        actor.role in SEES_EVERYONE
        or actor.user_id == owner_id
        or may_read_call(actor, owner_id, team_id)
    )


def _summaries() -> Select[DrillSession, str]:
    return select(DrillSession, User.username).join(User, User.id == DrillSession.user_id)


def _summary(row: DrillSession, username: str) -> DrillSummary:
    return DrillSummary(
        row.id,
        row.user_id,
        username,
        row.scenario_id,
        row.language,
        row.pack_ref,
        row.pack_version,
        row.started_at,
        row.ended_at,
        row.score,
    )


def _masked(value: Any, mask: Callable[[str], str]) -> Any:
    """Every string inside ``value`` masked: a report quotes what the trainee said."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, Mapping):
        return {key: _masked(item, mask) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item, mask) for item in value]
    return value
