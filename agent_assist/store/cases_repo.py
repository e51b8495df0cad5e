"""Debtors, their cases, contact history and promises to pay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.store.access import require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.records import Actor, CaseRecord, DebtorRecord, PromiseRecord
from agent_assist.store.tables import Case, ContactAttempt, Debtor, Promise, User

CASE_STATUSES = (
    "active",
    "disputed",
    "cease_requested",
    "attorney_represented",
    "deceased",
    "bankrupt",
    "closed",
)
PROMISE_STATUSES = ("pending", "kept", "broken")


@dataclass(frozen=True)
class CaseInput:
    """One case as a bank's list gives it (personal numbers already masked)."""

    case_ref: str
    debtor_ref: str
    name: str
    national_id: str | None
    phones: tuple[str, ...]
    region: str | None
    time_zone: str
    segment: str | None
    language: str
    product: str
    currency: str
    principal: Decimal
    overdue_amount: Decimal
    days_past_due: int
    stage: str
    # None keeps what is stored (new cases: active, unassigned): a bank's file must
    # not undo a cease request or a dispute recorded during a call.
    status: str | None = None
    assigned_username: str | None = None


class CaseRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def database(self) -> Database:
        """Where this repository stores: for a transaction spanning several calls."""
        return self._db

    def upsert_many(self, actor: Actor, cases: list[CaseInput], *, source: str) -> tuple[int, int]:
        """Insert or update cases in one transaction; returns (added, changed)."""
        require_role(actor, "admin", "team_lead", to="import cases")
        added = changed = 0
        with self._db.session() as session:
            users = dict(session.execute(select(User.username, User.id)).all())
            for item in cases:
                was_new, was_changed = _upsert(session, item, users)
                added += was_new
                changed += was_changed
            write_audit(
                session,
                actor,
                "import",
                "cases",
                source,
                detail=f"{added} added, {changed} changed",
            )
        return added, changed

    def assigned_to(self, actor: Actor, user_id: int | None = None) -> list[CaseRecord]:
        """A collector's cases (their own unless a lead or admin asks for someone)."""
        who = user_id if user_id is not None else actor.user_id
        if actor.role == "collector" and who != actor.user_id:
            raise AccessDenied("a collector sees only their own cases")
        with self._db.session() as session:
            if actor.role == "team_lead":
                team = session.scalar(select(User.team_id).where(User.id == who))
                if team != actor.team_id:
                    raise AccessDenied("this collector is not in your team")
            rows = session.execute(
                select(Case, Debtor)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Case.assigned_user_id == who)
                .order_by(Case.days_past_due.desc(), Case.id)
            )
            return [_case(c, d) for c, d in rows]

    def get(self, actor: Actor, case_id: int) -> CaseRecord:
        with self._db.session() as session:
            row = session.execute(
                select(Case, Debtor)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Case.id == case_id)
            ).first()
            if row is None:
                raise StoreError(f"no case {case_id}")
            case, debtor = row
            require_case_access(session, actor, case)
            return _case(case, debtor)

    def set_status(self, actor: Actor, case_id: int, status: str) -> None:
        if status not in CASE_STATUSES:
            raise StoreError(f"status must be one of {', '.join(CASE_STATUSES)}")
        with self._db.session() as session:
            case = _get_case(session, case_id)
            require_case_access(session, actor, case)
            case.status = status
            case.updated_at = datetime.now(UTC)

    def log_contact(
        self, actor: Actor, case_id: int, channel: str, outcome: str, *, call_id: str | None = None
    ) -> None:
        with self._db.session() as session:
            case = _get_case(session, case_id)
            require_case_access(session, actor, case)
            session.add(
                ContactAttempt(
                    case_id=case_id,
                    user_id=actor.user_id or None,
                    at=datetime.now(UTC),
                    channel=channel,
                    outcome=outcome,
                    call_id=call_id,
                )
            )

    def add_promise(
        self,
        actor: Actor,
        case_id: int,
        amount: Decimal,
        due: date,
        *,
        call_id: str | None = None,
    ) -> PromiseRecord:
        if amount <= 0:
            raise StoreError("a promise needs an amount above zero")
        with self._db.session() as session:
            case = _get_case(session, case_id)
            require_case_access(session, actor, case)
            promise = Promise(
                case_id=case_id,
                call_id=call_id,
                user_id=actor.user_id or None,
                amount=amount,
                currency=case.currency,
                due_date=due,
                created_at=datetime.now(UTC),
            )
            session.add(promise)
            session.flush()
            return _promise(promise)

    def resolve_promise(self, actor: Actor, promise_id: int, status: str) -> None:
        if status not in PROMISE_STATUSES[1:]:
            raise StoreError("a promise is resolved as kept or broken")
        with self._db.session() as session:
            promise = session.get(Promise, promise_id)
            if promise is None:
                raise StoreError(f"no promise {promise_id}")
            require_case_access(session, actor, _get_case(session, promise.case_id))
            promise.status = status
            promise.resolved_at = datetime.now(UTC)

    def due_promises(self, actor: Actor, on: date) -> list[PromiseRecord]:
        """Pending promises due on or before ``on`` on the cases ``actor`` works.

        The worklist shows them: due today means a reminder; past due means
        the collector confirms it kept or broken.
        """
        query = (
            select(Promise)
            .join(Case, Case.id == Promise.case_id)
            .where(Promise.status == "pending", Promise.due_date <= on)
            .order_by(Promise.due_date, Promise.id)
        )
        if actor.role == "collector":
            query = query.where(Case.assigned_user_id == actor.user_id)
        elif actor.role == "team_lead":
            team = select(User.id).where(User.team_id == actor.team_id)
            query = query.where(Case.assigned_user_id.in_(team))
        elif actor.role != "admin":
            raise AccessDenied(f"a {actor.role} has no worklist")
        with self._db.session() as session:
            return [_promise(p) for p in session.scalars(query)]

    def promises(self, actor: Actor, case_id: int) -> list[PromiseRecord]:
        with self._db.session() as session:
            require_case_access(session, actor, _get_case(session, case_id))
            rows = session.scalars(
                select(Promise).where(Promise.case_id == case_id).order_by(Promise.due_date)
            )
            return [_promise(p) for p in rows]


def _upsert(session: Session, item: CaseInput, users: dict[str, int]) -> tuple[bool, bool]:
    debtor_values: dict[str, Any] = {
        "name": item.name,
        "national_id": item.national_id,
        "phones": list(item.phones),
        "region": item.region,
        "time_zone": item.time_zone,
        "segment": item.segment,
        "language": item.language,
    }
    debtor = session.scalar(select(Debtor).where(Debtor.external_ref == item.debtor_ref))
    changed = False
    if debtor is None:
        debtor = Debtor(external_ref=item.debtor_ref, **debtor_values)
        session.add(debtor)
        session.flush()
    else:
        changed |= _assign(debtor, debtor_values)
    assigned = users.get(item.assigned_username) if item.assigned_username else None
    if item.assigned_username and assigned is None:
        raise StoreError(f"case {item.case_ref}: no user named {item.assigned_username!r}")
    case_values: dict[str, Any] = {
        "debtor_id": debtor.id,
        "product": item.product,
        "currency": item.currency,
        "principal": item.principal,
        "overdue_amount": item.overdue_amount,
        "days_past_due": item.days_past_due,
        "stage": item.stage,
    }
    if item.status is not None:
        case_values["status"] = item.status
    if item.assigned_username is not None:
        case_values["assigned_user_id"] = assigned
    case = session.scalar(select(Case).where(Case.external_ref == item.case_ref))
    if case is None:
        session.add(Case(external_ref=item.case_ref, updated_at=datetime.now(UTC), **case_values))
        return True, False
    if _assign(case, case_values):
        case.updated_at = datetime.now(UTC)
        changed = True
    return False, changed


def _assign(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        current = getattr(row, key)
        if isinstance(value, Decimal) and current is not None:
            same = Decimal(current) == value
        else:
            same = current == value
        if not same:
            setattr(row, key, value)
            changed = True
    return changed


def _get_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise StoreError(f"no case {case_id}")
    return case


def require_case_access(session: Session, actor: Actor, case: Case) -> None:
    if actor.role == "admin":
        return
    if actor.role == "collector" and case.assigned_user_id == actor.user_id:
        return
    if actor.role == "team_lead" and case.assigned_user_id is not None:
        team = session.scalar(select(User.team_id).where(User.id == case.assigned_user_id))
        if team is not None and team == actor.team_id:
            return
    raise AccessDenied("this case is assigned to another collector or team")


def _case(case: Case, debtor: Debtor) -> CaseRecord:
    return CaseRecord(
        id=case.id,
        external_ref=case.external_ref,
        debtor=DebtorRecord(
            id=debtor.id,
            external_ref=debtor.external_ref,
            name=debtor.name,
            national_id=debtor.national_id,
            phones=tuple(debtor.phones),
            region=debtor.region,
            time_zone=debtor.time_zone,
            segment=debtor.segment,
            language=debtor.language,
        ),
        product=case.product,
        currency=case.currency,
        principal=Decimal(case.principal),
        overdue_amount=Decimal(case.overdue_amount),
        days_past_due=case.days_past_due,
        stage=case.stage,
        status=case.status,
        assigned_user_id=case.assigned_user_id,
    )


def _promise(p: Promise) -> PromiseRecord:
    return PromiseRecord(
        p.id, p.case_id, p.call_id, Decimal(p.amount), p.currency, p.due_date, p.status
    )
