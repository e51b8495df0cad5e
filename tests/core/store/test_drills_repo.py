"""Drill sessions on SQLite and PostgreSQL: lines kept as they are said, masked; the score
at the end; who sees whose drills; a drill that goes on while the server is away."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.privacy import mask_text
from agent_assist.store.audit import read_audit
from agent_assist.store.call_log import Op, apply_op
from agent_assist.store.database import Database, open_database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.spool import SpoolingWriter
from agent_assist.store.tables import DrillTurn
from tests.core.store.builders import team_of
from tests.support import databases
from tests.support.tcp_proxy import TcpProxy

PHONE = "13912345678"


def repo_of(db: Database, writer: SpoolingWriter | None = None) -> DrillRepository:
    return DrillRepository(db, lambda text: mask_text(text, "CN"), writer=writer)


def stored_id(drills: DrillRepository, key: str) -> int:
    found = drills.session_id(key)
    assert found is not None
    return found


def test_lines_are_kept_as_they_are_said_and_masked(db: Database) -> None:
    ann, *_ = team_of(db)
    drills = repo_of(db)
    me = ann.as_actor()
    key = drills.start(me, "zh.short_overdue", "zh-CN", "zh-CN", "2026.11.1")
    drills.add_turn(me, key, 1, "debtor", "喂，哪位？")
    flag = {"rule_id": "r", "category": "agent.threat", "said": f"打{PHONE}"}
    drills.add_turn(me, key, 2, "agent", f"我的电话是{PHONE}", flags=[flag])
    # Before the drill ends, another connection already reads both lines.
    session = drills.session_id(key)
    assert session is not None
    detail = repo_of(db).get(me, session)
    assert [(t.turn, t.speaker) for t in detail.turns] == [(1, "debtor"), (2, "agent")]
    assert PHONE not in detail.turns[1].text
    assert "139****5678" in detail.turns[1].text
    assert detail.turns[1].flags[0]["said"] == "打139****5678"
    assert detail.report is None
    assert detail.summary.ended_at is None


def test_finishing_keeps_the_score_and_a_masked_report(db: Database) -> None:
    ann, *_ = team_of(db)
    drills = repo_of(db)
    me = ann.as_actor()
    key = drills.start(me, "zh.short_overdue", "zh-CN", "zh-CN", "2026.11.1")
    report = {"score": 35.0, "lines": [{"turn": 1, "text": f"电话{PHONE}"}], "complete": False}
    drills.finish(me, key, 35.0, report)
    detail = drills.get(me, stored_id(drills, key))
    assert detail.summary.score == 35.0
    assert detail.summary.ended_at is not None
    assert detail.report == {
        "score": 35.0,
        "lines": [{"turn": 1, "text": "电话139****5678"}],
        "complete": False,
    }
    with pytest.raises(StoreError, match="finished already"):
        drills.add_turn(me, key, 2, "agent", "还在吗")
    with pytest.raises(StoreError, match="finished already"):
        drills.finish(me, key, 90.0, {})
    # Another process (a new repository) checks the stored row.
    with pytest.raises(StoreError, match="finished already"):
        repo_of(db).add_turn(me, key, 2, "agent", "还在吗")


def test_only_the_trainee_adds_to_their_drill(db: Database) -> None:
    ann, bo, *_ = team_of(db)
    drills = repo_of(db)
    key = drills.start(ann.as_actor(), "s", "zh-CN", "zh-CN", "1")
    with pytest.raises(AccessDenied):
        drills.add_turn(bo.as_actor(), key, 1, "agent", "hi")
    with pytest.raises(AccessDenied):
        repo_of(db).finish(bo.as_actor(), key, 1.0, {})
    with pytest.raises(StoreError, match="debtor or the agent"):
        drills.add_turn(ann.as_actor(), key, 1, "trainer", "hi")
    with pytest.raises(StoreError, match="no drill"):
        repo_of(db).add_turn(ann.as_actor(), "f" * 32, 1, "agent", "hi")
    with pytest.raises(StoreError, match="sign in"):
        drills.start(SYSTEM, "s", "zh-CN", "zh-CN", "1")
    with pytest.raises(StoreError, match="no drill 999"):
        drills.get(ann.as_actor(), 999)


def test_history_follows_roles(db: Database) -> None:
    ann, bo, lee, kim, tia = team_of(db)
    drills = repo_of(db)
    mine_key = drills.start(ann.as_actor(), "a", "zh-CN", "zh-CN", "1")
    bos_key = drills.start(bo.as_actor(), "b", "zh-CN", "zh-CN", "1")
    drills.finish(bo.as_actor(), bos_key, 80.0, {})
    trainers_key = drills.start(tia.as_actor(), "t", "en-US", "en-US", "1")
    mine, bos, trainers = (stored_id(drills, k) for k in (mine_key, bos_key, trainers_key))

    def ids(actor_user: object, user_id: int | None = None) -> list[int]:
        from agent_assist.store.records import UserRecord

        assert isinstance(actor_user, UserRecord)
        return [d.id for d in drills.history(actor_user.as_actor(), user_id)]

    assert ids(ann) == [mine]
    with pytest.raises(AccessDenied):
        drills.history(ann.as_actor(), bo.id)
    assert ids(lee) == [bos, mine]  # the red team, newest first
    assert ids(lee, ann.id) == [mine]
    assert ids(kim) == []  # the blue team has drilled nothing
    assert ids(tia) == [trainers, bos, mine]
    assert [d.id for d in drills.history(SYSTEM)] == [trainers, bos, mine]
    summary = drills.history(tia.as_actor(), bo.id)[0]
    assert (summary.username, summary.scenario_id, summary.score) == ("bo", "b", 80.0)
    # A team lead with no team sees their own drills, not everyone else without a team.
    loner = PeopleRepository(db).add_user(SYSTEM, "solo", "Solo Lead", "team_lead").as_actor()
    own = stored_id(drills, drills.start(loner, "s", "zh-CN", "zh-CN", "1"))
    assert [d.id for d in drills.history(loner)] == [own]
    with pytest.raises(AccessDenied):
        drills.get(loner, trainers)


def test_reading_someone_elses_drill_is_audited_and_limited(db: Database) -> None:
    ann, bo, lee, kim, tia = team_of(db)
    drills = repo_of(db)
    session = stored_id(drills, drills.start(ann.as_actor(), "a", "zh-CN", "zh-CN", "1"))
    drills.get(ann.as_actor(), session)  # one's own: not audited
    for outsider in (bo, kim):
        with pytest.raises(AccessDenied):
            drills.get(outsider.as_actor(), session)
    drills.get(lee.as_actor(), session)
    drills.get(tia.as_actor(), session)
    readers = [e.actor_id for e in read_audit(db, SYSTEM) if e.action == "read_drill"]
    assert sorted(readers) == sorted([lee.id, tia.id])


# --- the server goes away mid-drill ----------------------------------------------------

# Nothing listens on port 1: connecting fails at once with the driver's own error.
NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:1/none"


class Outage:
    """The apply of a spooling writer, with the server switchable off: while ``down``,
    every write fails as a real unreachable server does (connection refused)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.down = False
        self._nowhere = create_engine(NOWHERE)

    def __call__(self, op: Op) -> None:
        if self.down:
            with self._nowhere.connect():
                pass
        apply_op(self.db, op)


def turns_of(db: Database) -> list[tuple[int, str]]:
    with db.session() as session:
        rows = session.execute(select(DrillTurn.turn, DrillTurn.text).order_by(DrillTurn.turn))
        return [(turn, text) for turn, text in rows]


def spooled(folder: Path) -> list[Op]:
    return [
        json.loads(line)
        for path in sorted(folder.glob("spool-*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_a_drill_goes_on_while_the_server_is_away_and_every_line_is_stored_once(
    db: Database, tmp_path: Path
) -> None:
    ann, *_ = team_of(db)
    me = ann.as_actor()
    outage = Outage(db)
    writer = SpoolingWriter(outage, tmp_path, retry_s=0.05)
    try:
        drills = repo_of(db, writer)
        key = drills.start(me, "zh.short_overdue", "zh-CN", "zh-CN", "1")
        drills.add_turn(me, key, 1, "debtor", "喂，哪位？")
        outage.down = True
        drills.add_turn(me, key, 2, "agent", f"我的电话是{PHONE}")
        drills.add_turn(me, key, 3, "debtor", "哦。", flags=[{"said": PHONE}])
        drills.finish(me, key, 55.0, {"lines": [f"电话{PHONE}"], "complete": False})
        assert drills.kept_locally == 3
        # The spool holds only masked text, and the drill's own checks still hold.
        ops = spooled(tmp_path)
        assert [op["op"] for op in ops] == ["drill_turn", "drill_turn", "drill_finished"]
        assert PHONE not in json.dumps(ops, ensure_ascii=False)
        assert "139****5678" in ops[0]["text"]
        with pytest.raises(StoreError, match="finished already"):
            drills.add_turn(me, key, 4, "agent", "还在吗")
        # Meanwhile the database holds what came before the outage.
        assert turns_of(db) == [(1, "喂，哪位？")]
        outage.down = False
        assert drills.wait_stored(timeout=30)
        assert drills.kept_locally == 0
    finally:
        writer.close()
    assert [turn for turn, _ in turns_of(db)] == [1, 2, 3]
    detail = drills.get(me, stored_id(drills, key))
    assert detail.summary.score == 55.0
    assert detail.summary.ended_at is not None
    assert detail.report == {"lines": ["电话139****5678"], "complete": False}
    assert detail.turns[2].flags == ({"said": "139****5678"},)

    # Replaying it all again, directly or as a spool left behind, stores nothing twice.
    for op in ops:
        apply_op(db, op)
    (tmp_path / "spool-left.jsonl").write_text(
        "".join(json.dumps(op, ensure_ascii=False) + "\n" for op in ops), encoding="utf-8"
    )
    again = SpoolingWriter(lambda op: apply_op(db, op), tmp_path, retry_s=0.05)
    try:
        assert again.flush(timeout=30)
    finally:
        again.close()
    assert [turn for turn, _ in turns_of(db)] == [1, 2, 3]
    assert len(drills.history(me)) == 1
    assert not (tmp_path / "rejected.jsonl").exists()


def test_a_drill_started_while_the_server_is_away_is_stored_when_it_answers(
    db: Database, tmp_path: Path
) -> None:
    ann, *_ = team_of(db)
    me = ann.as_actor()
    outage = Outage(db)
    outage.down = True
    writer = SpoolingWriter(outage, tmp_path, retry_s=0.05)
    try:
        drills = repo_of(db, writer)
        key = drills.start(me, "en.wrong_party", "en-US", "en-US", "1")
        drills.add_turn(me, key, 1, "debtor", "Hello?")
        assert drills.session_id(key) is None  # nothing reached the database yet
        outage.down = False
        assert drills.wait_stored(timeout=30)
    finally:
        writer.close()
    assert drills.get(me, stored_id(drills, key)).turns[0].text == "Hello?"


def test_a_line_of_a_drill_never_started_is_kept_aside(db: Database, tmp_path: Path) -> None:
    line = {"op": "drill_turn", "key": "0" * 32, "turn": 1, "speaker": "agent", "text": "x",
            "flags": [], "at": "2026-11-02T09:30:00+00:00"}  # fmt: skip
    (tmp_path / "spool-old.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    writer = SpoolingWriter(lambda op: apply_op(db, op), tmp_path, retry_s=0.05)
    try:
        assert writer.flush(timeout=30)
    finally:
        writer.close()
    assert json.loads((tmp_path / "rejected.jsonl").read_text(encoding="utf-8")) == line


@pytest.fixture
def proxied_pg(pg_database_url: str) -> Iterator[tuple[TcpProxy, Database]]:
    databases.reset_schema(pg_database_url)
    url = make_url(pg_database_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432)).start()
    db = open_database(url.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
    yield proxy, db
    db.close()
    proxy.close()


def test_a_drill_survives_a_cut_to_postgresql(
    proxied_pg: tuple[TcpProxy, Database], tmp_path: Path
) -> None:
    proxy, db = proxied_pg
    ann, *_ = team_of(db)
    me = ann.as_actor()
    writer = SpoolingWriter(lambda op: apply_op(db, op), tmp_path, retry_s=0.1)
    try:
        drills = repo_of(db, writer)
        key = drills.start(me, "zh.short_overdue", "zh-CN", "zh-CN", "1")
        drills.add_turn(me, key, 1, "debtor", "喂，哪位？")
        proxy.cut()
        for turn in range(2, 7):
            drills.add_turn(me, key, turn, "agent" if turn % 2 == 0 else "debtor", f"第{turn}句")
        drills.finish(me, key, 90.0, {"complete": True})
        assert drills.kept_locally == 6
        proxy.restore()
        assert drills.wait_stored(timeout=30)
    finally:
        writer.close()
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(DrillTurn)) == 6
    assert drills.get(me, stored_id(drills, key)).report == {"complete": True}
