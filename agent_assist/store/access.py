"""Who may do what. Repositories call these before touching data."""

from __future__ import annotations

from agent_assist.errors import AccessDenied
from agent_assist.store.records import Actor, Role


def require_role(actor: Actor, *roles: Role, to: str) -> None:
    if actor.role not in roles:
        allowed = ", ".join(r.replace("_", " ") for r in roles)
        raise AccessDenied(f"only a {allowed} may {to} (signed in as a {actor.role})")


def may_read_call(actor: Actor, owner_id: int | None, team_id: int | None) -> bool:
    """A collector reads their own calls, a team lead their team's, an admin all."""
    if actor.role == "admin":
        return True
    if actor.role == "collector":
        return owner_id is not None and owner_id == actor.user_id
    if actor.role == "team_lead":
        return actor.team_id is not None and team_id == actor.team_id
    return False


def require_call_access(actor: Actor, owner_id: int | None, team_id: int | None) -> None:
    if not may_read_call(actor, owner_id, team_id):
        raise AccessDenied("this call belongs to another collector or team")
