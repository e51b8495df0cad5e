"""The trainer window's drills tab (pytest-qt, offscreen, SQLite and PostgreSQL): a drill
typed end to end with the live score, the flags shown as they are raised, the report and
the history; an early end keeps a partial report; who sees whose drills; a drill that goes
on while the database is away."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine

from agent_assist.privacy import mask_text
from agent_assist.store.database import Database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import Actor, UserRecord
from agent_assist.store.spool import SpoolingWriter
from agent_assist.ui.trainer.drill_controller import DrillController
from agent_assist.ui.trainer.drill_panel import DrillPanel
from tests.core.store.builders import team_of
from tests.core.store.test_drills_repo import NOWHERE, Outage, turns_of
from tests.core.training.test_drill import ZH_GOOD

READY = "Pick a scenario and start the drill."


@dataclass
class Tab:
    qtbot: QtBot
    db: Database
    panel: DrillPanel
    controller: DrillController

    def lines(self) -> list[str]:
        return [self.panel.lines.item(i).text() for i in range(self.panel.lines.count())]

    def start(self, scenario_id: str) -> None:
        self.controller.select(scenario_id)
        self.panel.start.click()
        self.qtbot.waitUntil(self.panel.send.isEnabled, timeout=20_000)

    def answer(self, text: str) -> None:
        self.panel.answer.setText(text)
        self.panel.send.click()
        self.qtbot.waitUntil(
            lambda: self.panel.send.isEnabled() or self.panel.status.text() == READY,
            timeout=20_000,
        )


@pytest.fixture
def tabs() -> Iterator[list[Tab]]:
    """Every tab a test opens, held until the test's widgets are closed: a panel and its
    controller refer to each other, and a cycle left to the garbage collector could be
    collected on a background thread mid-test (Qt then deletes the visible panel)."""
    opened: list[Tab] = []
    yield opened
    opened.clear()
    gc.collect()  # here, on the main thread


def open_tab(qtbot: QtBot, db: Database, user: UserRecord, tabs: list[Tab]) -> Tab:
    panel = DrillPanel()
    qtbot.addWidget(panel)
    repo = DrillRepository(db, lambda text: mask_text(text, "CN"))
    controller = DrillController(panel, repo, user.as_actor())
    panel.show()
    controller.refresh()
    qtbot.waitUntil(lambda: panel.status.text() == READY, timeout=20_000)
    tabs.append(Tab(qtbot, db, panel, controller))
    return tabs[-1]


@pytest.fixture
def people(qtbot: QtBot, db: Database, no_stray_threads: None) -> tuple[UserRecord, ...]:
    """Ann, Bo (collectors, red), Lee (red lead), Kim (blue lead), Tia (trainer). Every
    background thread a test starts has ended before its widgets are closed."""
    return team_of(db)


def test_a_drill_typed_end_to_end(
    tabs: list[Tab], qtbot: QtBot, db: Database, people: tuple[UserRecord, ...]
) -> None:
    tab = open_tab(qtbot, db, people[0], tabs)
    assert tab.panel.scenarios.count() == 12
    assert not tab.panel.answer.isEnabled()
    tab.start("zh.short_overdue")
    assert "王磊" in tab.panel.brief.text()
    assert tab.lines() == ["Debtor: 喂，哪位？"]
    tab.answer(ZH_GOOD[0])
    assert tab.panel.score.text().startswith("Score so far: ")
    assert tab.lines()[-1] == "Debtor: 我现在在开会，很忙，晚点再说吧。"
    for text in ZH_GOOD[1:]:
        tab.answer(text)
    report = tab.panel.report.toPlainText()
    assert report.startswith("Score 100.0 / 100")
    assert "Suggested replies: 100.0" in report
    assert tab.panel.score.text() == "Score: 100.0"
    assert tab.controller.history.rowCount() == 1
    assert tab.controller.history.data(tab.controller.history.index(0, 3)) == "100.0"
    assert not tab.panel.answer.isEnabled()
    assert tab.panel.start.isEnabled()


def test_a_threat_is_shown_at_once_and_fails_the_drill(
    tabs: list[Tab], qtbot: QtBot, db: Database, people: tuple[UserRecord, ...]
) -> None:
    tab = open_tab(qtbot, db, people[0], tabs)
    tab.start("zh.short_overdue")
    tab.answer(ZH_GOOD[0])
    tab.answer("你再不还钱我们就上门找你，让你全家不得安宁")
    flagged = [line for line in tab.lines() if line.startswith("⚠ zh.agent.threat")]
    assert len(flagged) == 1
    assert tab.lines()[-1] == "Debtor: 你这是什么态度？我要投诉你们。"  # and hangs up
    qtbot.waitUntil(lambda: tab.panel.status.text() == READY, timeout=20_000)
    (drill,) = DrillRepository(db, str).history(SYSTEM)
    assert drill.score is not None
    assert drill.score <= 40
    assert "zh.agent.threat" in tab.panel.report.toPlainText()


def test_ending_early_keeps_the_turns_and_a_partial_report(
    tabs: list[Tab], qtbot: QtBot, db: Database, people: tuple[UserRecord, ...]
) -> None:
    tab = open_tab(qtbot, db, people[0], tabs)
    tab.start("en.wrong_party")
    tab.answer("Hi, this is Sam calling from Harbor Bank, may I speak with Laura?")
    tab.panel.stop.click()
    qtbot.waitUntil(lambda: tab.panel.status.text() == READY, timeout=20_000)
    assert "ended early" in tab.panel.report.toPlainText()
    (drill,) = DrillRepository(db, str).history(SYSTEM)
    detail = DrillRepository(db, str).get(SYSTEM, drill.id)
    assert [t.speaker for t in detail.turns] == ["debtor", "agent", "debtor"]
    assert detail.report is not None
    assert detail.report["complete"] is False


def test_the_history_follows_roles_and_opens_a_stored_report(
    tabs: list[Tab], qtbot: QtBot, db: Database, people: tuple[UserRecord, ...]
) -> None:
    ann, bo, lee, *_ = people
    tab = open_tab(qtbot, db, ann, tabs)
    tab.start("en.wrong_party")
    tab.panel.stop.click()
    qtbot.waitUntil(lambda: tab.controller.history.rowCount() == 1, timeout=20_000)
    assert open_tab(qtbot, db, bo, tabs).controller.history.rowCount() == 0
    lead = open_tab(qtbot, db, lee, tabs)
    assert lead.controller.history.rowCount() == 1
    assert lead.controller.history.data(lead.controller.history.index(0, 1)) == "ann"
    lead.panel.history.doubleClicked.emit(lead.controller.history.index(0, 0))
    qtbot.waitUntil(lambda: "ended early" in lead.panel.report.toPlainText(), timeout=20_000)


def test_a_drill_goes_on_while_the_database_is_away_and_is_saved_when_it_answers(
    tabs: list[Tab], qtbot: QtBot, db: Database, people: tuple[UserRecord, ...], tmp_path: Path
) -> None:
    outage = Outage(db)
    writer = SpoolingWriter(outage, tmp_path, retry_s=0.05)
    try:
        panel = DrillPanel()
        qtbot.addWidget(panel)
        repo = DrillRepository(db, lambda text: mask_text(text, "CN"), writer=writer)
        controller = DrillController(panel, repo, people[0].as_actor())
        panel.show()
        controller.refresh()
        qtbot.waitUntil(lambda: panel.status.text() == READY, timeout=20_000)
        tab = Tab(qtbot, db, panel, controller)
        tabs.append(tab)
        tab.start("zh.short_overdue")
        tab.answer(ZH_GOOD[0])
        assert panel.kept.isHidden()
        outage.down = True
        tab.answer(ZH_GOOD[1])
        assert not panel.kept.isHidden()  # one sentence; the drill goes on
        assert panel.kept.text() == (
            "The database is not answering; this drill is kept on this computer and saved "
            "when it answers."
        )
        assert panel.send.isEnabled()
        for text in ZH_GOOD[2:-1]:
            tab.answer(text)
        panel.answer.setText(ZH_GOOD[-1])
        panel.send.click()
        qtbot.waitUntil(lambda: panel.report.toPlainText() != "", timeout=20_000)
        assert panel.report.toPlainText().startswith("Score 100.0 / 100")
        assert panel.status.text() == (
            "Drill kept on this computer; it is saved when the database answers."
        )
        assert [turn for turn, _ in turns_of(db)] == [1, 2, 3]  # what came before
        outage.down = False
        qtbot.waitUntil(lambda: panel.status.text() == READY, timeout=20_000)
        assert panel.kept.isHidden()
        assert controller.history.data(controller.history.index(0, 3)) == "100.0"
        assert [turn for turn, _ in turns_of(db)] == list(range(1, 9))
    finally:
        writer.close()


def test_history_with_the_database_away_says_so(
    tabs: list[Tab], qtbot: QtBot, no_stray_threads: None
) -> None:
    away = Database(create_engine(NOWHERE))
    panel = DrillPanel()
    qtbot.addWidget(panel)
    controller = DrillController(panel, DrillRepository(away, str), Actor(1, "collector"))
    tabs.append(Tab(qtbot, away, panel, controller))
    controller.refresh()
    said = "The database is not answering; try again when it answers."
    qtbot.waitUntil(lambda: panel.status.text() == said, timeout=20_000)
