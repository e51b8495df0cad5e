from __future__ import annotations

import pytest

from agent_assist.events import Event
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.recorder import CallRecorder
from tests.core.store.builders import ended, final, flag, started, team_of


class DirectWriter:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.ops: list[dict[str, object]] = []

    def write(self, op: dict[str, object]) -> None:
        self.ops.append(op)
        apply_op(self.db, op)


def record(db: Database, events: list[Event], **owner: int | None) -> DirectWriter:
    writer = DirectWriter(db)
    recorder = CallRecorder(CallOps(str.upper, **owner), writer)
    for event in events:
        recorder.record(event)
    return writer


def test_a_call_is_stored_as_it_happens_and_masked(db: Database) -> None:
    ann, *_ = team_of(db)
    record(
        db,
        [started(), final(0, "hello"), final(1, "world", "debtor"), flag("f1"), ended()],
        user_id=ann.id,
        team_id=ann.team_id,
    )
    detail = CallRepository(db, str.upper).get(ann.as_actor(), "c1")
    assert [(s.speaker, s.text) for s in detail.segments] == [
        ("agent", "HELLO"),
        ("debtor", "WORLD"),
    ]
    assert detail.flags[0].span_text == "就去你单位"  # str.upper leaves Chinese as it is
    assert detail.call.duration_ms == 5000
    assert detail.call.flag_count == 1
    assert detail.call.review_state == "pending"


def test_replaying_every_write_twice_changes_nothing(db: Database) -> None:
    writer = record(db, [started(), final(0, "a"), flag("f1", "raised"), flag("f1"), ended()])
    for op in writer.ops:
        apply_op(db, op)
    detail = CallRepository(db, str.upper).get(SYSTEM, "c1")
    assert len(detail.segments) == 1
    assert len(detail.flags) == 1
    assert detail.flags[0].state == "confirmed"


def test_a_retracted_flag_leaves_the_queue(db: Database) -> None:
    record(db, [started(), flag("f1", "raised"), flag("f1", "retracted")])
    detail = CallRepository(db, str.upper).get(SYSTEM, "c1")
    assert detail.call.flag_count == 0
    assert detail.call.review_state == "none"


@pytest.mark.parametrize(("severities", "rank"), [(["info"], 1), (["info", "critical"], 3)])
def test_max_severity_follows_live_flags(db: Database, severities: list[str], rank: int) -> None:
    events: list[Event] = [started()]
    events += [flag(f"f{i}", severity=s) for i, s in enumerate(severities)]
    record(db, events)
    assert CallRepository(db, str.upper).get(SYSTEM, "c1").call.max_severity == rank


def test_a_flag_span_inside_a_phone_number_is_masked_as_part_of_it(db: Database) -> None:
    from dataclasses import replace

    from agent_assist.privacy import mask_text

    text = "我手机号是一三九一二三四五六七八你去投诉吧"
    span = flag("f1")
    inside = replace(span, text=text, start=text.index("一二三四"), end=text.index("你"))
    writer = DirectWriter(db)
    recorder = CallRecorder(CallOps(mask_text), writer)
    for event in (started(), inside):
        recorder.record(event)
    assert writer.ops[-1]["span_text"] == "****五六七八"
