from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.store.cases_repo import CaseInput, CaseRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from tests.core.store.builders import team_of

CASE = CaseInput(
    case_ref="L-1",
    debtor_ref="D-1",
    name="王芳",
    national_id="110***********4573",
    phones=("138****5678",),
    region="北京",
    time_zone="Asia/Shanghai",
    segment="prime",
    language="zh-CN",
    product="信用卡",
    currency="CNY",
    principal=Decimal("20000.00"),
    overdue_amount=Decimal("3200.50"),
    days_past_due=45,
    stage="M2",
    assigned_username="ann",
)


def test_reimporting_changes_nothing_and_keeps_what_calls_recorded(db: Database) -> None:
    ann, *_ = team_of(db)
    cases = CaseRepository(db)
    assert cases.upsert_many(SYSTEM, [CASE], source="t") == (1, 0)
    (stored,) = cases.assigned_to(ann.as_actor())
    assert stored.status == "active"
    assert stored.overdue_amount == Decimal("3200.50")
    cases.set_status(ann.as_actor(), stored.id, "cease_requested")
    assert cases.upsert_many(SYSTEM, [CASE], source="t") == (0, 0)
    assert cases.get(ann.as_actor(), stored.id).status == "cease_requested"
    changed = replace(CASE, overdue_amount=Decimal("3000"))
    assert cases.upsert_many(SYSTEM, [changed], source="t") == (0, 1)


def test_collectors_see_only_their_cases(db: Database) -> None:
    ann, bo, lee, kim, _tia = team_of(db)
    cases = CaseRepository(db)
    cases.upsert_many(SYSTEM, [CASE], source="t")
    case_id = cases.assigned_to(ann.as_actor())[0].id
    assert cases.get(lee.as_actor(), case_id).external_ref == "L-1"
    for outsider in (bo, kim):
        with pytest.raises(AccessDenied):
            cases.get(outsider.as_actor(), case_id)
    with pytest.raises(AccessDenied):
        cases.assigned_to(bo.as_actor(), ann.id)
    with pytest.raises(AccessDenied):
        cases.upsert_many(ann.as_actor(), [CASE], source="t")


def test_promises_are_kept_or_broken(db: Database) -> None:
    ann, *_ = team_of(db)
    cases = CaseRepository(db)
    cases.upsert_many(SYSTEM, [CASE], source="t")
    case_id = cases.assigned_to(ann.as_actor())[0].id
    promise = cases.add_promise(ann.as_actor(), case_id, Decimal("500"), date(2026, 12, 5))
    assert (promise.currency, promise.status) == ("CNY", "pending")
    cases.resolve_promise(ann.as_actor(), promise.id, "kept")
    assert [p.status for p in cases.promises(ann.as_actor(), case_id)] == ["kept"]
    with pytest.raises(StoreError):
        cases.add_promise(ann.as_actor(), case_id, Decimal("0"), date(2026, 12, 5))
