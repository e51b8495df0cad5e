"""The editor's slow work stays off the UI thread (pytest-qt, offscreen): the rule form's
rewrite runs on a worker and lands only in the text it was made from; the pack is
compiled again only when its rules change, not their comments."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from agent_assist.rules.explain import Fired
from agent_assist.rules.rule_edit import RuleAt, RuleFields
from agent_assist.ui.trainer.controllers import rule_form_controller
from tests.ui.trainer.conftest import AGENT, Opened

DEADBEAT_LINE = 19  # inside the second rule of rules/agent.yaml


def show_deadbeat(qtbot: QtBot, opened: Opened) -> None:
    with qtbot.waitSignal(opened.form.shown, timeout=10_000):
        opened.window.editor.editor.go_to(DEADBEAT_LINE)
    assert opened.window.editor.form.rule_id.text() == "zh.agent.insult.deadbeat"


def test_the_form_is_written_on_a_worker_thread(
    qtbot: QtBot, opened: Opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    rewrite = rule_form_controller.rewrite_rule_at

    def seen(text: str, rule: RuleAt, fields: RuleFields) -> str | None:
        threads.append(threading.current_thread())
        return rewrite(text, rule, fields)

    monkeypatch.setattr(rule_form_controller, "rewrite_rule_at", seen)
    show_deadbeat(qtbot, opened)
    opened.window.editor.form.patterns.setPlainText("老赖\n骗子")
    code = opened.window.editor.editor

    with qtbot.waitSignal(opened.form.written, timeout=10_000):
        opened.window.editor.form.apply.click()
        assert "骗子" not in code.toPlainText()  # the click returned before the rewrite

    assert [t is threading.main_thread() for t in threads] == [False]
    assert "  patterns:\n    - 老赖\n    - 骗子\n" in code.toPlainText()
    assert code.cursor_line() == 17  # back at the rule's first line


def test_a_rewrite_of_a_text_changed_meanwhile_is_refused(qtbot: QtBot, opened: Opened) -> None:
    show_deadbeat(qtbot, opened)
    form = opened.window.editor.form
    form.patterns.setPlainText("老赖\n骗子")

    with qtbot.waitSignal(opened.form.written, timeout=10_000):
        form.apply.click()
        opened.type_at(1, "# typed while the rule was written\n")

    assert form.where.text() == (
        "The text changed while the rule was being written: write it again."
    )
    text = opened.editor.document("rule_pack", AGENT).toPlainText()
    assert text.startswith("# typed while the rule was written\n- id:")
    assert "骗子" not in text

    with qtbot.waitSignal(opened.form.shown, timeout=10_000):
        opened.window.editor.editor.go_to(DEADBEAT_LINE + 1)  # the rule, read again
    form.patterns.setPlainText("老赖\n骗子")
    with qtbot.waitSignal(opened.form.written, timeout=10_000):
        form.apply.click()
    assert "    - 老赖\n    - 骗子\n" in opened.editor.document("rule_pack", AGENT).toPlainText()


def test_the_pack_is_compiled_again_only_when_its_rules_change(
    qtbot: QtBot, opened: Opened
) -> None:
    box = opened.window.editor.try_panel
    with qtbot.waitSignal(opened.trying.explained, timeout=10_000):
        box.sentence.setText("你 这个 老赖")
    before = opened.trying.explainer
    assert before is not None
    compiled = before.matcher
    line = before.pack.rule("zh.agent.insult.deadbeat").line

    # A comment: the pack's rules match as before, one line lower.
    with qtbot.waitSignals([opened.editor.pack_ready, opened.trying.explained], timeout=10_000):
        opened.type_at(1, "# a comment\n")
    after = opened.trying.explainer
    assert after is not None
    assert after is not before
    assert after.matcher is compiled
    assert after.pack.rule("zh.agent.insult.deadbeat").line == line + 1
    assert opened.trying.fired.rowCount() == 1
    fired = opened.trying.fired.row(0)
    assert isinstance(fired, Fired)
    assert fired.pattern_line == before.pack.rule("zh.agent.insult.deadbeat").patterns[0].line + 1

    # A pattern: compiled again.
    with qtbot.waitSignals([opened.editor.pack_ready, opened.trying.explained], timeout=10_000):
        opened.window.editor.editor.document().find("老赖").insertText("赖账 的")
    changed = opened.trying.explainer
    assert changed is not None
    assert changed.matcher is not compiled
    assert opened.trying.fired.rowCount() == 0
