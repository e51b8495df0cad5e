"""Listing input devices, resolving a device spec, parsing channel maps."""

from __future__ import annotations

import pytest

from agent_assist.audio.devices import find_device, list_input_devices, parse_channel_map
from agent_assist.errors import AudioError
from tests.support.fake_sounddevice import FakeDevice, FakeSoundDevice


def machine() -> FakeSoundDevice:
    return FakeSoundDevice(
        [
            FakeDevice("HDMI Output", channels=0, outputs=8),
            FakeDevice("USB Headset Mono", channels=1, default_samplerate=48000.0),
            FakeDevice("pulse", channels=32, default_samplerate=44100.0),
            FakeDevice("USB Headset Stereo", channels=2),
        ],
        default_input=2,
    )


def test_lists_only_inputs_with_their_details() -> None:
    devices = list_input_devices(machine())
    assert [(d.index, d.name, d.max_input_channels) for d in devices] == [
        (1, "USB Headset Mono", 1),
        (2, "pulse", 32),
        (3, "USB Headset Stereo", 2),
    ]
    assert [d.is_default for d in devices] == [False, True, False]
    assert devices[0].default_samplerate == 48000.0
    assert devices[0].hostapi == "ALSA"


def test_listing_never_raises() -> None:
    sd = machine()
    sd.fail_query = True
    assert list_input_devices(sd) == []
    assert list_input_devices(FakeSoundDevice([])) == []


@pytest.mark.parametrize(
    ("spec", "index"),
    [("2", 2), ("PULSE", 2), ("stereo", 3), ("usb headset mono", 1), (" 3 ", 3)],
)
def test_find_device_by_index_or_name(spec: str, index: int) -> None:
    assert find_device(machine(), spec) == index


def test_exact_name_wins_over_a_longer_match() -> None:
    sd = FakeSoundDevice([FakeDevice("Mic"), FakeDevice("Mic Array")])
    assert find_device(sd, "mic") == 0


def test_ambiguous_name_lists_the_candidates() -> None:
    with pytest.raises(AudioError) as error:
        find_device(machine(), "usb")
    assert "1: USB Headset Mono" in str(error.value)
    assert "3: USB Headset Stereo" in str(error.value)
    assert "pulse" not in str(error.value)


@pytest.mark.parametrize("spec", ["jabra", "0", "9"])  # 0 is an output-only device
def test_missing_device_lists_the_available_ones(spec: str) -> None:
    with pytest.raises(AudioError) as error:
        find_device(machine(), spec)
    message = str(error.value)
    assert spec in message
    assert "available: 1: USB Headset Mono; 2: pulse; 3: USB Headset Stereo" in message


def test_finding_on_a_machine_without_inputs_says_what_to_do() -> None:
    with pytest.raises(AudioError, match="No audio input devices found"):
        find_device(FakeSoundDevice([]), "headset")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("left=agent,right=debtor", {0: "agent", 1: "debtor"}),
        ("0=agent,1=debtor", {0: "agent", 1: "debtor"}),
        (" Right = debtor , LEFT=agent ", {1: "debtor", 0: "agent"}),
        ("1=debtor", {1: "debtor"}),
        ("3=agent,", {3: "agent"}),
    ],
)
def test_parse_channel_map(text: str, expected: dict[int, str]) -> None:
    assert parse_channel_map(text) == expected


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "empty"),
        ("agent", "not CHANNEL=SPEAKER"),
        ("left=", "not CHANNEL=SPEAKER"),
        ("centre=agent", "'centre' is not a channel"),
        ("-1=agent", "'-1' is not a channel"),
        ("0=agent,left=debtor", "channel left appears twice"),
        ("0=agent,1=agent", "speaker 'agent' is given two channels"),
    ],
)
def test_parse_channel_map_errors(text: str, complaint: str) -> None:
    with pytest.raises(AudioError, match=complaint):
        parse_channel_map(text)
