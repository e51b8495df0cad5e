"""Adding a proposed example to a rule's YAML: one line added, everything else kept byte for
byte, the pack still loads, and the example is run to tell whether the rule obeys it."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from agent_assist.errors import UserError
from agent_assist.rules import add_example as add_example_module
from agent_assist.rules.add_example import add_example
from agent_assist.rules.loader import load_pack
from agent_assist.rules.registry import packs_dir

MINI_PACK = """pack:
  id: mini
  language: zh
  jurisdiction: CN
  version: "1"
  title: mini
"""
# Written with a byte-order mark and CRLF line ends, as a Windows editor saves it.
MINI_RULES = """# rules for the tests
- id: mini.bare
  category: agent.threat
  patterns: [去 你 单位 闹]   # a flow list
  explain: 威胁
- id: mini.flow
  category: agent.insult
  patterns:
    - 蠢 货
  explain: 侮辱
  examples: {should_flag: []}
# between two rules
- id: mini.half
  category: agent.threat
  patterns:
    - 打 断 你 的 腿
  explain: 威胁
  examples:
    should_flag:
      - 我 打 断 你 的 腿  # it fires
    # a comment inside

# the end
"""


def crlf(text: str) -> bytes:
    return ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    (folder / "rules").mkdir(parents=True)
    (folder / "pack.yaml").write_text(MINI_PACK, encoding="utf-8")
    (folder / "rules" / "a.yaml").write_bytes(crlf(MINI_RULES))
    return folder


@pytest.fixture
def zh_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "zh-CN"
    shutil.copytree(packs_dir() / "zh-CN", folder)
    return folder


def added_lines(before: str, after: str) -> list[str]:
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    changed = [line for line in diff if line[:2] in ("+ ", "- ")]
    assert all(line.startswith("+ ") for line in changed), changed
    return [line[2:] for line in changed]


def test_a_should_not_flag_example_is_one_new_line_after_the_rules_last(zh_pack: Path) -> None:
    path = zh_pack / "rules" / "agent_threat.yaml"
    before = path.read_text(encoding="utf-8")
    old = next(r for r in load_pack(zh_pack).rules if r.id == "zh.agent.threat.violence")
    result = add_example(
        zh_pack, "zh.agent.threat.violence", "should_not_flag", "您 好\n请问 是 王 先生 吗"
    )
    after = path.read_text(encoding="utf-8")
    assert added_lines(before, after) == ["      - 您 好 请问 是 王 先生 吗"]
    lines = after.splitlines()
    at = lines.index("      - 您 好 请问 是 王 先生 吗")
    assert lines[at - 1] == f"      - {old.examples.should_not_flag[-1]}"  # the former last
    assert (result.added, result.behaves, result.advice) == (True, True, "")
    assert result.file == path
    rule = next(r for r in load_pack(zh_pack).rules if r.id == "zh.agent.threat.violence")
    assert rule.examples.should_not_flag[-1] == "您 好 请问 是 王 先生 吗"


def test_a_should_not_flag_example_that_still_fires_says_the_rule_needs_an_exclusion(
    zh_pack: Path,
) -> None:
    result = add_example(
        zh_pack, "zh.agent.threat.violence", "should_not_flag", "信 不 信 我 找 几 个 兄弟 收拾 你"
    )
    assert result.added
    assert not result.behaves
    assert "exclusion" in result.advice
    assert "zh.agent.threat.violence" in result.advice


def test_a_should_flag_example_is_run_and_a_known_one_is_not_added_twice(zh_pack: Path) -> None:
    rule_id = "zh.agent.threat.violence"
    fires = add_example(zh_pack, rule_id, "should_flag", "我 找 几 个 兄弟 收拾 你")
    assert (fires.added, fires.behaves) == (True, True)
    quiet = add_example(zh_pack, rule_id, "should_flag", "您 今天 方便 还款 吗")
    assert (quiet.added, quiet.behaves) == (True, False)
    assert "pattern" in quiet.advice
    path = zh_pack / "rules" / "agent_threat.yaml"
    before = path.read_bytes()
    again = add_example(zh_pack, rule_id, "should_flag", "  我 找 几 个   兄弟 收拾 你 ")
    assert (again.added, again.behaves) == (False, True)
    assert path.read_bytes() == before


def test_every_shape_of_examples_gets_the_new_one_and_the_file_keeps_its_bytes(
    mini: Path,
) -> None:
    add_example(mini, "mini.bare", "should_flag", "我 去 你 单位 闹")
    add_example(mini, "mini.flow", "should_flag", "你 这个 蠢 货")
    add_example(mini, "mini.flow", "should_flag", "注意: 蠢 货")  # needs quotes in YAML
    add_example(mini, "mini.half", "should_not_flag", "我们 不 会 打 人")
    expected = MINI_RULES.replace(
        "  explain: 威胁\n- id: mini.flow",
        "  explain: 威胁\n  examples:\n    should_flag:\n      - 我 去 你 单位 闹\n- id: mini.flow",
    )
    expected = expected.replace(
        "{should_flag: []}", '{should_flag: ["你 这个 蠢 货", "注意: 蠢 货"]}'
    )
    expected = expected.replace(
        "      - 我 打 断 你 的 腿  # it fires\n",
        "      - 我 打 断 你 的 腿  # it fires\n    should_not_flag:\n      - 我们 不 会 打 人\n",
    )
    assert (mini / "rules" / "a.yaml").read_bytes() == crlf(expected)
    rules = {r.id: r for r in load_pack(mini).rules}
    assert rules["mini.bare"].examples.should_flag == ("我 去 你 单位 闹",)
    assert rules["mini.flow"].examples.should_flag == ("你 这个 蠢 货", "注意: 蠢 货")
    assert rules["mini.half"].examples.should_not_flag == ("我们 不 会 打 人",)


def test_unknown_rules_kinds_and_broken_packs_are_refused_and_nothing_is_written(
    mini: Path,
) -> None:
    path = mini / "rules" / "a.yaml"
    before = path.read_bytes()
    with pytest.raises(UserError, match=r"did you mean mini\.half"):
        add_example(mini, "mini.hlaf", "should_flag", "打 断 你 的 腿")
    with pytest.raises(UserError, match="should_flag or should_not_flag"):
        add_example(mini, "mini.half", "flag", "打 断 你 的 腿")
    with pytest.raises(UserError, match="empty"):
        add_example(mini, "mini.half", "should_flag", " \n ")
    (mini / "rules" / "b.yaml").write_text("- id: mini.half\n", encoding="utf-8")
    with pytest.raises(UserError, match="Fix the pack first"):
        add_example(mini, "mini.half", "should_flag", "打 断 你 的 腿")
    assert path.read_bytes() == before


def test_an_edit_the_loader_refuses_is_undone(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = mini / "rules" / "a.yaml"
    before = path.read_bytes()
    monkeypatch.setattr(add_example_module, "with_example", lambda *_args: "- id: [broken\n")
    with pytest.raises(UserError, match="would break the pack"):
        add_example(mini, "mini.half", "should_flag", "打 断 你 的 腿")
    assert path.read_bytes() == before
    assert [p.name for p in (mini / "rules").iterdir()] == ["a.yaml"]  # no temp file left
