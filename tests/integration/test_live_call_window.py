"""A live call from the window: a (fake) stereo headset, the real Korean model, the real
session and store; the meters move, and a headset that dies ends the call with what to do."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agent_assist.asr.model import LoadedModel
from agent_assist.audio.devices import NO_DEVICES_HINT
from agent_assist.settings import save_settings
from agent_assist.store.database import open_database
from agent_assist.store.tables import Call
from agent_assist.ui import run
from agent_assist.ui.controllers.main_controller import MainController
from agent_assist.ui.views.main_window import MainWindow
from tests.support.databases import copy_sqlite
from tests.support.fake_sounddevice import FakeDevice, FakeSoundDevice

pytestmark = [pytest.mark.real, pytest.mark.slow]

HEADSET = "USB Headset"


@pytest.fixture(scope="module")
def demo_url(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return copy_sqlite(demo_db_file, tmp_path_factory.mktemp("window") / "demo.db")


def fake_sounddevice(
    monkeypatch: pytest.MonkeyPatch, devices: list[FakeDevice]
) -> Iterator[FakeSoundDevice]:
    sd = FakeSoundDevice(devices, speed=1.0)  # real time: the model keeps up
    monkeypatch.setitem(sys.modules, "sounddevice", sd)
    yield sd
    sd.close_all()


@pytest.fixture
def headset(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSoundDevice]:
    # One stereo headset: the collector on the left, the debtor on the right.
    save_settings({"channel_map": "left=agent,right=debtor", "rule_pack": "none"})
    yield from fake_sounddevice(monkeypatch, [FakeDevice(HEADSET, channels=2)])


@pytest.fixture
def no_devices(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSoundDevice]:
    yield from fake_sounddevice(monkeypatch, [])


def open_window(
    qtbot: QtBot, demo_url: str, monkeypatch: pytest.MonkeyPatch, model: LoadedModel
) -> MainWindow:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", demo_url)
    window = run.build("zhang.wei")
    qtbot.addWidget(window)
    controller = window.findChild(MainController)
    assert controller is not None
    assert not window.start_action.isEnabled()  # no model yet
    controller.calls.set_model(model, "Speech model: ko")
    assert window.start_action.isEnabled()
    return window


def stored_call(demo_url: str, model: LoadedModel) -> Call:
    db = open_database(demo_url)
    try:
        with db.session() as session:
            query = select(Call).where(Call.model == model.name).order_by(Call.started_at)
            calls = session.scalars(query).all()
    finally:
        db.close()
    assert calls
    return calls[-1]


def start_and_hear_both_sides(qtbot: QtBot, window: MainWindow) -> None:
    controls = window.call_controls
    window.start_action.trigger()
    qtbot.waitUntil(lambda: controls.status.text() == "Listening", timeout=30_000)
    # A sine at about -15 dBFS on each channel: both meters well up.
    qtbot.waitUntil(
        lambda: controls.collector_meter.value() > 50 and controls.debtor_meter.value() > 50,
        timeout=10_000,
    )


def test_a_live_call_from_the_headset_is_followed_and_ended(
    qtbot: QtBot,
    demo_url: str,
    monkeypatch: pytest.MonkeyPatch,
    korean_model: LoadedModel,
    headset: FakeSoundDevice,
) -> None:
    window = open_window(qtbot, demo_url, monkeypatch, korean_model)
    start_and_hear_both_sides(qtbot, window)
    assert window.stop_action.isEnabled()
    window.stop_action.trigger()
    qtbot.waitUntil(window.start_action.isEnabled, timeout=30_000)
    assert window.call_controls.status.text() == "Call ended"
    assert window.call_controls.collector_meter.value() == 0
    call = stored_call(demo_url, korean_model)
    assert call.end_reason == "stopped"
    assert "0=agent" in call.audio_setup  # the settings' channel map was used
    assert "1=debtor" in call.audio_setup


def test_a_headset_that_dies_ends_the_call_with_what_to_do(
    qtbot: QtBot,
    demo_url: str,
    monkeypatch: pytest.MonkeyPatch,
    korean_model: LoadedModel,
    headset: FakeSoundDevice,
) -> None:
    window = open_window(qtbot, demo_url, monkeypatch, korean_model)
    start_and_hear_both_sides(qtbot, window)
    headset.stream_for(HEADSET).die()  # PortAudio ends the stream: the audio server went away
    qtbot.waitUntil(window.start_action.isEnabled, timeout=30_000)
    status = window.call_controls.status.text()
    assert HEADSET in status
    assert "check the headset" in status
    assert "start it again" in status
    assert "Traceback" not in status
    assert stored_call(demo_url, korean_model).end_reason in {"stopped", "source_error"}


def test_no_microphone_at_all_is_a_clear_message(
    qtbot: QtBot,
    demo_url: str,
    monkeypatch: pytest.MonkeyPatch,
    korean_model: LoadedModel,
    no_devices: FakeSoundDevice,
) -> None:
    window = open_window(qtbot, demo_url, monkeypatch, korean_model)
    window.start_action.trigger()
    qtbot.waitUntil(lambda: NO_DEVICES_HINT in window.call_controls.status.text(), timeout=30_000)
    qtbot.waitUntil(window.start_action.isEnabled, timeout=30_000)
    assert NO_DEVICES_HINT in window.call_controls.status.text()
