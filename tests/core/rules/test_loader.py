from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from agent_assist.rules.loader import PackError, Problem, load_pack
from agent_assist.rules.model import Exclusion, Pattern, ToneSettings

PACKS = Path(__file__).resolve().parents[2] / "data" / "packs"

PACK_YAML = """\
pack:
  id: t-zh
  language: zh
  jurisdiction: CN
  version: "1"
  title: t
"""
RULE = """\
- id: a
  category: agent.threat
  patterns: [去 你 单位]
  explain: x
"""


def write_pack(root: Path, pack_yaml: str = PACK_YAML, **rules: str) -> Path:
    """A pack folder ``root/t-zh`` with rule files given as ``name=text`` (rules/name.yaml)."""
    folder = root / "t-zh"
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(pack_yaml, encoding="utf-8")
    for name, text in (rules or {"r": RULE}).items():
        (folder / "rules" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    return list(caught.value.problems)


def where(problem: Problem, folder: Path) -> str:
    return f"{problem.path.relative_to(folder).as_posix()}:{problem.line}:{problem.col}"


def test_multi_file_pack_with_defaults() -> None:
    pack = load_pack(PACKS / "mini-zh")

    assert (pack.info.id, pack.info.language, pack.info.version) == ("mini-zh", "zh", "1.0")
    assert pack.info.sources == ("测试用，不是法规",)
    assert [rule.id for rule in pack.rules] == [
        "zh.agent.threat.visit_workplace",
        "zh.agent.insult.deadbeat",
        "zh.debtor.hardship.job_loss",
    ]
    visit, insult, job_loss = pack.rules
    # speaker and severity come from the category unless the rule says otherwise
    assert (visit.speaker, visit.severity) == ("agent", "critical")
    assert (insult.speaker, insult.severity) == ("agent", "warning")
    assert (job_loss.speaker, job_loss.severity) == ("any", "info")
    assert visit.patterns == (
        Pattern(
            (("去",), ("你", "您"), ("单位", "公司"), ("闹", "找")), 6, visit.patterns[0].source, 4
        ),
        Pattern((("上门", "到家"), ("找 你", "找 您")), 4, "[上门|到家] … 找 [你|您]", 5),
        Pattern((("让 你 全家 不得 安宁",),), 6, "让 你 全家 不得 安宁", 6),
    )
    assert [(rule.file, rule.line) for rule in pack.rules] == [
        ("rules/agent.yaml", 1),
        ("rules/agent.yaml", 17),
        ("rules/debtor.yaml", 1),
    ]
    assert visit.tolerant
    assert not insult.tolerant
    assert (visit.reply, insult.reply) == ("zh.reply.lawful_consequence", None)
    assert visit.examples.should_flag == ("我 明天 就 去 你 单位 闹",)
    assert visit.examples.should_not_flag == ("我们 不会 去 您 单位 的",)
    assert visit.explanation.startswith("威胁到单位")


def test_rule_exclusions_come_before_the_packs_defaults_for_its_side() -> None:
    visit, insult, job_loss = load_pack(PACKS / "mini-zh").rules

    assert visit.exclusions == (
        Exclusion("utterance", ("依法", "法院 判决")),
        Exclusion("before", ("不会", "不是"), 4),
        Exclusion("utterance", ("您 刚才 说", "你 刚才 说")),
    )
    assert insult.exclusions == ()  # default_exclusions: false
    # the side is the category's, even when the rule's speaker is "any"
    assert job_loss.exclusions == (Exclusion("before", ("不", "没"), 2),)


def test_pack_settings_required_statements_and_tone() -> None:
    pack = load_pack(PACKS / "mini-zh")

    assert pack.cooldown_s == 8
    assert pack.path == str(PACKS / "mini-zh")
    (identify,) = pack.required
    assert (identify.id, identify.speaker, identify.within_s, identify.severity) == (
        "zh.required.identify",
        "agent",
        60,
        "warning",
    )
    assert [p.elements for p in identify.patterns] == [
        (("我 是",), ("银行", "中心")),
        (("工号 是", "编号 是"),),
    ]
    assert pack.tone == ToneSettings(max_rate=6.5, loud_db_above_baseline=10)


def test_english_defaults() -> None:
    pack = load_pack(PACKS / "mini-en")

    (rule,) = pack.rules
    assert rule.patterns[0] == Pattern(
        (("arrest", "jail"), ("you",)), 3, "[arrest|jail] ... you", 4
    )
    assert (pack.info.language, pack.info.version, pack.cooldown_s) == ("en", "2026.11.1", 10)
    assert (pack.required, pack.tone, rule.exclusions) == ((), ToneSettings(), ())
    assert rule.file == "rules/legal.yml"


def test_settings_gap_is_the_default_within(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, PACK_YAML + "settings:\n  gap: 2\n")

    assert load_pack(folder).rules[0].patterns[0].within == 2


def test_result_is_deeply_immutable() -> None:
    pack = load_pack(PACKS / "mini-zh")

    def check(value: object) -> None:
        assert not isinstance(value, list | dict | set), value
        if dataclasses.is_dataclass(value):
            assert type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]
            for item in dataclasses.fields(value):
                check(getattr(value, item.name))
        elif isinstance(value, tuple):
            for item in value:
                check(item)

    check(pack)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pack.rules[0].patterns = ()  # type: ignore[misc]


def test_loading_is_pure(tmp_path: Path) -> None:
    folder = write_pack(tmp_path)

    first, second = load_pack(folder), load_pack(folder)

    assert first == second
    assert first is not second


def test_five_thousand_patterns_load_quickly(tmp_path: Path) -> None:
    rules = "".join(
        f"- id: r{r}\n  category: debtor.hardship\n  patterns:\n"
        + "".join(f"    - 我 … [失业|下岗] … 第{r}条 {p}号\n" for p in range(50))
        + "  explain: x\n"
        for r in range(100)
    )
    folder = write_pack(tmp_path, r=rules)

    started = time.perf_counter()
    pack = load_pack(folder)
    elapsed = time.perf_counter() - started

    assert sum(len(rule.patterns) for rule in pack.rules) == 5000
    assert elapsed < 1.0


def _rule(*extra: str, patterns: str = "  patterns: [去 你 单位]\n") -> str:
    """RULE with ``patterns`` replaced and ``extra`` lines appended (from line 5 on)."""
    return RULE.replace("  patterns: [去 你 单位]\n", patterns) + "".join(extra)


def _patterns(*items: str) -> str:
    return "  patterns:\n" + "".join(f"    - {item}\n" for item in items)


RULE_PROBLEMS = [
    (_rule("  explian: y\n"), "5:3", "unknown key 'explian' in a rule (did you mean 'explain'?)"),
    (_rule("  explain: y\n"), "5:3", "duplicate key 'explain' in a rule"),
    (
        "- id: a\n  category: agent.threat\n  explain: x\n",
        "1:3",
        "a rule is missing key `patterns`",
    ),
    ("- id: a\n", "1:3", "missing keys `category`, `patterns`, `explain`"),
    (_rule("  tolerant: maybe\n"), "5:13", "tolerant must be true or false, not a string"),
    (RULE.replace("explain: x", "explain: [x]"), "4:12", "explain must be a string, not a list"),
    (RULE.replace("agent.threat", "agent.threats"), "2:13", "did you mean agent.threat?"),
    (RULE.replace("agent.threat", "gibberish"), "2:13", "see resources/taxonomy.yaml"),
    (_rule("  speaker: debtor\n"), "5:12", "speaker 'debtor' contradicts category 'agent.threat'"),
    (_rule("  speaker: collector\n"), "5:12", "speaker must be one of agent, debtor, any"),
    (_rule("  severity: high\n"), "5:13", "severity must be one of info, warning, critical"),
    (_rule(patterns="  patterns: []\n"), "3:13", "patterns is empty"),
    (_rule(patterns="  patterns:\n"), "3:12", "patterns is empty"),
    (_rule(patterns="  patterns: 去 你\n"), "3:13", "patterns must be a list, not a string"),
    (_rule(patterns=_patterns("[你|您]")), "4:7", "a pattern is a string, not a list"),
    (_rule(patterns=_patterns("去 … [你|] … 单位")), "4:14", "empty alternative in `[你|]`"),
    (_rule(patterns=_patterns('"去 [你|您 单位"')), "4:10", "`[` is never closed"),
    (_rule(patterns=_patterns("去 你] 单位")), "4:10", "`]` without a matching `[`"),
    (_rule(patterns=_patterns("去 … … 单位")), "4:11", "empty part between two `…`"),
    (_rule(patterns=_patterns("去 … ，。 … 单位")), "4:11", "part '，。' has no letters or digits"),
    (
        _rule(patterns=_patterns("{pattern: 去 … 你, within: 0}")),
        "4:32",
        "within must be 1 or more",
    ),
    (_rule(patterns=_patterns("{within: 2}")), "4:7", "a pattern is missing key `pattern`"),
    (_rule(patterns=_patterns("3")), "4:7", "a pattern must be a string, not an integer"),
    (_rule("  exclude:\n    - inside: [依法]\n"), "6:7", "unknown key 'inside' in an exclusion"),
    (_rule("  exclude:\n    - before: [不会]\n"), "6:7", "a `before` exclusion needs `window: N`"),
    (
        _rule("  exclude:\n    - after: [了]\n      window: -1\n"),
        "7:15",
        "window must be 0 or more",
    ),
    (_rule("  exclude:\n    - utterance: [x]\n      window: 2\n"), "7:15", "does not apply"),
    (
        _rule("  exclude:\n    - {before: [x], after: [y], window: 1}\n"),
        "6:7",
        "got before and after",
    ),
    (_rule("  exclude:\n    - utterance: []\n"), "6:18", "`utterance` has no cues"),
    (_rule("  exclude:\n    - utterance: [依法 … 起诉]\n"), "6:22", "a cue is a single phrase"),
    (_rule("  examples:\n    should_flag: 去你单位\n"), "6:18", "should_flag must be a list"),
    (
        _rule("  examples:\n    should_flag: [1]\n"),
        "6:19",
        "each item of should_flag must be a string",
    ),
    (_rule("  examples:\n    should_flag: [x]\n    flag: [y]\n"), "7:5", "unknown key 'flag'"),
    (_rule("  reply: [a]\n"), "5:10", "reply must be a string, not a list"),
    ("- id: a\n  category: [x\n", "3:1", "YAML syntax error"),
    (_rule(patterns=_patterns("[你|您] 欠钱")), "4:13", "quote a value that starts with `[`"),
    ("id: a\n", "1:1", "a rules file (a list of rules) must be a list, not a mapping"),
]


@pytest.mark.parametrize(("rules", "position", "fragment"), RULE_PROBLEMS)
def test_rule_problems(tmp_path: Path, rules: str, position: str, fragment: str) -> None:
    folder = write_pack(tmp_path, r=rules)

    (problem,) = problems_of(folder)

    assert (where(problem, folder), fragment) == (f"rules/r.yaml:{position}", fragment)
    assert fragment in problem.message


def test_duplicate_rule_id_across_files(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, r=RULE, s="# again\n" + RULE)

    (problem,) = problems_of(folder)

    assert where(problem, folder) == "rules/s.yaml:2:7"
    assert problem.message == "duplicate rule id 'a' (first at rules/r.yaml:1)"


PACK_PROBLEMS = [
    (
        PACK_YAML.replace("id: t-zh", "id: other"),
        "2:7",
        "pack id 'other' does not match its folder",
    ),
    (
        PACK_YAML.replace("language: zh", "language: fr"),
        "3:13",
        "language must be one of zh, en, not 'fr'",
    ),
    (PACK_YAML.replace("  title: t\n", ""), "2:3", "the `pack` section is missing key `title`"),
    (PACK_YAML + "colour: red\n", "7:1", "allowed: pack, settings, default_exclusions"),
    ("settings: {}\n", "1:1", "pack.yaml is missing key `pack`"),
    ("", "1:1", "pack.yaml is empty"),
    (PACK_YAML + "settings:\n  gap: 0\n", "8:8", "gap must be 1 or more, not 0"),
    (PACK_YAML + "settings:\n  cooldown_s: -1\n", "8:15", "cooldown_s must be 0 or more"),
    (PACK_YAML + "default_exclusions:\n  collector: []\n", "8:3", "allowed: agent, debtor"),
    (PACK_YAML + "tone:\n  max_rate: -1\n", "8:13", "max_rate must be 0 or more, not -1"),
    (PACK_YAML + "tone:\n  window_s: fast\n", "8:13", "window_s must be a number, not a string"),
    (
        PACK_YAML + "required_statements:\n  - {id: r, within_s: 5}\n",
        "8:5",
        "missing key `patterns`",
    ),
    (
        PACK_YAML + "required_statements:\n  - {id: r, within_s: 0, patterns: [我 是]}\n",
        "8:23",
        "within_s must be greater than 0, not 0",
    ),
    (
        PACK_YAML + "required_statements:\n  - {id: r, within_s: 5, patterns: []}\n",
        "8:36",
        "patterns is empty",
    ),
    (
        PACK_YAML + "required_statements:\n" + "  - {id: r, within_s: 5, patterns: [x]}\n" * 2,
        "9:10",
        "duplicate required statement id 'r'",
    ),
]


@pytest.mark.parametrize(("pack_yaml", "position", "fragment"), PACK_PROBLEMS)
def test_pack_problems(tmp_path: Path, pack_yaml: str, position: str, fragment: str) -> None:
    folder = write_pack(tmp_path, pack_yaml)

    (problem,) = problems_of(folder)

    assert (where(problem, folder), fragment) == (f"pack.yaml:{position}", fragment)
    assert fragment in problem.message


def test_missing_pack_yaml_and_rules(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    folder = write_pack(tmp_path)
    for path in (folder / "rules").iterdir():
        path.unlink()

    assert [str(p).split(": ", 1)[1] for p in problems_of(tmp_path / "empty")] == [
        "missing pack.yaml"
    ]
    assert [p.message for p in problems_of(folder)] == [
        "the pack has no rules: add rules/*.yaml files"
    ]
