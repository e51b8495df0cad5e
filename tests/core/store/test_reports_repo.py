"""Review statistics: weeks, categories, false positives per rule, promises kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import make_url

from agent_assist.errors import AccessDenied, StoreError, UserError
from agent_assist.events import Event
from agent_assist.store.audit import read_audit
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.database import Database, open_database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.records import UserRecord
from agent_assist.store.reports_repo import (
    CategoryWeek,
    CollectorWeek,
    PromiseRate,
    ReportRepository,
    ReviewReport,
    RuleRate,
)
from tests.core.store.builders import flag, started, team_of
from tests.core.store.test_cases_repo import CASE

SINCE, UNTIL = date(2026, 11, 1), date(2026, 11, 9)
INSULT = replace(
    flag("f2", severity="warning"), rule_id="zh.agent.insult.fool", category="agent.insult"
)


def _call(db: Database, who: UserRecord, call_id: str, at: str, *flags: Event) -> None:
    ops = CallOps(str, user_id=who.id, team_id=who.team_id)
    for event in (replace(started(call_id), started_at=at), *flags):
        for op in ops.ops_for(event):
            apply_op(db, op)


def flagged_floor(
    db: Database,
) -> tuple[UserRecord, UserRecord, UserRecord, UserRecord, UserRecord]:
    """Two weeks of a red team (Ann, Bo) and a blue collector; Lee has judged the red calls."""
    ann, bo, lee, kim, tia = team_of(db)
    people = PeopleRepository(db)
    cy = people.add_user(SYSTEM, "cy", "Cy", "collector", team_id=kim.team_id)
    threat = flag("f1")
    _call(db, ann, "c1", "2026-11-02T09:30:00+00:00", threat, INSULT, flag("f3", "retracted"))
    _call(db, ann, "c2", "2026-11-08T23:30:00+00:00", threat)  # Sunday night: still week one
    _call(db, bo, "c3", "2026-11-09T00:10:00+00:00", replace(threat, severity="warning"))
    _call(db, cy, "c4", "2026-11-03T10:00:00+00:00", threat)  # another team
    _call(db, ann, "c5", "2026-10-31T10:00:00+00:00", threat)  # before the period
    calls = CallRepository(db, str)
    verdicts = {
        ("c1", "f1"): "false_positive",
        ("c1", "f2"): "upheld",
        ("c2", "f1"): "false_positive",
        ("c3", "f1"): "upheld",
    }
    for (call_id, flag_id), verdict in verdicts.items():
        row = next(f for f in calls.get(lee.as_actor(), call_id).flags if f.flag_id == flag_id)
        calls.set_verdict(lee.as_actor(), call_id, row.id, verdict)
    cases = CaseRepository(db)
    cases.upsert_many(SYSTEM, [CASE], source="t")
    case_id = cases.assigned_to(ann.as_actor())[0].id
    for due, outcome in (
        (date(2026, 11, 5), "kept"),
        (date(2026, 11, 6), "broken"),
        (date(2026, 11, 7), None),  # still pending: not counted
        (date(2026, 12, 1), "kept"),  # due after the period
    ):
        promise = cases.add_promise(ann.as_actor(), case_id, Decimal(500), due)
        if outcome:
            cases.resolve_promise(ann.as_actor(), promise.id, outcome)
    return ann, bo, lee, kim, tia


def test_a_team_leads_report_covers_their_team_in_the_period(db: Database) -> None:
    _, _, lee, _, _ = flagged_floor(db)
    report = ReportRepository(db).review_report(lee.as_actor(), SINCE, UNTIL)

    assert report.team == "red"
    # Retracted flags and calls before the period or of another team do not count.
    assert report.collector_weeks == (
        CollectorWeek(date(2026, 11, 2), "Ann", flags=3, critical=2),
        CollectorWeek(date(2026, 11, 9), "Bo", flags=1, critical=0),
    )
    assert report.category_weeks == (
        CategoryWeek(date(2026, 11, 2), "agent.insult", 1),
        CategoryWeek(date(2026, 11, 2), "agent.threat", 2),
        CategoryWeek(date(2026, 11, 9), "agent.threat", 1),
    )
    assert report.rule_rates == (
        RuleRate("zh.agent.threat.visit_workplace", "agent.threat", 2, 3),
        RuleRate("zh.agent.insult.fool", "agent.insult", 0, 1),
    )
    assert report.rule_rates[0].rate == pytest.approx(2 / 3)
    assert report.promise_rates == (PromiseRate("Ann", kept=1, broken=1),)
    assert report.promises_total.rate == 0.5


def test_an_administrator_sees_every_team(db: Database) -> None:
    flagged_floor(db)
    report = ReportRepository(db).review_report(SYSTEM, SINCE, UNTIL)

    assert report.team is None
    assert [(w.week, w.collector) for w in report.collector_weeks] == [
        (date(2026, 11, 2), "Ann"),
        (date(2026, 11, 2), "Cy"),
        (date(2026, 11, 9), "Bo"),
    ]


def test_only_leads_and_admins_read_reports(db: Database) -> None:
    ann, _, _, _, tia = flagged_floor(db)
    reports = ReportRepository(db)
    for who in (ann, tia):
        with pytest.raises(AccessDenied):
            reports.review_report(who.as_actor(), SINCE, UNTIL)
    with pytest.raises(StoreError, match="ends"):
        reports.review_report(SYSTEM, UNTIL, SINCE)


def test_every_export_is_audited_and_a_failed_one_is_not(db: Database) -> None:
    _, _, lee, _, _ = flagged_floor(db)
    reports = ReportRepository(db)
    reports.review_report(lee.as_actor(), SINCE, UNTIL)  # viewing is not an export
    written: list[ReviewReport] = []
    reports.export(lee.as_actor(), SINCE, UNTIL, "pdf", written.append)

    def disk_full(_: ReviewReport) -> None:
        raise UserError("cannot write the file")

    with pytest.raises(UserError):
        reports.export(lee.as_actor(), SINCE, UNTIL, "csv", disk_full)

    assert [w.team for w in written] == ["red"]
    exports = [e for e in read_audit(db, SYSTEM) if e.action == "export"]
    assert [(e.actor_id, e.target_type, e.target_id) for e in exports] == [
        (lee.id, "review_report", "2026-11-01..2026-11-09")
    ]
    assert exports[0].detail == "pdf, team: red"
    with pytest.raises(StoreError, match="format"):
        reports.export(lee.as_actor(), SINCE, UNTIL, "xls", written.append)


def test_weeks_are_utc_whatever_the_servers_time_zone(db_url: str) -> None:
    if db_url.startswith("postgresql"):
        # In Shanghai the Sunday-night call of week one is already Monday of week two.
        options = {"options": "-ctimezone=Asia/Shanghai"}
        db_url = make_url(db_url).update_query_dict(options).render_as_string(hide_password=False)
    db = open_database(db_url)
    try:
        _, _, lee, _, _ = flagged_floor(db)
        report = ReportRepository(db).review_report(lee.as_actor(), SINCE, UNTIL)
    finally:
        db.close()
    assert [(w.week, w.collector, w.flags) for w in report.collector_weeks] == [
        (date(2026, 11, 2), "Ann", 3),
        (date(2026, 11, 9), "Bo", 1),
    ]
