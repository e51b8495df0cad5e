"""Migration 0005 (drill keys) up and down on SQLite and PostgreSQL: drills stored before
it keep their lines both ways and have no key."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect, text

from agent_assist.store import migrate
from agent_assist.store.database import open_database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.engine import open_engine
from agent_assist.store.tables import DrillSession
from tests.core.store.builders import team_of


def _move(engine: Engine, to: str, *, down: bool) -> None:
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(Path(migrate.__file__).parent / "migrations"))
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, to)


def _columns(conn: Connection) -> set[str]:
    return {column["name"] for column in inspect(conn).get_columns("drill_sessions")}


def test_0005_adds_and_removes_the_drill_key_keeping_older_drills(db_url: str) -> None:
    db = open_database(db_url)
    try:
        ann, *_ = team_of(db)
        with db.engine.begin() as conn:
            assert "key" in _columns(conn)
        _move(db.engine, "0004", down=True)
        with db.engine.begin() as conn:
            assert "key" not in _columns(conn)
            conn.execute(
                text(
                    "INSERT INTO drill_sessions (id, user_id, scenario_id, language, pack_ref, "
                    "pack_version, started_at) VALUES (7, :user, 's', 'zh-CN', 'zh-CN', '1', "
                    "CURRENT_TIMESTAMP)"
                ),
                {"user": ann.id},
            )
            conn.execute(
                text(
                    "INSERT INTO drill_turns (session_id, turn, speaker, text, flags, at) "
                    "VALUES (7, 1, 'debtor', '喂', '[]', CURRENT_TIMESTAMP)"
                )
            )
        _move(db.engine, "0005", down=False)
        with db.session() as session:
            old = session.get(DrillSession, 7)
            assert old is not None
            assert old.key is None
        drills = DrillRepository(db, str)
        key = drills.start(ann.as_actor(), "s", "zh-CN", "zh-CN", "1")
        drills.add_turn(ann.as_actor(), key, 1, "debtor", "喂")
        _move(db.engine, "0004", down=True)  # down again with keyed and older drills
        with db.engine.begin() as conn:
            assert conn.scalar(text("SELECT count(*) FROM drill_turns")) == 2
        _move(db.engine, "head", down=False)
    finally:
        db.close()
    engine = open_engine(db_url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
