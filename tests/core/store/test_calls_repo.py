"""The review queue's filters, sort and count, the teams a reviewer sees, and verdicts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.events import Flag
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import (
    MOST_SEVERE,
    PAGE_SIZE,
    UNJUDGED,
    CallRepository,
    QueueFilter,
)
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import UserRecord
from tests.core.store.builders import final, flag, started, team_of


def make_call(db: Database, call_id: str, owner: UserRecord, at: str, *flags: Flag) -> None:
    ops = CallOps(str, user_id=owner.id, team_id=owner.team_id)
    events = (
        replace(started(call_id), started_at=at),
        final(1, "我们明天就去你单位找你领导"),
        *flags,
    )
    for event in events:
        for op in ops.ops_for(event):
            apply_op(db, op)


def test_sort_by_most_severe_and_count_follow_the_filter(db: Database) -> None:
    ann, bo, lee, *_ = team_of(db)
    make_call(db, "old-critical", ann, "2026-11-02T09:00:00+00:00", flag("f1"))
    make_call(db, "new-warning", bo, "2026-11-03T09:00:00+00:00", flag("f1", severity="warning"))
    make_call(db, "quiet", bo, "2026-11-04T09:00:00+00:00")
    calls = CallRepository(db, str)
    lead = lee.as_actor()
    assert [c.id for c in calls.review_queue(lead)] == ["new-warning", "old-critical"]
    by_severity = calls.review_queue(lead, QueueFilter(order=MOST_SEVERE))
    assert [c.id for c in by_severity] == ["old-critical", "new-warning"]
    assert calls.review_count(lead) == 2
    assert calls.review_count(lead, QueueFilter(collector_id=bo.id)) == 1
    assert calls.review_count(lead, QueueFilter(min_severity="critical")) == 1
    assert calls.review_count(lead, QueueFilter(review_state=None)) == 3  # the quiet one too


def test_flag_state_and_verdict_narrow_the_queue(db: Database) -> None:
    ann, bo, lee, *_ = team_of(db)
    make_call(db, "raised", ann, "2026-11-02T09:00:00+00:00", flag("f1", "raised"))
    make_call(db, "judged", bo, "2026-11-03T09:00:00+00:00", flag("f1"))
    calls = CallRepository(db, str)
    lead = lee.as_actor()
    row = calls.get(lead, "judged").flags[0]
    calls.set_verdict(lead, "judged", row.id, "needs_coaching")

    def ids(where: QueueFilter) -> set[str]:
        return {c.id for c in calls.review_queue(lead, where)}

    assert ids(QueueFilter(flag_state="raised")) == {"raised"}
    assert ids(QueueFilter(flag_state="confirmed")) == {"judged"}
    assert ids(QueueFilter(verdict=UNJUDGED)) == {"raised"}
    assert ids(QueueFilter(verdict="needs_coaching")) == {"judged"}
    assert ids(QueueFilter(verdict="false_positive")) == set()
    assert calls.review_count(lead, QueueFilter(verdict=UNJUDGED, category="agent.threat")) == 1
    assert calls.get(lead, "judged").flags[0].verdict == "needs_coaching"


def test_a_retracted_flag_matches_only_when_asked_for(db: Database) -> None:
    ann, _bo, lee, *_ = team_of(db)
    make_call(
        db, "c1", ann, "2026-11-02T09:00:00+00:00", flag("f1", "raised"), flag("f1", "retracted")
    )
    calls = CallRepository(db, str)
    everything = QueueFilter(review_state=None)
    assert calls.review_count(lee.as_actor(), QueueFilter(review_state=None, verdict=UNJUDGED)) == 0
    assert calls.review_count(lee.as_actor(), everything) == 1
    retracted = QueueFilter(review_state=None, flag_state="retracted")
    assert calls.review_count(lee.as_actor(), retracted) == 1


def test_pages_split_the_queue_and_the_count_covers_every_page(db: Database) -> None:
    ann, _bo, lee, *_ = team_of(db)
    for n in range(PAGE_SIZE + 3):
        make_call(db, f"c{n:03}", ann, f"2026-11-02T09:{n // 60:02}:{n % 60:02}+00:00", flag("f"))
    calls = CallRepository(db, str)
    first, second = (calls.review_queue(lee.as_actor(), page=p) for p in (0, 1))
    assert len(first) == PAGE_SIZE
    assert len(second) == 3
    assert not {c.id for c in first} & {c.id for c in second}
    assert calls.review_count(lee.as_actor()) == PAGE_SIZE + 3


def test_a_lead_sees_their_own_team_and_an_admin_every_team(db: Database) -> None:
    ann, _bo, lee, kim, tia = team_of(db)
    calls = CallRepository(db, str)
    assert [name for _id, name in calls.teams(lee.as_actor())] == ["red"]
    assert [name for _id, name in calls.teams(kim.as_actor())] == ["blue"]
    assert [name for _id, name in calls.teams(SYSTEM)] == ["blue", "red"]
    for outsider in (ann, tia):
        with pytest.raises(AccessDenied):
            calls.teams(outsider.as_actor())


def test_an_unknown_verdict_is_refused(db: Database) -> None:
    ann, _bo, lee, *_ = team_of(db)
    make_call(db, "c1", ann, "2026-11-02T09:00:00+00:00", flag("f1"))
    calls = CallRepository(db, str)
    row = calls.get(lee.as_actor(), "c1").flags[0]
    with pytest.raises(StoreError):
        calls.set_verdict(lee.as_actor(), "c1", row.id, "maybe")
