"""Typed settings: the per-user ``settings.toml`` plus environment overrides.

Only :mod:`agent_assist.app` and the CLI read settings; everything else gets
the values it needs passed in.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from agent_assist.errors import SettingsError
from agent_assist.paths import data_dir

DB_URL_ENV = "AGENT_ASSIST_DB_URL"

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    # None = the embedded SQLite database in the data folder.
    database_url: str | None = None
    # Call audio is never kept unless a bank turns this on.
    record_audio: bool = False
    recording_retention_days: int = 30


def settings_path() -> Path:
    return data_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file means defaults. ``AGENT_ASSIST_DB_URL`` wins."""
    path = path or settings_path()
    values: dict[str, object] = {}
    if path.is_file():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(
                f"{path}: {exc}. Fix the file or delete it to use defaults."
            ) from exc
    database = _table(values, "database", path)
    recording = _table(values, "recording", path)
    url = os.environ.get(DB_URL_ENV) or _get(database, "url", str, None, path)
    retention = _get(recording, "retention_days", int, 30, path)
    if retention is not None and retention < 1:
        raise SettingsError(f"{path}: recording.retention_days must be at least 1")
    return Settings(
        database_url=url or None,
        record_audio=bool(_get(recording, "enabled", bool, False, path)),
        recording_retention_days=retention or 30,
    )


def _table(values: dict[str, object], name: str, path: Path) -> dict[str, object]:
    table = values.get(name, {})
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [{name}] must be a table")
    return table


def _get(
    table: dict[str, object], key: str, kind: type[T], default: T | None, path: Path
) -> T | None:
    value = table.get(key, default)
    if value is not None and not isinstance(value, kind):
        raise SettingsError(f"{path}: {key} must be a {kind.__name__}, not {value!r}")
    return value
