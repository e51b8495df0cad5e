"""The settings dialog's behaviour: audio set-up with live meters and a test recording,
language and speech model, rule pack and script library, database, signed-in user.

Device probing, capture, playback, folder validation and the connection test run off
the UI thread and report through a queued signal; a 10 Hz timer polls the meters.
Everything from the core arrives in :class:`SettingsServices`, filled by ``ui/run.py``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import numpy as np
from PySide6.QtCore import QObject, QSignalBlocker, QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QLabel

from agent_assist.asr.locate import InstalledModel
from agent_assist.audio.convert import Int16Array
from agent_assist.audio.device import DeviceInput, DeviceSource
from agent_assist.audio.devices import (
    NO_DEVICES_HINT,
    InputDevice,
    SoundDevice,
    list_input_devices,
    match_device,
    parse_channel_map,
)
from agent_assist.audio.frames import Frame
from agent_assist.call.levels import LevelTracker, frame_level
from agent_assist.errors import AudioError, UserError
from agent_assist.events import AudioLevel, Event, SourceError, Speaker
from agent_assist.settings import Settings
from agent_assist.store.records import UserRecord
from agent_assist.ui.views.settings_dialog import SettingsDialog

RATE = 16000  # what a call hands the recogniser; the test recording is the same audio
RECORD_S = 5
_GRACE_S = 3.0  # a test recording ends this long after its time even if a device stalls
_POLL_MS = 100
# Settings read once at start: changing them asks to restart.
RESTART_FIELDS = ("database_url", "user", "ui_language")
CALL_LANGUAGE = {"zh": "zh-CN", "en": "en-US"}
# Levels of a test recording: below SILENT nothing arrived, below QUIET it is hard to hear.
SILENT_DBFS = -50.0
QUIET_DBFS = -30.0
_FULL_SCALE = 32767
_CLIPPED_SAMPLES = 3
# user:password@ in a database URL (its scheme perhaps forgotten); the password runs
# to the last @ before the host.
_CREDENTIALS = re.compile(
    r"^(?P<head>(?:[\w+]+://)?[^:/@]*:)(?!//)(?P<password>.*)@(?P<tail>[^@]*)$"
)
MASK = "***"

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SettingsServices:
    """What the dialog uses from the core and the running app."""

    load_sounddevice: Callable[[], SoundDevice]  # AudioError when PortAudio is missing
    speech_models: Callable[[], Sequence[InstalledModel]]
    missing_model_files: Callable[[Path], Sequence[str]]
    rule_packs: Callable[[], Sequence[str]]  # bundled ids
    load_rule_pack: Callable[[Path], object]  # UserError listing the folder's problems
    script_libraries: Callable[[], Sequence[str]]  # bundled ids
    load_script_library: Callable[[Path], object]  # UserError listing the folder's problems
    check_database: Callable[[str], str | None]  # its schema revision; UserError if unreachable
    active_users: Callable[[], Sequence[UserRecord]]
    save: Callable[[Mapping[str, object]], Settings]
    restart: Callable[[Collection[str]], None]  # the changed settings that needed it
    embedded_database: Path
    database_from_env: bool = False


class AudioTap:
    """Takes the metered set-up's frames and problems on capture threads; the UI timer
    reads levels, problems and the test recording from it."""

    def __init__(self) -> None:
        self._levels = LevelTracker(interval_ms=0)
        self._lock = threading.Lock()
        self._problems: list[SourceError] = []
        self._recording: dict[Speaker, list[bytes]] | None = None

    def on_frame(self, frame: Frame) -> None:
        self._levels.update(frame)
        with self._lock:
            if self._recording is not None:
                self._recording.setdefault(frame.speaker, []).append(frame.pcm)

    def on_event(self, event: Event) -> None:
        if isinstance(event, SourceError) and event.fatal:
            with self._lock:
                self._problems.append(event)

    def levels(self) -> dict[Speaker, AudioLevel]:
        return self._levels.latest()

    def take_problems(self) -> list[SourceError]:
        with self._lock:
            problems, self._problems = self._problems, []
        return problems

    def start_recording(self) -> None:
        with self._lock:
            self._recording = {}

    def recorded_seconds(self) -> dict[Speaker, float]:
        with self._lock:
            recording = self._recording or {}
            return {s: sum(len(b) for b in blocks) / 2 / RATE for s, blocks in recording.items()}

    def stop_recording(self) -> dict[Speaker, Int16Array]:
        with self._lock:
            recording, self._recording = self._recording or {}, None
        return {
            speaker: np.frombuffer(b"".join(blocks), dtype="<i2")[: RECORD_S * RATE]
            for speaker, blocks in recording.items()
        }


class LiveMeters:
    """The one source being metered. A new one opens only after the previous one has
    closed: a headset may refuse a second stream."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._source: DeviceSource | None = None

    def open(self, source: DeviceSource, tap: AudioTap) -> None:
        with self._lock:
            previous, self._source = self._source, source
        threading.Thread(
            target=self._hand_over,
            args=(previous, source, tap),
            name="settings-meters",
            daemon=True,
        ).start()

    def close(self) -> None:
        with self._lock:
            source, self._source = self._source, None
        if source is not None:
            source.stop()

    def _hand_over(
        self, previous: DeviceSource | None, source: DeviceSource, tap: AudioTap
    ) -> None:
        if previous is not None:
            previous.stop()
            previous.wait(5.0)
        with self._lock:
            if self._source is source:  # not replaced or closed meanwhile
                source.start(tap.on_frame, tap.on_event)


@dataclass(frozen=True)
class ClipCheck:
    """How one speaker's test recording sounds."""

    seconds: float
    peak_dbfs: float
    clipped_samples: int

    @property
    def silent(self) -> bool:
        return self.peak_dbfs < SILENT_DBFS

    @property
    def quiet(self) -> bool:
        return self.peak_dbfs < QUIET_DBFS


def check_clip(samples: Int16Array) -> ClipCheck:
    level = frame_level(Frame("", samples.astype("<i2").tobytes(), RATE, 0, 0))
    clipped = int(np.count_nonzero(np.abs(samples.astype(np.int32)) >= _FULL_SCALE))
    return ClipCheck(len(samples) / RATE, level.peak_dbfs, clipped)


def play_back(sd: SoundDevice, clips: Sequence[Int16Array]) -> None:
    """Play the clips together through the default output (first left, second right)."""
    length = max(len(clip) for clip in clips)
    stereo = np.zeros((length, len(clips)), dtype=np.int16)
    for column, clip in enumerate(clips):
        stereo[: len(clip), column] = clip
    try:
        sd.play(stereo, samplerate=RATE, blocking=True)
    except Exception as exc:  # PortAudioError: no output device, a format it refuses
        raise AudioError(str(exc) or type(exc).__name__) from exc
    finally:
        # play() keeps its stream open until the next one: free the output device now.
        with contextlib.suppress(Exception):
            sd.stop()


def mask_password(text: str, url: str) -> str:
    """``text`` with the password of ``url`` (and ``url`` itself) masked."""
    found = _CREDENTIALS.match(url)
    if found is None or not found["password"]:
        return text
    text = text.replace(url, found["head"] + MASK + "@" + found["tail"])
    for secret in (found["password"], unquote(found["password"])):
        text = text.replace(secret, MASK)
    return text


def restore_password(typed: str, original: str) -> str:
    """The URL as typed, with the original's password where the field still shows the mask."""
    now, before = _CREDENTIALS.match(typed), _CREDENTIALS.match(original)
    if now is None or before is None or now["password"] != MASK:
        return typed
    return now["head"] + before["password"] + "@" + now["tail"]


def probe_devices(load: Callable[[], SoundDevice]) -> tuple[SoundDevice, list[InputDevice]]:
    """The sounddevice module (loading PortAudio scans the devices: slow) and its inputs."""
    sd = load()
    return sd, list_input_devices(sd)


def device_specs(devices: Sequence[InputDevice]) -> dict[int, str]:
    """How settings name each device: its name when that finds it alone, else its number
    (the same name under several host APIs)."""
    specs = {}
    for device in devices:
        try:
            named = match_device(devices, device.name).index == device.index
        except AudioError:
            named = False
        specs[device.index] = device.name if named else str(device.index)
    return specs


class _Relay(QObject):
    """Carries a worker's result to the UI thread. Not owned by the dialog, so a result
    that arrives after the dialog closed still has a live sender."""

    done = Signal(str, object)  # task, its value or the UserError it raised


class SettingsController(QObject):
    def __init__(
        self,
        dialog: SettingsDialog,
        settings: Settings,
        services: SettingsServices,
        *,
        language: str,
        username: str,
    ) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self._settings = settings
        self._services = services
        self._relay = _Relay()
        self._relay.done.connect(self._finished)
        self._sd: SoundDevice | None = None
        self._default_spec: str | None = None
        self._meters = LiveMeters()
        self._tap = AudioTap()
        self._metered: tuple[Speaker, ...] = ()
        self._lost: set[Speaker] = set()
        self._setup_problems: list[str] = []
        self._live_problems: list[str] = []
        self._recording_until: float | None = None
        self._playing = False
        self._tested_url = ""
        self.recording: dict[Speaker, Int16Array] = {}  # the last test recording
        self._summary = ""  # how it sounded
        self._roles = {"agent": self.tr("Collector"), "debtor": self.tr("Debtor")}
        self._models: Sequence[InstalledModel] = ()

        self._fill_audio_from_settings(settings)
        self._fill_speech(settings, language)
        self._fill_rules(settings)
        self._fill_database(settings)
        self._fill_user(settings.user or username)
        self._initial = self._values()

        d = dialog
        for combo in (d.audio_mode, d.agent_device, d.debtor_device, d.stereo_device):
            combo.currentIndexChanged.connect(self._setup_changed)
        d.agent_channel.currentIndexChanged.connect(self._setup_changed)
        d.test_recording.clicked.connect(self.start_test_recording)
        d.ui_language.currentIndexChanged.connect(self._refill_models)
        d.choose_model.clicked.connect(self._choose_model)
        d.choose_pack.clicked.connect(self._choose_pack)
        d.choose_library.clicked.connect(self._choose_library)
        d.embedded.toggled.connect(self._database_mode)
        d.test_connection.clicked.connect(self.test_connection)
        d.buttons.accepted.connect(self.save)
        d.finished.connect(self.shutdown)
        # A dialog destroyed with its window never finishes: close the streams anyway.
        d.destroyed.connect(self._meters.close)

        self._timer = QTimer(self)
        self._timer.setInterval(_POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()
        d.test_recording.setEnabled(False)
        self.dialog.recording_status.setText(self.tr("Looking for audio devices…"))
        load = services.load_sounddevice
        self._spawn("devices", lambda: probe_devices(load))
        self._spawn("users", services.active_users)

    # --- workers -----------------------------------------------------------

    def _spawn(self, task: str, work: Callable[[], object]) -> None:
        relay = self._relay
        defect = UserError(
            self.tr(
                "Something went wrong inside Agent Assist; the details are in its log. "
                "Try again, or restart Agent Assist."
            )
        )

        def run() -> None:
            result: object
            try:
                result = work()
            except UserError as exc:
                result = exc
            except Exception:  # a defect: logged, and the dialog still answers
                _log.exception("settings: %s failed", task)
                result = defect
            relay.done.emit(task, result)

        threading.Thread(target=run, name=f"settings-{task}", daemon=True).start()

    @Slot(str, object)
    def _finished(self, task: str, result: object) -> None:
        handlers: dict[str, Callable[[object], None]] = {
            "devices": self._devices_found,
            "users": self._users_found,
            "database": self._connection_tested,
            "playback": self._played_back,
            "rule_pack": lambda r: self._folder_checked(self.dialog.rule_pack, r),
            "script_library": lambda r: self._folder_checked(self.dialog.script_library, r),
        }
        handlers[task](result)

    # --- audio -------------------------------------------------------------

    def _fill_audio_from_settings(self, settings: Settings) -> None:
        """Show the saved set-up before the devices are known, so nothing is lost if
        they never are (no PortAudio)."""
        d = self.dialog
        saved: list[str | None] = [*settings.audio_devices, None, None]
        first, second = saved[0], saved[1]
        stereo = settings.channel_map is not None
        d.audio_mode.setCurrentIndex(d.audio_mode.findData("stereo" if stereo else "devices"))
        for combo, first_item, saved_value in (
            (d.agent_device, self.tr("System default input"), None if stereo else first),
            (d.debtor_device, self.tr("None: the collector only"), None if stereo else second),
            (d.stereo_device, self.tr("System default input"), first if stereo else None),
        ):
            combo.addItem(first_item, None)
            _select(combo, saved_value, saved_value or "")
        if settings.channel_map is not None:
            try:
                channels = parse_channel_map(settings.channel_map)
            except AudioError as exc:
                self._setup_problems.append(
                    self.tr(
                        "The saved channel map is not valid ({problem}); choose the "
                        "collector's channel."
                    ).format(problem=exc)
                )
                return
            agent = next((c for c, s in channels.items() if s == "agent"), 0)
            d.agent_channel.setCurrentIndex(max(0, d.agent_channel.findData(agent)))

    def _devices_found(self, result: object) -> None:
        if isinstance(result, UserError):
            self._setup_problems.append(str(result))
            self.dialog.recording_status.clear()
            self._show_audio_problems()
            return
        assert isinstance(result, tuple)
        sd, devices = result
        self._sd = sd
        self.dialog.recording_status.clear()
        if not devices:
            self._setup_problems.append(NO_DEVICES_HINT)
            self._show_audio_problems()
            return
        specs = device_specs(devices)
        self._default_spec = next((specs[d.index] for d in devices if d.is_default), None)
        d = self.dialog
        for combo in (d.agent_device, d.debtor_device, d.stereo_device):
            with QSignalBlocker(combo):
                _fill_devices(combo, devices, specs, self.tr("{name} (not connected)"))
        self._open_meters()

    @Slot()
    def _setup_changed(self) -> None:
        self._setup_problems = []  # about the saved set-up, which is no longer the one shown
        self._open_meters()

    def _open_meters(self) -> None:
        """Meter the set-up now chosen; any stream of the previous one closes first."""
        d = self.dialog
        self._cancel_recording()
        self._live_problems = []
        self._lost = set()
        self._tap = AudioTap()
        if self._sd is None:
            return
        try:
            source = DeviceSource(self._sd, self._inputs(), rate=RATE)
        except AudioError as exc:
            self._meters.close()
            self._metered = ()
            self._live_problems.append(str(exc))
        else:
            self._metered = tuple(s for s in self._roles if s in source.speakers)
            self._meters.open(source, self._tap)
        d.test_recording.setEnabled(self._can_record())
        d.debtor_meter.setEnabled("debtor" in self._metered)
        self._show_audio_problems()

    def _inputs(self) -> list[DeviceInput]:
        d = self.dialog
        if d.audio_mode.currentData() == "stereo":
            agent = int(d.agent_channel.currentData())
            return [
                DeviceInput(d.stereo_device.currentData(), {agent: "agent", 1 - agent: "debtor"})
            ]
        inputs = [DeviceInput(d.agent_device.currentData(), {0: "agent"})]
        if d.debtor_device.currentData() is not None:
            inputs.append(DeviceInput(d.debtor_device.currentData(), {0: "debtor"}))
        return inputs

    @Slot()
    def _poll(self) -> None:
        levels = self._tap.levels()
        for speaker, meter in (
            ("agent", self.dialog.agent_meter),
            ("debtor", self.dialog.debtor_meter),
        ):
            heard = speaker in self._metered and speaker not in self._lost
            level = levels.get(speaker) if heard else None
            self.dialog.set_level(meter, None if level is None else level.peak_dbfs)
        problems = self._tap.take_problems()
        for problem in problems:
            if problem.speaker is not None:
                self._lost.add(problem.speaker)
            text = problem.message
            if problem.code == "device_not_found":
                text = self.tr(
                    "{problem}. Plug it in and restart Agent Assist, or choose another device."
                ).format(problem=text)
            role = self._roles.get(problem.speaker or "")
            text = f"{role}: {text}" if role else text
            if text not in self._live_problems:
                self._live_problems.append(text)
        if problems:
            self._show_audio_problems()
            self.dialog.test_recording.setEnabled(self._can_record())
        self._check_recording()

    def _show_audio_problems(self) -> None:
        _show(self.dialog.audio_message, "\n".join(self._setup_problems + self._live_problems))

    def _can_record(self) -> bool:
        idle = self._recording_until is None and not self._playing
        return idle and any(s not in self._lost for s in self._metered)

    @Slot()
    def start_test_recording(self) -> None:
        if not self._can_record():
            return
        self._tap.start_recording()
        self._recording_until = time.monotonic() + RECORD_S + _GRACE_S
        self.dialog.test_recording.setEnabled(False)
        self.dialog.recording_status.setText(
            self.tr(
                "Recording {seconds} s: say a few words into the headset, and have the "
                "debtor's side play some sound…"
            ).format(seconds=RECORD_S)
        )

    def _check_recording(self) -> None:
        if self._recording_until is None:
            return
        seconds = self._tap.recorded_seconds()
        waiting = [s for s in self._metered if s not in self._lost]
        done = all(seconds.get(s, 0.0) >= RECORD_S for s in waiting)
        if not done and time.monotonic() < self._recording_until:
            return
        self._recording_until = None
        self.recording = self._tap.stop_recording()
        self._summary = summary = self._describe_recording()
        empty = np.zeros(0, dtype=np.int16)
        clips = [self.recording.get(s, empty) for s in self._metered]
        if not any(len(clip) for clip in clips) or self._sd is None:
            self.dialog.recording_status.setText(summary)
            self.dialog.test_recording.setEnabled(self._can_record())
            return
        self.dialog.recording_status.setText(summary + "\n" + self.tr("Playing it back…"))
        self._playing = True
        sd = self._sd
        self._spawn("playback", lambda: play_back(sd, clips))

    def _describe_recording(self) -> str:
        lines = []
        for speaker in self._metered:
            role = self._roles[speaker]
            samples = self.recording.get(speaker)
            if samples is None or len(samples) == 0:
                lines.append(self.tr("{role}: no audio arrived.").format(role=role))
                continue
            check = check_clip(samples)
            if check.clipped_samples >= _CLIPPED_SAMPLES:
                text = self.tr(
                    "{role}: too loud, it clipped ({peak:.0f} dB peak): turn the input volume down."
                )
            elif check.silent:
                text = self.tr(
                    "{role}: silent ({peak:.0f} dB peak). Check that the right device is "
                    "chosen and not muted."
                )
            elif check.quiet:
                text = self.tr(
                    "{role}: quiet ({peak:.0f} dB peak): turn the input volume up or bring "
                    "the microphone closer."
                )
            else:
                text = self.tr("{role}: good level ({peak:.0f} dB peak).")
            lines.append(text.format(role=role, peak=check.peak_dbfs))
        return "\n".join(lines)

    def _played_back(self, result: object) -> None:
        self._playing = False
        if isinstance(result, UserError):
            outcome = self.tr(
                "It could not be played back ({problem}); judge it by the levels above."
            ).format(problem=result)
        elif len(self.recording) > 1:
            outcome = self.tr(
                "Played back through the default output: the collector left, the debtor right."
            )
        else:
            outcome = self.tr("Played back through the default output.")
        self.dialog.recording_status.setText(self._summary + "\n" + outcome)
        self.dialog.test_recording.setEnabled(self._can_record())

    def _cancel_recording(self) -> None:
        if self._recording_until is not None:
            self._recording_until = None
            self._tap.stop_recording()
            self.dialog.recording_status.setText(
                self.tr("The set-up changed: press Test recording again.")
            )

    @Slot()
    def shutdown(self) -> None:
        """Close the streams and stop playback: the dialog is done."""
        self._timer.stop()
        self._recording_until = None
        self._meters.close()
        if self._playing and self._sd is not None:
            with contextlib.suppress(Exception):  # the output may be gone already
                self._sd.stop()

    # --- speech, rules, scripts ---------------------------------------------

    def _fill_speech(self, settings: Settings, language: str) -> None:
        d = self.dialog
        with QSignalBlocker(d.ui_language):
            d.ui_language.setCurrentIndex(
                max(0, d.ui_language.findData(settings.ui_language or language))
            )
        self._models = self._services.speech_models()
        self._list_models(settings.speech_model)

    @Slot()
    def _refill_models(self) -> None:
        self._list_models(self.dialog.speech_model.currentData())

    def _list_models(self, chosen: str | None) -> None:
        """The installed models for the window language's calls, keeping ``chosen``."""
        d = self.dialog
        lang = CALL_LANGUAGE.get(str(d.ui_language.currentData()), "")
        d.speech_model.clear()
        d.speech_model.addItem(self.tr("Automatic: the installed model for the language"), None)
        for model in self._models:
            if model.lang == lang:
                d.speech_model.addItem(model.name, str(model.path))
        _select(d.speech_model, chosen, chosen or "")

    @Slot()
    def _choose_model(self) -> None:
        folder = self.dialog.choose_folder(self.tr("Choose a speech model folder"))
        if folder is None:
            return
        missing = self._services.missing_model_files(folder)
        if missing:
            _show(
                self.dialog.model_message,
                self.tr(
                    "{folder} is not a Vosk speech model: it lacks {files}. Choose the folder "
                    "that holds the model's am and conf folders."
                ).format(folder=folder, files=", ".join(missing)),
            )
            return
        _show(self.dialog.model_message, "")
        _select(self.dialog.speech_model, str(folder), str(folder))

    def _fill_rules(self, settings: Settings) -> None:
        d = self.dialog
        d.rule_pack.addItem(self.tr("Automatic: the bundled pack for the call's language"), None)
        for pack in self._services.rule_packs():
            d.rule_pack.addItem(pack, pack)
        _select(d.rule_pack, settings.rule_pack, settings.rule_pack or "")
        d.script_library.addItem(
            self.tr("Automatic: the bundled library for the call's language"), None
        )
        for library in self._services.script_libraries():
            d.script_library.addItem(library, library)
        _select(d.script_library, settings.script_library, settings.script_library or "")

    @Slot()
    def _choose_pack(self) -> None:
        self._check_folder(
            "rule_pack", self.tr("Choose a rule pack folder"), self._services.load_rule_pack
        )

    @Slot()
    def _choose_library(self) -> None:
        self._check_folder(
            "script_library",
            self.tr("Choose a script library folder"),
            self._services.load_script_library,
        )

    def _check_folder(self, task: str, title: str, load: Callable[[Path], object]) -> None:
        folder = self.dialog.choose_folder(title)
        if folder is None:
            return
        _show(self.dialog.rules_message, self.tr("Checking {folder}…").format(folder=folder))

        def checked() -> Path:
            load(folder)  # raises with every problem the folder has
            return folder

        self._spawn(task, checked)

    def _folder_checked(self, combo: QComboBox, result: object) -> None:
        if isinstance(result, UserError):
            _show(self.dialog.rules_message, str(result))
            return
        _show(self.dialog.rules_message, "")
        _select(combo, str(result), str(result))

    # --- database and user ---------------------------------------------------

    def _fill_database(self, settings: Settings) -> None:
        d = self.dialog
        d.embedded_path.setText(str(self._services.embedded_database))
        url = settings.database_url
        d.server_url.setText(mask_password(url, url) if url else "")
        (d.embedded if url is None else d.server).setChecked(True)
        d.database_env.setVisible(self._services.database_from_env)
        self._database_mode()

    @Slot()
    def _database_mode(self) -> None:
        server = self.dialog.server.isChecked()
        self.dialog.server_url.setEnabled(server)
        self.dialog.test_connection.setEnabled(server)

    def _database_url(self) -> str | None:
        if self.dialog.embedded.isChecked():
            return None
        typed = self.dialog.server_url.text().strip()
        if not typed:
            raise UserError(
                self.tr(
                    "Enter the team server's URL, e.g. "
                    "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE, or choose the "
                    "embedded database."
                )
            )
        return restore_password(typed, self._settings.database_url or "")

    @Slot()
    def test_connection(self) -> None:
        status = self.dialog.connection_status
        try:
            url = self._database_url()
        except UserError as exc:
            status.setText(str(exc))
            return
        if url is None:
            return
        self._tested_url = url
        self.dialog.test_connection.setEnabled(False)
        status.setText(self.tr("Connecting…"))
        check = self._services.check_database
        self._spawn("database", lambda: check(url))

    def _connection_tested(self, result: object) -> None:
        self._database_mode()
        if isinstance(result, UserError):
            text = self.tr("Cannot connect: {problem}").format(problem=result)
        elif result is None:
            text = self.tr(
                "Connected. The database is empty: Agent Assist creates its tables when it "
                "starts with it."
            )
        else:
            text = self.tr("Connected.")
        self.dialog.connection_status.setText(mask_password(text, self._tested_url))

    def _fill_user(self, username: str) -> None:
        self.dialog.user.addItem(username, username)
        self.dialog.user_status.setText(self.tr("Loading the users…"))

    def _users_found(self, result: object) -> None:
        d = self.dialog
        if isinstance(result, UserError):
            d.user_status.setText(
                self.tr("The users could not be read: {problem}").format(problem=result)
            )
            return
        assert isinstance(result, Sequence)
        current = d.user.currentData()
        with QSignalBlocker(d.user):
            d.user.clear()
            for user in result:
                d.user.addItem(f"{user.display_name} ({user.username})", user.username)
            _select(d.user, current, self.tr("{name} (not an active user)").format(name=current))
        d.user_status.setText(
            ""
            if d.user.currentData() in {u.username for u in result}
            else self.tr("{name} is not an active user of this database: choose another.").format(
                name=current
            )
        )

    # --- saving --------------------------------------------------------------

    def _values(self) -> dict[str, object]:
        """The settings as the dialog now shows them (``Settings`` field names)."""
        d = self.dialog
        if d.audio_mode.currentData() == "stereo":
            stereo = d.stereo_device.currentData()
            agent = int(d.agent_channel.currentData())
            devices: tuple[str, ...] = () if stereo is None else (str(stereo),)
            channel_map: str | None = (
                "left=agent,right=debtor" if agent == 0 else "left=debtor,right=agent"
            )
        else:
            first, second = d.agent_device.currentData(), d.debtor_device.currentData()
            channel_map = None
            if second is None:
                devices = () if first is None else (str(first),)
            else:
                # The second device is the debtor's: the first must be named, not "default".
                first = first if first is not None else self._default_spec
                if first is None:
                    raise UserError(self.tr("Choose the collector's microphone."))
                devices = (str(first), str(second))
        return {
            "audio_devices": devices,
            "channel_map": channel_map,
            "speech_model": d.speech_model.currentData(),
            "rule_pack": d.rule_pack.currentData(),
            "script_library": d.script_library.currentData(),
            "ui_language": d.ui_language.currentData(),
            "database_url": self._database_url(),
            "user": d.user.currentData(),
        }

    @Slot()
    def save(self) -> None:
        """Write what changed; ask to restart when a change only applies at start."""
        _show(self.dialog.error, "")
        try:
            values = self._values()
        except UserError as exc:
            _show(self.dialog.error, str(exc))
            return
        changes = {k: v for k, v in values.items() if v != self._initial[k]}
        if not changes:
            self.dialog.accept()
            return
        try:
            self._services.save(changes)
        except (UserError, OSError) as exc:
            message = self.tr("The settings could not be saved: {problem}").format(problem=exc)
            _show(self.dialog.error, message)
            return
        pending = [name for name in RESTART_FIELDS if name in changes]
        if not pending:
            self.dialog.accept()
            return
        names = {
            "database_url": self.tr("the database"),
            "user": self.tr("the signed-in user"),
            "ui_language": self.tr("the window language"),
        }
        text = self.tr("Saved. These changes take effect when Agent Assist restarts:")
        box, restart = self.dialog.restart_prompt(
            text + "".join(f"\n• {names[name]}" for name in pending)
        )
        box.finished.connect(lambda _code: self._answered(box.clickedButton() == restart, pending))
        box.open()

    def _answered(self, restart: bool, pending: Collection[str]) -> None:
        if restart:
            try:
                self._services.restart(pending)
            except UserError as exc:
                _show(self.dialog.error, str(exc))
                return
        self.dialog.accept()


def _fill_devices(
    combo: QComboBox, devices: Sequence[InputDevice], specs: Mapping[int, str], missing: str
) -> None:
    """List the devices, keeping the saved choice selected (labelled by ``missing``,
    a format with {name}, when no device matches it)."""
    saved = combo.currentData()
    first_label = combo.itemText(0)
    combo.clear()
    combo.addItem(first_label, None)
    for device in devices:
        combo.addItem(f"{device.name} ({device.hostapi})", specs[device.index])
    if saved is None:
        return
    try:
        found = match_device(devices, saved)
    except AudioError:
        combo.addItem(missing.format(name=saved), saved)
        combo.setCurrentIndex(combo.count() - 1)
        return
    index = combo.findData(specs[found.index])
    combo.setItemData(index, saved)  # as the settings name it, so an untouched choice stays
    combo.setCurrentIndex(index)


def _select(combo: QComboBox, value: object, label: str) -> None:
    """Select the item holding ``value``, adding it (as ``label``) when it is not listed."""
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return
    combo.addItem(label, value)
    combo.setCurrentIndex(combo.count() - 1)


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))
