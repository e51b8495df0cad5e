"""How the team's windows start: their arguments, the settings' fall-backs, errors shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from agent_assist.errors import UserError
from agent_assist.settings import settings_path
from agent_assist.ui.window_main import run_window, window_parser

NO_USER = "name yourself with --as USERNAME"


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    return shown


def test_the_arguments_name_the_user_and_a_known_language() -> None:
    parser = window_parser("agent-assist-x", "anyone")
    args = parser.parse_args(["--as", "lee", "--lang", "en"])
    assert (args.username, args.lang) == ("lee", "en")
    assert parser.parse_args([]).username is None
    with pytest.raises(SystemExit):
        parser.parse_args(["--lang", "xx"])


def test_without_a_user_it_says_how_to_name_one(qtbot: QtBot, told: list[str]) -> None:
    built: list[str] = []

    def build(username: str, lang: str) -> QWidget:
        built.append(username)
        return QWidget()

    assert run_window(None, None, build, NO_USER) == 2
    assert told == [NO_USER]
    assert built == []


def test_the_settings_name_the_user_and_language_and_a_user_error_is_shown(
    qtbot: QtBot, told: list[str]
) -> None:
    settings_path().write_text('[ui]\nuser = "lee"\nlanguage = "en"\n', encoding="utf-8")
    asked: list[tuple[str, str]] = []

    def build(username: str, lang: str) -> QWidget:
        asked.append((username, lang))
        raise UserError("lee is not a trainer")

    assert run_window(None, None, build, NO_USER) == 2
    assert asked == [("lee", "en")]
    assert told == ["lee is not a trainer"]
    assert run_window("ann", "zh", build, NO_USER) == 2
    assert asked[-1] == ("ann", "zh")


def test_the_window_runs_until_qt_ends_with_its_code(qtbot: QtBot) -> None:
    windows: list[QWidget] = []

    def build(username: str, lang: str) -> QWidget:
        window = QWidget()
        windows.append(window)
        QTimer.singleShot(0, lambda: QApplication.exit(3))
        return window

    assert run_window("lee", "en", build, NO_USER) == 3
    assert len(windows) == 1
