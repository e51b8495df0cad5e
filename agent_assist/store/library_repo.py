"""Published versions of rule packs and script libraries: what every desktop of a team runs.

A trainer publishes a version (checked first with the loader the desktops use) and
makes one version of each pack or library active; each desktop looks the active one up
at every call start. No active row means the files shipped with the app.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from agent_assist.errors import StoreError
from agent_assist.store.access import require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.records import Actor
from agent_assist.store.tables import ActiveVersion, PublishedVersion, User

Kind = Literal["rule_pack", "script_library"]
KINDS: tuple[Kind, ...] = ("rule_pack", "script_library")
SHIPPED = "shipped"  # rollback(to=SHIPPED): back to the files shipped with the app
_TARGET_LENGTH = 64  # audit_log.target_id holds "ref@version"
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
    ) -> Published:
        """Publish a version after the real loader accepted it, and (by default) make it the
        one every desktop runs from its next call. The same content again stores nothing
        (it is activated if asked and not active); other content under a published version
        is refused."""
        require_role(actor, "trainer", "admin", to=_WRITE)
        _check_names(ref, version)
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        with self._db.session() as session:
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
                _set_active(session, actor, "activate", row)
            return _meta(row)

    def activate(self, actor: Actor, kind: Kind, ref: str, version: str) -> Published:
        """Make a published version the one every desktop runs from its next call."""
        require_role(actor, "trainer", "admin", to=_WRITE)
        with self._db.session() as session:
            row = _published(session, kind, ref, version)
            _set_active(session, actor, "activate", row)
            return _meta(row)

    def rollback(
        self, actor: Actor, kind: Kind, ref: str, *, to: str | None = None
    ) -> Published | None:
        """Go back to version ``to``, by default the newest one published before the active
        one; from the oldest (or ``to=SHIPPED``), back to the files shipped with the app,
        which is what None means."""
        require_role(actor, "trainer", "admin", to=_WRITE)
        with self._db.session() as session:
            current = session.get(ActiveVersion, (kind, ref), with_for_update=True)
            if current is None:
                raise StoreError(
                    f"{ref} runs the files shipped with the app already: nothing to roll back"
                )
            if to is not None and to != SHIPPED:
                target: PublishedVersion | None = _published(session, kind, ref, to)
            else:
                target = None if to == SHIPPED else _before(session, kind, ref, current.version)
            if target is None:
                session.delete(current)
                write_audit(
                    session, actor, "rollback", kind, f"{ref}@{SHIPPED}", detail=current.version
                )
                return None
            _set_active(session, actor, "rollback", target)
            return _meta(target)

    def active(self, kind: Kind, ref: str) -> Published | None:
        """The version desktops run, None for the shipped files: one look-up by primary key,
        content left out (what each call start asks)."""
        query = select(*_META).join(ActiveVersion, _is_active()).where(*_key(kind, ref))
        with self._db.session() as session:
            found = session.execute(query).first()
            return None if found is None else Published(*found)

    def active_content(self, kind: Kind, ref: str) -> PublishedContent | None:
        query = select(PublishedVersion).join(ActiveVersion, _is_active()).where(*_key(kind, ref))
        with self._db.session() as session:
            row = session.scalar(query)
            return None if row is None else PublishedContent(_meta(row), row.content)

    def versions(self, kind: Kind, ref: str) -> list[Published]:
        """Newest first. Every role may read them: desktops load what is published."""
        query = (
            select(*_META, User.username)
            .outerjoin(User, User.id == PublishedVersion.published_by)
            .where(PublishedVersion.kind == kind, PublishedVersion.ref == ref)
            .order_by(PublishedVersion.published_at.desc(), PublishedVersion.id.desc())
        )
        with self._db.session() as session:
            return [
                Published(kind, ref, version, sha256, by, at, publisher)
                for kind, ref, version, sha256, by, at, publisher in session.execute(query)
            ]

    def content(self, kind: Kind, ref: str, version: str) -> PublishedContent:
        with self._db.session() as session:
            row = _published(session, kind, ref, version)
            return PublishedContent(_meta(row), row.content)


def _set_active(session: Session, actor: Actor, action: str, row: PublishedVersion) -> None:
    """Point (kind, ref) at ``row``, audited with the version it replaces."""
    current = session.get(ActiveVersion, (row.kind, row.ref), with_for_update=True)
    previous = current.version if current is not None else SHIPPED
    if current is not None and current.version == row.version:
        return  # already active: nothing changes, nothing to audit
    if current is None:
        current = ActiveVersion(kind=row.kind, ref=row.ref)
        session.add(current)
    current.version = row.version
    current.set_by = actor.user_id or None
    current.set_at = datetime.now(UTC)
    write_audit(
        session, actor, action, row.kind, f"{row.ref}@{row.version}", detail=f"was {previous}"
    )


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
    if not ref or not version.strip() or version == SHIPPED:
        raise StoreError(f"a version needs an id and a version number other than {SHIPPED!r}")
    if len(f"{ref}@{version}") > _TARGET_LENGTH:
        raise StoreError(
            f"{ref} {version}: the id and the version number together must stay within "
            f"{_TARGET_LENGTH - 1} characters; choose a shorter version number"
        )


def _is_active() -> Any:
    return and_(
        ActiveVersion.kind == PublishedVersion.kind,
        ActiveVersion.ref == PublishedVersion.ref,
        ActiveVersion.version == PublishedVersion.version,
    )


def _key(kind: str, ref: str) -> tuple[Any, ...]:
    return (ActiveVersion.kind == kind, ActiveVersion.ref == ref)


def _where(kind: str, ref: str, version: str) -> Select[PublishedVersion]:
    return select(PublishedVersion).where(
        PublishedVersion.kind == kind,
        PublishedVersion.ref == ref,
        PublishedVersion.version == version,
    )


def _meta(row: PublishedVersion) -> Published:
    return Published(row.kind, row.ref, row.version, row.sha256, row.published_by, row.published_at)
