"""One open database: engine, sessions, transactions and the schema check."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agent_assist.errors import StoreError
from agent_assist.store import migrate
from agent_assist.store.engine import SQLITE_BEGIN, describe, is_sqlite, open_engine

# The session of each database whose transaction() is open in this context. A new
# thread starts with an empty context, so only the thread that opened it joins it.
_open_sessions: ContextVar[Mapping[Database, Session]] = ContextVar(
    "open_sessions", default=MappingProxyType({})
)


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._reads = sessionmaker(
            engine.execution_options(**{SQLITE_BEGIN: "DEFERRED"}), expire_on_commit=False
        )
        self._open_here = threading.local()  # sessions this thread has open, not joined

    @property
    def url(self) -> str:
        return describe(str(self.engine.url))

    @property
    def embedded(self) -> bool:
        return is_sqlite(str(self.engine.url))

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error.

        ``readonly``: the block only reads. On SQLite it then runs beside a writer
        instead of queueing for the write lock (a long report must not hold up a
        live call's writes); a write in it may fail with "database is locked".

        Inside :meth:`transaction` on the same thread it is a savepoint of the
        transaction's session instead: an error rolls back this block only, and
        nothing is committed before the transaction's own block ends.
        """
        joined = _open_sessions.get().get(self)
        if joined is not None:
            with joined.begin_nested():
                yield joined
            return
        # A session opened inside another on the same thread must not queue for the
        # write lock the outer one may hold: on SQLite it would wait for itself.
        depth = getattr(self._open_here, "depth", 0)
        maker = self._reads if readonly or depth else self._sessions
        self._open_here.depth = depth + 1
        try:
            with maker.begin() as session:
                yield session
        finally:
            self._open_here.depth = depth

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction for every :meth:`session` opened in the block on this thread.

        All of it commits when the block ends, or none of it when an error
        escapes the block. A transaction inside another one joins it as a savepoint.
        """
        if self in _open_sessions.get():
            with self.session() as session:
                yield session
            return
        with self._sessions.begin() as session:
            token = _open_sessions.set({**_open_sessions.get(), self: session})
            try:
                yield session
            finally:
                _open_sessions.reset(token)

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
