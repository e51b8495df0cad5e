"""The rule form's edits written into a rules file: only that rule's lines change, its
comments stay, and the result loads."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from agent_assist.publishing.draft import check_pack, read_files
from agent_assist.rules.rule_edit import RuleFields, rewrite_rule, rewrite_rule_at, rule_at

ROOT = Path(__file__).resolve().parents[3]
PACKS = ROOT / "tests" / "data" / "packs"

RULES = """\
# threats
- id: a.one
  category: agent.threat
  patterns:
    # the usual one
    - 去 你 单位   # said at work
    - {pattern: "上门 … 找 你", within: 4}
  explain: x
  reply: zh.reply.x

- id: a.two
  category: agent.insult
  patterns: [老赖]
  explain: y
"""


def test_the_rule_under_a_line() -> None:
    assert rule_at(RULES, 1) is None  # the file's comment, before any rule
    first = rule_at(RULES, 6)
    second = rule_at(RULES, 12)
    assert first is not None
    assert second is not None
    assert (first.index, first.first_line, second.index, second.first_line) == (0, 2, 1, 11)
    assert first.fields == RuleFields(
        id="a.one",
        category="agent.threat",
        patterns=("去 你 单位", "上门 … 找 你"),
        explain="x",
        reply="zh.reply.x",
    )
    assert rule_at("- id: [broken", 1) is None


def test_unchanged_fields_give_the_text_back_byte_for_byte() -> None:
    for path in glob.glob(str(ROOT / "resources" / "packs" / "*" / "rules" / "*.yaml")):
        text = Path(path).read_text(encoding="utf-8")
        first = rule_at(text, text[: text.index("- id:")].count("\n") + 1)
        assert first is not None
        assert rewrite_rule(text, first.index, first.fields) == text, path


def test_a_rule_is_rewritten_only_where_it_was_read() -> None:
    second = rule_at(RULES, 12)
    assert second is not None
    fields = RuleFields(id="a.two", category="agent.insult", patterns=("骗子",), explain="y")
    assert rewrite_rule_at(RULES, second, fields) == rewrite_rule(RULES, 1, fields)
    assert rewrite_rule_at("# a line above\n" + RULES, second, fields) is None
    assert rewrite_rule_at(RULES.replace("- id: a.one", "- id: [broken"), second, fields) is None


def test_an_edit_changes_only_that_rule_and_keeps_its_comments() -> None:
    first = rule_at(RULES, 2)
    assert first is not None
    fields = RuleFields(
        id="a.one",
        category="agent.threat",
        severity="warning",
        patterns=("去 你 单位", "上门 … 找 你", "去 你 家 闹"),
        explain="x",
        reply="",
        should_flag=("我 去 你 单位",),
    )

    text = rewrite_rule(RULES, first.index, fields)

    assert (
        text
        == """\
# threats
- id: a.one
  category: agent.threat
  severity: warning
  patterns:
    # the usual one
    - 去 你 单位   # said at work
    - {pattern: "上门 … 找 你", within: 4}
    - 去 你 家 闹
  explain: x
  examples:
    should_flag:
      - 我 去 你 单位

- id: a.two
  category: agent.insult
  patterns: [老赖]
  explain: y
"""
    )
    assert rule_at(text, 2) is not None


def test_an_edited_rule_loads_with_the_pack() -> None:
    files = read_files(PACKS / "mini-zh")
    text = files["rules/agent.yaml"]
    found = rule_at(text, 1)
    assert found is not None
    fields = found.fields
    edited = RuleFields(
        **{
            **{k: getattr(fields, k) for k in RuleFields.__slots__},
            "patterns": (*fields.patterns, "砸 你 家 门"),
            "should_flag": (*fields.should_flag, "我 去 砸 你 家 门"),
        }
    )
    files["rules/agent.yaml"] = rewrite_rule(text, found.index, edited)

    checked = check_pack(files, "mini-zh")

    assert checked.problems == ()
    assert checked.pack is not None
    assert checked.pack.rules[0].patterns[-1].source == "砸 你 家 门"
    assert checked.pack.rules[0].examples.should_flag[-1] == "我 去 砸 你 家 门"


def test_rewriting_a_rule_that_is_not_there_is_refused() -> None:
    with pytest.raises(ValueError, match="no rule 5"):
        rewrite_rule(RULES, 5, RuleFields())
