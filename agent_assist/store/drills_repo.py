"""Role-play drills: a session per drill, each line kept as it is said, the score at the end.

Every role may drill (a trainer tries a scenario too). A drill belongs to its trainee:
only they add its lines and finish it. History follows the review rules: a trainee sees
their own drills, a team lead their team's, a trainer or an administrator everyone's;
reading another person's drill is audited. Text is masked before it is stored: the
lines, the words of each flag and every string of the report.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.store.access import require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.records import ROLES, Actor
from agent_assist.store.tables import DrillSession, DrillTurn, User

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


class DrillRepository:
    def __init__(self, db: Database, mask: Callable[[str], str]) -> None:
        self._db = db
        self._mask = mask

    def start(
        self, actor: Actor, scenario_id: str, language: str, pack_ref: str, pack_version: str
    ) -> int:
        """A new drill of ``actor``'s; returns its session id."""
        require_role(actor, *ROLES, to="run drills")
        if not actor.user_id:
            raise StoreError("a drill belongs to a person: sign in as a user (--as USERNAME)")
        with self._db.session() as session:
            row = DrillSession(
                user_id=actor.user_id,
                scenario_id=scenario_id,
                language=language,
                pack_ref=pack_ref,
                pack_version=pack_version,
                started_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            return row.id

    def add_turn(
        self,
        actor: Actor,
        session_id: int,
        turn: int,
        speaker: str,
        text: str,
        *,
        flags: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        """Keep one line as it is said (its own transaction: a crash loses no earlier line)."""
        if speaker not in SPEAKERS:
            raise StoreError(f"a drill line is said by the debtor or the agent, not {speaker!r}")
        with self._db.session() as session:
            self._own_open(session.get(DrillSession, session_id), actor, session_id)
            session.add(
                DrillTurn(
                    session_id=session_id,
                    turn=turn,
                    speaker=speaker,
                    text=self._mask(text),
                    flags=json.dumps([_masked(dict(f), self._mask) for f in flags]),
                    at=datetime.now(UTC),
                )
            )

    def finish(
        self, actor: Actor, session_id: int, score: float, report: Mapping[str, Any]
    ) -> None:
        """Close the drill with its score and session report (also a partial one)."""
        with self._db.session() as session:
            row = self._own_open(session.get(DrillSession, session_id), actor, session_id)
            row.ended_at = datetime.now(UTC)
            row.score = score
            row.report = json.dumps(_masked(dict(report), self._mask), ensure_ascii=False)

    def history(self, actor: Actor, user_id: int | None = None) -> list[DrillSummary]:
        """Drills ``actor`` may see, newest first; ``user_id`` narrows to one trainee."""
        query = _summaries()
        if actor.role == "collector":
            if user_id not in (None, actor.user_id):
                raise AccessDenied("a collector sees only their own drills")
            query = query.where(DrillSession.user_id == actor.user_id)
        elif actor.role == "team_lead":
            query = query.where(User.team_id == actor.team_id)
        if user_id is not None:
            query = query.where(DrillSession.user_id == user_id)
        query = query.order_by(DrillSession.started_at.desc(), DrillSession.id.desc())
        with self._db.session() as session:
            return [_summary(row, name) for row, name in session.execute(query)]

    def get(self, actor: Actor, session_id: int) -> DrillDetail:
        """One drill with its lines and report; a read by another person is audited."""
        with self._db.session() as session:
            found = session.execute(_summaries().where(DrillSession.id == session_id)).one_or_none()
            if found is None:
                raise StoreError(f"no drill {session_id}; `agent-assist drill history` lists them")
            row, name = found
            team = session.scalar(select(User.team_id).where(User.id == row.user_id))
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

    @staticmethod
    def _own_open(row: DrillSession | None, actor: Actor, session_id: int) -> DrillSession:
        if row is None:
            raise StoreError(f"no drill {session_id}")
        if row.user_id != actor.user_id:
            raise AccessDenied("only the trainee of a drill adds to it")
        if row.ended_at is not None:
            raise StoreError(f"drill {session_id} is finished already; start a new one")
        return row


def _may_read(actor: Actor, owner_id: int, team_id: int | None) -> bool:
    if actor.role in SEES_EVERYONE or actor.user_id == owner_id:
        return True
    return actor.role == "team_lead" and actor.team_id is not None and team_id == actor.team_id


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
