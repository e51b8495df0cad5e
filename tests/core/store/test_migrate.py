from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from agent_assist.store import migrate
from agent_assist.store.database import Database, open_database
from agent_assist.store.tables import Base


def test_migrations_build_exactly_the_schema_the_code_declares(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent_and_reports_revisions(db_url: str) -> None:
    from agent_assist.store.engine import open_engine

    engine = open_engine(db_url)
    try:
        assert migrate.upgrade(engine) == (None, migrate.head_revision())
        assert migrate.upgrade(engine) == (migrate.head_revision(), migrate.head_revision())
    finally:
        engine.dispose()


def test_opening_without_upgrade_refuses_an_empty_database(db_url: str) -> None:
    import pytest

    from agent_assist.errors import StoreError

    with pytest.raises(StoreError, match="agent-assist db upgrade"):
        open_database(db_url, upgrade=False)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.close()
