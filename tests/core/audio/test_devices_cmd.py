"""``agent-assist devices`` against a fake sounddevice module."""

from __future__ import annotations

import importlib.abc
import json
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

import pytest

from agent_assist.cli import main
from tests.support.fake_sounddevice import FakeDevice, FakeSoundDevice

Install = Callable[[FakeSoundDevice], None]


@pytest.fixture
def use_sounddevice(monkeypatch: pytest.MonkeyPatch) -> Install:
    def install(sd: FakeSoundDevice) -> None:
        monkeypatch.setitem(sys.modules, "sounddevice", sd)

    return install


def test_no_devices_prints_what_to_do(
    use_sounddevice: Install, capsys: pytest.CaptureFixture[str]
) -> None:
    use_sounddevice(FakeSoundDevice([]))
    assert main(["devices"]) == 0
    out = capsys.readouterr().out
    assert "No audio input devices found" in out
    assert "PulseAudio/PipeWire" in out


def test_table_lists_inputs_and_marks_the_default(
    use_sounddevice: Install, capsys: pytest.CaptureFixture[str]
) -> None:
    use_sounddevice(
        FakeSoundDevice(
            [FakeDevice("Speakers", channels=0, outputs=2), FakeDevice("USB Headset", 1, 48000.0)],
            default_input=1,
        )
    )
    assert main(["devices"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["INDEX", "NAME", "CHANNELS", "DEFAULT", "RATE", "HOST", "API"]
    assert lines[1].split() == ["*", "1", "USB", "Headset", "1", "48000", "Hz", "ALSA"]
    assert not any("Speakers" in line for line in lines)


def test_json_output(use_sounddevice: Install, capsys: pytest.CaptureFixture[str]) -> None:
    use_sounddevice(FakeSoundDevice([FakeDevice("Tap", 2, 8000.0)]))
    assert main(["devices", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "index": 0,
            "name": "Tap",
            "hostapi": "ALSA",
            "channels": 2,
            "default_samplerate": 8000.0,
            "default": True,
        }
    ]


def test_json_output_with_no_devices_is_an_empty_list(
    use_sounddevice: Install, capsys: pytest.CaptureFixture[str]
) -> None:
    use_sounddevice(FakeSoundDevice([]))
    assert main(["devices", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == []
    assert "No audio input devices found" in err


class _NoPortAudio(importlib.abc.MetaPathFinder):
    """Makes ``import sounddevice`` fail as it does when libportaudio2 is missing."""

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")


def test_missing_portaudio_says_which_package_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPortAudio(), *sys.meta_path])
    assert main(["devices"]) == 2
    err = capsys.readouterr().err
    assert "libportaudio2" in err
    assert "Traceback" not in err
