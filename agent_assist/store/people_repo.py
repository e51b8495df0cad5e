"""Teams and users."""

from __future__ import annotations

from typing import cast

from sqlalchemy import select

from agent_assist.errors import StoreError
from agent_assist.store.access import require_role
from agent_assist.store.database import Database
from agent_assist.store.records import ROLES, Actor, Role, UserRecord
from agent_assist.store.tables import Team, User


class PeopleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def ensure_team(self, actor: Actor, name: str) -> int:
        require_role(actor, "admin", to="create teams")
        with self._db.session() as session:
            team = session.scalar(select(Team).where(Team.name == name))
            if team is None:
                team = Team(name=name)
                session.add(team)
                session.flush()
            return team.id

    def add_user(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        role: Role,
        *,
        team_id: int | None = None,
    ) -> UserRecord:
        require_role(actor, "admin", to="add users")
        if role not in ROLES:
            raise StoreError(f"role must be one of {', '.join(ROLES)}")
        with self._db.session() as session:
            if session.scalar(select(User.id).where(User.username == username)) is not None:
                raise StoreError(f"a user named {username!r} exists already")
            user = User(username=username, display_name=display_name, role=role, team_id=team_id)
            session.add(user)
            session.flush()
            return _record(user)

    def find(self, username: str) -> UserRecord | None:
        """Look a user up by name (signing in); None when unknown or inactive."""
        with self._db.session() as session:
            user = session.scalar(
                select(User).where(User.username == username, User.active.is_(True))
            )
            return _record(user) if user else None

    def actor(self, username: str) -> Actor:
        """The access of the user signing in as ``username``; refused when unknown or inactive."""
        user = self.find(username)
        if user is None:
            raise StoreError(f"no active user named {username!r}")
        return user.as_actor()

    def team_members(self, actor: Actor) -> list[UserRecord]:
        require_role(actor, "team_lead", "admin", to="list a team")
        query = select(User).where(User.active.is_(True)).order_by(User.username)
        if actor.role == "team_lead":
            query = query.where(User.team_id == actor.team_id)
        with self._db.session() as session:
            return [_record(u) for u in session.scalars(query)]


def _record(user: User) -> UserRecord:
    return UserRecord(
        user.id, user.username, user.display_name, cast(Role, user.role), user.team_id
    )


# The system itself (migrations, demo set-up, imports from the command line by an
# operator) acts as an administrator without a user row.
SYSTEM = Actor(user_id=0, role="admin")
