"""Published versions of rule packs and script libraries: what every desktop of a team runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Select, select

from agent_assist.errors import StoreError
from agent_assist.store.access import require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.records import Actor
from agent_assist.store.tables import PublishedVersion

Kind = Literal["rule_pack", "script_library"]


@dataclass(frozen=True)
class Published:
    kind: str
    ref: str
    version: str
    sha256: str
    published_by: int | None
    published_at: datetime


@dataclass(frozen=True)
class PublishedContent:
    meta: Published
    content: str


class LibraryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def publish(self, actor: Actor, kind: Kind, ref: str, version: str, content: str) -> Published:
        """Publish a version; the same content again is a no-op, other content is refused."""
        require_role(actor, "trainer", "admin", to="publish rule packs and script libraries")
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        with self._db.session() as session:
            row = session.scalar(_where(kind, ref, version))
            if row is not None:
                if row.sha256 != digest:
                    raise StoreError(
                        f"{ref} {version} is published already with other content; "
                        "raise the version number"
                    )
                return _meta(row)
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
            return _meta(row)

    def versions(self, kind: Kind, ref: str) -> list[Published]:
        """Newest first. Every role may read them: desktops load what is published."""
        query = (
            select(PublishedVersion)
            .where(PublishedVersion.kind == kind, PublishedVersion.ref == ref)
            .order_by(PublishedVersion.published_at.desc(), PublishedVersion.id.desc())
        )
        with self._db.session() as session:
            return [_meta(r) for r in session.scalars(query)]

    def content(self, kind: Kind, ref: str, version: str) -> PublishedContent:
        with self._db.session() as session:
            row = session.scalar(_where(kind, ref, version))
            if row is None:
                raise StoreError(f"{ref} {version} has not been published")
            return PublishedContent(_meta(row), row.content)


def _where(kind: str, ref: str, version: str) -> Select[PublishedVersion]:
    return select(PublishedVersion).where(
        PublishedVersion.kind == kind,
        PublishedVersion.ref == ref,
        PublishedVersion.version == version,
    )


def _meta(row: PublishedVersion) -> Published:
    return Published(row.kind, row.ref, row.version, row.sha256, row.published_by, row.published_at)
