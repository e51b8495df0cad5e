"""What the pre-dial compliance check reads (case facts, call history), and its overrides.

Access follows the cases: a collector their own, a team lead their team's,
an admin all. An override of a block is an audit entry written in the same
transaction as the access check; it changes no verdict, it records who
decided to call anyway and why.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from agent_assist.compliance.check import Attempt, Reason
from agent_assist.errors import AccessDenied, StoreError
from agent_assist.privacy import mask_text
from agent_assist.store.access import require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.records import Actor
from agent_assist.store.tables import Case, ContactAttempt, Debtor, User

MIN_OVERRIDE_REASON = 10  # characters: a sentence, not "ok"
OVERRIDE_ACTION = "override_block"


@dataclass(frozen=True)
class ContactFacts:
    """What the check needs to know about a case and its debtor."""

    case_id: int
    case_ref: str
    status: str
    time_zone: str  # the debtor's own; "" when the bank's list gave none
    region: str | None
    language: str  # the pack whose policy applies: zh-CN, en-US


class ContactRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def facts(self, actor: Actor, case_id: int) -> ContactFacts:
        with self._db.session() as session:
            return _facts(*_visible_row(session, actor, Case.id == case_id, f"no case {case_id}"))

    def facts_by_ref(self, actor: Actor, case_ref: str) -> ContactFacts:
        """The same, by the bank's case reference."""
        with self._db.session() as session:
            where = Case.external_ref == case_ref
            return _facts(*_visible_row(session, actor, where, f"no case {case_ref!r}"))

    def open_cases(self, actor: Actor) -> list[ContactFacts]:
        """Every case not closed that ``actor`` may see, by id."""
        require_role(actor, "collector", "team_lead", "admin", to="see cases")
        with self._db.session() as session:
            rows = session.execute(
                select(Case, Debtor)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Case.status != "closed", _visible(actor))
                .order_by(Case.id)
            )
            return [_facts(case, debtor) for case, debtor in rows]

    def call_history(self, actor: Actor, case_id: int, since: datetime) -> tuple[Attempt, ...]:
        """The case's call attempts from ``since`` on, oldest first (texts and letters left out)."""
        with self._db.session() as session:
            _visible_row(session, actor, Case.id == case_id, f"no case {case_id}")
            rows = session.execute(
                select(ContactAttempt.at, ContactAttempt.outcome)
                .where(
                    ContactAttempt.case_id == case_id,
                    ContactAttempt.channel == "call",
                    ContactAttempt.at >= since,
                )
                .order_by(ContactAttempt.at, ContactAttempt.id)
            )
            return tuple(Attempt(at, outcome) for at, outcome in rows)

    def record_override(
        self, actor: Actor, case_id: int, reasons: Sequence[Reason], written_reason: str
    ) -> None:
        """Record that ``actor`` calls despite ``reasons``, and why (audited)."""
        text = " ".join(written_reason.split())
        if len(text) < MIN_OVERRIDE_REASON:
            raise StoreError(
                f"write why the call goes ahead despite the block, at least "
                f"{MIN_OVERRIDE_REASON} characters (for example: the debtor asked to be "
                "called back tonight)"
            )
        if not reasons:
            raise StoreError("the case is not blocked: there is nothing to override")
        fixed = [reason.code for reason in reasons if not reason.overridable]
        if fixed:
            raise StoreError(
                f"{', '.join(fixed)} cannot be overridden; change the case status or wait"
            )
        with self._db.session() as session:
            _, debtor = _visible_row(session, actor, Case.id == case_id, f"no case {case_id}")
            region = debtor.language.rsplit("-", maxsplit=1)[-1].upper()  # zh-CN → CN
            detail = {"reasons": [r.code for r in reasons], "reason": mask_text(text, region)}
            write_audit(
                session,
                actor,
                OVERRIDE_ACTION,
                "case",
                str(case_id),
                detail=json.dumps(detail, ensure_ascii=False),
            )


def _visible(actor: Actor) -> ColumnElement[bool]:
    """The cases ``actor`` may see, as a condition (the rule of CaseRepository)."""
    if actor.role == "admin":
        return true()
    if actor.role == "collector":
        return Case.assigned_user_id == actor.user_id
    if actor.role == "team_lead" and actor.team_id is not None:
        team = select(User.id).where(User.team_id == actor.team_id)
        return Case.assigned_user_id.in_(team.scalar_subquery())
    return false()


def _visible_row(
    session: Session, actor: Actor, where: ColumnElement[bool], missing: str
) -> tuple[Case, Debtor]:
    query = select(Case, Debtor).join(Debtor, Debtor.id == Case.debtor_id).where(where)
    row = session.execute(query.where(_visible(actor))).first()
    if row is None:
        if session.scalar(select(Case.id).where(where)) is None:
            raise StoreError(missing)
        raise AccessDenied("this case is assigned to another collector or team")
    case, debtor = row
    return case, debtor


def _facts(case: Case, debtor: Debtor) -> ContactFacts:
    return ContactFacts(
        case.id, case.external_ref, case.status, debtor.time_zone, debtor.region, debtor.language
    )
