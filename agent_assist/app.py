"""The one place that builds the world: models, audio sources, call sessions.

Command handlers and (later) the desktop window ask this module for ready
parts; the core classes receive everything they use through their
constructors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent_assist import paths
from agent_assist.asr.locate import resolve_model
from agent_assist.asr.model import LoadedModel, RecognizerSettings, load_model
from agent_assist.asr.worker import vosk_recognizer_factory
from agent_assist.audio.source import AudioSource
from agent_assist.call.session import CallSession
from agent_assist.errors import AudioError

DEFAULT_LANG = "zh-CN"


@dataclass(frozen=True, slots=True)
class LiveAudioSetup:
    """Which devices carry which speaker.

    One device with ``channel_map`` (stereo tap: channel → speaker), or one or
    two devices each carrying one speaker on their first channel.
    """

    devices: tuple[str | None, ...] = (None,)  # None = the system's default input
    channel_map: dict[int, str] | None = None


def open_model(
    spec: str | None, settings: RecognizerSettings, models_dir: Path | None = None
) -> LoadedModel:
    installed = resolve_model(spec, models_dir or paths.models_dir(), default_lang=DEFAULT_LANG)
    model = load_model(installed.path, settings.decoder, paths.data_dir() / "model-overlays")
    return dataclasses.replace(model, name=installed.name)


def file_source(
    path: Path, speakers: Sequence[str], rate: int, realtime: bool, block_ms: int = 100
) -> AudioSource:
    from agent_assist.audio.wav import WavSource

    return WavSource(path, tuple(speakers), rate=rate, realtime=realtime, block_ms=block_ms)


def live_source(
    setup: LiveAudioSetup, speakers: Sequence[str], rate: int, block_ms: int = 100
) -> AudioSource:
    try:
        import sounddevice
    except OSError as exc:  # PortAudio's shared library is missing
        raise AudioError(
            "the audio library PortAudio is not installed; on Debian/Ubuntu run "
            "'sudo apt-get install libportaudio2'"
        ) from exc
    from agent_assist.audio.device import DeviceInput, DeviceSource
    from agent_assist.audio.devices import find_device

    def resolve(spec: str | None) -> int | None:
        return None if spec is None else find_device(sounddevice, spec)

    if setup.channel_map is not None:
        inputs = [DeviceInput(resolve(setup.devices[0]), setup.channel_map)]
    else:
        if len(setup.devices) > len(speakers):
            raise AudioError(
                f"{len(setup.devices)} devices given for {len(speakers)} speakers "
                f"({', '.join(speakers)}); give one device per speaker"
            )
        inputs = [
            DeviceInput(resolve(device), {0: speaker})
            for device, speaker in zip(setup.devices, speakers, strict=False)
        ]
    return DeviceSource(sounddevice, inputs, rate=rate, block_ms=block_ms)


def call_session(
    source: AudioSource,
    model: LoadedModel,
    settings: RecognizerSettings,
    level_interval_ms: int = 250,
) -> CallSession:
    return CallSession(
        source,
        vosk_recognizer_factory(model, settings),
        model_name=model.name,
        level_interval_ms=level_interval_ms,
    )
