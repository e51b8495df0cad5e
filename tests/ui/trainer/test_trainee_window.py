"""The trainer window opened by a trainee (pytest-qt, offscreen, SQLite and PostgreSQL): a
collector or a team lead gets the Drills tab alone, with the drills the store lets them
see; nothing is opened for editing."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from agent_assist.privacy import mask_text
from agent_assist.publishing.working_copy import drafts_dir
from agent_assist.store.database import Database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.ui import trainer_run
from agent_assist.ui.trainer.controllers.editor_controller import EditorController
from agent_assist.ui.trainer.drill_controller import DrillController
from agent_assist.ui.trainer.views.trainer_window import TrainerWindow
from tests.core.store.builders import team_of

READY = "Pick a scenario and start the drill."


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[TrainerWindow]]:
    opened: list[TrainerWindow] = []
    yield opened
    for window in opened:
        window.close()
    opened.clear()
    gc.collect()  # on the main thread


@pytest.fixture
def drilled(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Database:
    """A drill each by Ann and Bo (red collectors), Lee (red lead), Kim (blue lead)."""
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", db_url)
    repo = DrillRepository(db, mask_text)
    for user in team_of(db)[:4]:
        repo.start(user.as_actor(), "en.short_overdue", "en-US", "en-US", "1")
    return db


def trainee_window(qtbot: QtBot, windows: list[TrainerWindow], username: str) -> DrillController:
    window = trainer_run.build(username, "en")
    qtbot.addWidget(window)
    windows.append(window)
    window.show()
    tabs = [window.tabs.tabText(at) for at in range(window.tabs.count())]
    assert tabs == ["Drills"]
    assert window.windowTitle() == "Agent Assist · Drills"
    assert window.findChild(EditorController) is None
    drills = window.findChild(DrillController)
    assert drills is not None
    qtbot.waitUntil(lambda: drills.panel.status.text() == READY, timeout=30_000)
    return drills


def trainees(drills: DrillController) -> list[str]:
    return sorted(drills.history.row(at).username for at in range(drills.history.rowCount()))


def test_a_collector_gets_the_drills_tab_with_their_own_drills(
    qtbot: QtBot, drilled: Database, windows: list[TrainerWindow]
) -> None:
    drills = trainee_window(qtbot, windows, "ann")
    assert trainees(drills) == ["ann"]
    assert drills.panel.scenarios.count() > 0
    assert not drafts_dir().exists() or not any(drafts_dir().iterdir())  # no working copy


def test_a_team_lead_sees_the_team_s_drills(
    qtbot: QtBot, drilled: Database, windows: list[TrainerWindow]
) -> None:
    assert trainees(trainee_window(qtbot, windows, "lee")) == ["ann", "bo", "lee"]


def test_someone_unknown_is_told_how_to_sign_in(
    qtbot: QtBot, drilled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: told.append(text))
    assert trainer_run.main(["--as", "nobody", "--lang", "en", "--pack", "en-US"]) == 2
    assert len(told) == 1
    assert "no active user named 'nobody'" in told[0]
