from __future__ import annotations

from pathlib import Path

import pytest

from agent_assist.errors import SettingsError
from agent_assist.settings import DB_URL_ENV, Settings, load_settings, save_settings


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


def test_the_desktop_settings_are_read_from_their_tables(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        '[audio]\ndevices = ["USB Headset", 3]\nchannel_map = "0=agent,1=debtor"\n'
        '[speech]\nmodel = "zh-CN"\n[rules]\npack = "zh-CN"\n[scripts]\nlibrary = "zh-CN"\n'
        '[ui]\nlanguage = "en"\nuser = "zhang.wei"\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.audio_devices == ("USB Headset", "3")
    assert settings.channel_map == "0=agent,1=debtor"
    assert (settings.speech_model, settings.rule_pack, settings.script_library) == (
        "zh-CN",
        "zh-CN",
        "zh-CN",
    )
    assert (settings.ui_language, settings.user) == ("en", "zhang.wei")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[audio]\ndevices = [true]\n", "device names or numbers"),
        ('[audio]\ndevices = ["a", "b", "c"]\n', "at most two"),
        ('[ui]\nlanguage = "fr"\n', "ui.language must be one of zh, en"),
        ("[speech]\nmodel = 5\n", "model must be a str"),
    ],
)
def test_a_wrong_desktop_setting_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_settings(path)


def test_saving_keeps_the_users_comments_and_unknown_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    path = tmp_path / "settings.toml"
    path.write_text(
        '# our bank\'s server\n[database]\nurl = "sqlite:///x.db"  # ask IT\n'
        '[vendor]\ncolour = "blue"\n',
        encoding="utf-8",
    )
    saved = save_settings(
        {"audio_devices": ("pulse", "2"), "ui_language": "zh", "database_url": None}, path
    )
    assert saved.audio_devices == ("pulse", "2")
    assert saved.ui_language == "zh"
    assert saved.database_url is None
    text = path.read_text(encoding="utf-8")
    assert "# our bank's server" in text
    assert 'colour = "blue"' in text
    assert not path.with_name("settings.toml.new").exists()


def test_saving_into_a_missing_file_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "new" / "settings.toml"
    assert save_settings({"user": "maria.lopez"}, path).user == "maria.lopez"


def test_saving_refuses_to_overwrite_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[database\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="Fix the file"):
        save_settings({"user": "x"}, path)
    assert path.read_text(encoding="utf-8") == "[database\n"


def test_saving_an_unknown_setting_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a setting: colour"):
        save_settings({"colour": "red"}, tmp_path / "settings.toml")


def test_the_bank_the_suggested_lines_name(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    saved = save_settings({"bank_name": "华信银行", "bank_hotline": "95555"}, path)
    assert (saved.bank_name, saved.bank_hotline) == ("华信银行", "95555")
    assert "[bank]" in path.read_text(encoding="utf-8")
