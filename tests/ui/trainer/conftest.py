"""The trainer window opened on a copy of the test pack mini-zh, for the editor's tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from agent_assist.store.database import Database
from agent_assist.store.records import UserRecord
from agent_assist.ui import trainer_run
from agent_assist.ui.trainer.controllers.diff_controller import DiffController
from agent_assist.ui.trainer.controllers.editor_controller import EditorController
from agent_assist.ui.trainer.controllers.rule_form_controller import RuleFormController
from agent_assist.ui.trainer.controllers.try_controller import TryController
from agent_assist.ui.trainer.views.trainer_window import TrainerWindow
from tests.core.store.builders import team_of

PACKS = Path(__file__).resolve().parents[2] / "data" / "packs"
AGENT = "rules/agent.yaml"


@dataclass
class Opened:
    window: TrainerWindow
    editor: EditorController
    form: RuleFormController
    trying: TryController
    diff: DiffController
    folder: Path
    trainer: UserRecord
    db: Database

    def problems(self) -> list[str]:
        listed = self.window.editor.problems
        return [listed.item(row).text() for row in range(listed.count())]

    def type_at(self, line: int, text: str) -> None:
        """Type ``text`` at the start of ``line`` (1-based) of the file in the editor."""
        self.window.editor.editor.go_to(line)
        self.window.editor.editor.textCursor().insertText(text)


@pytest.fixture
def opened(
    qtbot: QtBot, db: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Opened:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", db_url)
    *_, trainer = team_of(db)
    folder = tmp_path / "mini-zh"
    shutil.copytree(PACKS / "mini-zh", folder)
    window = trainer_run.build("tia", "en", pack=str(folder))
    qtbot.addWidget(window)
    editor = window.findChild(EditorController)
    form = window.findChild(RuleFormController)
    trying = window.findChild(TryController)
    diff = window.findChild(DiffController)
    assert editor is not None
    assert form is not None
    assert trying is not None
    assert diff is not None
    editor.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # never a modal dialog
    opened = Opened(window, editor, form, trying, diff, folder, trainer, db)
    window.show()
    qtbot.waitUntil(lambda: trying.explainer is not None)  # the first check loaded the pack
    editor.open("rule_pack", AGENT)
    return opened
