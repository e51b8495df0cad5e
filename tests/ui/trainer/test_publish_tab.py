"""The trainer window's Publish tab on SQLite and PostgreSQL (pytest-qt, offscreen): the
working copy of a shipped pack published from the tab, made active and audited with the
trainer; a second version and the rollback; invalid and unsaved drafts refused; the
editor's diff following the active version."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agent_assist.store.database import Database
from agent_assist.store.library_repo import EVERY_TEAM, SHIPPED, LibraryRepository
from agent_assist.store.records import UserRecord
from agent_assist.store.tables import AuditEntry
from agent_assist.ui import trainer_run
from agent_assist.ui.trainer.controllers.diff_controller import DiffController
from agent_assist.ui.trainer.controllers.editor_controller import EditorController
from agent_assist.ui.trainer.controllers.publish_controller import PublishController
from agent_assist.ui.trainer.views.publish_panel import PublishPanel, PublishSection
from agent_assist.ui.trainer.views.trainer_window import TrainerWindow
from tests.core.publishing.builders import REF, ship_test_packs
from tests.core.store.builders import team_of

AGENT = "rules/agent.yaml"
TIMEOUT = 30_000


@dataclass
class Tab:
    qtbot: QtBot
    db: Database
    trainer: UserRecord
    window: TrainerWindow
    editor: EditorController
    diff: DiffController
    publish: PublishController
    asked_versions: list[str] = field(default_factory=list)
    asked_rollbacks: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def section(self) -> PublishSection:
        return self.publish.section("rule_pack")

    def rows(self) -> list[tuple[str, ...]]:
        model = self.publish.models["rule_pack"]
        return [
            tuple(model.index(r, c).data() for c in range(model.columnCount()))
            for r in range(model.rowCount())
        ]

    def click(self, button_of: str) -> None:
        """Press a button and wait for the action's outcome."""
        with self.qtbot.waitSignal(self.publish.finished, timeout=TIMEOUT):
            getattr(self.section, button_of).click()

    def change(self, button_of: str) -> None:
        """Press a button whose action changes the active version; wait for the editor's
        diff to show the new one too."""
        with self.qtbot.waitSignals([self.publish.finished, self.diff.shown], timeout=TIMEOUT):
            getattr(self.section, button_of).click()

    def active(self) -> str | None:
        found = LibraryRepository(self.db).active("rule_pack", REF)
        return None if found is None else found.version

    def type_at_start(self, text: str) -> None:
        self.editor.open("rule_pack", AGENT)
        self.window.editor.editor.go_to(1)
        self.window.editor.editor.textCursor().insertText(text)


@pytest.fixture
def tabs() -> Iterator[list[Tab]]:
    # Windows and controllers stay referenced until the test ends, then are collected here
    # on the main thread (never by a collection that happens to run on a worker thread).
    opened: list[Tab] = []
    yield opened
    for tab in opened:
        tab.window.close()
    opened.clear()
    gc.collect()


@pytest.fixture
def tab(
    qtbot: QtBot,
    db: Database,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tabs: list[Tab],
) -> Tab:
    """Tia edits the working copy of the shipped test pack mini-zh (version 1.0)."""
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", db_url)
    ship_test_packs(monkeypatch)
    *_, tia = team_of(db)
    window = trainer_run.build("tia", "en", pack=REF)
    qtbot.addWidget(window)
    editor = window.findChild(EditorController)
    diff = window.findChild(DiffController)
    publish = window.findChild(PublishController)
    assert editor is not None
    assert diff is not None
    assert publish is not None
    editor.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # never a modal dialog
    opened = Tab(qtbot, db, tia, window, editor, diff, publish)

    def version(_kind: str, _ref: str, suggested: str) -> str:
        opened.asked_versions.append(suggested)
        return suggested

    def rollback(ref: str, current: str, back_to: str) -> bool:
        opened.asked_rollbacks.append((ref, current, back_to))
        return True

    publish.ask_version = version
    publish.ask_save = lambda _files: pytest.fail("asked to save a saved draft")
    publish.confirm_rollback = rollback
    tabs.append(opened)
    window.show()
    qtbot.waitUntil(lambda: publish.listings.get("rule_pack") is not None, timeout=TIMEOUT)
    return opened


def audit(db: Database) -> list[tuple[int | None, str, str, str]]:
    with db.session() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [
            (a.actor_id, a.action, a.target_id, a.detail)
            for a in rows
            if a.action in ("publish", "activate", "rollback")
        ]


def test_publishing_the_draft_makes_it_active_and_audits_the_trainer(tab: Tab) -> None:
    assert tab.rows() == []
    assert tab.section.status.text() == "Desktops run the files shipped with the app."
    assert not tab.section.rollback.isEnabled()

    tab.change("publish")

    assert tab.asked_versions == ["1.0"]  # the draft's own version: nothing is published
    [(version, by, _when, sha, active, where)] = tab.rows()
    assert (version, by, active, where) == ("1.0", "Tia", "ACTIVE", "All teams")
    published = LibraryRepository(tab.db).versions("rule_pack", REF)[0]
    assert sha == published.sha256[:12]
    assert tab.active() == "1.0"
    assert tab.section.status.text() == (
        "Published mini-zh 1.0: every team's desktops run it from their next call."
    )
    assert [entry[:3] for entry in audit(tab.db)] == [
        (tab.trainer.id, "publish", "mini-zh@1.0"),
        (tab.trainer.id, "activate", "mini-zh@1.0"),
    ]
    assert tab.section.rollback.isEnabled()
    assert tab.window.editor.diff.status.text() == (
        "mini-zh: the draft is the same as the published version."
    )


def test_a_second_version_then_a_rollback_to_the_first(tab: Tab) -> None:
    tab.change("publish")
    tab.type_at_start("# second version\n")
    saved: list[list[str]] = []
    tab.publish.ask_save = lambda files: saved.append(files) or True

    tab.change("publish")

    assert saved == [["mini-zh/rules/agent.yaml"]]
    assert tab.editor.modified() == []
    assert tab.asked_versions == ["1.0", "1.1"]  # 1.0 is taken: the next one is offered
    assert [(row[0], row[4]) for row in tab.rows()] == [("1.1", "ACTIVE"), ("1.0", "")]
    assert tab.window.editor.diff.status.text() == (
        "mini-zh: the draft is the same as the published version."
    )

    tab.change("rollback")

    assert tab.asked_rollbacks == [("mini-zh", "1.1", "1.0")]
    assert tab.active() == "1.0"
    assert [(row[0], row[4]) for row in tab.rows()] == [("1.1", ""), ("1.0", "ACTIVE")]
    assert tab.section.status.text() == (
        "mini-zh is back to 1.0: every team's desktops run it from their next call."
    )
    assert tab.window.editor.diff.status.text() == (
        "mini-zh: the draft differs from the published version."
    )
    assert audit(tab.db)[-1] == (tab.trainer.id, "rollback", "mini-zh@1.0", "was 1.1")

    # From the oldest version, back to the shipped files.
    tab.change("rollback")
    assert tab.asked_rollbacks[-1] == ("mini-zh", "1.0", SHIPPED)
    assert tab.active() is None
    assert tab.section.status.text() == (
        "mini-zh is back to the files shipped with the app: every team's desktops run it "
        "from their next call."
    )


def test_a_selected_version_is_made_active(tab: Tab) -> None:
    tab.change("publish")
    tab.type_at_start("# second version\n")
    assert tab.editor.save()
    tab.change("publish")
    assert not tab.section.activate.isEnabled()  # nothing selected

    tab.section.versions.selectRow(1)
    assert tab.section.activate.isEnabled()
    tab.change("activate")

    assert tab.active() == "1.0"
    assert [(row[0], row[4]) for row in tab.rows()] == [("1.1", ""), ("1.0", "ACTIVE")]
    assert audit(tab.db)[-1] == (tab.trainer.id, "activate", "mini-zh@1.0", "was 1.1")


def test_an_invalid_draft_is_refused_with_its_problem(tab: Tab) -> None:
    tab.editor.open("rule_pack", AGENT)
    tab.window.editor.editor.go_to(3)
    tab.window.editor.editor.textCursor().insertText("  severity: loud\n")
    assert tab.editor.save()

    tab.click("publish")

    assert tab.section.status.text() == (
        "Not published: the draft has 1 problem. Fix it and publish again:\n"
        "rules/agent.yaml:3:13: severity must be one of info, warning, critical, not 'loud'"
    )
    assert tab.asked_versions == []
    assert LibraryRepository(tab.db).versions("rule_pack", REF) == []


def test_unsaved_changes_are_not_published_unless_saved(tab: Tab) -> None:
    tab.type_at_start("# not saved\n")
    asked: list[list[str]] = []
    tab.publish.ask_save = lambda files: asked.append(files) and False

    tab.section.publish.click()  # refused at once: nothing runs in the background

    assert asked == [["mini-zh/rules/agent.yaml"]]
    assert tab.section.status.text() == "Not published: save your changes first."
    assert tab.editor.modified() == [("rule_pack", AGENT)]
    assert LibraryRepository(tab.db).versions("rule_pack", REF) == []


def test_the_same_draft_again_is_not_published_twice(tab: Tab) -> None:
    tab.change("publish")
    tab.click("publish")
    assert tab.asked_versions == ["1.0"]
    assert tab.section.status.text() == (
        "This draft is published already as 1.0, the active version."
    )
    assert len(LibraryRepository(tab.db).versions("rule_pack", REF)) == 1


def test_a_version_for_one_team_first_then_back_to_all_teams(tab: Tab) -> None:
    tab.change("publish")  # 1.0 for all teams
    tab.type_at_start("# for red first\n")
    assert tab.editor.save()
    scope = tab.window.findChild(PublishPanel).scope  # type: ignore[union-attr]
    assert [scope.itemText(at) for at in range(scope.count())] == ["All teams", "blue", "red"]
    with tab.qtbot.waitSignal(tab.publish.listed, timeout=TIMEOUT):
        scope.setCurrentIndex(scope.findText("red"))
    assert tab.section.status.text() == "Desktops of team red run 1.0."
    assert not tab.section.rollback.isEnabled()  # red has no version of its own

    tab.click("publish")

    red = LibraryRepository(tab.db).team_named("red").id
    assert tab.section.status.text() == (
        "Published mini-zh 1.1: every desktop of team red runs it from its next call."
    )
    assert [(row[0], row[4], row[5]) for row in tab.rows()] == [
        ("1.1", "ACTIVE", "red"),
        ("1.0", "", "All teams"),
    ]
    assert tab.active() == "1.0"  # all teams' version is unchanged
    found = LibraryRepository(tab.db).active("rule_pack", REF, team_id=red)
    assert found is not None
    assert found.version == "1.1"
    assert audit(tab.db)[-1][1:] == ("activate", "mini-zh@1.1", "was every-team (1.0); team red")

    tab.click("rollback")

    assert tab.asked_rollbacks == [("mini-zh", "1.1", EVERY_TEAM)]
    assert tab.section.status.text() == (
        "mini-zh is back to all teams' version: every desktop of team red runs it from its "
        "next call."
    )
    assert [(row[0], row[4], row[5]) for row in tab.rows()] == [
        ("1.1", "", ""),
        ("1.0", "ACTIVE", "All teams"),
    ]
    assert LibraryRepository(tab.db).active("rule_pack", REF, team_id=red) == (
        LibraryRepository(tab.db).active("rule_pack", REF)
    )
