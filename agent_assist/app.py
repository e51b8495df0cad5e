"""The one place that builds the world: models, audio sources, call sessions.

Command handlers and (later) the desktop window ask this module for ready
parts; the core classes receive everything they use through their
constructors.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from agent_assist import paths
from agent_assist.asr.locate import InstalledModel, resolve_model
from agent_assist.asr.model import LoadedModel, RecognizerSettings, load_model
from agent_assist.asr.worker import vosk_recognizer_factory
from agent_assist.audio.frames import FrameSink
from agent_assist.audio.source import AudioSource
from agent_assist.call.session import Analyzer, CallSession
from agent_assist.errors import AudioError, UserError
from agent_assist.rules.registry import bundled_packs, resolve_pack

if TYPE_CHECKING:
    from agent_assist.call.demo import ScriptedCallSource
    from agent_assist.rules.matcher import CompiledPack
    from agent_assist.rules.model import RulePack
    from agent_assist.script_library import ScriptLibrary
    from agent_assist.settings import Settings
    from agent_assist.store.database import Database
    from agent_assist.store.recorder import CallRecorder
    from agent_assist.store.recordings import CallAudioRecorder
    from agent_assist.store.records import UserRecord
    from agent_assist.store.spool import SpoolingWriter
    from agent_assist.training.drill import DrillRules

DEFAULT_LANG = "zh-CN"
TONE_LEVEL_MS = 250  # tone cues need levels even when nobody shows them


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
    return load_installed(installed, settings)


def load_installed(installed: InstalledModel, settings: RecognizerSettings) -> LoadedModel:
    """Load a model already found (slow: seconds for a real model)."""
    model = load_model(installed.path, settings.decoder, paths.data_dir() / "model-overlays")
    return dataclasses.replace(model, name=installed.name, lang=installed.lang)


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


def answering_session(model: LoadedModel, setup: LiveAudioSetup) -> CallSession:
    """A spoken drill's call: the microphone with the trainee as its one speaker ``agent``
    and no analyzers (the drill runs the rules itself); levels for its tone cues."""
    source = live_source(setup, ("agent",), model.sample_rate)
    return call_session(source, model, RecognizerSettings(), TONE_LEVEL_MS)


def default_pack(model: LoadedModel) -> str | None:
    """The bundled rule pack for the model's language, if there is one."""
    return model.lang if model.lang in bundled_packs() else None


def live_analyzers(pack_spec: str) -> list[Analyzer]:
    """The live rule engine for a pack: flags, required statements, tone cues."""
    # Imported here: the matcher's text tools take a while to import, and
    # commands without live flags do not need them.
    from agent_assist.rules.live import LiveFlagger
    from agent_assist.rules.required import RequirementTracker
    from agent_assist.rules.tone import ToneAnalyzer

    pack, flags, required = compiled_pack(pack_spec)
    return [
        LiveFlagger(flags, cooldown_s=pack.cooldown_s),
        RequirementTracker(pack.required, required),
        ToneAnalyzer(pack.tone, pack.info.language),
    ]


_Version: TypeAlias = tuple[tuple[str, int, int], ...]
_Compiled: TypeAlias = "tuple[RulePack, CompiledPack, CompiledPack]"
# One entry per family of versions of a pack (``publishing.active.version_family``): the
# version compiled last replaces the one before, so memory does not grow with each publish.
_compiled: dict[Path, tuple[Path, _Version, _Compiled]] = {}
_compiling = threading.Lock()


def compiled_pack(pack_spec: str) -> tuple[RulePack, CompiledPack, CompiledPack]:
    """A pack with its compiled rules and required statements, compiled once per version
    of its files: compiling takes most of a second and holds the interpreter in long
    stretches, which the desktop does while idle (``warm_up_rules``), never at call start."""
    return _compile(pack_spec)[0]


def drill_rules(
    db: Database | None, pack_spec: str, language: str, team_id: int | None
) -> tuple[DrillRules, ScriptLibrary | None]:
    """What scores a drill: the trainee's team's active published pack and script library,
    as its calls are watched (the shipped ones until something is published)."""
    from agent_assist.publishing.active import pack_for_call, scripts_for_call
    from agent_assist.rules.taxonomy import load_taxonomy
    from agent_assist.script_library.loader import FILE_NAME, load_library
    from agent_assist.training.drill import DrillRules

    rules = DrillRules(*compiled_pack(pack_for_call(db, pack_spec, team_id=team_id)))
    scripts = scripts_for_call(db, language, team_id=team_id) / FILE_NAME
    library = load_library(scripts, load_taxonomy().keys()) if scripts.is_file() else None
    return rules, library


def compiled_folders() -> list[Path]:
    """The pack folders whose current files are compiled and kept."""
    with _compiling:
        return [folder for folder, _version, _pack in _compiled.values()]


def _compile(pack_spec: str) -> tuple[_Compiled, Path, bool]:
    """The compiled pack, its folder, and whether it was compiled now rather than found."""
    from agent_assist.publishing.active import version_family
    from agent_assist.rules.loader import load_pack
    from agent_assist.rules.matcher import compile_pack
    from agent_assist.rules.required import requirements_pack

    folder = resolve_pack(pack_spec).resolve()
    version = tuple(
        (str(f), f.stat().st_mtime_ns, f.stat().st_size)
        for f in sorted(folder.rglob("*"))
        if f.is_file()
    )
    family = version_family(folder)
    with _compiling:
        kept = _compiled.get(family)
        if kept is not None and kept[:2] == (folder, version):
            return kept[2], folder, False
        pack = load_pack(folder)
        compiled = (pack, compile_pack(pack), compile_pack(requirements_pack(pack)))
        _compiled[family] = (folder, version, compiled)
    return compiled, folder, True


def warm_up_rules(
    pack_specs: Sequence[str], *, db: Database | None = None, team_id: int | None = None
) -> list[Path]:
    """Compile packs ahead of their first call: with ``db``, the active version of each for
    the desktop's team, asked as a call start asks (``pack_for_call``). Returns the folders
    compiled now (empty: all were compiled already). A pack that fails is reported when a
    call needs it, not here."""
    from agent_assist.publishing.active import pack_for_call

    fresh: list[Path] = []
    for spec in dict.fromkeys(pack_for_call(db, spec, team_id=team_id) for spec in pack_specs):
        try:
            _pack, folder, compiled_now = _compile(spec)
        except UserError:
            continue
        if compiled_now:
            fresh.append(folder)
    return fresh


def call_session(
    source: AudioSource,
    model: LoadedModel,
    settings: RecognizerSettings,
    level_interval_ms: int = 250,
    analyzers: Sequence[Analyzer] = (),
    *,
    call_id: str | None = None,
    frame_taps: Sequence[FrameSink] = (),
) -> CallSession:
    return CallSession(
        source,
        vosk_recognizer_factory(model, settings),
        model_name=model.name,
        call_id=call_id,
        level_interval_ms=level_interval_ms,
        analyzers=analyzers,
        recycle_after_ms=int(settings.recycle_after_s * 1000),
        frame_taps=frame_taps,
    )


def rules_session(
    source: AudioSource,
    model: LoadedModel,
    settings: RecognizerSettings,
    pack: str | None,
    *,
    record_audio: bool,
    level_interval_ms: int | None = None,
    db: Database | None = None,
    team_id: int | None = None,
) -> tuple[CallSession, CallAudioRecorder | None]:
    """A call over ``source`` watched by ``pack`` (None: the model's language's pack;
    "none": no rules), its audio kept when ``record_audio``: what the command line and
    the desktop both run. With ``db``, a bundled pack is the active published version of
    it for ``team_id`` (the caller's team; None: every team's), asked at every call start."""
    from agent_assist.publishing.active import pack_for_call
    from agent_assist.store.recordings import CallAudioRecorder

    pack = pack_for_call(db, pack if pack is not None else default_pack(model), team_id=team_id)
    analyzers = live_analyzers(pack) if pack and pack != "none" else []
    interval = level_interval_ms or (TONE_LEVEL_MS if analyzers else 0)
    call_id = uuid.uuid4().hex
    audio = CallAudioRecorder(paths.data_dir() / "recordings", call_id) if record_audio else None
    session = call_session(
        source,
        model,
        settings,
        interval,
        analyzers,
        call_id=call_id,
        frame_taps=[audio] if audio else [],
    )
    return session, audio


def demo_session(
    source: ScriptedCallSource,
    level_interval_ms: int = 250,
    analyzers: Sequence[Analyzer] = (),
    *,
    call_id: str | None = None,
) -> CallSession:
    """A call replaying a scripted dialogue: no speech model, no microphone."""
    from agent_assist.call.demo import MODEL_NAME, scripted_recognizer_factory

    return CallSession(
        source,
        scripted_recognizer_factory(source.script),
        model_name=MODEL_NAME,
        call_id=call_id,
        level_interval_ms=level_interval_ms,
        analyzers=analyzers,
        # A fresh recogniser's clock would restart; the script's turns are found by call time.
        recycle_after_ms=0,
    )


def open_store(*, upgrade: bool = True) -> Database:
    """The configured database (embedded SQLite unless settings name a server)."""
    from agent_assist.settings import load_settings
    from agent_assist.store.database import open_database
    from agent_assist.store.engine import resolve_url

    return open_database(resolve_url(load_settings().database_url), upgrade=upgrade)


def mask_region(lang: str) -> str:
    """The phone-number region for a model language: zh-CN → CN, en-US → US."""
    return lang.rsplit("-", maxsplit=1)[-1].upper() if "-" in lang else lang.upper()


def call_recorder(
    db: Database, lang: str, *, user: UserRecord | None = None
) -> tuple[CallRecorder, SpoolingWriter]:
    """Persist a call's events as they happen, spooling while the database is away; the
    call is ``user``'s (and their team's), whom the caller has already looked up."""
    from agent_assist.privacy import mask_text
    from agent_assist.store.call_log import CallOps, apply_op
    from agent_assist.store.recorder import CallRecorder
    from agent_assist.store.spool import SpoolingWriter

    region = mask_region(lang)
    ops = CallOps(
        lambda text: mask_text(text, region),
        user_id=user.id if user else None,
        team_id=user.team_id if user else None,
    )
    writer = SpoolingWriter(lambda op: apply_op(db, op), paths.data_dir() / "spool")
    return CallRecorder(ops, writer), writer


def keep_recording(
    db: Database, call_id: str, audio: CallAudioRecorder, settings: Settings
) -> None:
    """Register a finished call's audio with its retention, and delete what has expired."""
    from datetime import UTC, datetime

    from agent_assist.store import recordings

    files = audio.close()
    now = datetime.now(UTC)
    if files:
        recordings.register(db, call_id, files, settings.recording_retention_days, now)
    recordings.purge_expired(db, now)
