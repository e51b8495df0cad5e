"""The settings dialog's audio set-up: the device lists and a live meter per speaker, with
the problems of the set-up shown (no PortAudio, a missing device, a lost stream).

Probing the devices runs off the UI thread; a 10 Hz timer polls the meters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QObject, QSignalBlocker, QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox

from agent_assist.audio.device import DeviceInput, DeviceSource
from agent_assist.audio.devices import (
    NO_DEVICES_HINT,
    InputDevice,
    SoundDevice,
    match_device,
    parse_channel_map,
)
from agent_assist.audio.setup_check import RATE, AudioTap, LiveMeters, device_specs, probe_devices
from agent_assist.errors import AudioError, UserError
from agent_assist.events import Speaker
from agent_assist.settings import Settings
from agent_assist.ui.controllers.settings_relay import SettingsRelay
from agent_assist.ui.controllers.settings_widgets import select_value, show_message
from agent_assist.ui.views.settings_dialog import SettingsDialog

_POLL_MS = 100


class AudioSetupController(QObject):
    """Owned by the dialog. Its strings are in the SettingsController translation context,
    as are those of the dialog's other controllers: the dialog is translated as one."""

    reopened = Signal()  # another set-up is metered now (or none could be)
    polled = Signal()  # the meters and problems were read again

    def __init__(
        self,
        dialog: SettingsDialog,
        settings: Settings,
        load_sounddevice: Callable[[], SoundDevice],  # AudioError when PortAudio is missing
    ) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self._relay = SettingsRelay()
        self._relay.done.connect(self._devices_found)
        self.sd: SoundDevice | None = None
        self._default_spec: str | None = None
        self._meters = LiveMeters()
        self.tap = AudioTap()  # of the set-up metered now
        self.metered: tuple[Speaker, ...] = ()
        self._lost: set[Speaker] = set()
        self._setup_problems: list[str] = []
        self._live_problems: list[str] = []
        self.roles = {
            "agent": QCoreApplication.translate("SettingsController", "Collector"),
            "debtor": QCoreApplication.translate("SettingsController", "Debtor"),
        }

        self._fill_from_settings(settings)
        d = dialog
        for combo in (d.audio_mode, d.agent_device, d.debtor_device, d.stereo_device):
            combo.currentIndexChanged.connect(self._setup_changed)
        d.agent_channel.currentIndexChanged.connect(self._setup_changed)
        d.finished.connect(self.shutdown)
        # A dialog destroyed with its window never finishes: close the streams anyway.
        d.destroyed.connect(self._meters.close)

        self._timer = QTimer(self)
        self._timer.setInterval(_POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()
        d.recording_status.setText(
            QCoreApplication.translate("SettingsController", "Looking for audio devices…")
        )
        self._relay.spawn("devices", lambda: probe_devices(load_sounddevice))

    def heard(self) -> list[Speaker]:
        """The metered speakers whose stream still delivers."""
        return [s for s in self.metered if s not in self._lost]

    def values(self) -> dict[str, object]:
        """The set-up as the dialog now shows it (``Settings`` field names)."""
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
                    raise UserError(
                        QCoreApplication.translate(
                            "SettingsController", "Choose the collector's microphone."
                        )
                    )
                devices = (str(first), str(second))
        return {"audio_devices": devices, "channel_map": channel_map}

    @Slot()
    def shutdown(self) -> None:
        """Stop polling and close the streams: the dialog is done."""
        self._timer.stop()
        self._meters.close()

    def _fill_from_settings(self, settings: Settings) -> None:
        """Show the saved set-up before the devices are known, so nothing is lost if
        they never are (no PortAudio)."""
        d = self.dialog
        saved: list[str | None] = [*settings.audio_devices, None, None]
        first, second = saved[0], saved[1]
        stereo = settings.channel_map is not None
        d.audio_mode.setCurrentIndex(d.audio_mode.findData("stereo" if stereo else "devices"))
        default_input = QCoreApplication.translate("SettingsController", "System default input")
        collector_only = QCoreApplication.translate(
            "SettingsController", "None: the collector only"
        )
        for combo, first_item, saved_value in (
            (d.agent_device, default_input, None if stereo else first),
            (d.debtor_device, collector_only, None if stereo else second),
            (d.stereo_device, default_input, first if stereo else None),
        ):
            combo.addItem(first_item, None)
            select_value(combo, saved_value, saved_value or "")
        if settings.channel_map is not None:
            try:
                channels = parse_channel_map(settings.channel_map)
            except AudioError as exc:
                self._setup_problems.append(
                    QCoreApplication.translate(
                        "SettingsController",
                        "The saved channel map is not valid ({problem}); choose the "
                        "collector's channel.",
                    ).format(problem=exc)
                )
                return
            agent = next((c for c, s in channels.items() if s == "agent"), 0)
            d.agent_channel.setCurrentIndex(max(0, d.agent_channel.findData(agent)))

    @Slot(str, object)
    def _devices_found(self, _task: str, result: object) -> None:
        if isinstance(result, UserError):
            self._setup_problems.append(str(result))
            self.dialog.recording_status.clear()
            self._show_problems()
            return
        assert isinstance(result, tuple)
        sd, devices = result
        self.sd = sd
        self.dialog.recording_status.clear()
        if not devices:
            self._setup_problems.append(NO_DEVICES_HINT)
            self._show_problems()
            return
        specs = device_specs(devices)
        self._default_spec = next((specs[d.index] for d in devices if d.is_default), None)
        d = self.dialog
        missing = QCoreApplication.translate("SettingsController", "{name} (not connected)")
        for combo in (d.agent_device, d.debtor_device, d.stereo_device):
            with QSignalBlocker(combo):
                _fill_devices(combo, devices, specs, missing)
        self._open_meters()

    @Slot()
    def _setup_changed(self) -> None:
        self._setup_problems = []  # about the saved set-up, which is no longer the one shown
        self._open_meters()

    def _open_meters(self) -> None:
        """Meter the set-up now chosen; any stream of the previous one closes first."""
        self._live_problems = []
        self._lost = set()
        self.tap = AudioTap()
        if self.sd is None:
            return
        try:
            source = DeviceSource(self.sd, self._inputs(), rate=RATE)
        except AudioError as exc:
            self._meters.close()
            self.metered = ()
            self._live_problems.append(str(exc))
        else:
            self.metered = tuple(s for s in self.roles if s in source.speakers)
            self._meters.open(source, self.tap)
        self.dialog.debtor_meter.setEnabled("debtor" in self.metered)
        self._show_problems()
        self.reopened.emit()

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
        levels = self.tap.levels()
        for speaker, meter in (
            ("agent", self.dialog.agent_meter),
            ("debtor", self.dialog.debtor_meter),
        ):
            heard = speaker in self.metered and speaker not in self._lost
            level = levels.get(speaker) if heard else None
            self.dialog.set_level(meter, None if level is None else level.peak_dbfs)
        problems = self.tap.take_problems()
        for problem in problems:
            if problem.speaker is not None:
                self._lost.add(problem.speaker)
            text = problem.message
            if problem.code == "device_not_found":
                text = QCoreApplication.translate(
                    "SettingsController",
                    "{problem}. Plug it in and restart Agent Assist, or choose another device.",
                ).format(problem=text)
            role = self.roles.get(problem.speaker or "")
            text = f"{role}: {text}" if role else text
            if text not in self._live_problems:
                self._live_problems.append(text)
        if problems:
            self._show_problems()
        self.polled.emit()

    def _show_problems(self) -> None:
        show_message(
            self.dialog.audio_message, "\n".join(self._setup_problems + self._live_problems)
        )


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
