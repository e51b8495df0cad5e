"""The settings dialog: devices and live meters on a fake PortAudio, the test recording,
folders checked with the real loaders, the database test off the UI thread, saving."""

from __future__ import annotations

import dataclasses
import shutil
import threading
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from agent_assist.asr.locate import InstalledModel, missing_model_files
from agent_assist.audio.devices import parse_channel_map
from agent_assist.audio.setup_check import RATE, RECORD_S
from agent_assist.errors import AudioError, UserError
from agent_assist.rules.loader import load_pack
from agent_assist.rules.registry import bundled_packs, resolve_pack
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import load_library
from agent_assist.script_library.loader import FILE_NAME
from agent_assist.settings import (
    DB_URL_ENV,
    Settings,
    load_settings,
    save_settings,
    settings_path,
)
from agent_assist.store.records import UserRecord
from agent_assist.store.url_masking import mask_password, restore_password
from agent_assist.ui import run, settings_wiring
from agent_assist.ui.controllers.settings_controller import SettingsController, SettingsServices
from agent_assist.ui.views.settings_dialog import SettingsDialog
from tests.support.databases import copy_sqlite
from tests.support.fake_sounddevice import FakeDevice, FakeSoundDevice, PortAudioError, dominant_hz

pytestmark = pytest.mark.usefixtures("no_stray_threads")

USERS = [
    UserRecord(1, "zhang.wei", "张伟", "collector", 1),
    UserRecord(2, "li.na", "李娜", "collector", 1),
]
SECRET = "S3cret-pw"


@dataclass
class Opened:
    dialog: SettingsDialog
    controller: SettingsController
    sd: FakeSoundDevice
    restarts: list[Collection[str]] = field(default_factory=list)

    def combo_texts(self, name: str) -> list[str]:
        combo = getattr(self.dialog, name)
        return [combo.itemText(i) for i in range(combo.count())]

    def select(self, name: str, text: str) -> None:
        combo = getattr(self.dialog, name)
        combo.setCurrentIndex(self.combo_texts(name).index(text))


def headsets(amplitude: int = 8000, loopback_amplitude: int = 800) -> FakeSoundDevice:
    return FakeSoundDevice(
        [
            FakeDevice("USB Headset", channels=2, amplitude=amplitude, freqs=(1000.0, 440.0)),
            FakeDevice("Loopback", channels=2, amplitude=loopback_amplitude),
        ]
    )


def services(
    sd: FakeSoundDevice | None, restarts: list[Collection[str]], **changes: Any
) -> SettingsServices:
    def load_sounddevice() -> FakeSoundDevice:
        if sd is None:
            raise AudioError("the audio library PortAudio is not installed; on Debian/Ubuntu …")
        return sd

    real = SettingsServices(
        load_sounddevice=load_sounddevice,
        speech_models=lambda: [
            InstalledModel("zh-CN", "vosk-model-small-cn-0.22", Path("/m/cn"), "models folder"),
            InstalledModel("en-US", "vosk-model-small-en-us-0.15", Path("/m/en"), "models folder"),
        ],
        missing_model_files=missing_model_files,
        rule_packs=bundled_packs,
        load_rule_pack=load_pack,
        script_libraries=lambda: ["en-US", "zh-CN"],
        load_script_library=lambda folder: load_library(folder / FILE_NAME, load_taxonomy().keys()),
        check_database=settings_wiring.check_database,
        active_users=lambda: USERS,
        save=save_settings,
        restart=restarts.append,
        embedded_database=Path("/data/agent-assist.db"),
    )
    return dataclasses.replace(real, **changes)


@pytest.fixture
def open_dialog(qtbot: QtBot) -> Iterator[Callable[..., Opened]]:
    opened: list[Opened] = []
    before = set(threading.enumerate())

    def start(
        sd: FakeSoundDevice | None = None, settings: Settings | None = None, **changes: Any
    ) -> Opened:
        restarts: list[Collection[str]] = []
        dialog = SettingsDialog()
        qtbot.addWidget(dialog)
        controller = SettingsController(
            dialog,
            settings or load_settings(),
            services(sd, restarts, **changes),
            language="zh",
            username="zhang.wei",
        )
        dialog.show()
        result = Opened(dialog, controller, sd or FakeSoundDevice(), restarts)
        opened.append(result)
        return result

    yield start
    for each in opened:
        each.dialog.reject()  # closes the streams: no_stray_threads checks they are gone
    # Until a reader thread has seen the stop it may still be starting its stream's thread.
    qtbot.waitUntil(lambda: all(not t.is_alive() for t in set(threading.enumerate()) - before))


def test_devices_are_listed_and_each_meter_follows_its_speakers_signal(
    qtbot: QtBot, open_dialog: Callable[..., Opened]
) -> None:
    shown = open_dialog(headsets())
    qtbot.waitUntil(lambda: shown.dialog.agent_device.count() == 3)
    assert shown.combo_texts("agent_device") == [
        "System default input",
        "USB Headset (ALSA)",
        "Loopback (ALSA)",
    ]
    assert shown.combo_texts("debtor_device")[0] == "None: the collector only"
    # The default input is the headset, at 8000 of 32768: a peak of -12 dB.
    qtbot.waitUntil(lambda: shown.dialog.agent_meter.value() > 0)
    assert shown.dialog.agent_meter.value() == pytest.approx(100 * (60 - 12.3) / 60, abs=2)
    assert shown.dialog.debtor_meter.value() == 0
    assert not shown.dialog.debtor_meter.isEnabled()

    shown.select("debtor_device", "Loopback (ALSA)")
    # The loopback plays ten times quieter: 20 dB lower.
    qtbot.waitUntil(lambda: shown.dialog.debtor_meter.value() > 0)
    assert shown.dialog.debtor_meter.value() == pytest.approx(100 * (60 - 32.3) / 60, abs=2)
    assert shown.dialog.audio_message.isHidden()


def test_a_stereo_device_is_split_by_the_chosen_channel(
    qtbot: QtBot, open_dialog: Callable[..., Opened]
) -> None:
    sd = headsets()
    sd.play = lambda data, samplerate, blocking: None
    shown = open_dialog(
        sd, Settings(audio_devices=("USB Headset",), channel_map="0=debtor,1=agent")
    )
    assert shown.dialog.audio_mode.currentData() == "stereo"
    assert shown.dialog.agent_channel.currentText() == "Right"
    qtbot.waitUntil(lambda: shown.dialog.stereo_device.currentText() == "USB Headset (ALSA)")
    qtbot.waitUntil(
        lambda: min(shown.dialog.agent_meter.value(), shown.dialog.debtor_meter.value()) > 0
    )

    shown.dialog.test_recording.click()
    qtbot.waitUntil(lambda: "Played back" in shown.dialog.recording_status.text(), timeout=5000)
    # The headset's left channel sounds at 1000 Hz, its right at 440 Hz.
    recording = shown.controller.recording
    assert dominant_hz(recording["agent"], RATE) == pytest.approx(440, abs=5)
    assert dominant_hz(recording["debtor"], RATE) == pytest.approx(1000, abs=5)


@pytest.mark.parametrize(
    ("amplitude", "verdict"),
    [(8000, "Collector: good level (-12 dB peak)."), (30, "Collector: silent"), (32767, "clipped")],
)
def test_a_test_recording_is_played_back_and_judged(
    qtbot: QtBot, open_dialog: Callable[..., Opened], amplitude: int, verdict: str
) -> None:
    sd = headsets(amplitude)
    played: list[tuple[np.ndarray, int]] = []
    sd.play = lambda data, samplerate, blocking: played.append((data.copy(), samplerate))
    shown = open_dialog(sd)
    qtbot.waitUntil(shown.dialog.test_recording.isEnabled)

    shown.dialog.test_recording.click()
    assert "Recording 5 s" in shown.dialog.recording_status.text()
    assert not shown.dialog.test_recording.isEnabled()
    qtbot.waitUntil(lambda: bool(played), timeout=5000)
    qtbot.waitUntil(shown.dialog.test_recording.isEnabled)
    status = shown.dialog.recording_status.text()
    assert verdict in status
    assert "Played back through the default output." in status
    [(data, rate)] = played
    assert rate == RATE
    assert data.shape == (RECORD_S * RATE, 1)
    assert int(np.abs(data.astype(np.int32)).max()) == pytest.approx(amplitude, rel=0.01, abs=2)


def test_without_playback_the_levels_still_say_how_it_sounded(
    qtbot: QtBot, open_dialog: Callable[..., Opened]
) -> None:
    sd = headsets()

    def no_output(data: np.ndarray, samplerate: int, blocking: bool) -> None:
        raise PortAudioError("Error querying device -1")

    sd.play = no_output
    shown = open_dialog(sd, Settings(audio_devices=("USB Headset", "Loopback")))
    qtbot.waitUntil(shown.dialog.test_recording.isEnabled)
    shown.dialog.test_recording.click()
    qtbot.waitUntil(lambda: "could not be played back" in shown.dialog.recording_status.text())
    status = shown.dialog.recording_status.text()
    assert "Error querying device -1" in status
    assert "Collector: good level (-12 dB peak)." in status
    assert "Debtor: good level (-32 dB peak)." in status or "Debtor: quiet (-32 dB peak)" in status


def test_a_saved_device_that_is_not_connected_is_a_clear_message(
    qtbot: QtBot, open_dialog: Callable[..., Opened]
) -> None:
    shown = open_dialog(headsets(), Settings(audio_devices=("Jabra Evolve",)))
    qtbot.waitUntil(lambda: shown.dialog.agent_device.count() == 4)
    assert shown.dialog.agent_device.currentText() == "Jabra Evolve (not connected)"
    qtbot.waitUntil(shown.dialog.audio_message.isVisible)
    message = shown.dialog.audio_message.text()
    assert message.startswith("Collector: no input device matches 'Jabra Evolve'")
    assert "Plug it in and restart Agent Assist, or choose another device." in message
    assert not shown.dialog.test_recording.isEnabled()

    shown.select("agent_device", "USB Headset (ALSA)")  # another choice: meters again
    qtbot.waitUntil(lambda: shown.dialog.agent_meter.value() > 0)
    assert shown.dialog.audio_message.isHidden()


def test_an_unplugged_device_and_a_missing_portaudio_are_clear_messages(
    qtbot: QtBot, open_dialog: Callable[..., Opened]
) -> None:
    sd = headsets()
    shown = open_dialog(sd, Settings(audio_devices=("USB Headset",)))
    qtbot.waitUntil(lambda: shown.dialog.agent_meter.value() > 0)
    sd.stream_for("USB Headset").die()
    qtbot.waitUntil(shown.dialog.audio_message.isVisible)
    assert shown.dialog.audio_message.text() == (
        "Collector: USB Headset: the audio stream ended unexpectedly; "
        "check the headset or the audio server"
    )
    qtbot.waitUntil(lambda: shown.dialog.agent_meter.value() == 0)

    without = open_dialog(None)
    qtbot.waitUntil(without.dialog.audio_message.isVisible)
    assert "PortAudio is not installed" in without.dialog.audio_message.text()
    assert not without.dialog.test_recording.isEnabled()


def test_ok_writes_only_what_changed_and_keeps_the_users_comments(
    qtbot: QtBot, open_dialog: Callable[..., Opened]
) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '# the desk\'s headset\n[audio]\ndevices = ["USB Headset"]  # ask IT first\n',
        encoding="utf-8",
    )
    before = path.read_text(encoding="utf-8")
    untouched = open_dialog(headsets())
    qtbot.waitUntil(lambda: untouched.dialog.agent_device.count() == 3)
    untouched.dialog.buttons.accepted.emit()
    assert untouched.dialog.result() == SettingsDialog.DialogCode.Accepted
    assert path.read_text(encoding="utf-8") == before

    shown = open_dialog(headsets())
    qtbot.waitUntil(lambda: shown.dialog.debtor_device.count() == 3)
    shown.select("debtor_device", "Loopback (ALSA)")
    shown.select("rule_pack", "en-US")
    shown.dialog.buttons.accepted.emit()

    assert shown.dialog.result() == SettingsDialog.DialogCode.Accepted
    assert shown.restarts == []  # audio and rules need no restart
    text = path.read_text(encoding="utf-8")
    assert "# the desk's headset" in text
    assert "# ask IT first" in text
    saved = load_settings()
    assert saved.audio_devices == ("USB Headset", "Loopback")
    assert saved.rule_pack == "en-US"
    assert saved.channel_map is None


def test_a_stereo_set_up_is_saved_as_a_channel_map_the_call_reads(
    qtbot: QtBot, open_dialog: Callable[..., Opened]
) -> None:
    shown = open_dialog(headsets())
    qtbot.waitUntil(lambda: shown.dialog.stereo_device.count() == 3)
    shown.select("audio_mode", "One stereo device, one speaker per channel")
    shown.select("stereo_device", "USB Headset (ALSA)")
    shown.select("agent_channel", "Right")
    shown.dialog.buttons.accepted.emit()
    saved = load_settings()
    assert saved.audio_devices == ("USB Headset",)
    assert parse_channel_map(saved.channel_map or "") == {0: "debtor", 1: "agent"}


def test_a_change_read_at_start_offers_a_restart(
    qtbot: QtBot, open_dialog: Callable[..., Opened]
) -> None:
    shown = open_dialog(headsets())
    qtbot.waitUntil(lambda: shown.dialog.user.count() == 2)
    assert shown.dialog.user.currentText() == "张伟 (zhang.wei)"
    shown.select("user", "李娜 (li.na)")
    shown.select("ui_language", "English")
    shown.dialog.buttons.accepted.emit()

    box = shown.dialog.findChild(QMessageBox)
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert "the signed-in user" in box.text()
    assert "the window language" in box.text()
    assert (load_settings().user, load_settings().ui_language) == ("li.na", "en")
    [restart] = [b for b in box.buttons() if b.text() == "Restart now"]
    restart.click()
    assert shown.restarts == [["user", "ui_language"]]
    assert shown.dialog.result() == SettingsDialog.DialogCode.Accepted


def test_restarting_drops_the_flags_the_new_settings_replace() -> None:
    args = ["/venv/bin/agent-assist-desktop", "--as", "zhang.wei", "--lang=en", "--as=x"]
    assert settings_wiring.without_options(args, {"--as"}) == [
        "/venv/bin/agent-assist-desktop",
        "--lang=en",
    ]
    assert settings_wiring.without_options(args, set()) == args


def test_the_language_lists_its_models_and_a_folder_that_is_no_model_is_refused(
    qtbot: QtBot, open_dialog: Callable[..., Opened], tmp_path: Path
) -> None:
    shown = open_dialog(headsets())
    assert shown.combo_texts("speech_model")[1:] == ["vosk-model-small-cn-0.22"]
    shown.select("ui_language", "English")
    assert shown.combo_texts("speech_model")[1:] == ["vosk-model-small-en-us-0.15"]

    shown.dialog.choose_folder = lambda title: tmp_path  # type: ignore[method-assign]
    shown.dialog.choose_model.click()
    assert not shown.dialog.model_message.isHidden()
    assert "is not a Vosk speech model: it lacks am/final.mdl" in shown.dialog.model_message.text()
    assert shown.dialog.speech_model.currentData() is None


def test_a_chosen_rule_pack_is_checked_by_the_real_loader(
    qtbot: QtBot, open_dialog: Callable[..., Opened], tmp_path: Path
) -> None:
    shown = open_dialog(headsets())
    broken = tmp_path / "broken"
    shutil.copytree(resolve_pack("en-US"), broken)
    (broken / "pack.yaml").write_text("pack:\n  id: [not, text\n", encoding="utf-8")
    shown.dialog.choose_folder = lambda title: broken  # type: ignore[method-assign]
    shown.dialog.choose_pack.click()
    qtbot.waitUntil(lambda: "was not loaded" in shown.dialog.rules_message.text())
    assert "broken/pack.yaml:3:1: YAML syntax error" in shown.dialog.rules_message.text()
    assert shown.dialog.rule_pack.currentData() is None

    good = tmp_path / "en-US"  # a pack's folder is named by its id
    shutil.copytree(resolve_pack("en-US"), good)
    shown.dialog.choose_folder = lambda title: good  # type: ignore[method-assign]
    shown.dialog.choose_pack.click()
    qtbot.waitUntil(lambda: shown.dialog.rule_pack.currentData() == str(good))
    assert shown.dialog.rules_message.isHidden()


def test_a_failed_connection_test_never_shows_the_password_nor_blocks_the_window(
    qtbot: QtBot, open_dialog: Callable[..., Opened]
) -> None:
    release = threading.Event()

    def slow_check(url: str) -> str | None:
        release.wait(10)  # a server that takes its time to refuse
        return settings_wiring.check_database(url)

    shown = open_dialog(headsets(), check_database=slow_check)
    shown.dialog.server.setChecked(True)
    shown.dialog.server_url.setText(f"postgresql+psycopg://collector:{SECRET}@127.0.0.1:1/agent")
    started = time.monotonic()
    shown.dialog.test_connection.click()
    assert time.monotonic() - started < 0.5
    assert shown.dialog.connection_status.text() == "Connecting…"
    assert not shown.dialog.test_connection.isEnabled()
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 3)  # the window goes on while the check waits
    timer.stop()
    release.set()

    qtbot.waitUntil(shown.dialog.test_connection.isEnabled, timeout=10_000)
    status = shown.dialog.connection_status.text()
    assert status.startswith("Cannot connect: postgresql+psycopg://collector:***@127.0.0.1:1/agent")
    assert "Check the server's address and port" in status
    assert SECRET not in status


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (f"postgresql+psycopg://collector:{SECRET}@db:port/agent", "URL is not valid"),
        (f"collector:{SECRET}@db/agent", "URL 'collector:***@db/agent' is not valid"),
        (f"mysql://collector:{SECRET}@db/agent", "database 'mysql' is not supported"),
    ],
)
def test_a_malformed_url_is_explained_without_its_password(
    qtbot: QtBot, open_dialog: Callable[..., Opened], url: str, problem: str
) -> None:
    shown = open_dialog(headsets())
    shown.dialog.server.setChecked(True)
    shown.dialog.server_url.setText(url)
    shown.dialog.test_connection.click()
    qtbot.waitUntil(shown.dialog.test_connection.isEnabled)
    status = shown.dialog.connection_status.text()
    assert problem in status
    assert SECRET not in status


def test_the_saved_password_is_masked_and_kept_when_the_host_changes(
    qtbot: QtBot, open_dialog: Callable[..., Opened]
) -> None:
    url = f"postgresql+psycopg://collector:{SECRET}@db1:5432/agent"
    shown = open_dialog(headsets(), Settings(database_url=url))
    assert shown.dialog.server.isChecked()
    assert shown.dialog.server_url.text() == "postgresql+psycopg://collector:***@db1:5432/agent"
    shown.dialog.server_url.setText("postgresql+psycopg://collector:***@db2:5432/agent")
    shown.dialog.buttons.accepted.emit()
    assert load_settings().database_url == f"postgresql+psycopg://collector:{SECRET}@db2:5432/agent"


def test_password_masking() -> None:
    url = "postgresql+psycopg://u:p%40ss@h/db"
    assert mask_password(f"cannot reach {url} (password p@ss)", url) == (
        "cannot reach postgresql+psycopg://u:***@h/db (password ***)"
    )
    assert mask_password("no secret", "sqlite:///x.db") == "no secret"
    no_password = "postgresql+psycopg://u@h:5432/db"
    assert mask_password(no_password, no_password) == no_password
    assert restore_password("postgresql://u:***@h2/db", "postgresql://u:pw@h1/db") == (
        "postgresql://u:pw@h2/db"
    )
    assert restore_password("postgresql://u:new@h2/db", "postgresql://u:pw@h1/db") == (
        "postgresql://u:new@h2/db"
    )


def test_the_flags_win_over_the_settings_which_win_over_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[tuple[str, str]] = []

    def build(username: str, lang: str = "zh", **_: Any) -> None:
        built.append((username, lang))
        raise UserError("stop before the window opens")

    monkeypatch.setattr(run, "build", build)
    monkeypatch.setattr(run, "QMessageBox", SimpleNamespace(critical=lambda *args: None))
    assert run.main([]) == 2
    save_settings({"user": "li.na", "ui_language": "en"})
    assert run.main([]) == 2
    assert run.main(["--as", "zhang.wei", "--lang", "zh"]) == 2
    assert built == [("zhang.wei", "zh"), ("li.na", "en"), ("zhang.wei", "zh")]


@pytest.mark.slow
def test_the_windows_settings_action_opens_the_dialog_on_its_database(
    qtbot: QtBot, demo_db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = copy_sqlite(demo_db_file, tmp_path / "demo.db")
    monkeypatch.setenv(DB_URL_ENV, url)
    before = set(threading.enumerate())
    window = run.build("zhang.wei")
    qtbot.addWidget(window)

    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: dialog.user.count() > 1)  # the demo team's active users
    assert dialog.user.currentData() == "zhang.wei"
    assert not dialog.database_env.isHidden()  # the environment names the database
    qtbot.waitUntil(lambda: not dialog.recording_status.text().startswith("Looking"))
    dialog.reject()
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is None)  # deleted once closed
    # On a PC with audio devices, real streams close on their own time.
    qtbot.waitUntil(
        lambda: all(not t.is_alive() for t in set(threading.enumerate()) - before),
        timeout=40_000,
    )
