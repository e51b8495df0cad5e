"""The trainer window as `agent-assist-trainer` builds it, on SQLite and PostgreSQL
(pytest-qt, offscreen): its four tabs; working copies instead of the installed files, made
from the active published version; the proposals tab writing into the working copy and the
editor following; drills judged by the team's active published pack."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agent_assist.privacy import mask_text
from agent_assist.publishing.bundle import bundle, unbundle
from agent_assist.publishing.working_copy import drafts_dir
from agent_assist.rules.registry import packs_dir
from agent_assist.script_library import library_path
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.database import Database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.proposals_repo import ProposalRepository
from agent_assist.store.records import Actor
from agent_assist.store.tables import DrillSession
from agent_assist.ui import trainer_run
from agent_assist.ui.trainer.controllers.editor_controller import EditorController
from agent_assist.ui.trainer.controllers.publish_controller import PublishController
from agent_assist.ui.trainer.drill_controller import DrillController
from agent_assist.ui.trainer.proposals_controller import ProposalsController
from agent_assist.ui.trainer.views.trainer_window import TrainerWindow
from tests.core.publishing.builders import PACKS, REF, pack_text, ship_test_packs
from tests.core.store.builders import final, started, team_of

TIMEOUT = 30_000
MISSED = "我 天天 去 你 家 门口 蹲 着"
AGENT = "rules/agent.yaml"


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[TrainerWindow]]:
    """Every window a test opens: referenced until the test ends, then closed and collected
    on the main thread."""
    opened: list[TrainerWindow] = []
    yield opened
    for window in opened:
        window.close()
    opened.clear()
    gc.collect()


@dataclass
class Team:
    db: Database
    ann: Actor  # a collector
    lee: Actor  # her team lead
    tia: Actor  # the trainer who opens the window


@pytest.fixture
def team(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Team:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", db_url)
    ann, _bo, lee, _kim, tia = team_of(db)
    return Team(db, ann.as_actor(), lee.as_actor(), tia.as_actor())


def open_window(
    qtbot: QtBot, windows: list[TrainerWindow], pack: str | None = None
) -> tuple[TrainerWindow, EditorController]:
    window = trainer_run.build("tia", "en", pack=pack)
    qtbot.addWidget(window)
    windows.append(window)
    editor = window.findChild(EditorController)
    assert editor is not None
    editor.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # never a modal dialog
    window.show()
    publish = window.findChild(PublishController)
    assert publish is not None
    qtbot.waitUntil(lambda: len(publish.listings) == len(editor.sources), timeout=TIMEOUT)
    return window, editor


def status_bar(window: TrainerWindow) -> str:
    return " ".join(label.text() for label in window.statusBar().findChildren(QLabel))


def test_the_window_has_all_four_tabs_over_working_copies(
    qtbot: QtBot, team: Team, windows: list[TrainerWindow]
) -> None:
    shipped = unbundle(bundle(packs_dir() / "en-US"))
    window, editor = open_window(qtbot, windows)

    titles = [window.tabs.tabText(at) for at in range(window.tabs.count())]
    assert titles == ["Editor", "Publish", "Proposals", "Drills"]
    pack, library = editor.sources["rule_pack"], editor.sources["script_library"]
    assert pack.folder == drafts_dir() / "rule_pack" / "en-US"
    assert library.folder == drafts_dir() / "script_library" / "en-US"
    assert editor.texts("rule_pack") == shipped
    assert editor.texts("script_library") == unbundle(bundle(library_path("en-US").parent))
    said = status_bar(window)
    assert f"Editing the working copy {pack.folder} (from the shipped files)." in said
    assert f"Editing the working copy {library.folder} (from the shipped files)." in said
    publish = window.findChild(PublishController)
    assert publish is not None
    assert set(publish.panel.sections) == {"rule_pack", "script_library"}
    assert publish.section("rule_pack").title() == "Rule pack en-US"
    assert publish.section("script_library").title() == "Script library en-US"

    # Saving edits the working copy, never the files installed with the app.
    editor.open("rule_pack", "pack.yaml")
    window.editor.editor.textCursor().insertText("# trainer's note\n")
    assert editor.save()
    assert (pack.folder / "pack.yaml").read_text(encoding="utf-8").startswith("# trainer's")
    assert unbundle(bundle(packs_dir() / "en-US")) == shipped


def test_the_working_copy_is_made_from_the_active_published_version(
    qtbot: QtBot,
    team: Team,
    windows: list[TrainerWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ship_test_packs(monkeypatch)
    LibraryRepository(team.db).publish(
        team.tia, "rule_pack", REF, "2.0", pack_text(tmp_path, "2.0", added_rule=True)
    )

    window, editor = open_window(qtbot, windows, pack=REF)

    source = editor.sources["rule_pack"]
    assert source.folder == drafts_dir() / "rule_pack" / REF
    assert "zh.agent.threat.purple_elephant" in editor.texts("rule_pack")[AGENT]
    assert "version: 2.0" in editor.texts("rule_pack")["pack.yaml"]
    assert status_bar(window) == (f"Editing the working copy {source.folder} (from published 2.0).")
    publish = window.findChild(PublishController)
    assert publish is not None
    assert publish.section("rule_pack").draft.text() == status_bar(window)
    assert publish.section("rule_pack").status.text() == "Desktops run 2.0."


def test_a_pack_folder_named_with_pack_is_edited_in_place(
    qtbot: QtBot, team: Team, windows: list[TrainerWindow], tmp_path: Path
) -> None:
    folder = tmp_path / REF
    shutil.copytree(PACKS / REF, folder)
    window, editor = open_window(qtbot, windows, pack=str(folder))
    assert editor.sources["rule_pack"].folder == folder
    assert status_bar(window) == f"Editing the folder {folder}."
    assert not (drafts_dir() / "rule_pack").exists()


def note_a_missed_threat(team: Team) -> None:
    """Lee noted a threat on Ann's call that no rule flagged."""
    ops = CallOps(mask_text, user_id=team.ann.user_id, team_id=team.ann.team_id)
    for event in (started("c1"), final(1, "您好"), final(2, MISSED)):
        for op in ops.ops_for(event):
            apply_op(team.db, op)
    ProposalRepository(team.db, mask_text).note_missed(
        team.lee, "c1", "agent", 2, text=MISSED, category="agent.threat"
    )


@pytest.mark.parametrize("unsaved", [False, True])
def test_an_accepted_proposal_is_written_into_the_working_copy(
    qtbot: QtBot,
    team: Team,
    windows: list[TrainerWindow],
    monkeypatch: pytest.MonkeyPatch,
    unsaved: bool,
) -> None:
    ship_test_packs(monkeypatch)
    note_a_missed_threat(team)
    monkeypatch.setattr(
        QInputDialog, "getItem", lambda *_args: ("zh.agent.threat.visit_workplace", True)
    )
    window, editor = open_window(qtbot, windows, pack=REF)
    proposals = window.findChild(ProposalsController)
    assert proposals is not None
    qtbot.waitUntil(lambda: proposals.model.rowCount() == 1, timeout=TIMEOUT)
    if unsaved:
        editor.open("rule_pack", AGENT)
        window.editor.editor.textCursor().insertText("# mine\n")

    proposals.panel.table.selectRow(0)
    with qtbot.waitSignal(proposals.example_added, timeout=TIMEOUT):
        proposals.panel.accept.click()

    written = (editor.sources["rule_pack"].folder / AGENT).read_text(encoding="utf-8")
    assert f"      - {MISSED}\n" in written
    shown = editor.document("rule_pack", AGENT)
    if unsaved:
        assert shown.toPlainText().startswith("# mine\n")
        assert MISSED not in shown.toPlainText()
        assert proposals.panel.status.text().endswith(
            "rules/agent.yaml has unsaved changes in the editor, so it still shows your "
            "version: saving it would remove the new example from the file."
        )
    else:
        assert shown.toPlainText() == written
        assert not shown.isModified()
    assert not (PACKS / REF / AGENT).read_text(encoding="utf-8").count(MISSED)


def test_drills_run_the_active_published_pack_and_show_every_trainee(
    qtbot: QtBot, team: Team, windows: list[TrainerWindow], tmp_path: Path
) -> None:
    DrillRepository(team.db, mask_text).start(team.ann, "en.short_overdue", "en-US", "en-US", "old")
    folder = tmp_path / "en-US"
    shutil.copytree(packs_dir() / "en-US", folder)
    head = folder / "pack.yaml"
    head.write_text(
        head.read_text(encoding="utf-8").replace("version: 2026.11.1", "version: 2026.11.9"),
        encoding="utf-8",
    )
    LibraryRepository(team.db).publish(team.tia, "rule_pack", "en-US", "2026.11.9", bundle(folder))

    window, _editor = open_window(qtbot, windows)
    drills = window.findChild(DrillController)
    assert drills is not None
    ready = "Pick a scenario and start the drill."
    qtbot.waitUntil(lambda: drills.panel.status.text() == ready, timeout=TIMEOUT)
    assert [drills.history.row(at).username for at in range(drills.history.rowCount())] == ["ann"]

    drills.select("en.short_overdue")
    drills.panel.start.click()
    qtbot.waitUntil(drills.panel.send.isEnabled, timeout=60_000)
    with team.db.session() as session:
        versions = session.execute(
            select(DrillSession.pack_version).where(DrillSession.user_id == team.tia.user_id)
        ).all()
    assert [v for (v,) in versions] == ["2026.11.9"]
