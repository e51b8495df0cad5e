"""Typed settings: the per-user ``settings.toml`` plus environment overrides.

Only :mod:`agent_assist.app`, the CLI and the desktop's wiring read settings;
everything else gets the values it needs passed in. The desktop's settings
dialog writes them back with :func:`save_settings`, which keeps the user's own
comments and any keys it does not know.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import tomlkit

from agent_assist.errors import SettingsError
from agent_assist.paths import data_dir, write_atomically

DB_URL_ENV = "AGENT_ASSIST_DB_URL"
UI_LANGUAGES = ("zh", "en")

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    # None = the embedded SQLite database in the data folder.
    database_url: str | None = None
    # Call audio is never kept unless a bank turns this on.
    record_audio: bool = False
    recording_retention_days: int = 30
    # Input devices by name or index, one per speaker (collector, then debtor);
    # empty = the system's default input. With ``channel_map`` the first device
    # is one stereo headset split by channel ("0=agent,1=debtor", see parse_channel_map).
    audio_devices: tuple[str, ...] = ()
    channel_map: str | None = None
    # A language ("zh-CN", "en-US") or a model folder; None = the UI language's model.
    speech_model: str | None = None
    # A bundled pack/library id or a folder; None = the one for the call's language.
    rule_pack: str | None = None
    script_library: str | None = None
    # The window's language ("zh" or "en") and who signs in; None = ask / the default.
    ui_language: str | None = None
    user: str | None = None
    # What suggested lines say for {bank} and {hotline}; None = a visible blank to fill.
    bank_name: str | None = None
    bank_hotline: str | None = None


# Each field's place in the file: (table, key).
_PLACES: dict[str, tuple[str, str]] = {
    "database_url": ("database", "url"),
    "record_audio": ("recording", "enabled"),
    "recording_retention_days": ("recording", "retention_days"),
    "audio_devices": ("audio", "devices"),
    "channel_map": ("audio", "channel_map"),
    "speech_model": ("speech", "model"),
    "rule_pack": ("rules", "pack"),
    "script_library": ("scripts", "library"),
    "ui_language": ("ui", "language"),
    "user": ("ui", "user"),
    "bank_name": ("bank", "name"),
    "bank_hotline": ("bank", "hotline"),
}


def settings_path() -> Path:
    return data_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file means defaults. ``AGENT_ASSIST_DB_URL`` wins."""
    path = path or settings_path()
    values = _read(path)
    database = _table(values, "database", path)
    recording = _table(values, "recording", path)
    audio = _table(values, "audio", path)
    ui = _table(values, "ui", path)
    url = os.environ.get(DB_URL_ENV) or _get(database, "url", str, None, path)
    retention = _get(recording, "retention_days", int, 30, path)
    if retention is not None and retention < 1:
        raise SettingsError(f"{path}: recording.retention_days must be at least 1")
    devices = _get(audio, "devices", list, [], path) or []
    if not all(isinstance(d, str | int) and not isinstance(d, bool) for d in devices):
        raise SettingsError(f"{path}: audio.devices must be a list of device names or numbers")
    if len(devices) > 2:
        raise SettingsError(f"{path}: audio.devices names at most two devices (one per speaker)")
    language = _get(ui, "language", str, None, path)
    if language is not None and language not in UI_LANGUAGES:
        raise SettingsError(f"{path}: ui.language must be one of {', '.join(UI_LANGUAGES)}")
    return Settings(
        database_url=url or None,
        record_audio=bool(_get(recording, "enabled", bool, False, path)),
        recording_retention_days=retention or 30,
        audio_devices=tuple(str(d) for d in devices),
        channel_map=_text(audio, "channel_map", path),
        speech_model=_text(_table(values, "speech", path), "model", path),
        rule_pack=_text(_table(values, "rules", path), "pack", path),
        script_library=_text(_table(values, "scripts", path), "library", path),
        ui_language=language,
        user=_text(ui, "user", path),
        bank_name=_text(_table(values, "bank", path), "name", path),
        bank_hotline=_text(_table(values, "bank", path), "hotline", path),
    )


def save_settings(changes: Mapping[str, object], path: Path | None = None) -> Settings:
    """Write the named fields (``Settings`` field names; None removes the key) and
    return the settings as now stored. The file is replaced atomically."""
    path = path or settings_path()
    unknown = sorted(set(changes) - set(_PLACES))
    if unknown:
        raise ValueError(f"not a setting: {', '.join(unknown)}")
    _read(path)  # refuse to overwrite a file the user broke: they may still want it
    document = (
        tomlkit.parse(path.read_text(encoding="utf-8")) if path.is_file() else tomlkit.document()
    )
    for name, value in changes.items():
        table_name, key = _PLACES[name]
        table = document.get(table_name)
        if value is None or value in ((), ""):
            if table is not None and key in table:
                del table[key]
            continue
        if table is None:
            table = tomlkit.table()
            document[table_name] = table
        table[key] = list(value) if isinstance(value, tuple) else value
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, tomlkit.dumps(document))
    return load_settings(path)


def _read(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: {exc}. Fix the file or delete it to use defaults.") from exc


def _table(values: dict[str, object], name: str, path: Path) -> dict[str, object]:
    table = values.get(name, {})
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [{name}] must be a table")
    return table


def _text(table: dict[str, object], key: str, path: Path) -> str | None:
    return _get(table, key, str, None, path) or None


def _get(
    table: dict[str, object], key: str, kind: type[T], default: T | None, path: Path
) -> T | None:
    value = table.get(key, default)
    if value is not None and not isinstance(value, kind):
        raise SettingsError(f"{path}: {key} must be a {kind.__name__}, not {value!r}")
    return value
