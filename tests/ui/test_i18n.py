"""The window speaks Simplified Chinese or English; every string of it is translated."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agent_assist.ui.display_names import category_name
from agent_assist.ui.i18n import install_translators
from agent_assist.ui.views.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[QApplication]:
    # The app's own; Qt's (standard buttons) too where the Qt install ships it.
    assert install_translators(qapp, "zh")
    yield qapp
    install_translators(qapp, "en")


def test_every_window_string_is_translated_and_compiled() -> None:
    # Fails naming the string when code gains a tr() the .ts file lacks, or the .qm is stale.
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "translations.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_window_in_chinese(chinese: QApplication, qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.windowTitle() == "坐席助手"
    assert window.demo_action.text() == "演示通话"
    assert category_name("agent.threat") == "威胁恐吓"


def test_english_is_the_source_and_switching_back_removes_chinese(
    qapp: QApplication, qtbot: QtBot
) -> None:
    install_translators(qapp, "zh")
    assert install_translators(qapp, "en") == []
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.windowTitle() == "Agent Assist"
    assert category_name("agent.threat") == "Threat"
