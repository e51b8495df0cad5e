"""Access follows roles, and reading someone else's call leaves an audit entry."""

from __future__ import annotations

import pytest

from agent_assist.errors import AccessDenied
from agent_assist.store.audit import read_audit
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import CallRepository, QueueFilter
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import UserRecord
from tests.core.store.builders import final, flag, started, team_of


def make_call(db: Database, call_id: str, owner: UserRecord) -> None:
    ops = CallOps(str, user_id=owner.id, team_id=owner.team_id)
    for event in (started(call_id), final(1, "text"), flag("f1")):
        for op in ops.ops_for(event):
            apply_op(db, op)


def test_each_role_reads_only_what_it_may(db: Database) -> None:
    ann, bo, lee, kim, tia = team_of(db)
    make_call(db, "c-ann", ann)
    calls = CallRepository(db, str)
    assert calls.get(ann.as_actor(), "c-ann").call.id == "c-ann"
    assert calls.get(lee.as_actor(), "c-ann").call.id == "c-ann"
    for outsider in (bo, kim, tia):
        with pytest.raises(AccessDenied):
            calls.get(outsider.as_actor(), "c-ann")


def test_reads_by_others_and_exports_are_audited(db: Database) -> None:
    ann, _bo, lee, _kim, _tia = team_of(db)
    make_call(db, "c-ann", ann)
    calls = CallRepository(db, str)
    calls.get(ann.as_actor(), "c-ann")  # the collector's own read is not audited
    calls.get(lee.as_actor(), "c-ann")
    exported = calls.export(ann.as_actor(), "c-ann")
    assert exported["segments"][0]["text"] == "text"
    entries = [(e.actor_id, e.action, e.target_id) for e in read_audit(db, SYSTEM)]
    assert (lee.id, "read_call", "c-ann") in entries
    assert (ann.id, "export", "c-ann") in entries
    assert (ann.id, "read_call", "c-ann") not in entries


def test_only_admins_read_the_audit_log(db: Database) -> None:
    _ann, _bo, lee, _kim, _tia = team_of(db)
    with pytest.raises(AccessDenied):
        read_audit(db, lee.as_actor())


def test_review_queue_is_scoped_to_the_team_and_empties_as_calls_are_reviewed(
    db: Database,
) -> None:
    ann, bo, lee, kim, tia = team_of(db)
    make_call(db, "c-ann", ann)
    make_call(db, "c-bo", bo)
    calls = CallRepository(db, str)
    assert {c.id for c in calls.review_queue(lee.as_actor())} == {"c-ann", "c-bo"}
    assert calls.review_queue(kim.as_actor()) == []
    assert [c.id for c in calls.review_queue(ann.as_actor())] == ["c-ann"]
    with pytest.raises(AccessDenied):
        calls.review_queue(tia.as_actor())
    calls.review(lee.as_actor(), "c-ann", summary="calm down on threats", score=3)
    assert [c.id for c in calls.review_queue(lee.as_actor())] == ["c-bo"]
    reviewed = calls.review_queue(lee.as_actor(), QueueFilter(review_state="reviewed"))
    assert [c.id for c in reviewed] == ["c-ann"]


def test_queue_filters_by_category_and_severity(db: Database) -> None:
    ann, *_ = team_of(db)
    make_call(db, "c-ann", ann)
    calls = CallRepository(db, str)
    assert calls.review_queue(SYSTEM, QueueFilter(category="agent.threat"))
    assert not calls.review_queue(SYSTEM, QueueFilter(category="agent.insult"))
    assert calls.review_queue(SYSTEM, QueueFilter(min_severity="critical"))


def test_collectors_cannot_review_or_judge(db: Database) -> None:
    ann, *_ = team_of(db)
    make_call(db, "c-ann", ann)
    calls = CallRepository(db, str)
    with pytest.raises(AccessDenied):
        calls.review(ann.as_actor(), "c-ann", summary="self review")
    flag_row = calls.get(ann.as_actor(), "c-ann").flags[0]
    with pytest.raises(AccessDenied):
        calls.set_verdict(ann.as_actor(), "c-ann", flag_row.id, "false_positive")


def test_trainers_get_masked_examples_without_call_ids(db: Database) -> None:
    ann, _bo, lee, _kim, tia = team_of(db)
    make_call(db, "c-ann", ann)
    calls = CallRepository(db, str)
    assert calls.examples(tia.as_actor(), "agent.threat") == ["text"]
    with pytest.raises(AccessDenied):
        calls.examples(lee.as_actor(), "agent.threat")
