"""Drill sessions on SQLite and PostgreSQL: lines kept as they are said, masked; the score
at the end; who sees whose drills."""

from __future__ import annotations

import pytest

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.privacy import mask_text
from agent_assist.store.audit import read_audit
from agent_assist.store.database import Database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.people_repo import SYSTEM
from tests.core.store.builders import team_of

PHONE = "13912345678"


def repo_of(db: Database) -> DrillRepository:
    return DrillRepository(db, lambda text: mask_text(text, "CN"))


def test_lines_are_kept_as_they_are_said_and_masked(db: Database) -> None:
    ann, *_ = team_of(db)
    drills = repo_of(db)
    me = ann.as_actor()
    session = drills.start(me, "zh.short_overdue", "zh-CN", "zh-CN", "2026.11.1")
    drills.add_turn(me, session, 1, "debtor", "喂，哪位？")
    flag = {"rule_id": "r", "category": "agent.threat", "said": f"打{PHONE}"}
    drills.add_turn(me, session, 2, "agent", f"我的电话是{PHONE}", flags=[flag])
    # Before the drill ends, another connection already reads both lines.
    detail = repo_of(db).get(me, session)
    assert [(t.turn, t.speaker) for t in detail.turns] == [(1, "debtor"), (2, "agent")]
    assert PHONE not in detail.turns[1].text
    assert "139****5678" in detail.turns[1].text
    assert detail.turns[1].flags[0]["said"] == "打139****5678"
    assert detail.report is None
    assert detail.summary.ended_at is None


def test_finishing_keeps_the_score_and_a_masked_report(db: Database) -> None:
    ann, *_ = team_of(db)
    drills = repo_of(db)
    me = ann.as_actor()
    session = drills.start(me, "zh.short_overdue", "zh-CN", "zh-CN", "2026.11.1")
    report = {"score": 35.0, "lines": [{"turn": 1, "text": f"电话{PHONE}"}], "complete": False}
    drills.finish(me, session, 35.0, report)
    detail = drills.get(me, session)
    assert detail.summary.score == 35.0
    assert detail.summary.ended_at is not None
    assert detail.report == {
        "score": 35.0,
        "lines": [{"turn": 1, "text": "电话139****5678"}],
        "complete": False,
    }
    with pytest.raises(StoreError, match="finished already"):
        drills.add_turn(me, session, 2, "agent", "还在吗")
    with pytest.raises(StoreError, match="finished already"):
        drills.finish(me, session, 90.0, {})


def test_only_the_trainee_adds_to_their_drill(db: Database) -> None:
    ann, bo, *_ = team_of(db)
    drills = repo_of(db)
    session = drills.start(ann.as_actor(), "s", "zh-CN", "zh-CN", "1")
    with pytest.raises(AccessDenied):
        drills.add_turn(bo.as_actor(), session, 1, "agent", "hi")
    with pytest.raises(StoreError, match="debtor or the agent"):
        drills.add_turn(ann.as_actor(), session, 1, "trainer", "hi")
    with pytest.raises(StoreError, match="sign in"):
        drills.start(SYSTEM, "s", "zh-CN", "zh-CN", "1")
    with pytest.raises(StoreError, match="no drill 999"):
        drills.get(ann.as_actor(), 999)


def test_history_follows_roles(db: Database) -> None:
    ann, bo, lee, kim, tia = team_of(db)
    drills = repo_of(db)
    mine = drills.start(ann.as_actor(), "a", "zh-CN", "zh-CN", "1")
    bos = drills.start(bo.as_actor(), "b", "zh-CN", "zh-CN", "1")
    drills.finish(bo.as_actor(), bos, 80.0, {})
    trainers = drills.start(tia.as_actor(), "t", "en-US", "en-US", "1")

    def ids(actor_user: object, user_id: int | None = None) -> list[int]:
        from agent_assist.store.records import UserRecord

        assert isinstance(actor_user, UserRecord)
        return [d.id for d in drills.history(actor_user.as_actor(), user_id)]

    assert ids(ann) == [mine]
    with pytest.raises(AccessDenied):
        drills.history(ann.as_actor(), bo.id)
    assert ids(lee) == [bos, mine]  # the red team, newest first
    assert ids(lee, ann.id) == [mine]
    assert ids(kim) == []  # the blue team has drilled nothing
    assert ids(tia) == [trainers, bos, mine]
    assert [d.id for d in drills.history(SYSTEM)] == [trainers, bos, mine]
    summary = drills.history(tia.as_actor(), bo.id)[0]
    assert (summary.username, summary.scenario_id, summary.score) == ("bo", "b", 80.0)


def test_reading_someone_elses_drill_is_audited_and_limited(db: Database) -> None:
    ann, bo, lee, kim, tia = team_of(db)
    drills = repo_of(db)
    session = drills.start(ann.as_actor(), "a", "zh-CN", "zh-CN", "1")
    drills.get(ann.as_actor(), session)  # one's own: not audited
    for outsider in (bo, kim):
        with pytest.raises(AccessDenied):
            drills.get(outsider.as_actor(), session)
    drills.get(lee.as_actor(), session)
    drills.get(tia.as_actor(), session)
    readers = [e.actor_id for e in read_audit(db, SYSTEM) if e.action == "read_drill"]
    assert sorted(readers) == sorted([lee.id, tia.id])
