"""Drill scenarios: the bundled ones are complete and their cues fire; broken files are
reported line by line and not loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_assist import app
from agent_assist.errors import UserError
from agent_assist.rules.quality import scan
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.training.scenario import (
    ScenarioError,
    bundled_scenarios,
    find_scenario,
    load_scenario,
)

CUES = load_taxonomy().keys()
KINDS = (
    "short_overdue",
    "long_arrears",
    "business_failure",
    "wilful_defaulter",
    "wrong_party",
    "vulnerable_debtor",
)


def test_the_six_scenarios_are_bundled_in_mandarin_and_english() -> None:
    scenarios = bundled_scenarios(CUES)
    ids = {s.id for s in scenarios}
    assert ids == {f"{lang}.{kind}" for lang in ("zh", "en") for kind in KINDS}
    for s in scenarios:
        assert s.pack == s.language  # scored by the language's bundled pack
        assert s.required, s.id
        assert s.replies, s.id
        assert len(s.turns) >= 3, s.id


@pytest.mark.parametrize("scenario", bundled_scenarios(CUES), ids=lambda s: s.id)
def test_every_cue_a_scenario_scores_is_raised_by_its_debtor(scenario: object) -> None:
    from agent_assist.training.scenario import Scenario

    assert isinstance(scenario, Scenario)
    pack, flags, _ = app.compiled_pack(scenario.pack_spec())
    said = {
        flag.category
        for turn in scenario.turns
        for flag in scan(flags, turn.say, "debtor")  # the main line, without branches
    }
    assert set(scenario.replies) <= said
    statements = {req.id for req in pack.required}
    assert {line.id for line in scenario.required if line.statement} <= statements


def test_a_scenario_is_found_by_id_or_by_file() -> None:
    by_id = find_scenario("en.wrong_party", CUES)
    assert find_scenario(by_id.path, CUES) == by_id
    with pytest.raises(UserError, match=r"no drill scenario 'nope'.*drill list"):
        find_scenario("nope", CUES)


GOOD = """\
scenario:
  id: t.one
  title: One
  language: zh-CN
  pack: zh-CN
  stage: early
brief:
  debtor: 王磊
  amount: "100.00"
  currency: CNY
  days_overdue: 3
  situation: 忘了
debtor:
  - say: 喂？
  - say: 我没钱
    branches:
      - if_heard: ["上门 … 找"]
        say: 你威胁我
        end: true
required:
  - statement: zh.required.identify_agent
  - id: t.amount
    patterns: ["[100|一百]"]
    explain: 说金额
    by_turn: 2
replies: [debtor.hardship]
"""


def test_a_good_file_loads_with_its_branches_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(GOOD, encoding="utf-8")
    s = load_scenario(path, CUES)
    assert (s.id, s.stage, s.segment, s.brief.days_overdue) == ("t.one", "early", None, 3)
    assert s.turns[1].branches[0].end
    assert s.turns[1].branches[0].heard[0].elements == (("上门",), ("找",))
    assert [(x.id, x.statement, x.by_turn) for x in s.required] == [
        ("zh.required.identify_agent", True, None),
        ("t.amount", False, 2),
    ]


def test_a_broken_file_names_every_problem_at_its_line(tmp_path: Path) -> None:
    broken = (
        GOOD.replace("  stage: early", "  stage: someday")
        .replace("  days_overdue: 3", "  days_overdue: three")
        .replace('      - if_heard: ["上门 … 找"]', '      - if_heard: ["[上门|"]')
        .replace("replies: [debtor.hardship]", "replies: [debtor.hardshp]")
        .replace("    by_turn: 2", "    by_turn: 2\n    explan: x")
    )
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, CUES)
    lines = [p.line for p in caught.value.problems]
    assert len(lines) == 5
    assert lines == sorted(lines)
    text = str(caught.value)
    assert f"{path}:6:10: stage must be one of early, mid, late, legal, not 'someday'" in text
    assert f"{path}:11:17: days_overdue must be a whole number" in text
    assert f"{path}:17:20: `[` is never closed" in text  # at the bracket, inside the quotes
    assert "unknown key 'explan' in a required line (did you mean 'explain'?)" in text
    assert "unknown cue 'debtor.hardshp'" in text


def test_a_file_that_is_not_yaml_says_where(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("scenario:\n  id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.yaml:\d+:\d+: YAML syntax error"):
        load_scenario(path, CUES)


def test_a_branch_must_say_when_it_is_chosen(tmp_path: Path) -> None:
    path = tmp_path / "branch.yaml"
    text = GOOD.replace('      - if_heard: ["上门 … 找"]\n', "      - end: true\n")
    path.write_text(text.replace("        end: true\n", "", 1), encoding="utf-8")
    with pytest.raises(ScenarioError, match="a branch needs `if_flagged` or `if_heard`"):
        load_scenario(path, CUES)
