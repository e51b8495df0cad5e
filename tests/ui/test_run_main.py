"""The desktop's launch options: ``--call`` starts a live call once the model is ready;
SIGTERM and Ctrl+C end the call in progress, store it and quit (pytest-qt, offscreen)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agent_assist import app
from agent_assist.asr.model import LoadedModel
from agent_assist.call.demo import MODEL_NAME, ScriptedCallSource, load_dialogues
from agent_assist.store.database import Database, open_database
from agent_assist.store.records import UserRecord
from agent_assist.store.tables import Call
from agent_assist.ui import run
from agent_assist.ui.controllers.call_controller import StartedCall
from agent_assist.ui.controllers.main_controller import MainController
from agent_assist.ui.controllers.model_controller import ModelController
from agent_assist.ui.views.main_window import MainWindow
from tests.core.store.builders import team_of

COLLECTOR = "ann"  # from team_of


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    db = open_database(url)
    team_of(db)
    db.close()
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    return url


def open_window(qtbot: QtBot, *, demo_speed: float = 40.0) -> MainWindow:
    window = run.build(COLLECTOR, "en", demo_speed=demo_speed)
    # A call a failed test left running ends without the close question, which would block.
    qtbot.addWidget(window, before_close_func=run.end_gracefully)
    window.show()
    return window


def controller_of(window: MainWindow) -> MainController:
    controller = window.findChild(MainController)
    assert controller is not None
    return controller


def fake_model(name: str, tmp_path: Path) -> LoadedModel:
    return LoadedModel(path=tmp_path, name=name, sample_rate=16000, vosk_model=None)


def stored_calls(url: str) -> list[Call]:
    db = open_database(url)
    try:
        with db.session() as session:
            return list(session.scalars(select(Call).order_by(Call.started_at)))
    finally:
        db.close()


def test_call_starts_a_live_call_once_when_the_model_arrives(
    qtbot: QtBot, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    heard_with: list[LoadedModel] = []

    def scripted_live_call(_db: Database, user: UserRecord, speech: LoadedModel) -> StartedCall:
        # The real session over a scripted dialogue: no microphone or Vosk model needed.
        username = user.username  # the record build() looked up, not looked up again
        assert username == COLLECTOR
        heard_with.append(speech)
        dialogue = load_dialogues(date.today())[run.DEMO_DIALOGUE["en-US"]]
        session = app.demo_session(ScriptedCallSource(dialogue, speed=40))
        session.start()
        return session, None

    monkeypatch.setattr(run, "live_call", scripted_live_call)
    window = open_window(qtbot)
    calls = controller_of(window).calls
    models = window.findChild(ModelController)
    assert models is not None
    run.call_when_ready(window)

    models.changed.emit(None, "Loading the speech model…")
    assert not calls.busy  # no model yet: nothing to start
    first = fake_model("first", tmp_path)
    models.changed.emit(first, "Speech model: first")
    assert calls.busy
    qtbot.waitUntil(lambda: window.call_controls.status.text() == "Listening", timeout=10_000)
    qtbot.waitUntil(window.start_action.isEnabled, timeout=30_000)  # the dialogue is over
    models.changed.emit(fake_model("second", tmp_path), "Speech model: second")
    assert not calls.busy  # once: a model that arrives later starts nothing
    assert heard_with == [first]


@pytest.fixture
def running_demo_call(qtbot: QtBot, db_url: str) -> MainWindow:
    window = open_window(qtbot, demo_speed=1.0)  # real time: still talking when ended
    window.demo_action.trigger()
    qtbot.waitUntil(lambda: "scripted dialogue" in window.call_controls.status.text())
    return window


def assert_ended_and_stored(window: MainWindow, db_url: str) -> None:
    assert not controller_of(window).calls.busy
    assert not window.isVisible()
    (call,) = stored_calls(db_url)
    assert call.model == MODEL_NAME
    assert call.end_reason == "stopped"
    assert call.ended_at is not None


def test_ending_gracefully_ends_the_running_call_and_stores_its_end(
    running_demo_call: MainWindow, db_url: str
) -> None:
    assert stored_calls(db_url)[0].ended_at is None  # stored as it happens
    run.end_gracefully(running_demo_call)
    assert_ended_and_stored(running_demo_call, db_url)


def test_a_call_still_starting_is_ended_and_stored_too(qtbot: QtBot, db_url: str) -> None:
    window = open_window(qtbot, demo_speed=1.0)
    window.demo_action.trigger()
    assert controller_of(window).calls.busy
    run.end_gracefully(window)
    assert_ended_and_stored(window, db_url)


@pytest.fixture
def restored_signal_handlers() -> Iterator[None]:
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    yield
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_end_the_call_and_close_the_window(
    running_demo_call: MainWindow,
    db_url: str,
    qtbot: QtBot,
    signum: int,
    restored_signal_handlers: None,
) -> None:
    awake = run.end_on_signals(running_demo_call)
    assert awake.isActive()
    os.kill(os.getpid(), signum)
    qtbot.waitUntil(lambda: not running_demo_call.isVisible(), timeout=20_000)
    assert_ended_and_stored(running_demo_call, db_url)
