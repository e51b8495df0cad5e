"""The demo data set: realistic, deterministic, loaded once, flagged by the real engine."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, select

from agent_assist import app
from agent_assist.privacy import find_personal_numbers
from agent_assist.rules.live import Matcher
from agent_assist.rules.loader import load_pack
from agent_assist.rules.matcher import compile_pack
from agent_assist.rules.quality import scan
from agent_assist.rules.registry import resolve_pack
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import bundled_library
from agent_assist.store import tables as t
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CASE_STATUSES
from agent_assist.store.database import Database, open_database
from agent_assist.store.demo import TODAY, demo_setup, demo_yaml, load_demo
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.training.drill import Drill, DrillRules
from agent_assist.training.scenario import find_scenario
from tests.support.databases import copy_sqlite

pytestmark = pytest.mark.slow  # the test loads the whole demo (a few seconds)

SUMMARY = re.compile(
    r"2 teams, 9 users, 200 debtors, 200 cases, 120 calls, "
    r"[\d,]+ segments, [\d,]+ flags, [\d,]+ promises, 8 drills"
)
# Rows are compared by natural keys: surrogate ids differ between databases.
NATURAL_KEYS = {
    "users": "username",
    "teams": "name",
    "cases": "external_ref",
    "debtors": "external_ref",
    "drill_sessions": "key",
}


def test_the_demo_is_a_realistic_data_set_that_one_seed_repeats(
    db: Database, demo_db_file: Path, tmp_path: Path
) -> None:
    summary = load_demo(db)

    assert SUMMARY.fullmatch(summary), summary
    check_cases(db)
    check_calls_belong_to_their_cases_team(db)
    check_flags_come_from_the_engine(db)
    check_no_personal_number_is_stored_in_clear(db)
    check_team_leads_review_their_own_team(db)
    check_drills_are_played_and_scored_by_the_real_drill(db)

    # Another load with the same seed (the run's demo file, loaded on SQLite) gives the
    # same rows; a second load into the same database adds nothing.
    other = open_database(copy_sqlite(demo_db_file, tmp_path / "other.db"))
    try:
        first = snapshot(db)
        assert first == snapshot(other)
    finally:
        other.close()
    again = load_demo(db)
    assert again.startswith("demo already loaded: ")
    assert SUMMARY.search(again), again
    assert snapshot(db) == first


def check_cases(db: Database) -> None:
    with db.session() as session:
        languages = Counter(session.scalars(select(t.Debtor.language)))
        statuses = set(session.scalars(select(t.Case.status)))
        promises = set(session.scalars(select(t.Promise.status)))
        channels = set(session.scalars(select(t.ContactAttempt.channel)))
    assert languages == {"zh-CN": 130, "en-US": 70}
    assert statuses == set(CASE_STATUSES)
    assert promises == {"pending", "kept", "broken"}
    assert {"call", "sms", "letter"} <= channels


def check_calls_belong_to_their_cases_team(db: Database) -> None:
    query = (
        select(
            t.Call.started_at,
            t.Call.user_id,
            t.Case.assigned_user_id,
            t.Team.name,
            t.Debtor.language,
        )
        .join(t.Case, t.Case.id == t.Call.case_id)
        .join(t.Debtor, t.Debtor.id == t.Case.debtor_id)
        .join(t.Team, t.Team.id == t.Call.team_id)
    )
    with db.session() as session:
        calls = session.execute(query).all()
    assert len(calls) == 120
    for started, caller, assignee, team, language in calls:
        assert datetime(2026, 10, 28) <= utc(started) < datetime(2026, 11, 27)
        assert caller == assignee
        assert (team, language) in {("华东一组", "zh-CN"), ("US East", "en-US")}


def check_flags_come_from_the_engine(db: Database) -> None:
    query = (
        select(t.FlagRow, t.Debtor.language)
        .join(t.Call, t.Call.id == t.FlagRow.call_id)
        .join(t.Case, t.Case.id == t.Call.case_id)
        .join(t.Debtor, t.Debtor.id == t.Case.debtor_id)
    )
    with db.session() as session:
        flags = session.execute(query).all()
        segments = {
            (s.call_id, s.speaker, s.utterance): s.text for s in session.scalars(select(t.Segment))
        }
    packs = {spec: load_pack(resolve_pack(spec)) for spec in ("zh-CN", "en-US")}
    matchers: dict[str, Matcher] = {spec: compile_pack(pack) for spec, pack in packs.items()}
    categories = Counter(flag.category for flag, _ in flags)
    assert categories["required_statement"]
    assert categories["agent.threat"]
    for flag, language in flags:
        pack = packs[language]
        if flag.utterance == -1:  # a required statement not made in time
            assert flag.rule_id in {req.id for req in pack.required}
            continue
        rule = next(r for r in pack.rules if r.id == flag.rule_id)
        text = segments[(flag.call_id, flag.speaker, flag.utterance)]
        assert flag.category == rule.category
        assert flag.span_text
        assert flag.span_text in text
        assert flag.rule_id in {f.rule_id for f in scan(matchers[language], text, flag.speaker)}


def check_no_personal_number_is_stored_in_clear(db: Database) -> None:
    with db.session() as session:
        texts = [
            *session.scalars(select(t.Segment.text)),
            *session.scalars(select(t.FlagRow.span_text)),
            *session.scalars(select(t.Call.wrap_up)),
            *session.scalars(select(t.Review.summary)),
            *session.scalars(select(t.CoachingNote.text)),
        ]
        debtors = session.execute(select(t.Debtor.national_id, t.Debtor.phones)).all()
    numbers = [value or "" for national_id, phones in debtors for value in (national_id, *phones)]
    assert all("*" in value for value in numbers)
    assert any("****" in (text or "") for text in texts)  # a debtor read out a new number
    for text in [*texts, *numbers]:
        if not text:
            continue
        assert not re.search(r"\d{11}|\d{17}[\dXx]|\d{3}-\d{2}-\d{4}", text), text
        for region in ("CN", "US"):
            assert not find_personal_numbers(text, region), text


def check_team_leads_review_their_own_team(db: Database) -> None:
    people, calls = PeopleRepository(db), CallRepository(db, str)
    for username in ("lead.chen", "lead.jones"):
        lead = people.find(username)
        assert lead is not None
        queue = calls.review_queue(lead.as_actor())
        assert queue
        assert {(c.team_id, c.review_state) for c in queue} == {(lead.team_id, "pending")}
        with db.session() as session:
            reviewers = set(
                session.scalars(
                    select(t.Review.reviewer_id)
                    .join(t.Call, t.Call.id == t.Review.call_id)
                    .where(t.Call.team_id == lead.team_id)
                )
            )
        assert reviewers == {lead.id}


def check_drills_are_played_and_scored_by_the_real_drill(db: Database) -> None:
    people = PeopleRepository(db)
    trainer, lead = people.find("trainer.wu"), people.find("lead.chen")
    assert trainer is not None
    assert lead is not None
    repo = DrillRepository(db, str)
    history = repo.history(trainer.as_actor())  # a trainer sees everyone's, newest first
    entries = [(lang, e) for lang, listed in demo_yaml("drills.yaml").items() for e in listed]
    assert len(history) == len(entries) == 8
    assert [d.started_at for d in history] == sorted((d.started_at for d in history), reverse=True)
    cues = load_taxonomy().keys()
    scores = []
    for lang, entry in entries:
        (summary,) = [d for d in history if utc(d.started_at).date() == day_of(entry)]
        assert (summary.username, summary.scenario_id) == (entry["user"], entry["scenario"])
        assert summary.ended_at is not None
        assert datetime(2026, 10, 28) <= utc(summary.started_at) < utc(summary.ended_at)
        detail = repo.get(trainer.as_actor(), summary.id)
        assert detail.report is not None
        # The same answers through the drill as `agent-assist drill run` plays them.
        scenario = find_scenario(entry["scenario"], cues)
        drill = Drill(
            scenario,
            DrillRules(*app.compiled_pack(scenario.pack_spec())),
            library=bundled_library(scenario.language, cues),
        )
        said = [drill.begin()]
        for answer in entry["answers"]:
            if drill.finished:
                break
            result = drill.answer(" ".join(answer.split()))
            said += [answer, *([result.next_line] if result.next_line else [])]
        report = drill.report()
        assert summary.score == detail.report["score"] == report.score
        assert detail.report["components"] == json.loads(json.dumps(report.to_dict()["components"]))
        assert [turn.text for turn in detail.turns] == [" ".join(x.split()) for x in said]
        assert [turn.turn for turn in detail.turns] == list(range(1, len(said) + 1))
        times = [turn.at for turn in detail.turns]
        assert times == sorted(times)
        assert utc(summary.started_at) <= utc(times[0]) <= utc(times[-1]) < utc(summary.ended_at)
        flagged = [
            f["rule_id"] for turn in detail.turns if turn.speaker == "agent" for f in turn.flags
        ]
        assert [f["rule_id"] for f in detail.report["flags"]] == flagged
        scores.append(report.score)
        assert scenario.language == demo_setup(lang)["language"]
    assert min(scores) < 40  # a threat that lost the debtor
    assert max(scores) == 100  # a clean run
    team = repo.history(lead.as_actor())
    assert team
    assert {d.language for d in team} == {"zh-CN"}  # a team lead sees their own team's


def day_of(entry: dict[str, Any]) -> date:
    """The UTC day a demo drill is stamped on (afternoons in the office: the same day)."""
    return TODAY - timedelta(days=entry["days"])


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but the audit log, with surrogate keys replaced by natural ones."""
    with db.engine.connect() as conn:
        keys: dict[str, dict[int, Any]] = {
            name: dict(conn.execute(select(table.c.id, table.c[column])).all())
            for name, column in NATURAL_KEYS.items()
            for table in [t.Base.metadata.tables[name]]
        }
        flags = select(t.FlagRow.id, t.FlagRow.call_id, t.FlagRow.flag_id)
        keys["flags"] = {row_id: (call, flag) for row_id, call, flag in conn.execute(flags)}
        tables = {}
        for table in t.Base.metadata.sorted_tables:
            if table.name == "audit_log":
                continue
            columns = [
                c for c in table.columns if not (c.primary_key and isinstance(c.type, Integer))
            ]
            rows = [
                tuple(plain(c, v, keys) for c, v in zip(columns, row, strict=True))
                for row in conn.execute(select(*columns))
            ]
            tables[table.name] = sorted(rows, key=repr)
    return tables


def plain(column: Column[Any], value: Any, keys: dict[str, dict[int, Any]]) -> Any:
    """A value as comparable across SQLite and PostgreSQL."""
    for fk in column.foreign_keys:
        if fk.column.table.name in keys and value is not None:
            return keys[fk.column.table.name][value]
    if isinstance(value, datetime):
        return utc(value)
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return tuple(value)
    return value


def utc(value: datetime) -> datetime:
    """SQLite gives back naive UTC times, PostgreSQL aware ones."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
