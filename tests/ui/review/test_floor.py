"""The review window's live floor (pytest-qt, offscreen, SQLite): a collector's call and its
critical flag, written on another thread as a desktop writes them, show within 2 s; the
watcher stops with the window."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agent_assist.events import Event
from agent_assist.rules.loader import load_pack
from agent_assist.rules.registry import packs_dir
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.database import Database, open_database
from agent_assist.store.records import UserRecord
from agent_assist.ui import review_run
from agent_assist.ui.review.controllers.floor_controller import FloorController
from agent_assist.ui.review.views.review_window import ReviewWindow
from tests.core.store.builders import ended, flag, started, team_of


@pytest.fixture
def sqlite_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'floor.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    db = open_database(url)
    yield db
    db.close()


def collect(db: Database, collector: UserRecord, call_id: str, *events: Event) -> None:
    """What a collector's desktop writes for a call started now (``store/recorder.py``)."""
    ops = CallOps(str, user_id=collector.id, team_id=collector.team_id)
    now = datetime.now(UTC).isoformat()
    for event in (replace(started(call_id), started_at=now), *events):
        for op in ops.ops_for(event):
            apply_op(db, op)


def watchers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "floor-watcher"]


def open_floor(qtbot: QtBot, username: str) -> tuple[ReviewWindow, FloorController]:
    window = review_run.build(username, "en")
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.floor)
    floor = window.findChild(FloorController)
    assert floor is not None
    qtbot.waitUntil(lambda: window.floor.status.text().endswith("critical flags"))
    return window, floor


@pytest.mark.slow
def test_a_critical_flag_written_meanwhile_shows_within_2_s(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    ann, bo, lee, kim, _ = team_of(sqlite_db)
    collect(sqlite_db, bo, "bo-call")
    collect(sqlite_db, kim, "blue-call", flag("f1"))  # another team's: not on Lee's floor
    window, floor = open_floor(qtbot, lee.username)
    qtbot.waitUntil(lambda: floor.calls.rowCount() == 1)
    assert floor.calls.cells(floor.calls.row(0))[0] == "Bo"
    assert floor.critical.rowCount() == 0

    threat = load_pack(packs_dir() / "zh-CN").rule("zh.agent.threat.violence")
    written_flag = replace(flag("f1"), rule_id=threat.id)
    writer = threading.Thread(target=collect, args=(sqlite_db, ann, "ann-call", written_flag))
    written = time.monotonic()
    writer.start()
    qtbot.waitUntil(lambda: floor.critical.rowCount() == 1, timeout=2000)
    delay = time.monotonic() - written
    writer.join()
    assert delay < 2.0
    shown = floor.critical.cells(floor.critical.row(0))
    assert shown[1] == "Ann"
    assert shown[4] == "就去你单位"
    why = floor.critical.index(0, 0)
    qtbot.waitUntil(lambda: floor.critical.data(why, Qt.ItemDataRole.ToolTipRole) is not None)
    assert floor.critical.data(why, Qt.ItemDataRole.ToolTipRole) == threat.explanation
    assert [floor.calls.row(r).id for r in range(floor.calls.rowCount())] == [
        "ann-call",
        "bo-call",
    ]
    assert window.floor.status.text() == "2 calls in progress, 1 critical flags"

    collect(sqlite_db, ann, "ann-call", ended())  # her call ends (its start again is a no-op)
    qtbot.waitUntil(lambda: floor.calls.rowCount() == 1, timeout=2000)
    assert floor.critical.rowCount() == 0


def test_closing_the_window_stops_its_watcher(qtbot: QtBot, sqlite_db: Database) -> None:
    _, _, lee, _, _ = team_of(sqlite_db)
    window, _ = open_floor(qtbot, lee.username)
    assert len(watchers()) == 1
    window.close()
    assert watchers() == []
