"""``agent-assist devices``: the audio inputs this computer offers."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from agent_assist.audio.devices import NO_DEVICES_HINT, InputDevice, list_input_devices
from agent_assist.errors import AudioError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("devices", help="list audio input devices")
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    parser.set_defaults(func=run)


def load_sounddevice() -> Any:
    """Import sounddevice, which loads PortAudio (and scans devices) on import."""
    try:
        import sounddevice
    except OSError as exc:  # the PortAudio shared library is missing
        raise AudioError(
            "the audio library PortAudio is not installed; on Debian/Ubuntu run "
            "'sudo apt-get install libportaudio2'"
        ) from exc
    except ImportError as exc:
        raise AudioError(
            f"the sounddevice package is missing ({exc}); reinstall Agent Assist (scripts/setup.sh)"
        ) from exc
    return sounddevice


def run(args: argparse.Namespace) -> int:
    devices = list_input_devices(load_sounddevice())
    if args.json:
        print(json.dumps([_as_json(d) for d in devices], ensure_ascii=False, indent=2))
        if not devices:
            print(NO_DEVICES_HINT, file=sys.stderr)  # stdout stays valid JSON
        return 0
    if not devices:
        print(NO_DEVICES_HINT)
        return 0
    rows = [("", "INDEX", "NAME", "CHANNELS", "DEFAULT RATE", "HOST API")]
    for d in devices:
        rate = f"{d.default_samplerate:g} Hz"
        marker = "*" if d.is_default else ""
        rows.append((marker, str(d.index), d.name, str(d.max_input_channels), rate, d.hostapi))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if any(d.is_default for d in devices):
        print("\n* the default input (used when no --device is given)")
    return 0


def _as_json(device: InputDevice) -> dict[str, Any]:
    return {
        "index": device.index,
        "name": device.name,
        "hostapi": device.hostapi,
        "channels": device.max_input_channels,
        "default_samplerate": device.default_samplerate,
        "default": device.is_default,
    }
