from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from agent_assist.compliance.wrapup import ConfirmedWrapUp, propose, save_wrap_up
from agent_assist.errors import AccessDenied, StoreError
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import FlagRecord, SegmentRecord, UserRecord
from agent_assist.store.tables import Call, Case, ContactAttempt, Promise
from tests.core.store.builders import started, team_of
from tests.core.store.test_cases_repo import CASE


def flag(category: str, utterance: int, state: str = "confirmed") -> FlagRecord:
    return FlagRecord(
        id=utterance,
        flag_id=f"f{utterance}",
        rule_id=f"{category}.r",
        category=category,
        severity="warning",
        speaker="debtor",
        utterance=utterance,
        span_start=0,
        span_end=2,
        span_text="…",
        kind="exact",
        score=1.0,
        state=state,
        t_ms=0,
        verdict=None,
    )


def said(utterance: int, text: str) -> SegmentRecord:
    return SegmentRecord("debtor", utterance, 0, 1000, text, 0.9)


def test_cues_propose_the_status_that_blocks_the_next_call() -> None:
    flags = [flag("debtor.dispute", 1), flag("debtor.legal_representation", 2)]
    segments = [said(1, "这钱我早还了"), said(2, "你找我律师去")]
    proposal = propose(flags, segments, language="zh-CN", today=date(2026, 11, 25))
    assert proposal.status is not None
    assert (proposal.status.status, proposal.status.evidence) == (
        "attorney_represented",
        "你找我律师去",
    )
    assert proposal.promise is None


def test_a_retracted_flag_proposes_nothing() -> None:
    proposal = propose(
        [flag("debtor.cease_request", 1, "retracted")],
        [said(1, "别再打了")],
        language="zh-CN",
        today=date(2026, 11, 25),
    )
    assert proposal.status is None


def test_the_last_promise_is_prefilled_from_what_was_said() -> None:
    flags = [flag("debtor.promise_to_pay", 1), flag("debtor.promise_to_pay", 3)]
    segments = [said(1, "明天还五百"), said(3, "算了，下周五还一千")]
    proposal = propose(flags, segments, language="zh-CN", today=date(2026, 11, 25))
    assert proposal.promise is not None
    assert (proposal.promise.amount, proposal.promise.due) == (Decimal(1000), date(2026, 12, 4))


def test_save_wrap_up_updates_the_case_so_the_next_call_is_blocked(db: Database) -> None:
    ann, *_ = team_of(db)
    cases, calls = CaseRepository(db), CallRepository(db, str)
    cases.upsert_many(SYSTEM, [CASE], source="t")
    case_id = cases.assigned_to(ann.as_actor())[0].id
    for op in CallOps(str, user_id=ann.id, team_id=ann.team_id).ops_for(started("c1")):
        apply_op(db, op)
    confirmed = ConfirmedWrapUp(
        outcome="promise_to_pay",
        notes="will pay after payday",
        status="disputed",
        promise_amount=Decimal(500),
        promise_due=date(2026, 12, 4),
    )
    save_wrap_up(calls, cases, ann.as_actor(), call_id="c1", case_id=case_id, confirmed=confirmed)
    assert cases.get(ann.as_actor(), case_id).status == "disputed"
    (promise,) = cases.promises(ann.as_actor(), case_id)
    assert (promise.amount, promise.call_id) == (Decimal(500), "c1")
    detail = calls.get(ann.as_actor(), "c1")
    assert (detail.call.outcome, detail.call.case_id) == ("promise_to_pay", case_id)
    assert cases.due_promises(ann.as_actor(), date(2026, 12, 3)) == []
    assert [p.id for p in cases.due_promises(ann.as_actor(), date(2026, 12, 4))] == [promise.id]


FULL = ConfirmedWrapUp(
    outcome="promise_to_pay",
    notes="will pay after payday",
    status="disputed",
    promise_amount=Decimal(500),
    promise_due=date(2026, 12, 4),
)


def call_by(db: Database, who: UserRecord, call_id: str) -> None:
    for op in CallOps(str, user_id=who.id, team_id=who.team_id).ops_for(started(call_id)):
        apply_op(db, op)


def stored(db: Database, call_id: str) -> dict[str, Any]:
    """What a wrap-up may have left: the call's outcome, contacts, statuses, promises."""
    with db.session() as session:
        call = session.get(Call, call_id)
        assert call is not None
        return {
            "outcome": call.outcome,
            "notes": call.wrap_up,
            "contacts": session.scalar(select(func.count()).select_from(ContactAttempt)),
            "statuses": sorted(session.scalars(select(Case.status))),
            "promises": session.scalar(select(func.count()).select_from(Promise)),
        }


NOTHING = {"outcome": None, "notes": None, "contacts": 0, "statuses": ["active"], "promises": 0}


@pytest.fixture
def ann_case(db: Database) -> tuple[UserRecord, UserRecord, int]:
    """(Ann, her colleague Bo, Ann's case) with a call "c1" made by Ann."""
    ann, bo, *_ = team_of(db)
    cases = CaseRepository(db)
    cases.upsert_many(SYSTEM, [CASE], source="t")
    call_by(db, ann, "c1")
    return ann, bo, cases.assigned_to(ann.as_actor())[0].id


def save(db: Database, who: UserRecord, case_id: int, confirmed: ConfirmedWrapUp) -> None:
    save_wrap_up(
        CallRepository(db, str),
        CaseRepository(db),
        who.as_actor(),
        call_id="c1",
        case_id=case_id,
        confirmed=confirmed,
    )


def test_a_wrap_up_stores_all_its_parts(
    db: Database, ann_case: tuple[UserRecord, UserRecord, int]
) -> None:
    ann, _, case_id = ann_case
    save(db, ann, case_id, FULL)
    assert stored(db, "c1") == {
        "outcome": "promise_to_pay",
        "notes": "will pay after payday",
        "contacts": 1,
        "statuses": ["disputed"],
        "promises": 1,
    }


def test_a_refused_promise_leaves_nothing_of_the_wrap_up(
    db: Database, ann_case: tuple[UserRecord, UserRecord, int]
) -> None:
    ann, _, case_id = ann_case
    with pytest.raises(StoreError, match="amount above zero"):
        save(db, ann, case_id, replace(FULL, promise_amount=Decimal(0)))
    assert stored(db, "c1") == NOTHING
    save(db, ann, case_id, FULL)  # the collector fixes the amount and saves again
    assert stored(db, "c1")["promises"] == 1


def test_a_case_the_collector_may_not_touch_leaves_nothing_of_the_wrap_up(
    db: Database, ann_case: tuple[UserRecord, UserRecord, int]
) -> None:
    _, bo, case_id = ann_case
    with db.session() as session:  # Bo's own call, about Ann's case
        session.get_one(Call, "c1").user_id = bo.id
    with pytest.raises(AccessDenied):
        save(db, bo, case_id, FULL)
    assert stored(db, "c1") == NOTHING


def test_the_database_failing_at_the_last_step_leaves_nothing_of_the_wrap_up(
    db: Database, ann_case: tuple[UserRecord, UserRecord, int]
) -> None:
    ann, _, case_id = ann_case

    def server_gone(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("INSERT INTO promises"):
            raise OperationalError(statement, None, ConnectionError("server closed"))

    event.listen(db.engine, "before_cursor_execute", server_gone)
    try:
        with pytest.raises(OperationalError):
            save(db, ann, case_id, FULL)
    finally:
        event.remove(db.engine, "before_cursor_execute", server_gone)
    assert stored(db, "c1") == NOTHING


def test_repositories_of_two_databases_cannot_share_a_wrap_up(
    db: Database, ann_case: tuple[UserRecord, UserRecord, int]
) -> None:
    ann, _, case_id = ann_case
    with pytest.raises(ValueError, match="one database"):
        save_wrap_up(
            CallRepository(Database(db.engine), str),
            CaseRepository(db),
            ann.as_actor(),
            call_id="c1",
            case_id=case_id,
            confirmed=FULL,
        )
    assert stored(db, "c1") == NOTHING
