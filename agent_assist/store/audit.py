"""The audit log: who read whose call, what was exported, published or imported."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_assist.store.access import require_role
from agent_assist.store.database import Database
from agent_assist.store.records import Actor, AuditRecord
from agent_assist.store.tables import AuditEntry


def write_audit(
    session: Session,
    actor: Actor | None,
    action: str,
    target_type: str,
    target_id: str,
    *,
    detail: str = "",
) -> None:
    """Add an entry in the caller's transaction: the act and its entry commit together."""
    session.add(
        AuditEntry(
            at=datetime.now(UTC),
            actor_id=actor.user_id if actor and actor.user_id else None,
            action=action,
            target_type=target_type,
            target_id=target_id,
            detail=detail,
        )
    )


def read_audit(db: Database, actor: Actor, *, limit: int = 100) -> list[AuditRecord]:
    require_role(actor, "admin", to="read the audit log")
    with db.session() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
        return [
            AuditRecord(r.id, r.at, r.actor_id, r.action, r.target_type, r.target_id, r.detail)
            for r in rows
        ]
