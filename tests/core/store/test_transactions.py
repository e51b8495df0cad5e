from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.tables import AuditEntry, Team


class Refused(Exception):
    pass


def team_names(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(Team.name).order_by(Team.name)))


def audit_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def add_then_fail(db: Database, name: str) -> None:
    """A session block that writes a team, flushes it, then fails."""
    with db.session() as session:
        session.add(Team(name=name))
        session.flush()
        raise Refused


def in_transaction_then_fail(db: Database, work: Callable[[Session], None]) -> None:
    with db.transaction() as session:
        work(session)
        raise Refused


def test_a_session_alone_commits_at_its_end_and_rolls_back_on_error(db: Database) -> None:
    with db.session() as session:
        session.add(Team(name="red"))
    with pytest.raises(Refused):
        add_then_fail(db, "blue")
    assert team_names(db) == ["red"]


def test_sessions_inside_a_transaction_share_its_session(db: Database) -> None:
    with db.transaction() as outer, db.session() as first, db.session() as second:
        assert first is outer
        assert second is outer


def test_a_transaction_commits_everything_at_its_end(db: Database) -> None:
    people = PeopleRepository(db)
    with db.transaction():
        people.ensure_team(SYSTEM, "red")
        people.ensure_team(SYSTEM, "blue")
        with db.session() as session:
            write_audit(session, SYSTEM, "import", "teams", "t")
    assert team_names(db) == ["blue", "red"]
    assert audit_count(db) == 1


def test_an_error_in_a_transaction_rolls_back_the_sessions_that_ended_before_it(
    db: Database,
) -> None:
    people = PeopleRepository(db)

    def write_and_audit(_: Session) -> None:
        people.ensure_team(SYSTEM, "red")
        with db.session() as session:
            write_audit(session, SYSTEM, "import", "teams", "t")

    with pytest.raises(Refused):
        in_transaction_then_fail(db, write_and_audit)
    assert team_names(db) == []
    assert audit_count(db) == 0


def test_an_error_escaping_a_nested_session_rolls_back_the_whole_transaction(
    db: Database,
) -> None:
    def add_both(outer: Session) -> None:
        outer.add(Team(name="red"))
        add_then_fail(db, "blue")

    with pytest.raises(Refused):
        in_transaction_then_fail(db, add_both)
    assert team_names(db) == []


def test_a_nested_transaction_joins_the_outer_one(db: Database) -> None:
    def nested(outer: Session) -> None:
        with db.transaction() as inner:
            assert inner is outer
            inner.add(Team(name="red"))
        assert team_names(db) == ["red"]  # seen inside, not yet committed

    with pytest.raises(Refused):
        in_transaction_then_fail(db, nested)
    assert team_names(db) == []


def test_a_nested_block_whose_error_is_handled_is_undone_alone(db: Database) -> None:
    # Each nested block is a savepoint: what the caller recovered from leaves no trace.
    with db.transaction() as outer:
        outer.add(Team(name="red"))
        with pytest.raises(Refused):
            add_then_fail(db, "blue")
        outer.add(Team(name="green"))
    assert team_names(db) == ["green", "red"]


def test_another_thread_keeps_its_own_sessions(db: Database) -> None:
    seen: list[Session] = []

    def open_one() -> None:
        with db.session() as session:
            seen.append(session)

    with db.transaction() as outer:
        worker = threading.Thread(target=open_one)
        worker.start()
        worker.join(timeout=10)
    assert len(seen) == 1
    assert seen[0] is not outer


def test_a_transaction_on_one_database_leaves_another_alone(db: Database) -> None:
    other = Database(db.engine)

    def write_elsewhere(_: Session) -> None:
        with other.session() as session:
            session.add(Team(name="red"))

    with pytest.raises(Refused):
        in_transaction_then_fail(db, write_elsewhere)
    assert team_names(db) == ["red"]


def test_two_transactions_that_read_then_write_take_turns_instead_of_failing(
    db: Database,
) -> None:
    """On SQLite a transaction that read first could not wait for the write lock later
    ("database is locked" at once); every writing transaction takes it at BEGIN."""
    PeopleRepository(db).ensure_team(SYSTEM, "red")
    both_read = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def read_then_write(name: str) -> None:
        try:
            with db.session() as session:
                session.scalar(select(func.count()).select_from(Team))
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait(timeout=1)  # on SQLite the second waits at BEGIN instead
                session.add(Team(name=name))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read_then_write, args=(n,)) for n in ("blue", "green")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert team_names(db) == ["blue", "green", "red"]


def test_a_read_only_session_runs_beside_a_writer(db: Database) -> None:
    writing, done = threading.Event(), threading.Event()

    def writer() -> None:
        with db.session() as session:
            session.add(Team(name="blue"))
            session.flush()
            writing.set()
            done.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(10)
        with db.session(readonly=True) as session:  # not queued behind the writer
            assert session.scalar(select(func.count()).select_from(Team)) == 0
    finally:
        done.set()
        thread.join(10)
    assert team_names(db) == ["blue"]
