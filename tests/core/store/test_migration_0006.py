"""Migration 0006 (active versions per team) up and down on SQLite and PostgreSQL: the
version active before it stays active for every team; down again keeps it and drops the
teams' own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from agent_assist.store import migrate
from agent_assist.store.database import open_database
from agent_assist.store.engine import open_engine
from agent_assist.store.library_repo import LibraryRepository
from tests.core.publishing.builders import REF, pack_text, ship_test_packs
from tests.core.store.builders import team_of
from tests.core.store.test_migration_0005 import _move


def test_0006_keeps_the_active_version_for_every_team(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ship_test_packs(monkeypatch)
    db = open_database(db_url)
    try:
        *_, tia = team_of(db)
        library = LibraryRepository(db)
        for version in ("1", "2"):
            content = pack_text(tmp_path, version)
            library.publish(tia.as_actor(), "rule_pack", REF, version, content, activate=False)
        _move(db.engine, "0005", down=True)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO active_versions (kind, ref, version, set_by, set_at) "
                    "VALUES ('rule_pack', :ref, '1', :by, CURRENT_TIMESTAMP)"
                ),
                {"ref": REF, "by": tia.id},
            )
        _move(db.engine, "0006", down=False)
        red = library.team_named("red").id
        for team_id in (None, red):
            found = library.active("rule_pack", REF, team_id=team_id)
            assert found is not None
            assert found.version == "1"
        library.activate(tia.as_actor(), "rule_pack", REF, "2", team_id=red)
        _move(db.engine, "0005", down=True)
        with db.engine.begin() as conn:
            rows = conn.execute(text("SELECT ref, version FROM active_versions")).all()
        assert [tuple(row) for row in rows] == [(REF, "1")]
        _move(db.engine, "head", down=False)
        found = library.active("rule_pack", REF, team_id=red)
        assert found is not None
        assert found.version == "1"  # red follows every team again
    finally:
        db.close()
    engine = open_engine(db_url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
