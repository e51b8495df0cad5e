"""Database fixtures for every test folder: `db` runs a test on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_assist.store.database import Database, open_database
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


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.close()
