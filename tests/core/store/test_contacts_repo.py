"""What the pre-dial check reads, and overrides: on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from agent_assist.compliance.check import Attempt, Reason
from agent_assist.errors import AccessDenied, StoreError
from agent_assist.store.audit import read_audit
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.contacts_repo import ContactFacts, ContactRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import Actor
from agent_assist.store.tables import Case, ContactAttempt
from tests.core.store.builders import team_of
from tests.core.store.test_cases_repo import CASE

LATE = Reason("outside_hours", "too late", overridable=True)


def _cases(db: Database) -> dict[str, int]:
    """Ann's case L-1, Bo's L-2 (no zone of its own), an unassigned closed L-3; ids by ref."""
    cases = [
        CASE,
        replace(CASE, case_ref="L-2", debtor_ref="D-2", time_zone="", region="Texas",
                language="en-US", assigned_username="bo"),
        replace(CASE, case_ref="L-3", debtor_ref="D-3", status="closed", assigned_username=None),
    ]  # fmt: skip
    CaseRepository(db).upsert_many(SYSTEM, cases, source="t")
    with db.session() as session:
        return dict(session.execute(select(Case.external_ref, Case.id)).all())


def _attempt(
    db: Database, actor: Actor, case_id: int, channel: str, outcome: str, *, at: datetime
) -> None:
    CaseRepository(db).log_contact(actor, case_id, channel, outcome)
    with db.session() as session:  # log_contact stamps the current time: move it to ``at``
        last = session.scalar(select(func.max(ContactAttempt.id)))
        session.execute(update(ContactAttempt).where(ContactAttempt.id == last).values(at=at))


def test_facts_for_the_check(db: Database) -> None:
    ann, bo, *_ = team_of(db)
    ids = _cases(db)
    repo = ContactRepository(db)

    assert repo.facts(ann.as_actor(), ids["L-1"]) == ContactFacts(
        ids["L-1"], "L-1", "active", "Asia/Shanghai", "北京", "zh-CN"
    )
    assert repo.facts_by_ref(bo.as_actor(), "L-2") == ContactFacts(
        ids["L-2"], "L-2", "active", "", "Texas", "en-US"
    )
    with pytest.raises(StoreError, match="no case 999"):
        repo.facts(SYSTEM, 999)
    with pytest.raises(StoreError, match="no case 'L-9'"):
        repo.facts_by_ref(SYSTEM, "L-9")


def test_access_follows_the_cases(db: Database) -> None:
    ann, bo, lee, kim, tia = team_of(db)
    ids = _cases(db)
    repo = ContactRepository(db)

    assert [f.case_ref for f in repo.open_cases(SYSTEM)] == ["L-1", "L-2"]  # not the closed one
    assert [f.case_ref for f in repo.open_cases(ann.as_actor())] == ["L-1"]
    assert [f.case_ref for f in repo.open_cases(bo.as_actor())] == ["L-2"]
    assert [f.case_ref for f in repo.open_cases(lee.as_actor())] == ["L-1", "L-2"]
    assert repo.open_cases(kim.as_actor()) == []  # a lead of another team
    assert repo.facts(lee.as_actor(), ids["L-2"]).case_ref == "L-2"
    for outsider in (bo, kim, tia):
        with pytest.raises(AccessDenied):
            repo.facts(outsider.as_actor(), ids["L-1"])
        with pytest.raises(AccessDenied):
            repo.call_history(outsider.as_actor(), ids["L-1"], datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(AccessDenied):
        repo.open_cases(tia.as_actor())


def test_call_history_is_calls_since_oldest_first(db: Database) -> None:
    ann, *_ = team_of(db)
    case_id = _cases(db)["L-1"]
    me = ann.as_actor()
    for channel, outcome, day in [
        ("call", "promise_to_pay", 20),
        ("sms", "delivered", 21),
        ("call", "no_answer", 19),
        ("call", "busy", 10),  # before ``since``
        ("letter", "sent", 22),
    ]:
        _attempt(db, me, case_id, channel, outcome, at=datetime(2026, 11, day, 9, 30, tzinfo=UTC))

    history = ContactRepository(db).call_history(me, case_id, datetime(2026, 11, 15, tzinfo=UTC))

    assert history == (
        Attempt(datetime(2026, 11, 19, 9, 30, tzinfo=UTC), "no_answer"),
        Attempt(datetime(2026, 11, 20, 9, 30, tzinfo=UTC), "promise_to_pay"),
    )
    assert all(a.at.tzinfo is not None for a in history)


def test_an_override_is_audited_with_its_reasons_and_text(db: Database) -> None:
    ann, *_ = team_of(db)
    case_id = _cases(db)["L-1"]
    unknown = Reason("calendar_unknown", "confirm", overridable=True)

    ContactRepository(db).record_override(
        ann.as_actor(), case_id, [LATE, unknown], "  债务人要求晚上回电，号码 13812345678  "
    )

    (entry,) = [e for e in read_audit(db, SYSTEM) if e.action == "override_block"]
    assert (entry.actor_id, entry.target_type, entry.target_id) == (ann.id, "case", str(case_id))
    assert json.loads(entry.detail) == {
        "reasons": ["outside_hours", "calendar_unknown"],
        "reason": "债务人要求晚上回电，号码 138****5678",  # personal numbers masked
    }


@pytest.mark.parametrize(
    ("reasons", "text", "error"),
    [
        ([LATE], "", "at least 10 characters"),
        ([LATE], "   ok  fine   ", "at least 10 characters"),
        ([], "the debtor asked for it", "not blocked"),
        (
            [LATE, Reason("status.deceased", "deceased")],
            "the debtor asked for it",
            "status.deceased cannot be overridden",
        ),
    ],
)
def test_an_override_needs_a_reason_and_an_overridable_block(
    db: Database, reasons: list[Reason], text: str, error: str
) -> None:
    ann, *_ = team_of(db)
    case_id = _cases(db)["L-1"]

    with pytest.raises(StoreError, match=error):
        ContactRepository(db).record_override(ann.as_actor(), case_id, reasons, text)
    assert not [e for e in read_audit(db, SYSTEM) if e.action == "override_block"]


def test_only_who_may_see_the_case_overrides(db: Database) -> None:
    _ann, bo, *_ = team_of(db)
    case_id = _cases(db)["L-1"]

    with pytest.raises(AccessDenied):
        ContactRepository(db).record_override(
            bo.as_actor(), case_id, [LATE], "a long enough reason"
        )
    assert not [e for e in read_audit(db, SYSTEM) if e.action == "override_block"]
