"""The outbox: follow-up messages waiting for the bank's SMS gateway, and what became of them.

A message is ``queued`` when a collector (own cases) or team lead (the team's)
adds it, then ``sent`` (exported as CSV or accepted by the gateway),
``failed`` (kept, and tried again next time) or ``cancelled``. Queueing and
every message leaving the app are written to the audit log in the same
transaction. No row holds a phone number: the bank resolves it from the case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from agent_assist.errors import StoreError
from agent_assist.messaging.render import RenderedMessage
from agent_assist.store.access import require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.cases_repo import require_case_access
from agent_assist.store.database import Database
from agent_assist.store.records import Actor
from agent_assist.store.tables import Call, Case, Debtor, OutboxMessage, User

MessageStatus = Literal["queued", "sent", "failed", "cancelled"]
STATUSES: tuple[MessageStatus, ...] = ("queued", "sent", "failed", "cancelled")
# Messages still to go out: a failed one is tried again, never dropped.
WAITING: tuple[MessageStatus, ...] = ("queued", "failed")
_REF_LENGTH = 100


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    id: int
    case_id: int
    case_ref: str
    call_id: str | None
    template_id: str
    language: str
    text: str  # masked
    status: str
    created_by: int | None
    created_at: datetime
    sent_at: datetime | None
    gateway_ref: str | None
    error: str | None
    # The case as it is now, to check again just before the message leaves.
    case_status: str
    time_zone: str


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def queue(
        self, actor: Actor, message: RenderedMessage, *, call_id: str | None = None
    ) -> OutboxRecord:
        """Add a rendered (and checked) message for its case's debtor."""
        with self._db.session() as session:
            case = _case(session, message.case_id)
            require_case_access(session, actor, case)
            if call_id is not None:
                call = session.get(Call, call_id)
                if call is None or call.case_id != case.id:
                    raise StoreError(f"call {call_id} is not a call about case {case.external_ref}")
            already = session.scalar(
                select(OutboxMessage.id).where(
                    OutboxMessage.case_id == case.id,
                    OutboxMessage.template_id == message.template_id,
                    OutboxMessage.status.in_(WAITING),
                )
            )
            if already is not None:
                raise StoreError(
                    f"message {already} with template {message.template_id} is already waiting "
                    f"for case {case.external_ref}; cancel it first to queue a new one"
                )
            row = OutboxMessage(
                case_id=case.id,
                call_id=call_id,
                template_id=message.template_id,
                language=message.language,
                text=message.text,
                status="queued",
                created_by=actor.user_id or None,
                created_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            detail = f"message {row.id}, template {message.template_id}"
            write_audit(session, actor, "queue_message", "case", str(case.id), detail=detail)
            return _record(session, row)

    def waiting(self, actor: Actor) -> list[OutboxRecord]:
        """Queued and failed messages the actor may see, oldest first."""
        return self.listed(actor, WAITING)

    def listed(self, actor: Actor, statuses: Sequence[str]) -> list[OutboxRecord]:
        """Messages in ``statuses`` of the cases the actor may work on, oldest first."""
        query = (
            select(OutboxMessage, Case, Debtor)
            .join(Case, Case.id == OutboxMessage.case_id)
            .join(Debtor, Debtor.id == Case.debtor_id)
            .where(OutboxMessage.status.in_(tuple(statuses)))
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
        # Only the cases the actor may work on (the case-access rules).
        if actor.role == "collector":
            query = query.where(Case.assigned_user_id == actor.user_id)
        elif actor.role == "team_lead" and actor.team_id is not None:
            query = query.join(User, User.id == Case.assigned_user_id)
            query = query.where(User.team_id == actor.team_id)
        elif actor.role != "admin":
            query = query.where(false())
        with self._db.session() as session:
            return [_make(row, case, debtor) for row, case, debtor in session.execute(query)]

    def mark_sent(self, actor: Actor, message_id: int, gateway_ref: str | None) -> None:
        """The gateway took the message; ``gateway_ref`` is its id for it."""
        require_role(actor, "admin", "team_lead", to="send messages")
        with self._db.session() as session:
            row = _waiting_row(session, actor, message_id)
            row.status, row.sent_at, row.error = "sent", datetime.now(UTC), None
            row.gateway_ref = gateway_ref[:_REF_LENGTH] if gateway_ref else None
            detail = f"to the SMS gateway, ref {row.gateway_ref or '(none)'}"
            write_audit(
                session, actor, "send_message", "outbox_message", str(message_id), detail=detail
            )

    def mark_failed(self, actor: Actor, message_id: int, error: str) -> None:
        """The gateway refused or could not be reached; the message waits to be tried again."""
        require_role(actor, "admin", "team_lead", to="send messages")
        with self._db.session() as session:
            row = _waiting_row(session, actor, message_id)
            row.status, row.error = "failed", error

    def cancel(self, actor: Actor, message_id: int, reason: str = "cancelled") -> None:
        with self._db.session() as session:
            row = _waiting_row(session, actor, message_id)
            row.status, row.error = "cancelled", reason
            write_audit(
                session, actor, "cancel_message", "outbox_message", str(message_id), detail=reason
            )

    def export(
        self,
        actor: Actor,
        message_ids: Sequence[int],
        write: Callable[[Sequence[OutboxRecord]], None],
        *,
        target: str,
    ) -> list[OutboxRecord]:
        """Hand the still-waiting ``message_ids`` to ``write`` and mark them sent, atomically.

        If ``write`` raises, nothing is marked. If it returns, the rows are marked
        in the transaction of the audit entry; should that commit fail, they stay
        waiting and go out again next time (a duplicate beats a lost message).
        """
        require_role(actor, "admin", "team_lead", to="export messages")
        with self._db.session() as session:
            rows = session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.id.in_(message_ids), OutboxMessage.status.in_(WAITING))
                .order_by(OutboxMessage.created_at, OutboxMessage.id)
                .with_for_update()
            ).all()
            for row in rows:
                require_case_access(session, actor, _case(session, row.case_id))
            records = [_record(session, row) for row in rows]
            if not records:
                return []
            write(records)
            now = datetime.now(UTC)
            for row in rows:
                row.status, row.sent_at, row.error = "sent", now, None
                row.gateway_ref = f"export:{target}"[:_REF_LENGTH]
            ids = ", ".join(str(row.id) for row in rows)
            detail = f"{len(rows)} messages: {ids}"
            write_audit(session, actor, "export", "outbox", target[:64], detail=detail)
            return records


def _waiting_row(session: Session, actor: Actor, message_id: int) -> OutboxMessage:
    row = session.get(OutboxMessage, message_id, with_for_update=True)
    if row is None:
        raise StoreError(f"no message {message_id} in the outbox")
    require_case_access(session, actor, _case(session, row.case_id))
    if row.status not in WAITING:
        raise StoreError(f"message {message_id} is {row.status}, no longer waiting")
    return row


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise StoreError(f"no case {case_id}")
    return case


def _record(session: Session, row: OutboxMessage) -> OutboxRecord:
    case = _case(session, row.case_id)
    debtor = session.get(Debtor, case.debtor_id)
    if debtor is None:  # a foreign key rules it out
        raise StoreError(f"case {case.external_ref} has no debtor")
    return _make(row, case, debtor)


def _make(row: OutboxMessage, case: Case, debtor: Debtor) -> OutboxRecord:
    return OutboxRecord(
        id=row.id,
        case_id=row.case_id,
        case_ref=case.external_ref,
        call_id=row.call_id,
        template_id=row.template_id,
        language=row.language,
        text=row.text,
        status=row.status,
        created_by=row.created_by,
        created_at=row.created_at,
        sent_at=row.sent_at,
        gateway_ref=row.gateway_ref,
        error=row.error,
        case_status=case.status,
        time_zone=debtor.time_zone,
    )
