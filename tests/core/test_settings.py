from __future__ import annotations

from pathlib import Path

import pytest

from agent_assist.errors import SettingsError
from agent_assist.settings import DB_URL_ENV, Settings, load_settings


def test_no_file_means_the_embedded_database_and_no_recording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    assert load_settings(tmp_path / "settings.toml") == Settings()


def test_the_file_and_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    path = tmp_path / "settings.toml"
    path.write_text(
        '[database]\nurl = "postgresql+psycopg://u@h/db"\n[recording]\nenabled = true\n'
        "retention_days = 14\n",
        encoding="utf-8",
    )
    assert load_settings(path) == Settings("postgresql+psycopg://u@h/db", True, 14)
    monkeypatch.setenv(DB_URL_ENV, "sqlite:///x.db")
    assert load_settings(path).database_url == "sqlite:///x.db"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[database\n", "settings.toml: .*line 1"),
        ("[recording]\nretention_days = 0\n", "at least 1"),
        ('[recording]\nenabled = "yes"\n', "enabled must be a bool"),
        ("database = 3\n", r"\[database\] must be a table"),
    ],
)
def test_a_broken_file_is_named_with_what_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_settings(path)
