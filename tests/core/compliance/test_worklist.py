"""The worklist joins priority, the pre-dial verdict and promises due (on the demo data)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent_assist.cli import main
from agent_assist.compliance.risk_model import default_model_path, load_risk_model
from agent_assist.compliance.worklist import build_worklist
from agent_assist.store.database import Database, open_database
from agent_assist.store.people_repo import PeopleRepository
from tests.support.databases import copy_sqlite

pytestmark = pytest.mark.slow
# 10:00 in Shanghai on a working Friday.
MORNING = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(copy_sqlite(demo_db_file, tmp_path_factory.mktemp("demo") / "demo.db"))
    yield db
    db.close()


def test_a_collectors_day(demo: Database) -> None:
    user = PeopleRepository(demo).find("zhang.wei")
    assert user is not None
    items = build_worklist(
        demo, user.as_actor(), load_risk_model(default_model_path()), when=MORNING
    )
    assert items
    blocked = [i.priority.blocked for i in items]
    assert blocked == sorted(blocked), "cases blocked by their status come last"
    for item in items:
        status = item.priority.history.status
        codes = {r.code for r in item.verdict.reasons}
        if status in {"cease_requested", "attorney_represented", "deceased", "bankrupt"}:
            assert not item.callable_now
            assert item.verdict.next_allowed is None
        if item.callable_now:
            assert codes == set()
        assert all(p.case_id == item.case_id for p in item.promises_due)
    assert any(item.callable_now for item in items)


def test_worklist_command(
    demo: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", str(demo.engine.url))
    argv = ["worklist", "--as", "zhang.wei", "--at", "2026-11-27T23:30:00+08:00", "--limit", "3"]
    assert main(argv) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 3
    assert all(not line["callable_now"] for line in lines)  # 23:30 in Shanghai
    assert all(line["next_allowed"] for line in lines if line["blocked_because"])
    assert all(len(line["why_first"]) <= 3 for line in lines)
    assert main(["worklist", "--as", "nobody"]) == 2


def test_unknown_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worklist", "--as", "x", "--at", "tomorrow"]) == 2
    assert "--at" in capsys.readouterr().err
