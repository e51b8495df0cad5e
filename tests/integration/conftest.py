"""Fixtures for tests against real components: a private PulseAudio server, spoken audio,
a real model loaded once per module."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent_assist import app
from agent_assist.asr.locate import InstalledModel
from agent_assist.asr.model import DecoderSettings, LoadedModel, RecognizerSettings
from tests.conftest import require_real
from tests.support.pulse import PulseServer


def _reinitialise_portaudio(sd: Any) -> None:
    # PortAudio (and ALSA's pulse plugin hook) take their device list at
    # initialisation, which sounddevice does once at import.
    sd._terminate()
    sd._initialize()


@pytest.fixture
def pulse() -> Iterator[PulseServer]:
    """A running private PulseAudio server that PortAudio's pulse/default devices reach."""
    require_real(
        PulseServer.available(),
        "PulseAudio is not installed (Debian/Ubuntu: apt-get install pulseaudio pulseaudio-utils)",
    )
    try:
        import sounddevice
    except OSError:
        require_real(False, "PortAudio is not installed (apt-get install libportaudio2)")
        raise
    runtime = Path(tempfile.mkdtemp(prefix="pa-"))  # short: the socket path has a length limit
    server = PulseServer(runtime)
    try:
        server.start()
        with pytest.MonkeyPatch.context() as env:
            env.setenv("PULSE_SERVER", server.server)
            _reinitialise_portaudio(sounddevice)
            try:
                yield server
            finally:
                server.stop()
        _reinitialise_portaudio(sounddevice)  # forget the server's devices
    finally:
        server.stop()
        shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About two seconds of speech, 16 kHz mono 16-bit, made with espeak-ng and sox."""
    tools = ("espeak-ng", "sox")
    require_real(all(shutil.which(t) for t in tools), "espeak-ng and sox are needed")
    folder = tmp_path_factory.mktemp("speech")
    raw, wav = folder / "raw.wav", folder / "speech.wav"
    subprocess.run(
        ["espeak-ng", "-w", str(raw), "Hello, your payment is overdue."],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)],
        check=True,
        capture_output=True,
    )
    return wav


@pytest.fixture(scope="module")
def models_loaded_once() -> Iterator[None]:
    """The commands of a module find and load their model through the app's own path, but a
    model already loaded there with the same decoder settings is reused: loading one takes
    seconds, and the app shares one loaded model between calls in the same way."""
    real = app.load_installed
    loaded: dict[tuple[InstalledModel, DecoderSettings], LoadedModel] = {}

    def load_once(installed: InstalledModel, settings: RecognizerSettings) -> LoadedModel:
        key = (installed, settings.decoder)
        if key not in loaded:
            loaded[key] = real(installed, settings)
        return loaded[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "load_installed", load_once)
        yield
