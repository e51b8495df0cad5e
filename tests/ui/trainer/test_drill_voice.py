"""Spoken drills in the drills tab (pytest-qt, offscreen): the answers come from a live call
session's final results, here the real session over a scripted call (no microphone, no
speech model), shown as they are decided; the debtor's lines are said in order; ending
the drill stops the session; the boxes say why they are off."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from pytestqt.qtbot import QtBot

from agent_assist import app
from agent_assist.call.demo import DemoDialogue, ScriptedCallSource
from agent_assist.call.session import CallSession
from agent_assist.store.database import Database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import UserRecord
from agent_assist.ui.trainer.drill_controller import DrillController
from agent_assist.ui.trainer.drill_panel import DrillPanel
from agent_assist.ui.trainer.drill_voices import DrillVoices
from tests.core.store.builders import team_of
from tests.core.training.test_drill import EN_GOOD

READY = "Pick a scenario and start the drill."
SCENARIO = "en.business_failure"


@dataclass
class Heard:
    """What the tab was given to speak with and listen through."""

    answers: tuple[str, ...]
    speed: float
    said: list[str] = field(default_factory=list)
    sessions: list[CallSession] = field(default_factory=list)
    speaking: list[str] = field(default_factory=list)  # the threads lines were said on

    def voices(self) -> DrillVoices:
        def say_for(_language: str) -> Callable[[str], None]:
            def say(line: str) -> None:
                self.speaking.append(threading.current_thread().name)
                self.said.append(line)

            return say

        def listen_for(language: str) -> CallSession:
            turns = tuple(("agent", answer) for answer in self.answers)
            dialogue = DemoDialogue("drill", "en", language, language, "none", turns)
            session = app.demo_session(ScriptedCallSource(dialogue, speed=self.speed))
            self.sessions.append(session)
            return session

        return DrillVoices(True, lambda language: language == "en-US", say_for, listen_for)


@pytest.fixture
def held() -> Iterator[list[object]]:
    kept: list[object] = []
    yield kept
    kept.clear()
    gc.collect()  # on the main thread


@pytest.fixture
def ann(db: Database, no_stray_threads: None) -> UserRecord:
    return team_of(db)[0]


def open_tab(
    qtbot: QtBot, db: Database, ann: UserRecord, heard: Heard, held: list[object]
) -> tuple[DrillPanel, DrillController]:
    panel = DrillPanel()
    qtbot.addWidget(panel)
    repo = DrillRepository(db, str)
    controller = DrillController(panel, repo, ann.as_actor(), voices=heard.voices())
    held += [panel, controller]
    panel.show()
    controller.refresh()
    qtbot.waitUntil(lambda: panel.status.text() == READY, timeout=20_000)
    return panel, controller


def lines(panel: DrillPanel) -> list[str]:
    return [panel.lines.item(i).text() for i in range(panel.lines.count())]


def test_a_spoken_drill_is_heard_judged_said_and_stored(
    qtbot: QtBot, db: Database, ann: UserRecord, held: list[object]
) -> None:
    heard = Heard(EN_GOOD, speed=4.0)
    panel, controller = open_tab(qtbot, db, ann, heard, held)
    controller.select(SCENARIO)
    assert panel.by_voice.isEnabled()
    assert panel.speak.isEnabled()
    panel.by_voice.setChecked(True)
    panel.speak.setChecked(True)
    panel.start.click()
    qtbot.waitUntil(lambda: panel.status.text() == "Listening: answer the debtor aloud.")
    assert not panel.answer.isEnabled()  # answers are heard, not typed
    assert panel.stop.isEnabled()
    assert not panel.voices.isEnabled()
    qtbot.waitUntil(lambda: panel.report.toPlainText() != "", timeout=30_000)
    shown = lines(panel)
    spoken = [line for line in shown if line.startswith("You: ")]
    assert len(spoken) == len(EN_GOOD)
    assert spoken[0].startswith("You: hello my name is sam")  # as the recogniser prints it
    debtor = [line.removeprefix("Debtor: ") for line in shown if line.startswith("Debtor: ")]
    qtbot.waitUntil(lambda: heard.said == debtor)  # every line said, in order
    assert set(heard.speaking) == {"debtor-voice"}  # never on the UI thread
    report = panel.report.toPlainText()
    assert report.startswith("Score ")
    assert "Tone: 100.0 (0 calm-down cues)" in report  # spoken: the tone is judged
    qtbot.waitUntil(lambda: panel.status.text() == READY, timeout=20_000)
    (drill,) = DrillRepository(db, str).history(SYSTEM)
    stored = DrillRepository(db, str).get(SYSTEM, drill.id).report
    assert stored is not None
    assert stored["mode"] == "voice"
    assert stored["complete"] is True
    assert (drill.score or 0) >= 80
    assert heard.sessions[0].wait(5)  # the call is over


def test_ending_a_spoken_drill_stops_the_session(
    qtbot: QtBot, db: Database, ann: UserRecord, held: list[object]
) -> None:
    heard = Heard(EN_GOOD, speed=1.0)  # real pace: the second answer takes seconds
    panel, controller = open_tab(qtbot, db, ann, heard, held)
    controller.select(SCENARIO)
    panel.by_voice.setChecked(True)
    panel.start.click()
    qtbot.waitUntil(lambda: any(line.startswith("You: ") for line in lines(panel)), timeout=30_000)
    panel.stop.click()
    qtbot.waitUntil(lambda: panel.status.text() == READY, timeout=20_000)
    assert heard.sessions[0].wait(5)  # stopped: the call ended long before its script
    assert "ended early" in panel.report.toPlainText()
    assert heard.said == []  # the box was off: nothing said
    assert panel.start.isEnabled()
    assert panel.voices.isEnabled()


def test_the_boxes_say_why_they_are_off(
    qtbot: QtBot, db: Database, ann: UserRecord, held: list[object]
) -> None:
    panel = DrillPanel()
    qtbot.addWidget(panel)
    deaf = DrillVoices(
        False, lambda _language: False, lambda _l: None, Heard((), 1).voices().listen_for
    )
    controller = DrillController(panel, DrillRepository(db, str), ann.as_actor(), voices=deaf)
    held += [panel, controller]
    controller.refresh()
    qtbot.waitUntil(lambda: panel.status.text() == READY, timeout=20_000)
    controller.select("zh.short_overdue")
    assert not panel.speak.isEnabled()
    assert "espeak-ng is not installed" in panel.speak.toolTip()
    assert not panel.by_voice.isEnabled()
    assert panel.by_voice.toolTip().startswith("No speech model for zh-CN is installed")
