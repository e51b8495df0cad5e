"""Database fixtures for every test folder: `db` runs a test on SQLite and on PostgreSQL;
`demo_db_file` is the demo data set, loaded once per run, for tests to copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from agent_assist.store.database import Database, open_database
from agent_assist.store.demo import load_demo
from tests.conftest import require_real
from tests.support import databases


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    server = databases.server_url()
    require_real(databases.server_reachable(server), f"no PostgreSQL server at {server}")
    url = databases.create_database(server)
    yield url
    databases.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("pg_database_url")
    databases.reset_schema(url)
    return url


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the newest schema revision: `db` copies it, which costs
    less than running the migrations again for every test."""
    path = tmp_path_factory.mktemp("schema-template") / "store.db"
    open_database(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def db(db_url: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    file = make_url(db_url).database if db_url.startswith("sqlite") else None
    if file is not None and not Path(file).exists():
        databases.copy_sqlite(request.getfixturevalue("migrated_sqlite_file"), Path(file))
        database = open_database(db_url, upgrade=False)  # still checks the revision
    else:
        database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo data set (loading it takes seconds, and it is
    deterministic): a test or module works on its own copy, made by
    :func:`databases.copy_sqlite`."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    db = open_database(f"sqlite:///{path}")
    try:
        load_demo(db)
    finally:
        db.close()
    return path
