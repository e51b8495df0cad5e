"""The outbox repository, on SQLite and PostgreSQL (fixture ``db``)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.messaging.outbox import OutboxRecord
from agent_assist.store.audit import read_audit
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import UserRecord
from tests.core.messaging.builders import TEXT, Team, message
from tests.core.store.builders import started


def audit(db: Database) -> list[tuple[int | None, str, str, str]]:
    return [(e.actor_id, e.action, e.target_id, e.detail) for e in read_audit(db, SYSTEM)]


def test_a_collector_queues_for_an_own_case_and_it_is_audited(db: Database, team: Team) -> None:
    record = team.outbox.queue(team.ann.as_actor(), message(team.case_id))

    assert (record.case_id, record.case_ref, record.status) == (team.case_id, "L-1", "queued")
    assert (record.template_id, record.language, record.text) == (
        "zh.sms.mid.reminder",
        "zh-CN",
        TEXT,
    )
    assert (record.created_by, record.sent_at, record.gateway_ref) == (team.ann.id, None, None)
    assert (record.case_status, record.time_zone) == ("active", "Asia/Shanghai")
    assert team.outbox.waiting(team.ann.as_actor()) == [record]
    assert (
        team.ann.id,
        "queue_message",
        str(team.case_id),
        f"message {record.id}, template zh.sms.mid.reminder",
    ) in audit(db)


def test_only_the_cases_collector_their_lead_and_an_admin_may_queue(team: Team) -> None:
    for outsider in (team.bo, team.kim, team.tia):
        with pytest.raises(AccessDenied):
            team.outbox.queue(outsider.as_actor(), message(team.case_id))
    by_lead = team.outbox.queue(team.lee.as_actor(), message(team.case_id))
    by_admin = team.outbox.queue(SYSTEM, message(team.case_id, "zh.sms.repayment_plan"))

    assert (by_lead.created_by, by_admin.created_by) == (team.lee.id, None)


def test_the_same_template_waits_only_once_per_case(team: Team) -> None:
    ann = team.ann.as_actor()
    first = team.outbox.queue(ann, message(team.case_id))

    with pytest.raises(StoreError, match=f"message {first.id} with template .* already waiting"):
        team.outbox.queue(ann, message(team.case_id))
    team.outbox.cancel(ann, first.id, "wrong date")
    again = team.outbox.queue(ann, message(team.case_id))

    assert [m.id for m in team.outbox.waiting(ann)] == [again.id]
    (cancelled,) = team.outbox.listed(ann, ["cancelled"])
    assert (cancelled.id, cancelled.error) == (first.id, "wrong date")


def _call(db: Database, call_id: str, owner: UserRecord, case_id: int) -> None:
    ops = CallOps(str, user_id=owner.id, team_id=owner.team_id, case_id=case_id)
    for op in ops.ops_for(started(call_id)):
        apply_op(db, op)


def test_the_call_a_message_follows_must_be_about_its_case(db: Database, team: Team) -> None:
    ann = team.ann.as_actor()
    _call(db, "c-own", team.ann, team.case_id)
    _call(db, "c-other", team.bo, team.bo_case_id)

    record = team.outbox.queue(ann, message(team.case_id), call_id="c-own")
    for wrong in ("c-other", "c-missing"):
        with pytest.raises(StoreError, match=f"call {wrong} is not a call about case L-1"):
            team.outbox.queue(ann, message(team.case_id, "x"), call_id=wrong)

    assert record.call_id == "c-own"


def test_each_role_sees_the_messages_of_the_cases_it_may_work_on(team: Team) -> None:
    mine = team.outbox.queue(team.ann.as_actor(), message(team.case_id))
    bos = team.outbox.queue(team.bo.as_actor(), message(team.bo_case_id))

    users = (team.ann, team.bo, team.lee, team.kim, team.tia)
    seen = {u.username: [m.id for m in team.outbox.waiting(u.as_actor())] for u in users}

    assert seen == {
        "ann": [mine.id],
        "bo": [bos.id],
        "lee": [mine.id, bos.id],
        "kim": [],
        "tia": [],
    }
    assert [m.id for m in team.outbox.waiting(SYSTEM)] == [mine.id, bos.id]


def test_a_failed_message_keeps_waiting_and_a_sent_one_does_not(db: Database, team: Team) -> None:
    queued = team.outbox.queue(team.ann.as_actor(), message(team.case_id))
    lee = team.lee.as_actor()

    with pytest.raises(AccessDenied):
        team.outbox.mark_sent(team.ann.as_actor(), queued.id, "g-1")
    team.outbox.mark_failed(lee, queued.id, "the SMS gateway answered 500")
    (failed,) = team.outbox.waiting(lee)
    team.outbox.mark_sent(lee, queued.id, "g-" + "9" * 200)

    assert (failed.status, failed.error) == ("failed", "the SMS gateway answered 500")
    assert team.outbox.waiting(lee) == []
    (sent,) = team.outbox.listed(lee, ["sent"])
    assert (sent.status, sent.error, sent.gateway_ref) == ("sent", None, "g-" + "9" * 98)
    assert sent.sent_at is not None
    assert sent.sent_at >= sent.created_at
    with pytest.raises(StoreError, match="is sent, no longer waiting"):
        team.outbox.mark_failed(lee, queued.id, "late")
    with pytest.raises(StoreError, match="is sent, no longer waiting"):
        team.outbox.cancel(lee, queued.id)
    assert (team.lee.id, "send_message", str(queued.id)) in [e[:3] for e in audit(db)]


def test_export_hands_over_and_marks_in_one_step(db: Database, team: Team) -> None:
    ann = team.ann.as_actor()
    first = team.outbox.queue(ann, message(team.case_id))
    second = team.outbox.queue(ann, message(team.case_id, "zh.sms.repayment_plan"))
    handed: list[Sequence[OutboxRecord]] = []

    with pytest.raises(AccessDenied):
        team.outbox.export(ann, [first.id], handed.append, target="x.csv")
    exported = team.outbox.export(SYSTEM, [second.id, first.id], handed.append, target="x.csv")

    assert [m.id for m in exported] == [first.id, second.id]
    assert [[m.id for m in batch] for batch in handed] == [[first.id, second.id]]
    assert team.outbox.waiting(SYSTEM) == []
    assert {m.gateway_ref for m in team.outbox.listed(SYSTEM, ["sent"])} == {"export:x.csv"}
    assert (None, "export", "x.csv", f"2 messages: {first.id}, {second.id}") in audit(db)
    # Sent ones are never exported twice.
    assert team.outbox.export(SYSTEM, [first.id], handed.append, target="y.csv") == []
    assert len(handed) == 1


def test_an_export_that_cannot_be_written_marks_nothing(db: Database, team: Team) -> None:
    queued = team.outbox.queue(team.ann.as_actor(), message(team.case_id))

    def broken(records: Sequence[OutboxRecord]) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        team.outbox.export(SYSTEM, [queued.id], broken, target="x.csv")

    assert [m.id for m in team.outbox.waiting(SYSTEM)] == [queued.id]
    assert "export" not in [e[1] for e in audit(db)]


def test_unknown_cases_and_messages_are_named(team: Team) -> None:
    with pytest.raises(StoreError, match="no case 999"):
        team.outbox.queue(SYSTEM, message(999))
    with pytest.raises(StoreError, match="no message 999 in the outbox"):
        team.outbox.cancel(SYSTEM, 999)
