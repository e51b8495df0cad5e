"""Published versions of rule packs and script libraries: what the desktops run.

A trainer publishes a version (checked first with the loader the desktops use) and
makes one version of each pack or library active, for every team or for one team (which
overrides the every-team version for that team's desktops: a new pack tried on one team
first); each desktop looks up its team's active version at every call start. No active
row for the team nor for every team means the files shipped with the app.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from agent_assist.errors import StoreError
from agent_assist.store.access import require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.library_scopes import for_team, is_active, scope_row, team_name
from agent_assist.store.records import Actor
from agent_assist.store.tables import ActiveVersion, PublishedVersion, Team, User

Kind = Literal["rule_pack", "script_library"]
SHIPPED = "shipped"  # rollback(to=SHIPPED): back to the files shipped with the app
_TARGET_LENGTH = 64  # audit_log.target_id holds "ref@version"
_REF_LENGTH = 64  # the columns' lengths
_VERSION_LENGTH = 32
EVERY_TEAM = "every-team"  # the audit target's version when a team follows every team again
_WRITE = "publish rule packs and script libraries"


@dataclass(frozen=True)
class Published:
    kind: str
    ref: str
    version: str
    sha256: str
    published_by: int | None
    published_at: datetime
    publisher: str | None = None  # the user name, where versions() shows who published
    # And their display name: for showing only, so equality is left to the rest.
    publisher_name: str | None = field(default=None, compare=False)
    # Where versions() shows it active: None for every team, then team names.
    active_for: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class PublishedContent:
    meta: Published
    content: str


# Every column but the content: listing versions and finding the active one stay small.
_META = (
    PublishedVersion.kind,
    PublishedVersion.ref,
    PublishedVersion.version,
    PublishedVersion.sha256,
    PublishedVersion.published_by,
    PublishedVersion.published_at,
)


@dataclass(frozen=True)
class TeamRef:
    id: int
    name: str


def content_digest(content: str) -> str:
    """The SHA-256 a version's content is known by (``Published.sha256``)."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


class LibraryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def publish(
        self,
        actor: Actor,
        kind: Kind,
        ref: str,
        version: str,
        content: str,
        *,
        activate: bool = True,
        team_id: int | None = None,
    ) -> Published:
        """Publish a version after the real loader accepted it, and (by default) make it the
        one the desktops of ``team_id`` (None: of every team) run from their next call. The
        same content again stores nothing (it is activated if asked and not active); other
        content under a published version is refused."""
        require_role(actor, "trainer", "admin", to=_WRITE)
        _check_names(ref, version)
        _check_followed(kind, ref)
        digest = content_digest(content)
        with self._db.session() as session:
            team_name(session, team_id)  # an unknown team is refused before the slow check
            existing = session.scalar(_where(kind, ref, version))
            if existing is not None and existing.sha256 != digest:
                raise StoreError(
                    f"{ref} {version} is published already with other content; "
                    "raise the version number"
                )
        if existing is None:
            # Outside any transaction: loading a pack takes a while. Imported here because
            # the loaders are heavy and reading versions does not need them.
            from agent_assist.publishing.validate import check_content

            check_content(kind, ref, content)
        with self._db.session() as session:
            row = session.scalar(_where(kind, ref, version))
            if row is None:
                row = PublishedVersion(
                    kind=kind,
                    ref=ref,
                    version=version,
                    sha256=digest,
                    content=content,
                    published_by=actor.user_id or None,
                    published_at=datetime.now(UTC),
                )
                session.add(row)
                write_audit(session, actor, "publish", kind, f"{ref}@{version}", detail=digest)
                session.flush()
            elif row.sha256 != digest:  # published by someone else in the meantime
                raise StoreError(f"{ref} {version} was just published with other content")
            if activate:
                team, current = _scope(session, kind, ref, team_id)
                _set_active(session, actor, "activate", row, team_id, team=team, current=current)
            return _meta(row)

    def activate(
        self, actor: Actor, kind: Kind, ref: str, version: str, *, team_id: int | None = None
    ) -> Published:
        """Make a published version the one the desktops of ``team_id`` (None: of every
        team) run from their next call."""
        require_role(actor, "trainer", "admin", to=_WRITE)
        with self._db.session() as session:
            row = _published(session, kind, ref, version)
            team, current = _scope(session, kind, ref, team_id)
            _set_active(session, actor, "activate", row, team_id, team=team, current=current)
            return _meta(row)

    def rollback(
        self,
        actor: Actor,
        kind: Kind,
        ref: str,
        *,
        to: str | None = None,
        team_id: int | None = None,
    ) -> Published | None:
        """Go back to version ``to``, by default the newest one published before the active
        one, within one scope. For every team (``team_id`` None), from the oldest (or
        ``to=SHIPPED``) back to the files shipped with the app. For a team, once the version
        before is no newer than the every-team one (or there is none, or ``to=EVERY_TEAM``),
        the team's own version is removed: its desktops follow the every-team version
        again. None means the scope's row is gone (every team: the shipped files; a team:
        every team's version)."""
        require_role(actor, "trainer", "admin", to=_WRITE)
        with self._db.session() as session:
            team, current = _scope(session, kind, ref, team_id)
            if current is None:
                raise StoreError(
                    f"{ref} runs the files shipped with the app already: nothing to roll back"
                    if team is None
                    else f"team {team} follows every team's version of {ref} already: "
                    "nothing to roll back for it; leave out the team to roll back every team"
                )
            end = SHIPPED if team is None else EVERY_TEAM  # where the scope's walk ends
            if to in (SHIPPED, EVERY_TEAM) and to != end:
                raise StoreError(
                    f"every team's {ref} goes back to a version or to {SHIPPED}; "
                    f"--to {EVERY_TEAM} is for one team (--team NAME)"
                    if team is None
                    else f"team {team} runs its own version of {ref} or every team's: --to "
                    f"{EVERY_TEAM} makes it follow every team's; {SHIPPED} is for every team"
                )
            target: PublishedVersion | None
            if to == end:
                target = None
            elif to is not None:
                target = _published(session, kind, ref, to)
            else:
                target = _before(session, kind, ref, current.version)
                if target is not None and team_id is not None:
                    target = _newer_than_every_team(session, target)
            if target is None:
                session.delete(current)
                detail = _scoped(current.version, team)
                write_audit(session, actor, "rollback", kind, f"{ref}@{end}", detail=detail)
                return None
            _set_active(session, actor, "rollback", target, team_id, team=team, current=current)
            return _meta(target)

    def active(self, kind: Kind, ref: str, *, team_id: int | None = None) -> Published | None:
        """The version the desktops of ``team_id`` run: the team's own, else every team's;
        None for the shipped files. One indexed look-up, content left out (what each call
        start asks), read-only: on SQLite it never queues behind another program's write."""
        query = select(*_META).join(ActiveVersion, is_active())
        with self._db.session(readonly=True) as session:
            found = session.execute(for_team(query, kind, ref, team_id)).first()
            return None if found is None else Published(*found)

    def active_content(
        self, kind: Kind, ref: str, *, team_id: int | None = None
    ) -> PublishedContent | None:
        query = select(PublishedVersion).join(ActiveVersion, is_active())
        with self._db.session(readonly=True) as session:
            row = session.scalar(for_team(query, kind, ref, team_id))
            return None if row is None else PublishedContent(_meta(row), row.content)

    def versions(self, kind: Kind, ref: str) -> list[Published]:
        """Newest first, each with where it is active. Every role may read them: desktops
        load what is published."""
        query = (
            select(*_META, User.username, User.display_name)
            .outerjoin(User, User.id == PublishedVersion.published_by)
            .where(PublishedVersion.kind == kind, PublishedVersion.ref == ref)
            .order_by(PublishedVersion.published_at.desc(), PublishedVersion.id.desc())
        )
        scopes = (
            select(ActiveVersion.version, Team.name)
            .outerjoin(Team, Team.id == ActiveVersion.team_id)
            .where(ActiveVersion.kind == kind, ActiveVersion.ref == ref)
            .order_by(ActiveVersion.team_id.is_not(None), Team.name)
        )
        with self._db.session(readonly=True) as session:
            active_for: dict[str, tuple[str | None, ...]] = {}
            for version, team in session.execute(scopes):
                active_for[version] = (*active_for.get(version, ()), team)
            return [
                Published(kind, ref, v, sha256, by, at, username, name, active_for.get(v, ()))
                for kind, ref, v, sha256, by, at, username, name in session.execute(query)
            ]

    def content(self, kind: Kind, ref: str, version: str) -> PublishedContent:
        with self._db.session(readonly=True) as session:
            row = _published(session, kind, ref, version)
            return PublishedContent(_meta(row), row.content)

    def teams(self) -> list[TeamRef]:
        """The teams a version may be made active for, by name."""
        with self._db.session(readonly=True) as session:
            rows = session.execute(select(Team.id, Team.name).order_by(Team.name))
            return [TeamRef(id, name) for id, name in rows]

    def team_named(self, name: str) -> TeamRef:
        teams = self.teams()
        found = next((team for team in teams if team.name == name), None)
        if found is None:
            known = ", ".join(t.name for t in teams) or "none yet"
            raise StoreError(f"no team named {name!r} (teams: {known})")
        return found


def _scope(
    session: Session, kind: str, ref: str, team_id: int | None
) -> tuple[str | None, ActiveVersion | None]:
    """The scope's team name (None: every team) and its active row, locked to change it."""
    return team_name(session, team_id), scope_row(session, kind, ref, team_id)


def _set_active(
    session: Session,
    actor: Actor,
    action: str,
    row: PublishedVersion,
    team_id: int | None,
    *,
    team: str | None,
    current: ActiveVersion | None,
) -> None:
    """Point (kind, ref) for one scope (``_scope``: its team name and row) at ``row``,
    audited with the version it replaces and the team."""
    previous = current.version if current is not None else _followed(session, row, team)
    if current is not None and current.version == row.version:
        return  # already active: nothing changes, nothing to audit
    if current is None:
        current = ActiveVersion(kind=row.kind, ref=row.ref, team_id=team_id)
        session.add(current)
    current.version = row.version
    current.set_by = actor.user_id or None
    current.set_at = datetime.now(UTC)
    target = f"{row.ref}@{row.version}"
    write_audit(session, actor, action, row.kind, target, detail=_scoped(f"was {previous}", team))


def _followed(session: Session, row: PublishedVersion, team: str | None) -> str:
    """What a scope without a row of its own ran: the shipped files, or every team's."""
    if team is None:
        return SHIPPED
    every = scope_row(session, row.kind, row.ref, None, lock=False)
    return f"{EVERY_TEAM} ({every.version if every is not None else SHIPPED})"


def _scoped(detail: str, team: str | None) -> str:
    return detail if team is None else f"{detail}; team {team}"


def _newer_than_every_team(session: Session, target: PublishedVersion) -> PublishedVersion | None:
    """``target`` if it was published after every team's active version, else None: a
    team rolled back past its own versions follows every team's again."""
    every = scope_row(session, target.kind, target.ref, None, lock=False)
    if every is None:
        return target
    theirs = _published(session, target.kind, target.ref, every.version)
    newer = (target.published_at, target.id) > (theirs.published_at, theirs.id)
    return target if newer else None


def _before(session: Session, kind: str, ref: str, version: str) -> PublishedVersion | None:
    """The newest version published before ``version``."""
    active = _published(session, kind, ref, version)
    earlier = or_(
        PublishedVersion.published_at < active.published_at,
        and_(
            PublishedVersion.published_at == active.published_at,
            PublishedVersion.id < active.id,
        ),
    )
    query = (
        select(PublishedVersion)
        .where(PublishedVersion.kind == kind, PublishedVersion.ref == ref, earlier)
        .order_by(PublishedVersion.published_at.desc(), PublishedVersion.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def _published(session: Session, kind: str, ref: str, version: str) -> PublishedVersion:
    row = session.scalar(_where(kind, ref, version))
    if row is None:
        raise StoreError(
            f"{ref} {version} has not been published; `agent-assist publish versions` lists them"
        )
    return row


def _check_names(ref: str, version: str) -> None:
    if not ref or not version.strip() or version in (SHIPPED, EVERY_TEAM):
        raise StoreError(
            f"a version needs an id and a version number other than {SHIPPED!r} and {EVERY_TEAM!r}"
        )
    if len(ref) > _REF_LENGTH:
        raise StoreError(f"the id {ref[:20]}… is longer than {_REF_LENGTH} characters")
    if len(version) > _VERSION_LENGTH:
        raise StoreError(
            f"{ref} {version}: a version number may have at most {_VERSION_LENGTH} "
            "characters; choose a shorter one"
        )
    if len(f"{ref}@{version}") > _TARGET_LENGTH:
        raise StoreError(
            f"{ref} {version}: the id and the version number together must stay within "
            f"{_TARGET_LENGTH - 1} characters; choose a shorter version number"
        )


def _check_followed(kind: Kind, ref: str) -> None:
    """Desktops follow only the ids they ship (``publishing.active``): anything else would
    be stored and never run."""
    from agent_assist.publishing.active import followed_refs

    followed = followed_refs(kind)
    if ref not in followed:
        what = "rule pack ids" if kind == "rule_pack" else "script library languages"
        raise StoreError(
            f"no desktop would ever run {ref!r}: desktops follow the {what} shipped with "
            f"the app ({', '.join(followed) or 'none'}); publish under one of them"
        )


def _where(kind: str, ref: str, version: str) -> Select[PublishedVersion]:
    return select(PublishedVersion).where(
        PublishedVersion.kind == kind,
        PublishedVersion.ref == ref,
        PublishedVersion.version == version,
    )


def _meta(row: PublishedVersion) -> Published:
    return Published(row.kind, row.ref, row.version, row.sha256, row.published_by, row.published_at)
