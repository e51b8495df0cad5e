"""Review statistics over a period: what team leads report to the bank and trainers fix.

Every figure is one SQL aggregate (GROUP BY) over the calls started in the
period, so a month of a busy floor costs a handful of indexed scans, not a
Python loop over flags. Weeks are ISO weeks (Monday first) of the UTC day a
call started; the week start is computed per dialect (:class:`week_start`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Date, Select, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from agent_assist.errors import StoreError
from agent_assist.store.access import require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.records import Actor
from agent_assist.store.tables import Call, FlagRow, Promise, Team, User

EXPORT_FORMATS = ("csv", "pdf")
_Columns = TypeVarTuple("_Columns")


class week_start(FunctionElement[date]):
    """The Monday of the UTC week of a timestamp column, as a date."""

    type = Date()
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: SQLCompiler, **kw: Any) -> str:
    # Stored as UTC text; back six days, then forward to the next Monday (itself if one).
    return f"date({compiler.process(element.clauses, **kw)}, '-6 days', 'weekday 1')"


@compiles(week_start, "postgresql")
def _week_start_postgresql(element: week_start, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('week', {column} AT TIME ZONE 'UTC') AS DATE)"


@dataclass(frozen=True)
class CollectorWeek:
    week: date  # the Monday
    collector: str  # display name
    flags: int  # not retracted
    critical: int


@dataclass(frozen=True)
class CategoryWeek:
    week: date
    category: str
    flags: int


@dataclass(frozen=True)
class RuleRate:
    """A rule's verdicts: the share found false is the trainers' to-do list."""

    rule_id: str
    category: str
    false_positives: int
    verdicts: int

    @property
    def rate(self) -> float:
        return self.false_positives / self.verdicts


@dataclass(frozen=True)
class PromiseRate:
    collector: str
    kept: int
    broken: int

    @property
    def rate(self) -> float | None:
        settled = self.kept + self.broken
        return self.kept / settled if settled else None


@dataclass(frozen=True)
class ReviewReport:
    since: date
    until: date  # inclusive
    team: str | None  # None: every team (an administrator's report)
    collector_weeks: tuple[CollectorWeek, ...]
    category_weeks: tuple[CategoryWeek, ...]
    rule_rates: tuple[RuleRate, ...]  # worst first
    promise_rates: tuple[PromiseRate, ...]  # promises due in the period, by collector

    @property
    def promises_total(self) -> PromiseRate:
        return PromiseRate(
            "",
            sum(p.kept for p in self.promise_rates),
            sum(p.broken for p in self.promise_rates),
        )


class ReportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def review_report(self, actor: Actor, since: date, until: date) -> ReviewReport:
        """The statistics shown in the window: a team lead's team, or every team for an admin."""
        with self._db.session(readonly=True) as session:
            return _report(session, actor, since, until)

    def export(
        self,
        actor: Actor,
        since: date,
        until: date,
        fmt: str,
        write: Callable[[ReviewReport], None],
    ) -> ReviewReport:
        """The same figures handed to ``write`` (the file), then the export audited: if
        ``write`` raises, nothing is logged. The figures are read without holding the
        write lock, so a long report never holds up a live call's writes on SQLite."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"the report format must be one of {', '.join(EXPORT_FORMATS)}")
        report = self.review_report(actor, since, until)
        write(report)  # the file first: the log names only exports that were made
        with self._db.session() as session:
            write_audit(
                session,
                actor,
                "export",
                "review_report",
                f"{since.isoformat()}..{until.isoformat()}",
                detail=f"{fmt}, team: {report.team or 'all'}",
            )
        return report


def _report(session: Session, actor: Actor, since: date, until: date) -> ReviewReport:
    require_role(actor, "team_lead", "admin", to="read review reports")
    if until < since:
        raise StoreError(f"the period ends ({until}) before it starts ({since})")
    team = None
    if actor.role == "team_lead":
        if actor.team_id is None:
            raise StoreError("this team lead belongs to no team: ask an administrator")
        team = session.scalar(select(Team.name).where(Team.id == actor.team_id))
    start = datetime.combine(since, time(), UTC)
    end = datetime.combine(until + timedelta(days=1), time(), UTC)
    in_scope = and_(Call.started_at >= start, Call.started_at < end)
    if actor.role == "team_lead":
        in_scope = and_(in_scope, Call.team_id == actor.team_id)
    return ReviewReport(
        since=since,
        until=until,
        team=team,
        collector_weeks=_collector_weeks(session, in_scope),
        category_weeks=_category_weeks(session, in_scope),
        rule_rates=_rule_rates(session, in_scope),
        promise_rates=_promise_rates(session, actor, since, until),
    )


def _live_flags(columns: Select[*_Columns], in_scope: ColumnElement[bool]) -> Select[*_Columns]:
    return (
        columns.select_from(FlagRow)
        .join(Call, Call.id == FlagRow.call_id)
        .where(in_scope, FlagRow.state != "retracted")
    )


def _collector_weeks(session: Session, in_scope: ColumnElement[bool]) -> tuple[CollectorWeek, ...]:
    week = week_start(Call.started_at)
    critical = func.sum(case((FlagRow.severity == "critical", 1), else_=0))
    query = (
        _live_flags(select(week, User.display_name, func.count(), critical), in_scope)
        .join(User, User.id == Call.user_id)
        .group_by(week, User.id, User.display_name)
        .order_by(week, User.display_name)
    )
    return tuple(CollectorWeek(w, name, n, int(c)) for w, name, n, c in session.execute(query))


def _category_weeks(session: Session, in_scope: ColumnElement[bool]) -> tuple[CategoryWeek, ...]:
    week = week_start(Call.started_at)
    query = (
        _live_flags(select(week, FlagRow.category, func.count()), in_scope)
        .group_by(week, FlagRow.category)
        .order_by(week, FlagRow.category)
    )
    return tuple(CategoryWeek(w, category, n) for w, category, n in session.execute(query))


def _rule_rates(session: Session, in_scope: ColumnElement[bool]) -> tuple[RuleRate, ...]:
    wrong = func.sum(case((FlagRow.verdict == "false_positive", 1), else_=0))
    query = (
        select(FlagRow.rule_id, FlagRow.category, wrong, func.count())
        .join(Call, Call.id == FlagRow.call_id)
        .where(in_scope, FlagRow.verdict.is_not(None))
        .group_by(FlagRow.rule_id, FlagRow.category)
    )
    rates = [
        RuleRate(rule, category, int(fp), n) for rule, category, fp, n in session.execute(query)
    ]
    # Worst first; among equal rates the rule judged most often matters most.
    return tuple(sorted(rates, key=lambda r: (-r.rate, -r.verdicts, r.rule_id)))


def _promise_rates(
    session: Session, actor: Actor, since: date, until: date
) -> tuple[PromiseRate, ...]:
    """Promises due in the period and settled, by the collector who took them."""
    kept = func.sum(case((Promise.status == "kept", 1), else_=0))
    broken = func.sum(case((Promise.status == "broken", 1), else_=0))
    query = (
        select(User.display_name, kept, broken)
        .select_from(Promise)
        .join(User, User.id == Promise.user_id)
        .where(
            Promise.due_date >= since,
            Promise.due_date <= until,
            Promise.status.in_(("kept", "broken")),
        )
        .group_by(User.id, User.display_name)
        .order_by(User.display_name)
    )
    if actor.role == "team_lead":
        query = query.where(User.team_id == actor.team_id)
    return tuple(PromiseRate(name, int(k), int(b)) for name, k, b in session.execute(query))
