"""Opening the database: the embedded SQLite file or a shared PostgreSQL server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from agent_assist.errors import StoreError
from agent_assist.paths import data_dir

DB_FILE = "agent-assist.db"


def default_url() -> str:
    return f"sqlite:///{data_dir() / DB_FILE}"


def resolve_url(configured: str | None) -> str:
    return configured or default_url()


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def describe(url: str) -> str:
    """The URL without its password, fit to print."""
    return make_url(url).render_as_string(hide_password=True)


def open_engine(url: str, *, pool_size: int = 5) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"the database URL {url!r} is not valid; expected sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST:PORT/DB"
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling is off (see _sqlite_pragmas); begin here.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        return engine
    if backend == "postgresql":
        return create_engine(
            parsed,
            pool_size=pool_size,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 5, "application_name": "agent-assist"},
        )
    raise StoreError(f"database {backend!r} is not supported; use SQLite or PostgreSQL")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 opens transactions lazily; hand that to SQLAlchemy.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the call writer; NORMAL is crash-safe in WAL mode
    # (a killed process loses nothing committed).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
