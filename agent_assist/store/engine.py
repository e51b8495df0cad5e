"""Opening the database: the embedded SQLite file or a shared PostgreSQL server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from agent_assist.errors import StoreError
from agent_assist.paths import data_dir

DB_FILE = "agent-assist.db"
MASK = "***"  # what SQLAlchemy shows for a hidden password
SERVER_EXAMPLE = "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE"
_ESCAPES = "an @, : or / inside the user name or the password is written %40, %3A or %2F"
# A URL whose scheme was forgotten is read with this one, to find its password.
_STAND_IN = "noscheme://"
_SCHEME = re.compile(r"[\w+]+")  # a dialect and its driver, as SQLAlchemy reads them


def default_url() -> str:
    return f"sqlite:///{data_dir() / DB_FILE}"


def resolve_url(configured: str | None) -> str:
    return configured or default_url()


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def describe(url: str) -> str:
    """The URL without its password, fit to print, even when it is not valid."""
    shown = _masked(url)
    if shown is not None:
        return shown
    # Where its password is cannot be told: only the scheme is shown.
    scheme, found, _rest = url.partition("://")
    return f"{scheme}://{MASK}" if found and _SCHEME.fullmatch(scheme) else MASK


def parse_url(url: str) -> URL:
    """``url`` read; StoreError saying what to fix when it is not a database URL. Neither
    the message nor its cause holds the password (SQLAlchemy's own message may quote it)."""
    read = _read(url)
    if isinstance(read, URL):
        return read
    shown = _masked(url)
    named = "" if shown is None else f" {shown!r}"
    raise StoreError(f"the database URL{named} is not valid: {read}")


def _read(url: str) -> URL | str:
    """``url`` as SQLAlchemy reads it, or what to fix in it."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return f"expected sqlite:///PATH or {SERVER_EXAMPLE}"
    except ValueError:  # the port is not a number
        return f"the port must be a number, as in {SERVER_EXAMPLE}; {_ESCAPES}"
    if "@" in (parsed.host or ""):  # the password's own @ was read as the host's start
        return _ESCAPES
    return parsed


def _masked(url: str) -> str | None:
    """``url`` with its password hidden by SQLAlchemy; None when it cannot be read."""
    read = _read(url)
    if isinstance(read, URL):
        return read.render_as_string(hide_password=True)
    if "://" in url or not url.strip():
        return None
    # A forgotten scheme is the usual slip. Shown only when SQLAlchemy reads the rest back
    # exactly as typed, so the password is the only difference.
    typed = _STAND_IN + url
    stood_in = _read(typed)
    if isinstance(stood_in, URL) and stood_in.render_as_string(hide_password=False) == typed:
        return stood_in.render_as_string(hide_password=True).removeprefix(_STAND_IN)
    return None


def open_engine(url: str, *, pool_size: int = 5) -> Engine:
    parsed = parse_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling is off (see _sqlite_pragmas); begin here.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        try:
            return create_engine(
                parsed,
                pool_size=pool_size,
                pool_pre_ping=True,
                connect_args={"connect_timeout": 5, "application_name": "agent-assist"},
            )
        except (NoSuchModuleError, ImportError):  # an unknown driver, or one not installed
            raise StoreError(
                f"the database driver {parsed.drivername!r} is not available; "
                f"use postgresql+psycopg, as in {SERVER_EXAMPLE}"
            ) from None
    raise StoreError(f"database {backend!r} is not supported; use SQLite or PostgreSQL")


SQLITE_BEGIN = "sqlite_begin"  # execution option: "DEFERRED" for a transaction that only reads


def _sqlite_begin(conn: Connection) -> None:
    # A transaction that may write takes the write lock at BEGIN and waits for it (busy
    # timeout). One that reads first and writes later cannot wait: if another wrote in
    # between, SQLite answers "database is locked" at once. Reads that never write say
    # so (Database.session(readonly=True)) and run beside the writer, as WAL allows.
    mode = conn.get_execution_options().get(SQLITE_BEGIN, "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


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
