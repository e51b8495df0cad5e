"""One open database: engine, sessions and the schema check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agent_assist.errors import StoreError
from agent_assist.store import migrate
from agent_assist.store.engine import describe, is_sqlite, open_engine


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return describe(str(self.engine.url))

    @property
    def embedded(self) -> bool:
        return is_sqlite(str(self.engine.url))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, upgrade: bool = True, pool_size: int = 5) -> Database:
    """Open (and by default create or migrate) the database at ``url``."""
    engine = open_engine(url, pool_size=pool_size)
    try:
        if upgrade:
            migrate.upgrade(engine)
        else:
            migrate.require_current(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(
            f"cannot open the database {describe(url)}: {migrate.one_line(exc.orig)}. "
            "Check that the server is running and the URL in settings is right."
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(engine)
