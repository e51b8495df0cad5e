"""The worklist's call-now column names the compliance state, coloured, with every reason."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agent_assist.compliance import check
from agent_assist.compliance.risk_model import default_model_path, load_risk_model
from agent_assist.compliance.worklist import WorklistItem, build_worklist
from agent_assist.store.database import Database, open_database
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.ui.worklist_model import (
    BLOCKED,
    CALL_COLUMN,
    CALLABLE,
    CAP_REACHED,
    HOLIDAY,
    OUTSIDE_HOURS,
    WorklistModel,
    call_state,
)
from tests.support.databases import copy_sqlite

pytestmark = pytest.mark.slow
MORNING = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a working Friday
LATE = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
NATIONAL_DAY = datetime(2026, 10, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(copy_sqlite(demo_db_file, tmp_path_factory.mktemp("demo") / "demo.db"))
    yield db
    db.close()


def worklist(db: Database, when: datetime) -> list[WorklistItem]:
    user = PeopleRepository(db).find("zhang.wei")
    assert user is not None
    return build_worklist(db, user.as_actor(), load_risk_model(default_model_path()), when=when)


def test_states_follow_the_verdicts(demo: Database) -> None:
    morning = {call_state(i) for i in worklist(demo, MORNING)}
    assert {CALLABLE, BLOCKED} <= morning
    late = [i for i in worklist(demo, LATE) if not i.priority.blocked]
    assert {call_state(i) for i in late} == {OUTSIDE_HOURS}
    holiday = [i for i in worklist(demo, NATIONAL_DAY) if not i.priority.blocked]
    assert {call_state(i) for i in holiday} == {HOLIDAY}


def test_a_blocked_status_wins_over_the_hour(demo: Database) -> None:
    for item in worklist(demo, LATE):
        if item.priority.blocked:
            assert call_state(item) == BLOCKED


def test_the_column_shows_the_state_its_colour_and_why(demo: Database, qtbot: QtBot) -> None:
    model = WorklistModel()
    model.set_items(worklist(demo, LATE))
    assert model.headerData(CALL_COLUMN, Qt.Orientation.Horizontal) == "Call now"
    row = next(r for r in range(model.rowCount()) if not model.item(r).priority.blocked)
    cell = model.index(row, CALL_COLUMN)
    assert model.data(cell) == "Outside hours"
    assert model.data(cell, 9).name() == "#8d6e00"  # ForegroundRole
    tip = model.data(cell, 3)  # ToolTipRole
    assert "Next allowed: 2026-11-28 08:00" in tip


@pytest.mark.parametrize("code", [check.DAILY_CAP, check.ROLLING_CAP, check.AFTER_CONVERSATION])
def test_a_reached_cap_is_named_and_outranks_the_hour(demo: Database, code: str) -> None:
    item = next(i for i in worklist(demo, LATE) if not i.priority.blocked)
    capped = replace(
        item,
        verdict=replace(
            item.verdict, reasons=(*item.verdict.reasons, check.Reason(code, "cap")), allowed=False
        ),
    )
    assert call_state(item) == OUTSIDE_HOURS
    assert call_state(capped) == CAP_REACHED
