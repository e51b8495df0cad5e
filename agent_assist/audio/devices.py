"""Finding audio inputs: listing devices, resolving a device spec, parsing channel maps.

``sd`` is the sounddevice module, passed in so tests can use a fake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agent_assist.errors import AudioError

SoundDevice = Any  # the sounddevice module, or a stand-in with the same functions

NO_DEVICES_HINT = (
    "No audio input devices found. Plug in a headset, or check that the audio server "
    "(PulseAudio/PipeWire) is running."
)

_CHANNEL_NAMES = {"left": 0, "right": 1}


@dataclass(frozen=True, slots=True)
class InputDevice:
    index: int
    name: str
    hostapi: str
    max_input_channels: int
    default_samplerate: float
    is_default: bool

    def label(self) -> str:
        return f"{self.index}: {self.name}"


def list_input_devices(sd: SoundDevice) -> list[InputDevice]:
    """Every device with at least one input channel; empty if PortAudio finds or fails nothing."""
    try:
        raw: Sequence[Mapping[str, Any]] = list(sd.query_devices())
    except Exception:  # PortAudio not initialised, server gone: there is simply nothing to use
        return []
    hostapis = _hostapi_names(sd)
    default = default_input_index(sd)
    devices = []
    for info in raw:
        channels = int(info.get("max_input_channels", 0))
        if channels <= 0:
            continue
        index = int(info["index"])
        api = int(info.get("hostapi", -1))
        devices.append(
            InputDevice(
                index=index,
                name=str(info["name"]),
                hostapi=hostapis.get(api, str(api)),
                max_input_channels=channels,
                default_samplerate=float(info.get("default_samplerate", 0.0)),
                is_default=index == default,
            )
        )
    return devices


def default_input_index(sd: SoundDevice) -> int | None:
    """PortAudio's default input device, or None when there is none."""
    try:
        setting = sd.default.device  # an (input, output) pair that indexes but is no Sequence
        index = int(setting if isinstance(setting, int) else setting[0])
    except Exception:  # unset, or a name rather than an index
        return None
    return index if index >= 0 else None


def _hostapi_names(sd: SoundDevice) -> dict[int, str]:
    try:
        return {i: str(api["name"]) for i, api in enumerate(sd.query_hostapis())}
    except Exception:
        return {}


def pick_input_rate(sd: SoundDevice, device: InputDevice, channels: int, rate: int) -> int:
    """``rate`` if the device records 16-bit audio at it, else the device's default rate.

    Telephony headsets often take only 8 kHz and sound cards 44.1/48 kHz; the
    caller resamples. :class:`AudioError` when neither rate is accepted.
    """
    for candidate in dict.fromkeys((rate, int(device.default_samplerate))):
        try:
            sd.check_input_settings(
                device=device.index, channels=channels, dtype="int16", samplerate=candidate
            )
        except Exception:  # PortAudioError, or ValueError for a nonsensical rate
            continue
        return candidate
    raise AudioError(
        f"{device.name} records neither {rate} Hz nor its default "
        f"{device.default_samplerate:g} Hz with {channels} channel(s) of 16-bit audio"
    )


def find_device(sd: SoundDevice, spec: str) -> int:
    """A device index from an index (``"3"``) or part of a name (``"usb headset"``)."""
    return match_device(list_input_devices(sd), spec).index


def match_device(devices: Sequence[InputDevice], spec: str | int) -> InputDevice:
    """The one input device ``spec`` names; :class:`AudioError` listing candidates otherwise."""
    if not devices:
        raise AudioError(NO_DEVICES_HINT)
    available = "; ".join(d.label() for d in devices)
    text = str(spec).strip()
    if isinstance(spec, int) or text.isdecimal():
        for device in devices:
            if device.index == int(text):
                return device
        raise AudioError(f"there is no input device number {text}; available: {available}")
    wanted = text.casefold()
    exact = [d for d in devices if d.name.casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [d for d in devices if wanted in d.name.casefold()]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise AudioError(f"no input device matches '{text}'; available: {available}")
    names = "; ".join(d.label() for d in partial)
    raise AudioError(
        f"'{text}' matches several input devices ({names}); give the number or more of the name"
    )


def parse_channel_map(text: str) -> dict[int, str]:
    """``"left=agent,right=debtor"`` or ``"0=agent,1=debtor"`` → ``{0: "agent", 1: "debtor"}``."""
    example = "e.g. left=agent,right=debtor or 0=agent,1=debtor"
    result: dict[int, str] = {}
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise AudioError(f"the channel map is empty; {example}")
    for item in items:
        channel_text, sep, speaker = (part.strip() for part in item.partition("="))
        if not sep or not channel_text or not speaker:
            raise AudioError(f"'{item}' in the channel map is not CHANNEL=SPEAKER; {example}")
        channel = _channel_index(channel_text)
        if channel is None:
            raise AudioError(
                f"'{channel_text}' is not a channel: use left, right or a number from 0; {example}"
            )
        if channel in result:
            raise AudioError(f"channel {channel_text} appears twice in the channel map")
        if speaker in result.values():
            raise AudioError(f"speaker '{speaker}' is given two channels; give each one channel")
        result[channel] = speaker
    return result


def _channel_index(text: str) -> int | None:
    name = text.casefold()
    if name in _CHANNEL_NAMES:
        return _CHANNEL_NAMES[name]
    return int(name) if name.isdecimal() else None
