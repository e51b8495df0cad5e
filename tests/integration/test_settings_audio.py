"""The settings dialog on a real PulseAudio server through PortAudio: speech played into
a null sink moves the collector's meter, and the test recording captures it."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from agent_assist.audio.setup_check import RATE, RECORD_S
from agent_assist.settings import Settings
from agent_assist.store.database import open_database
from agent_assist.ui import settings_wiring
from agent_assist.ui.controllers.settings_controller import SettingsController
from agent_assist.ui.views.settings_dialog import SettingsDialog
from tests.support.pulse import PulseServer

pytestmark = [pytest.mark.real, pytest.mark.slow, pytest.mark.usefixtures("no_stray_threads")]

LOUD = 300  # RMS of 100 ms that holds speech; the null sink's silence is exactly 0


def test_the_meter_moves_on_real_speech_and_a_test_recording_captures_it(
    qtbot: QtBot, pulse: PulseServer, speech_wav: Path, tmp_path: Path
) -> None:
    before = set(threading.enumerate())
    db = open_database(f"sqlite:///{tmp_path / 'settings.db'}")
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    controller = SettingsController(
        dialog,
        Settings(audio_devices=("pulse",)),
        settings_wiring.settings_services(
            db
        ),  # the desktop's own wiring: the real sounddevice module
        language="en",
        username="zhang.wei",
    )
    dialog.show()
    stop = threading.Event()

    def speak() -> None:  # speech, over and over, until the test has what it needs
        while not stop.is_set():
            pulse.play(speech_wav)

    speaker = threading.Thread(target=speak, name="test-speaker")
    try:
        qtbot.waitUntil(lambda: dialog.agent_device.currentText() == "pulse (ALSA)", timeout=10_000)
        speaker.start()
        # Speech peaks far above the meter's -60 dB floor.
        qtbot.waitUntil(lambda: dialog.agent_meter.value() > 50, timeout=10_000)

        dialog.test_recording.click()
        qtbot.waitUntil(lambda: "Playing it back" in dialog.recording_status.text(), timeout=15_000)
        stop.set()
        qtbot.waitUntil(dialog.test_recording.isEnabled, timeout=15_000)
    finally:
        stop.set()
        if speaker.is_alive():
            speaker.join(timeout=30)
        dialog.reject()
        db.close()
        # Closing does not wait; the audio server may take seconds to end the stream, and
        # PortAudio must not be reset under it.
        qtbot.waitUntil(
            lambda: all(not t.is_alive() for t in set(threading.enumerate()) - before),
            timeout=40_000,
        )

    status = dialog.recording_status.text()
    assert "Collector: good level" in status or "Collector: too loud" in status
    assert "Played back through the default output." in status
    captured = controller.recording["agent"]
    assert len(captured) == RECORD_S * RATE
    blocks = captured.reshape(-1, RATE // 10).astype(np.float64)
    assert (np.sqrt((blocks**2).mean(axis=1)) > LOUD).sum() >= 5  # half a second of speech
