"""Synthetic volume for the database benchmark: teams, collectors, calls and flags.

Rows go in with bulk inserts (COPY on PostgreSQL) in chunks; the benchmark
then measures the real repository code on them.
"""

from __future__ import annotations

import contextlib
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError

from agent_assist.store.database import Database
from agent_assist.store.records import SEVERITY_RANK
from agent_assist.store.tables import Call, FlagRow, Team, User

CATEGORIES = (
    ("agent.threat", "critical"),
    ("agent.insult", "critical"),
    ("agent.false_legal", "critical"),
    ("agent.third_party_disclosure", "critical"),
    ("agent.harassment", "warning"),
    ("debtor.evasion", "info"),
    ("debtor.hardship", "info"),
    ("debtor.dispute", "warning"),
    ("debtor.promise_to_pay", "info"),
    ("debtor.refusal", "info"),
    ("debtor.complaint_threat", "warning"),
    ("debtor.vulnerability", "critical"),
    ("debtor.cease_request", "warning"),
)
_CHUNK = 20_000
END = datetime(2026, 11, 27, tzinfo=UTC)


def populate(
    db: Database, *, calls: int, flags: int, teams: int = 20, per_team: int = 10, seed: int = 1
) -> dict[str, int]:
    """Fill an empty database; returns the row counts."""
    rng = random.Random(seed)
    with db.session() as session:
        session.execute(
            insert(Team), [{"id": t + 1, "name": f"team {t + 1}"} for t in range(teams)]
        )
        session.execute(
            insert(User),
            [
                {
                    "id": u + 1,
                    "username": f"collector{u + 1}",
                    "display_name": f"Collector {u + 1}",
                    "role": "collector",
                    "team_id": u // per_team + 1,
                    "active": True,
                }
                for u in range(teams * per_team)
            ],
        )
    call_rows, flag_rows = _generate(rng, calls, flags, teams * per_team, per_team)
    _bulk(db, Call, call_rows)
    _bulk(db, FlagRow, flag_rows)
    _advance_sequences(db, (Team, User, FlagRow))
    settle(db)
    return {"teams": teams, "users": teams * per_team, "calls": calls, "flags": flags}


def _generate(
    rng: random.Random, calls: int, flags: int, users: int, per_team: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    # Spread the flags over about two thirds of the calls, a few each.
    flagged = max(1, int(calls * 0.65)) if flags else 0
    per_call = [0] * calls
    for _ in range(flags):
        per_call[rng.randrange(flagged)] += 1
    call_rows: list[dict[str, Any]] = []
    flag_rows: list[dict[str, Any]] = []
    for i in range(calls):
        user = rng.randrange(users) + 1
        started = END - timedelta(seconds=rng.randrange(180 * 86_400))
        call_id = uuid.UUID(int=rng.getrandbits(128)).hex
        chosen = [rng.choice(CATEGORIES) for _ in range(per_call[i])]
        for n, (category, severity) in enumerate(chosen):
            flag_rows.append(
                {
                    "call_id": call_id,
                    "flag_id": f"f{n}",
                    "rule_id": f"{category}.rule{rng.randrange(8)}",
                    "category": category,
                    "severity": severity,
                    "speaker": category.split(".")[0],
                    "utterance": n,
                    "span_start": 0,
                    "span_end": 4,
                    "span_text": "span",
                    "kind": "exact",
                    "score": 1.0,
                    "state": "confirmed",
                    "t_ms": n * 5000,
                }
            )
        state = "none" if not chosen else ("pending" if rng.random() < 0.3 else "reviewed")
        call_rows.append(
            {
                "id": call_id,
                "user_id": user,
                "team_id": (user - 1) // per_team + 1,
                "case_id": None,
                "started_at": started,
                "ended_at": started + timedelta(minutes=4),
                "duration_ms": 240_000,
                "audio_setup": "bench",
                "model": "bench",
                "end_reason": "completed",
                "flag_count": len(chosen),
                "critical_count": sum(s == "critical" for _c, s in chosen),
                "max_severity": max((SEVERITY_RANK[s] for _c, s in chosen), default=0),
                "review_state": state,
            }
        )
    return call_rows, flag_rows


def _bulk(db: Database, table: type[Call] | type[FlagRow], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if db.engine.dialect.name == "postgresql":
        _copy(db, table.__tablename__, rows)
        return
    for chunk in _chunks(rows):
        with db.engine.begin() as conn:
            conn.execute(insert(table), chunk)


def _copy(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        raw.commit()
    finally:
        raw.close()


def _advance_sequences(
    db: Database, tables: tuple[type[Team] | type[User] | type[FlagRow], ...]
) -> None:
    """Rows loaded with their ids leave PostgreSQL's id sequences behind: the next row
    added the usual way (a lead, a flag) would take an id in use."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as conn:
        for table in tables:
            name = table.__tablename__
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
            )


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def settle(db: Database) -> None:
    """Bring a freshly bulk-loaded database to the state of one in daily use.

    Statistics as a live database has them; on PostgreSQL also vacuumed and
    checkpointed, so the writer benchmark does not time the bulk load's own
    background work (autovacuum, a checkpoint flushing a million rows).
    """
    if db.engine.dialect.name != "postgresql":
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE)")
        # CHECKPOINT needs a privileged role; without it the vacuum did most of the work.
        with contextlib.suppress(DBAPIError):
            conn.exec_driver_sql("CHECKPOINT")
