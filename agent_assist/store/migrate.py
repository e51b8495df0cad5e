"""Schema migrations (Alembic), run by the app on start and by ``agent-assist db upgrade``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from agent_assist.errors import StoreError
from agent_assist.store.engine import describe

_SCRIPTS = Path(__file__).resolve().parent / "migrations"
# Desktops of a team may start together; one migrates, the others wait.
_PG_LOCK_KEY = 0x41_67_41_73  # "AgAs"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; returns (before, after)."""
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            before = MigrationContext.configure(conn).get_current_revision()
            command.upgrade(_config(conn), "head")
    except OperationalError as exc:
        raise StoreError(
            f"cannot open the database {describe(str(engine.url))}: {one_line(exc.orig)}. "
            "Check that the server is running and the URL in settings is right."
        ) from exc
    return before, head_revision()


def require_current(engine: Engine) -> None:
    """Refuse to run on a schema older or newer than this version of the app."""
    current = current_revision(engine)
    if current != head_revision():
        raise StoreError(
            f"the database is at schema revision {current or 'none'}, this app needs "
            f"{head_revision()}; run `agent-assist db upgrade`"
        )


def one_line(error: object) -> str:
    """A driver's message (often several lines) as one line for the user."""
    return " ".join(str(error).split())
