"""Opening a database from its URL: a URL that is not valid is a message saying what to
fix, and neither that message nor a URL shown anywhere holds the password."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_assist.errors import StoreError
from agent_assist.store.engine import describe, open_engine

SECRET = "S3cret-pw"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            f"postgresql+psycopg://collector:{SECRET}@db:port/agent",
            "the database URL is not valid: the port must be a number, as in "
            "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE; an @, : or / inside the "
            "user name or the password is written %40, %3A or %2F",
        ),
        (
            # An unescaped @ and : in the password: SQLAlchemy reads "word@db:5432" as a port.
            f"postgresql+psycopg://collector:{SECRET}@x:word@db:5432/agent",
            "the database URL is not valid: the port must be a number",
        ),
        (
            # An unescaped @ alone: SQLAlchemy reads the rest of the password as the host.
            f"postgresql+psycopg://collector:{SECRET}@x@db/agent",
            "the database URL is not valid: an @, : or / inside the user name or the password "
            "is written %40, %3A or %2F",
        ),
        (
            f"collector:{SECRET}@db/agent",
            "the database URL 'collector:***@db/agent' is not valid: expected sqlite:///PATH or "
            "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE",
        ),
        ("", "the database URL is not valid: expected sqlite:///PATH"),
        (
            f"mysql://collector:{SECRET}@db/agent",
            "database 'mysql' is not supported; use SQLite or PostgreSQL",
        ),
        (
            f"postgresql+nodriver://collector:{SECRET}@db/agent",
            "the database driver 'postgresql+nodriver' is not available; use postgresql+psycopg",
        ),
    ],
)
def test_a_url_that_cannot_be_opened_says_what_to_fix_without_its_password(
    url: str, message: str
) -> None:
    with pytest.raises(StoreError) as raised:
        open_engine(url)
    assert str(raised.value).startswith(message)
    # Nor do the errors it came from, which a crash log would keep: SQLAlchemy's own
    # message quotes the port, here a piece of the password.
    for error in chain(raised.value):
        assert SECRET not in str(error)
        assert "word@db" not in str(error)


def chain(error: BaseException | None) -> list[BaseException]:
    """The error and those it was raised from or while handling."""
    found = []
    while error is not None:
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


def test_a_valid_url_opens(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'sub' / 'agent-assist.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()
    server = open_engine(f"postgresql+psycopg://collector:{SECRET}@db:5432/agent")
    assert server.url.password == SECRET  # built, not connected: nothing is listening
    server.dispose()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            f"postgresql+psycopg://collector:{SECRET}@db:5432/agent",
            "postgresql+psycopg://collector:***@db:5432/agent",
        ),
        (
            "postgresql+psycopg://u:p%40ss@h/db?sslmode=require",
            "postgresql+psycopg://u:***@h/db?sslmode=require",
        ),
        ("postgresql+psycopg://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("sqlite:////data/agent-assist.db", "sqlite:////data/agent-assist.db"),
        # Not valid, yet never shown with the password.
        (f"collector:{SECRET}@db/agent", "collector:***@db/agent"),
        (f"postgresql+psycopg://collector:{SECRET}@db:port/agent", "postgresql+psycopg://***"),
        (f"postgresql://collector:{SECRET}@x@db/agent", "postgresql://***"),
        (f"sqlite:/{SECRET}", "***"),
    ],
)
def test_a_url_is_described_without_its_password(url: str, shown: str) -> None:
    assert describe(url) == shown
