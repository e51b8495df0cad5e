"""Where a published version is active: for every team (no team) or for one team, whose
own row overrides every team's for its desktops. The queries of ``library_repo``."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from agent_assist.errors import StoreError
from agent_assist.store.tables import ActiveVersion, PublishedVersion, Team

_Q = TypeVar("_Q", bound="Select[*tuple[Any, ...]]")


def scope_row(
    session: Session, kind: str, ref: str, team_id: int | None, *, lock: bool = True
) -> ActiveVersion | None:
    """The active row of one scope (``team_id`` None: every team's), locked to change it."""
    query = select(ActiveVersion).where(
        ActiveVersion.kind == kind,
        ActiveVersion.ref == ref,
        ActiveVersion.team_id.is_(None) if team_id is None else ActiveVersion.team_id == team_id,
    )
    return session.scalar(query.with_for_update() if lock else query)


def team_name(session: Session, team_id: int | None) -> str | None:
    """The team's name (None for every team); an unknown team is refused."""
    if team_id is None:
        return None
    name = session.scalar(select(Team.name).where(Team.id == team_id))
    if name is None:
        raise StoreError(f"no team with id {team_id}; choose one of the teams the database has")
    return name


def for_team(query: _Q, kind: str, ref: str, team_id: int | None) -> _Q:
    """``query`` narrowed to the row ``team_id``'s desktops follow: the team's own first,
    else every team's."""
    if team_id is None:
        return query.where(*_key(kind, ref), ActiveVersion.team_id.is_(None))
    scope = or_(ActiveVersion.team_id.is_(None), ActiveVersion.team_id == team_id)
    # False sorts first on both databases: the team's own row wins.
    return query.where(*_key(kind, ref), scope).order_by(ActiveVersion.team_id.is_(None)).limit(1)


def is_active() -> Any:
    """The join of a published version to the active rows that name it."""
    return and_(
        ActiveVersion.kind == PublishedVersion.kind,
        ActiveVersion.ref == PublishedVersion.ref,
        ActiveVersion.version == PublishedVersion.version,
    )


def _key(kind: str, ref: str) -> tuple[Any, ...]:
    return (ActiveVersion.kind == kind, ActiveVersion.ref == ref)
