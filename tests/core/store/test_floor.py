from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent_assist.errors import AccessDenied
from agent_assist.events import CallStarted, Event
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.database import Database, open_database
from agent_assist.store.floor import FloorRepository, FloorSnapshot, FloorWatcher
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import UserRecord
from tests.core.store.builders import ended, flag, team_of


def started_now(call_id: str, ago: timedelta = timedelta(minutes=1)) -> CallStarted:
    return CallStarted(
        call_id=call_id,
        speakers=("agent", "debtor"),
        source="test",
        model="test-model",
        sample_rate=16000,
        started_at=(datetime.now(UTC) - ago).isoformat(),
    )


class Collector:
    """A collector's desktop writing one live call, as store/recorder.py does."""

    def __init__(self, db: Database, user: UserRecord, call_id: str) -> None:
        self.db = db
        self.ops = CallOps(str.upper, user_id=user.id, team_id=user.team_id)
        self.call_id = call_id

    def write(self, event: Event) -> None:
        for op in self.ops.ops_for(event):
            apply_op(self.db, op)

    def start(self, ago: timedelta = timedelta(minutes=1)) -> Collector:
        self.write(started_now(self.call_id, ago))
        return self


def test_a_started_call_is_on_its_leads_floor_with_its_critical_flags(db: Database) -> None:
    ann, bo, lee, kim, _ = team_of(db)
    Collector(db, ann, "a1").start(timedelta(minutes=5))
    bos = Collector(db, bo, "b1").start(timedelta(minutes=1))
    bos.write(flag("f1"))
    bos.write(flag("f2", severity="warning"))

    floor = FloorRepository(db).snapshot(lee.as_actor())

    assert [(c.id, c.collector) for c in floor.calls] == [("b1", "Bo"), ("a1", "Ann")]
    assert (floor.calls[0].flag_count, floor.calls[0].critical_count) == (2, 1)
    assert [(f.call_id, f.collector, f.category) for f in floor.critical] == [
        ("b1", "Bo", "agent.threat")
    ]
    assert floor.critical[0].text == "就去你单位"  # masked as stored (the test mask: upper)
    assert FloorRepository(db).snapshot(kim.as_actor()).calls == ()


def test_ended_stale_and_retracted_leave_the_floor(db: Database) -> None:
    ann, bo, lee, _, _ = team_of(db)
    anns = Collector(db, ann, "a1").start()
    anns.write(flag("f1"))
    Collector(db, bo, "stale").start(timedelta(hours=13))  # left open by a crashed desktop
    floor = FloorRepository(db)
    assert [c.id for c in floor.snapshot(lee.as_actor()).calls] == ["a1"]

    anns.write(flag("f1", "retracted"))
    assert floor.snapshot(lee.as_actor()).critical == ()
    anns.write(ended())
    assert floor.snapshot(lee.as_actor()) == FloorSnapshot(calls=(), critical=())


def test_an_admin_sees_every_team_and_others_are_refused(db: Database) -> None:
    ann, _, _, kim, tia = team_of(db)
    Collector(db, ann, "a1").start()
    floor = FloorRepository(db)
    assert [c.id for c in floor.snapshot(SYSTEM).calls] == ["a1"]
    for refused in (ann, tia):
        with pytest.raises(AccessDenied):
            floor.snapshot(refused.as_actor())
        with pytest.raises(AccessDenied):
            FloorWatcher(db, refused.as_actor(), lambda _: None)
    assert floor.snapshot(kim.as_actor()).calls == ()


def wait_for(
    seen: list[FloorSnapshot], lock: threading.Condition, test: Callable[[], bool]
) -> None:
    with lock:
        assert lock.wait_for(test, timeout=5), f"not seen: {seen[-1:]}"


@pytest.mark.slow
def test_a_critical_flag_from_another_thread_reaches_the_watcher_within_2_s(db: Database) -> None:
    ann, _, lee, _, _ = team_of(db)
    seen: list[FloorSnapshot] = []
    arrived: dict[str, float] = {}
    lock = threading.Condition()

    def on_change(snapshot: FloorSnapshot) -> None:
        with lock:
            seen.append(snapshot)
            for f in snapshot.critical:
                arrived.setdefault(f.call_id, time.monotonic())
            lock.notify_all()

    # A long poll: on PostgreSQL the NOTIFY must wake the watcher, not the poll.
    poll_s = 5.0 if not db.embedded else 1.0
    watcher = FloorWatcher(db, lee.as_actor(), on_change, poll_s=poll_s)
    watcher.start()
    try:
        wait_for(seen, lock, lambda: len(seen) == 1)
        assert seen[0].calls == ()
        time.sleep(0.3)  # the watcher is waiting again

        anns = Collector(db, ann, "a1")

        def call_with_a_threat() -> None:
            anns.start()
            anns.write(flag("f1"))

        writer = threading.Thread(target=call_with_a_threat)
        written = time.monotonic()
        writer.start()
        wait_for(seen, lock, lambda: "a1" in arrived)
        writer.join()
        delay = arrived["a1"] - written
        assert delay < (1.0 if not db.embedded else 2.0)
        assert [c.id for c in seen[-1].calls] == ["a1"]

        anns.write(ended())
        wait_for(seen, lock, lambda: seen[-1].calls == ())
    finally:
        began = time.monotonic()
        watcher.stop()
        assert time.monotonic() - began < 1.5  # stops promptly, even in a long poll


def test_a_watcher_keeps_quiet_while_nothing_changes(db: Database) -> None:
    _, _, lee, _, _ = team_of(db)
    seen: list[FloorSnapshot] = []
    watcher = FloorWatcher(db, lee.as_actor(), seen.append, poll_s=0.05)
    watcher.start()
    time.sleep(0.5)
    watcher.stop()
    assert len(seen) == 1


def test_a_watcher_reports_a_lost_database_once_and_the_floor_again_when_back(
    tmp_path: Path,
) -> None:
    path = tmp_path / "floor.db"
    db = open_database(f"sqlite:///{path}")
    _, _, lee, _, _ = team_of(db)
    seen: list[FloorSnapshot] = []
    errors: list[Exception] = []
    lock = threading.Condition()

    def note(into: list[Any]) -> Callable[[Any], None]:
        def add(item: Any) -> None:
            with lock:
                into.append(item)
                lock.notify_all()

        return add

    watcher = FloorWatcher(db, lee.as_actor(), note(seen), on_error=note(errors), poll_s=0.05)
    watcher.start()
    try:
        wait_for(seen, lock, lambda: len(seen) == 1)
        db.engine.dispose()
        path.rename(tmp_path / "away.db")  # the next connection finds an empty database
        wait_for(seen, lock, lambda: len(errors) == 1)
        time.sleep(0.3)
        assert len(errors) == 1  # once per outage, not once per poll
        db.engine.dispose()
        (tmp_path / "away.db").rename(path)
        wait_for(seen, lock, lambda: len(seen) == 2)
        assert seen[1] == seen[0]  # the same floor, shown again after the message
    finally:
        watcher.stop()
        db.close()
