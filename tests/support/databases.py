"""Real databases for tests: a SQLite file, or a private database on a PostgreSQL server.

The server comes from ``AGENT_ASSIST_TEST_PG_URL`` (``scripts/test.sh`` sets it,
starting a server when none runs); the default is the one on this machine.
Each test session creates its own database there and drops it at the end, so
parallel runs never meet.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def server_url() -> str:
    return os.environ.get("AGENT_ASSIST_TEST_PG_URL", DEFAULT_PG_URL)


def _admin_dsn(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def server_reachable(url: str) -> bool:
    try:
        with psycopg.connect(_admin_dsn(url), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def create_database(url: str) -> str:
    """A new empty database on the server of ``url``; returns its URL."""
    name = f"aa_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_dsn(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    name = make_url(url).database
    admin = make_url(url).set(database=make_url(server_url()).database)
    with psycopg.connect(
        _admin_dsn(admin.render_as_string(hide_password=False)), autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reset_schema(url: str) -> None:
    """Empty a test database (faster than creating a new one per test)."""
    with psycopg.connect(_admin_dsn(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def copy_sqlite(template: Path, path: Path) -> str:
    """A copy of the closed SQLite database ``template`` at ``path``; returns its URL."""
    # Closing the last connection checkpoints the write-ahead log into the file.
    assert not template.with_name(template.name + "-wal").exists(), "close it first"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"
