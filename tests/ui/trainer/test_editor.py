"""The trainer window's editor on SQLite and PostgreSQL (pytest-qt, offscreen): problems
shown at their lines as the YAML is typed, the try box, F5 for the examples, the rule form
writing the YAML, the diff against the published version, saving and closing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from agent_assist.errors import UserError
from agent_assist.publishing.bundle import bundle
from agent_assist.publishing.draft import check_pack, read_files
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import library_path
from agent_assist.store.database import Database
from agent_assist.store.library_repo import Kind, LibraryRepository
from agent_assist.ui import trainer_run
from agent_assist.ui.trainer.controllers.editor_controller import EditorController
from agent_assist.ui.trainer.controllers.publish_controller import PublishController
from agent_assist.ui.trainer.views.editor_panel import EditorPanel
from tests.core.publishing.builders import ship_test_packs
from tests.core.store.builders import team_of
from tests.ui.trainer.conftest import AGENT, PACKS, Opened


def test_the_files_of_the_pack_are_listed(opened: Opened) -> None:
    files = opened.window.editor.files
    assert [files.item(row).text() for row in range(files.count())] == [
        "mini-zh/pack.yaml",
        "mini-zh/rules/agent.yaml",
        "mini-zh/rules/debtor.yaml",
    ]
    assert opened.window.editor.editor.toPlainText().startswith("- id: zh.agent.threat")
    assert opened.window.tabs.tabText(0) == "Editor"


def test_a_broken_line_is_listed_and_marked_then_cleared(qtbot: QtBot, opened: Opened) -> None:
    code = opened.window.editor.editor
    with qtbot.waitSignal(opened.editor.checked, timeout=10_000):
        opened.type_at(3, "  severity: loud\n")

    assert opened.problems() == [
        "mini-zh/rules/agent.yaml:3:13: severity must be one of info, warning, critical, not 'loud'"
    ]
    assert code.marked_lines() == [3]
    code.go_to(1)
    opened.window.editor.problems.itemClicked.emit(opened.window.editor.problems.item(0))
    assert code.cursor_line() == 3

    with qtbot.waitSignal(opened.editor.checked, timeout=10_000):
        code.undo()
    assert opened.problems() == []
    assert code.marked_lines() == []
    assert opened.window.editor.problems_title.text() == "No problems: the draft loads."


def test_a_yaml_syntax_error_is_shown_at_its_line(qtbot: QtBot, opened: Opened) -> None:
    with qtbot.waitSignal(opened.editor.checked, timeout=10_000):
        opened.type_at(2, "  explain: [unclosed\n")

    [problem] = opened.problems()
    assert problem.startswith("mini-zh/rules/agent.yaml:3:")
    assert "YAML syntax error" in problem
    assert opened.window.editor.editor.marked_lines() == [3]


def test_the_try_box_shows_the_rule_its_span_and_kind(qtbot: QtBot, opened: Opened) -> None:
    box = opened.window.editor.try_panel
    with qtbot.waitSignal(opened.trying.explained, timeout=10_000):
        box.sentence.setText("我 明天 就 去 你 单位 闹")

    model = opened.trying.fired
    assert model.rowCount() == 1
    rule, category, span, kind, why = (model.index(0, c).data() for c in range(5))
    assert rule == "zh.agent.threat.visit_workplace"
    assert category == "Threat"
    assert span == "7–15 «去 你 单位 闹»"
    assert kind == "exact"
    assert why.startswith("pattern 去 … [你|您] … [单位|公司] … [闹|找]: 威胁")
    assert '<span style="background:#ffe08a">去 你 单位 闹</span>' in box.preview.text()

    with qtbot.waitSignal(opened.trying.explained, timeout=10_000):
        box.sentence.setText("我们 不会 去 您 单位 闹 的")

    assert model.rowCount() == 1  # not fired: shown as cancelled, and why
    assert model.index(0, 3).data() == "exact, cancelled"
    assert model.index(0, 4).data().startswith("cancelled by before: 不会, 不是 (window 4)")
    assert "background" not in box.preview.text()
    assert box.status.text() == "0 rules fire, 1 cancelled by an exclusion."


def test_the_try_box_follows_the_speaker(qtbot: QtBot, opened: Opened) -> None:
    box = opened.window.editor.try_panel
    with qtbot.waitSignal(opened.trying.explained, timeout=10_000):
        box.sentence.setText("你 这个 老赖")
    assert opened.trying.fired.rowCount() == 1
    with qtbot.waitSignal(opened.trying.explained, timeout=10_000):
        box.speaker.setCurrentIndex(box.speaker.findData("debtor"))
    assert opened.trying.fired.rowCount() == 0


def test_f5_runs_the_examples_failures_first(qtbot: QtBot, opened: Opened) -> None:
    with qtbot.waitSignal(opened.trying.examples_done, timeout=10_000):
        qtbot.keyClick(opened.window.editor.editor, Qt.Key.Key_F5)
    model = opened.trying.results
    assert model.rowCount() == 2
    assert {model.index(r, 0).data() for r in range(2)} == {"pass"}

    # A should_flag example the rule cannot match, added in the YAML: it fails, first.
    text = opened.window.editor.editor.toPlainText()
    line = text[: text.index("    should_not_flag:")].count("\n") + 1
    with qtbot.waitSignal(opened.editor.pack_ready, timeout=10_000):
        opened.type_at(line, "      - 您好 请问 是 张 先生 吗\n")
    with qtbot.waitSignal(opened.trying.examples_done, timeout=10_000):
        qtbot.keyClick(opened.window.editor.editor, Qt.Key.Key_F5)

    assert model.rowCount() == 3
    assert [model.index(0, c).data() for c in range(4)] == [
        "FAIL",
        "zh.agent.threat.visit_workplace",
        "should flag",
        "您好 请问 是 张 先生 吗",
    ]
    assert opened.window.editor.examples.status.text() == "2 of 3 examples pass, 1 fail."

    opened.editor.open("rule_pack", "pack.yaml")
    opened.window.editor.examples.table.activated.emit(model.index(0, 0))  # opens its rule
    assert opened.editor.current() == ("rule_pack", AGENT)
    assert opened.window.editor.editor.cursor_line() == 1


def test_the_form_rewrites_the_rule_and_the_result_loads(qtbot: QtBot, opened: Opened) -> None:
    form = opened.window.editor.form
    with qtbot.waitSignal(opened.form.shown, timeout=10_000):
        opened.window.editor.editor.go_to(19)  # inside the second rule
    assert form.rule_id.text() == "zh.agent.insult.deadbeat"
    assert form.severity.currentData() == "warning"
    assert form.patterns.toPlainText() == "老赖"

    form.severity.setCurrentIndex(form.severity.findData("critical"))
    form.patterns.setPlainText("老赖\n骗子")
    form.should_flag.setPlainText("你 就是 个 骗子")
    form.category.setCurrentIndex(form.category.findText("Threat"))
    with qtbot.waitSignal(opened.form.written, timeout=10_000):
        form.apply.click()  # written off the window's thread
    with qtbot.waitSignal(opened.editor.checked, timeout=10_000):
        pass  # the check of the text as written

    text = opened.window.editor.editor.toPlainText()
    assert (
        "- id: zh.agent.insult.deadbeat\n  category: agent.threat\n  severity: critical\n" in text
    )
    assert "  patterns:\n    - 老赖\n    - 骗子\n" in text
    assert "  examples:\n    should_flag:\n      - 你 就是 个 骗子\n" in text
    assert text.startswith("- id: zh.agent.threat.visit_workplace\n")  # the first rule as it was
    assert opened.problems() == []
    checked = check_pack(opened.editor.texts("rule_pack"), "mini-zh")
    assert checked.pack is not None
    assert checked.pack.rule("zh.agent.insult.deadbeat").category == "agent.threat"

    opened.window.editor.editor.undo()  # one edit, one undo
    assert opened.window.editor.editor.toPlainText() == (opened.folder / AGENT).read_text(
        encoding="utf-8"
    )


def test_the_form_is_empty_outside_a_rule(qtbot: QtBot, opened: Opened) -> None:
    with qtbot.waitSignal(opened.form.shown, timeout=10_000):
        opened.editor.open("rule_pack", "pack.yaml")
    assert not opened.window.editor.form.apply.isEnabled()
    assert opened.form.rule is None


def test_the_diff_against_the_published_version(
    qtbot: QtBot, opened: Opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = opened.window.editor.diff
    with qtbot.waitSignal(opened.diff.shown, timeout=10_000):
        opened.window.editor.diff_action.trigger()
    assert panel.status.text() == (
        "Nothing of mini-zh is published or shipped with the app: nothing to compare with."
    )

    ship_test_packs(monkeypatch)  # desktops follow only the ids shipped with the app
    LibraryRepository(opened.db).publish(
        opened.trainer.as_actor(), "rule_pack", "mini-zh", "1.0", bundle(opened.folder)
    )
    with qtbot.waitSignal(opened.diff.shown, timeout=10_000):
        opened.window.editor.diff_action.trigger()
    assert panel.status.text() == "mini-zh: the draft is the same as the published version."
    assert panel.text.toPlainText() == ""

    code = opened.window.editor.editor
    cursor = code.document().find("老赖")
    cursor.insertText("老 赖")
    with qtbot.waitSignal(opened.diff.shown, timeout=10_000):
        opened.window.editor.diff_action.trigger()
    diff = panel.text.toPlainText()
    assert "--- published/rules/agent.yaml\n+++ draft/rules/agent.yaml\n" in diff
    assert "-    - 老赖\n+    - 老 赖\n" in diff
    assert panel.status.text() == "mini-zh: the draft differs from the published version."


def test_the_diff_against_the_shipped_files_while_nothing_is_published(
    qtbot: QtBot, opened: Opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    ship_test_packs(monkeypatch)  # mini-zh ships with the app
    panel = opened.window.editor.diff
    with qtbot.waitSignal(opened.diff.shown, timeout=10_000):
        opened.window.editor.diff_action.trigger()
    assert panel.status.text() == (
        "mini-zh: the draft is the same as the shipped files (nothing is published)."
    )
    assert panel.text.toPlainText() == ""

    opened.window.editor.editor.document().find("老赖").insertText("老 赖")
    with qtbot.waitSignal(opened.diff.shown, timeout=10_000):
        opened.window.editor.diff_action.trigger()
    assert panel.status.text() == (
        "mini-zh: the draft differs from the shipped files (nothing is published)."
    )
    diff = panel.text.toPlainText()
    assert "--- shipped/rules/agent.yaml\n+++ draft/rules/agent.yaml\n" in diff
    assert "-    - 老赖\n+    - 老 赖\n" in diff


def test_save_writes_the_files_and_clears_the_mark(qtbot: QtBot, opened: Opened) -> None:
    opened.type_at(1, "# edited\n")
    files = opened.window.editor.files
    assert files.item(1).text() == "● mini-zh/rules/agent.yaml"

    qtbot.keyClick(opened.window.editor.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert (opened.folder / AGENT).read_text(encoding="utf-8").startswith("# edited\n- id:")
    assert files.item(1).text() == "mini-zh/rules/agent.yaml"
    assert opened.editor.modified() == []


@pytest.mark.parametrize(
    ("answer", "closes", "saved"),
    [
        (QMessageBox.StandardButton.Cancel, False, False),
        (QMessageBox.StandardButton.Discard, True, False),
        (QMessageBox.StandardButton.Save, True, True),
    ],
)
def test_closing_with_unsaved_changes_asks(
    opened: Opened, answer: QMessageBox.StandardButton, closes: bool, saved: bool
) -> None:
    asked: list[bool] = []

    def ask() -> QMessageBox.StandardButton:
        asked.append(True)
        return answer

    opened.editor.ask_unsaved = ask
    opened.type_at(1, "# draft\n")

    assert opened.window.close() is closes
    assert asked == [True]
    on_disk = (opened.folder / AGENT).read_text(encoding="utf-8")
    assert on_disk.startswith("# draft\n") is saved
    assert opened.editor.document("rule_pack", AGENT).toPlainText().startswith("# draft\n")


def test_closing_without_changes_does_not_ask(opened: Opened) -> None:
    opened.editor.ask_unsaved = lambda: pytest.fail("asked without unsaved changes")
    assert opened.window.close()


def test_someone_unknown_is_turned_away(
    qtbot: QtBot, db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", db_url)
    team_of(db)
    with pytest.raises(UserError, match="no active user named 'nobody'"):
        trainer_run.build("nobody", "en", pack=str(PACKS / "mini-zh"))


def test_another_tab_is_one_call(opened: Opened) -> None:
    from PySide6.QtWidgets import QLabel

    at = opened.window.add_tab(QLabel("drills"), "Drills")
    assert opened.window.tabs.tabText(at) == "Drills"
    assert at == opened.window.tabs.count() - 1  # after the tabs trainer_run adds


def test_a_script_library_is_edited_and_checked_too(
    qtbot: QtBot, db: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", db_url)
    team_of(db)
    folder = tmp_path / "zh-CN"
    shutil.copytree(library_path("zh-CN").parent, folder)
    window = trainer_run.build("tia", "en", library=str(folder))
    qtbot.addWidget(window)
    editor = window.findChild(EditorController)
    assert editor is not None
    editor.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # never a modal dialog
    files = window.editor.files
    assert [files.item(row).text() for row in range(files.count())] == [
        "zh-CN/messages.yaml",
        "zh-CN/scripts.yaml",
    ]
    qtbot.waitUntil(lambda: window.editor.problems_title.text() == "No problems: the draft loads.")
    editor.open("script_library", "scripts.yaml")
    document = editor.document("script_library", "scripts.yaml")
    line = document.find("stage: any").blockNumber() + 1

    with qtbot.waitSignal(editor.checked, timeout=10_000):
        document.find("stage: any").insertText("stage: sometimes")

    [problem] = [
        window.editor.problems.item(r).text() for r in range(window.editor.problems.count())
    ]
    assert problem.startswith(f"zh-CN/scripts.yaml:{line}:")
    assert window.editor.editor.marked_lines() == [line]
    window.editor.run_examples_action.trigger()
    assert window.editor.examples.status.text().startswith("No rule pack loads yet")


def test_saving_one_kind_leaves_the_other_unsaved(qtbot: QtBot, tmp_path: Path) -> None:
    """Publishing a pack saves the pack's files only; Ctrl+S saves everything."""
    pack, library = tmp_path / "mini-zh", tmp_path / "zh-CN"
    shutil.copytree(PACKS / "mini-zh", pack)
    shutil.copytree(library_path("zh-CN").parent, library)
    panel = EditorPanel()
    qtbot.addWidget(panel)
    files: dict[Kind, tuple[Path, str, dict[str, str]]] = {
        "rule_pack": (pack, "mini-zh", read_files(pack)),
        "script_library": (library, "zh-CN", read_files(library)),
    }
    editor = EditorController(panel, files, load_taxonomy())
    with qtbot.waitSignal(editor.checked, timeout=10_000):
        pass  # the first check runs in the background: let it end inside the test
    QTextCursor(editor.document("rule_pack", AGENT)).insertText("# pack\n")
    QTextCursor(editor.document("script_library", "scripts.yaml")).insertText("# library\n")

    assert editor.save("rule_pack")

    assert (pack / AGENT).read_text(encoding="utf-8").startswith("# pack\n")
    assert not (library / "scripts.yaml").read_text(encoding="utf-8").startswith("# library")
    assert editor.modified() == [("script_library", "scripts.yaml")]

    panel.save_action.trigger()  # Ctrl+S

    assert (library / "scripts.yaml").read_text(encoding="utf-8").startswith("# library\n")
    assert editor.modified() == []


def test_the_diff_compares_with_the_version_of_the_team_chosen_for_publishing(
    qtbot: QtBot, opened: Opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    ship_test_packs(monkeypatch)
    library = LibraryRepository(opened.db)
    tia = opened.trainer.as_actor()
    library.publish(tia, "rule_pack", "mini-zh", "1.0", bundle(opened.folder))
    red = library.team_named("red")
    team_copy = opened.folder.parent / "red" / "mini-zh"
    shutil.copytree(opened.folder, team_copy)
    rules = team_copy / "rules" / "agent.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("老赖", "老 赖"), "utf-8")
    library.publish(tia, "rule_pack", "mini-zh", "1.1-red", bundle(team_copy), team_id=red.id)
    publish = opened.window.findChild(PublishController)
    assert publish is not None
    qtbot.waitUntil(lambda: publish.panel.scope.count() > 1)
    panel = opened.window.editor.diff

    with qtbot.waitSignal(opened.diff.shown, timeout=10_000):
        opened.window.editor.diff_action.trigger()
    assert panel.status.text() == "mini-zh: the draft is the same as the published version."

    publish.panel.scope.setCurrentIndex(publish.panel.scope.findText("red"))
    with qtbot.waitSignal(opened.diff.shown, timeout=10_000):
        opened.window.editor.diff_action.trigger()
    assert panel.status.text() == "mini-zh: the draft differs from the published version."
    assert "-    - 老 赖\n+    - 老赖\n" in panel.text.toPlainText()
