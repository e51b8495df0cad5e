"""What a spoken drill needs from this computer: espeak-ng to say the debtor's lines, a
speech model for the scenario's language and the microphone of the user's settings (as
the call window uses them) to hear the trainee. The drills tab takes them as one value,
so its tests give a scripted call instead of a microphone."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from agent_assist import app
from agent_assist.asr.catalogue import normalize_lang
from agent_assist.asr.locate import installed_models, resolve_model
from agent_assist.asr.model import LoadedModel, RecognizerSettings
from agent_assist.audio.devices import parse_channel_map
from agent_assist.call.session import CallSession
from agent_assist.settings import Settings
from agent_assist.training.speech import debtor_voice, espeak_found
from agent_assist.ui.trainer.drill_panel import DrillPanel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DrillVoices:
    can_speak: bool  # espeak-ng is installed
    has_model: Callable[[str], bool]  # a speech model for this scenario language is installed
    # Slow (off the UI thread): a line said aloud, returning once said (None: no sound).
    say_for: Callable[[str], Callable[[str], None] | None]
    # Slow (off the UI thread, loads the model): a call hearing the trainee, not started.
    listen_for: Callable[[str], CallSession]


def _no_listening(language: str) -> CallSession:
    raise RuntimeError(f"no speech model for {language}")


NO_VOICES = DrillVoices(False, lambda _language: False, lambda _language: None, _no_listening)


def local_voices(models_dir: Path, settings: Settings) -> DrillVoices:
    """espeak-ng and sounddevice, the installed models and the settings' microphone."""
    loaded: dict[str, LoadedModel] = {}
    lock = threading.Lock()

    def has_model(language: str) -> bool:
        lang = normalize_lang(language)
        return lang is not None and any(m.lang == lang for m in installed_models(models_dir))

    def model(language: str) -> LoadedModel:
        with lock:  # loaded once per language: a real model takes seconds
            if language not in loaded:
                installed = resolve_model(language, models_dir)
                loaded[language] = app.load_installed(installed, RecognizerSettings())
            return loaded[language]

    def listen_for(language: str) -> CallSession:
        # The collector's own input (the first device of the settings, or a headset's
        # channels), as a live call uses it.
        channels = parse_channel_map(settings.channel_map) if settings.channel_map else None
        setup = app.LiveAudioSetup(devices=settings.audio_devices[:1] or (None,),
                                   channel_map=channels)  # fmt: skip
        return app.answering_session(model(language), setup)

    def say_for(language: str) -> Callable[[str], None] | None:
        return debtor_voice(language, log.warning)

    return DrillVoices(espeak_found(), has_model, say_for, listen_for)


def offer_voices(panel: DrillPanel, voices: DrillVoices, language: str) -> None:
    """The two boxes work where this computer can speak and hear ``language`` (the
    scenario's); a tooltip says why one does not."""
    panel.speak.setEnabled(voices.can_speak)
    panel.speak.setToolTip(
        ""
        if voices.can_speak
        else QCoreApplication.translate(
            "DrillController",
            "espeak-ng is not installed on this computer: the debtor's lines are shown only.",
        )
    )
    heard = bool(language) and voices.has_model(language)
    panel.by_voice.setEnabled(heard)
    panel.by_voice.setToolTip(
        ""
        if heard
        else QCoreApplication.translate(
            "DrillController",
            "No speech model for {0} is installed on this computer; add one in the call "
            "window or with `agent-assist models fetch {0}`.",
        ).format(language)
    )
