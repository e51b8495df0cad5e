"""The pre-dial guard reads the contact policy of the team's active published pack."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent_assist.compliance.check import OUTSIDE_HOURS
from agent_assist.compliance.guard import ContactGuard
from agent_assist.compliance.risk_model import default_model_path, load_risk_model
from agent_assist.compliance.worklist import build_worklist
from agent_assist.publishing.bundle import bundle
from agent_assist.rules.registry import resolve_pack
from agent_assist.store.contacts_repo import ContactRepository
from agent_assist.store.database import Database, open_database
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.store.records import Actor
from tests.support.databases import copy_sqlite

pytestmark = pytest.mark.slow
# 10:00 in Shanghai on a working Friday: inside the shipped hours (08:00–21:00).
MORNING = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path) -> Iterator[Database]:
    db = open_database(copy_sqlite(demo_db_file, tmp_path / "demo.db"))
    yield db
    db.close()


def actor(db: Database, username: str) -> Actor:
    user = PeopleRepository(db).find(username)
    assert user is not None
    return user.as_actor()


def later_hours(tmp_path: Path) -> str:
    """zh-CN with calls allowed from 11:00 only."""
    folder = tmp_path / "zh-CN"
    shutil.copytree(resolve_pack("zh-CN"), folder)
    policy = folder / "contact_policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert 'start: "08:00"' in text
    policy.write_text(text.replace('start: "08:00"', 'start: "11:00"', 1), encoding="utf-8")
    return bundle(folder)


def outside_hours(db: Database, collector: Actor) -> int:
    """How many of the collector's cases the worklist says are outside calling hours."""
    items = build_worklist(db, collector, load_risk_model(default_model_path()), when=MORNING)
    assert items
    return sum(OUTSIDE_HOURS in {r.code for r in item.verdict.reasons} for item in items)


def test_a_published_policy_applies_from_the_next_worklist(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(tmp_path / "data"))
    collector, trainer = actor(demo, "zhang.wei"), actor(demo, "trainer.wu")
    assert outside_hours(demo, collector) == 0

    library = LibraryRepository(demo)
    library.publish(trainer, "rule_pack", "zh-CN", "2026.12", later_hours(tmp_path))
    blocked = outside_hours(demo, collector)
    assert blocked > 0, "the published hours (from 11:00) apply"

    case = build_worklist(demo, collector, load_risk_model(default_model_path()))[0].case_id
    facts = ContactGuard(ContactRepository(demo)).facts(collector, str(case))
    shipped = ContactGuard(ContactRepository(demo))  # no database: the shipped policy
    assert OUTSIDE_HOURS not in {r.code for r in shipped.verdict(collector, facts, MORNING).reasons}

    library.rollback(trainer, "rule_pack", "zh-CN")
    assert outside_hours(demo, collector) == 0


def test_a_policy_published_for_one_team_applies_to_its_desktops_only(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from agent_assist.store.people_repo import SYSTEM

    monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(tmp_path / "data"))
    collector, trainer = actor(demo, "zhang.wei"), actor(demo, "trainer.wu")
    library = LibraryRepository(demo)
    other = next(t.id for t in library.teams() if t.id != collector.team_id)
    library.publish(
        trainer, "rule_pack", "zh-CN", "2026.12", later_hours(tmp_path), team_id=collector.team_id
    )
    assert outside_hours(demo, collector) > 0, "the team's published hours apply"

    # The same case checked by a desktop of each team: the guard follows the actor's team.
    case = build_worklist(demo, collector, load_risk_model(default_model_path()))[0].case_id
    guard = ContactGuard(ContactRepository(demo), demo)
    facts = guard.facts(collector, str(case))
    reasons = {
        team: {r.code for r in guard.verdict(replace(SYSTEM, team_id=team), facts, MORNING).reasons}
        for team in (collector.team_id, other)
    }
    assert OUTSIDE_HOURS in reasons[collector.team_id]
    assert OUTSIDE_HOURS not in reasons[other], "the other team keeps the shipped hours"
