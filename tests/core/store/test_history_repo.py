"""Per-case history from a store filled through the repositories (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from agent_assist.errors import AccessDenied
from agent_assist.events import CallEnded, CallStarted, Event, Flag
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CaseInput, CaseRepository
from agent_assist.store.database import Database
from agent_assist.store.history_repo import (
    CaseTimeline,
    HistoryRepository,
    call_examples,
    history_at,
)
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.recorder import CallRecorder
from agent_assist.store.records import UserRecord
from agent_assist.store.tables import Case, ContactAttempt, Promise
from tests.core.store.builders import team_of

DAY = timedelta(days=1)
COUNTING = {
    "attempt_channels": {"call", "visit"},
    "conversation_outcomes": {"promise_to_pay", "refused", "callback"},
}


@dataclass
class World:
    now: datetime
    ann: UserRecord
    bo: UserRecord
    lee: UserRecord
    kim: UserRecord
    tia: UserRecord
    ids: dict[str, int]


def case(ref: str, who: str, *, overdue: str, principal: str = "10000", dpd: int = 45) -> CaseInput:
    return CaseInput(
        case_ref=ref,
        debtor_ref=f"D-{ref}",
        name="Debtor",
        national_id=None,
        phones=(),
        region=None,
        time_zone="Asia/Shanghai",
        segment=None,
        language="zh-CN",
        product="信用卡",
        currency="CNY",
        principal=Decimal(principal),
        overdue_amount=Decimal(overdue),
        days_past_due=dpd,
        stage="M2",
        assigned_username=who,
    )


def cue(flag_id: str, category: str, state: str = "confirmed") -> Flag:
    return Flag(
        flag_id=flag_id,
        state=state,  # type: ignore[arg-type]
        rule_id=f"rule.{category}",
        category=category,
        severity="info",
        speaker="debtor",
        utterance=1,
        text="…",
        start=0,
        end=1,
        kind="exact",
        score=1.0,
        explanation="why",
        reply=None,
        t_ms=1000,
    )


def call(
    db: Database, call_id: str, who: UserRecord, case_id: int, at: datetime, *flags: Flag
) -> None:
    ops = CallOps(str, user_id=who.id, team_id=who.team_id, case_id=case_id)
    recorder = CallRecorder(ops, _Apply(db))
    events: list[Event] = [
        CallStarted(call_id, ("agent", "debtor"), "test", "m", 16000, at.isoformat()),
        *flags,
        CallEnded("completed", 60_000),
    ]
    for event in events:
        recorder.record(event)


class _Apply:
    def __init__(self, db: Database) -> None:
        self.db = db

    def write(self, op: dict[str, object]) -> None:
        apply_op(self.db, op)


def stamp(
    db: Database, table: type[ContactAttempt | Promise | Case], row_id: int | None, **at: object
) -> None:
    with db.session() as session:
        session.execute(update(table).where(table.id == row_id).values(**at))


@pytest.fixture
def world(db: Database) -> World:
    """Case A-1 (Ann) with a rich history, A-2 (Ann) closed after a call, B-1 (Bo) disputed."""
    ann, bo, lee, kim, tia = team_of(db)
    cases = CaseRepository(db)
    cases.upsert_many(
        SYSTEM,
        [
            case("A-1", "ann", overdue="2500"),
            case("A-2", "ann", overdue="0", principal="20000"),
            case("B-1", "bo", overdue="3000", dpd=90),
        ],
        source="test",
    )
    now = datetime.now(UTC).replace(microsecond=0)
    ids = {c.external_ref: c.id for who in (ann, bo) for c in cases.assigned_to(SYSTEM, who.id)}
    a1, a2, b1 = ids["A-1"], ids["A-2"], ids["B-1"]
    ann_a = ann.as_actor()

    def contact(channel: str, outcome: str, days: float, call_id: str | None = None) -> None:
        cases.log_contact(ann_a, a1, channel, outcome, call_id=call_id)
        with db.session() as session:
            last = session.scalar(select(func.max(ContactAttempt.id)))
        stamp(db, ContactAttempt, last, at=now - days * DAY)

    # logged attempts (2, 10, 40 days ago), a text (not an attempt), three calls.
    contact("call", "no_answer", 2)
    contact("call", "refused", 10)
    contact("call", "busy", 40)
    contact("sms", "delivered", 1)
    call(db, "c2", ann, a1, now - 20 * DAY, cue("h2", "debtor.hardship"))
    contact("call", "callback", 20, call_id="c2")  # c2 has its own attempt: counted once
    call(db, "c3", ann, a1, now - 8 * DAY)
    call(
        db,
        "c1",
        ann,
        a1,
        now - 5 * DAY,
        cue("h1", "debtor.hardship"),
        cue("h1b", "debtor.hardship"),  # the same cue again on one call: one call with it
        cue("r1", "debtor.refusal", "retracted"),
        cue("p1", "debtor.promise_to_pay"),  # judged a false positive below
    )
    # Another team's call on A-1, long ago, without an outcome.
    call(db, "c6", kim, a1, now - 50 * DAY)
    calls = CallRepository(db, str)
    for call_id, outcome in (("c1", "promise_to_pay"), ("c3", "promise_to_pay")):
        calls.wrap_up(ann_a, call_id, outcome, "")
    false_positive = next(f for f in calls.get(lee.as_actor(), "c1").flags if f.flag_id == "p1")
    calls.set_verdict(lee.as_actor(), "c1", false_positive.id, "false_positive")
    # Promises: kept (made on c2), broken (made on c3), pending (made on c1).
    for call_id, made, status, settled in (
        ("c2", 20, "kept", 15),
        ("c3", 8, "broken", 3),
        ("c1", 5, None, None),
    ):
        row = cases.add_promise(ann_a, a1, Decimal(500), now.date(), call_id=call_id)
        if status:
            cases.resolve_promise(ann_a, row.id, status)
        resolved = now - settled * DAY if settled else None
        made_at = now - made * DAY + timedelta(minutes=2)  # at the end of its call
        stamp(db, Promise, row.id, created_at=made_at, resolved_at=resolved)
    stamp(db, Case, a1, updated_at=now)
    # called 10 days ago, settled and closed today.
    call(db, "c4", ann, a2, now - 10 * DAY)
    cases.set_status(ann_a, a2, "closed")
    # B-1: disputed a month ago, called since.
    cases.set_status(bo.as_actor(), b1, "disputed")
    stamp(db, Case, b1, updated_at=now - 30 * DAY)
    call(db, "c5", bo, b1, now - 10 * DAY)
    return World(now, ann, bo, lee, kim, tia, ids)


def by_ref(timelines: list[CaseTimeline]) -> dict[str, CaseTimeline]:
    return {t.case_ref: t for t in timelines}


def test_counts_today(db: Database, world: World) -> None:
    timeline = by_ref(HistoryRepository(db).worklist(world.ann.as_actor()))["A-1"]
    h = history_at(timeline, world.now, **COUNTING)
    assert (h.promises_kept, h.promises_broken, h.promises_pending) == (1, 1, 1)
    # Calls or visits: 2 d (logged), 5 d (c1), 8 d (c3), 10 d, 20 d (c2 with its attempt),
    # 40 d, 50 d (c6); the text of yesterday is no attempt.
    assert (h.attempts_7d, h.attempts_30d) == (2, 5)
    # refused (10 d), callback (c2), promise_to_pay (c1, c3): conversations with the debtor.
    assert h.conversations_30d == 4
    assert h.days_since_contact == pytest.approx(2)
    # Hardship on two calls; the retracted refusal and the false positive do not count.
    assert dict(h.cues) == {"debtor.hardship": 2}
    assert (h.currency, h.overdue_amount, h.principal, h.days_past_due) == (
        "CNY",
        Decimal("2500.00"),
        Decimal("10000.00"),
        45,
    )


def test_counts_as_they_stood_when_a_call_began(db: Database, world: World) -> None:
    timeline = by_ref(HistoryRepository(db).worklist(world.ann.as_actor()))["A-1"]
    h = history_at(timeline, world.now - 5 * DAY, **COUNTING)  # when c1 began
    # The promise broken 3 days ago was still open; c1's own promise not yet made.
    assert (h.promises_kept, h.promises_broken, h.promises_pending) == (1, 0, 1)
    # c3 (3 days before), the refusal (5), c2 (15): all conversations.
    assert (h.attempts_7d, h.attempts_30d, h.conversations_30d) == (2, 3, 3)
    assert h.days_since_contact == pytest.approx(3)
    assert dict(h.cues) == {"debtor.hardship": 1}  # c2's; c1's own cues come after its start


def test_a_case_without_history(db: Database, world: World) -> None:
    timeline = by_ref(HistoryRepository(db).worklist(world.ann.as_actor()))["A-1"]
    h = history_at(timeline, world.now - 60 * DAY, **COUNTING)
    assert (h.promises_kept, h.promises_broken, h.promises_pending) == (0, 0, 0)
    assert (h.attempts_7d, h.attempts_30d, h.conversations_30d) == (0, 0, 0)
    assert h.days_since_contact is None
    assert dict(h.cues) == {}


@pytest.mark.parametrize(
    ("who", "refs"),
    [("ann", {"A-1", "A-2"}), ("bo", {"B-1"}), ("lee", {"A-1", "A-2", "B-1"}), ("kim", set())],
)
def test_a_worklist_holds_the_cases_the_asker_works(
    db: Database, world: World, who: str, refs: set[str]
) -> None:
    user: UserRecord = getattr(world, who)
    assert {t.case_ref for t in HistoryRepository(db).worklist(user.as_actor())} == refs


def test_a_trainer_has_no_worklist(db: Database, world: World) -> None:
    with pytest.raises(AccessDenied, match="no worklist"):
        HistoryRepository(db).worklist(world.tia.as_actor())


def test_only_leads_and_admins_learn_from_calls(db: Database, world: World) -> None:
    repo = HistoryRepository(db)
    with pytest.raises(AccessDenied, match="team lead"):
        repo.called_cases(world.ann.as_actor())
    red = by_ref(repo.called_cases(world.lee.as_actor()))
    assert [c.id for c in red["A-1"].calls] == ["c2", "c3", "c1"]  # not the blue team's c6
    blue = by_ref(repo.called_cases(world.kim.as_actor()))
    assert set(blue) == {"A-1"}
    assert [c.id for c in blue["A-1"].calls] == ["c6"]
    assert len(blue["A-1"].contacts) == len(red["A-1"].contacts)  # every call shapes features


def test_labelled_calls(db: Database, world: World) -> None:
    examples = call_examples(HistoryRepository(db).called_cases(SYSTEM), **COUNTING)
    labels = {e.call_id: e.paid for e in examples}
    # c1's promise is pending: left out; c2's was kept; c3's broken; A-2 closed after c4.
    assert labels == {"c2": True, "c3": False, "c4": True, "c5": False, "c6": False}
    at = {e.call_id: e.history for e in examples}
    assert at["c2"].days_past_due == 45 - 20  # wound back to the call's day
    assert at["c3"].promises_kept == 1
    assert at["c3"].promises_pending == 0  # its own promise came after it began
    assert at["c5"].status == "disputed"  # set before the call
    assert at["c4"].status == "active"  # closed after the call
    # A-2 is settled: its amount then is the principal times the open cases' median share.
    assert at["c4"].overdue_amount == Decimal("20000") * (Decimal("0.25") + Decimal("0.3")) / 2
    assert at["c5"].overdue_amount == Decimal("3000.00")
