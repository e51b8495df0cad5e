"""Why a sentence flags: the rule, its span, the match kind and the pattern; what an
exclusion cancelled and which one; and a pack's examples run as tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from agent_assist.rules.explain import Explainer, describe_exclusion, run_examples
from agent_assist.rules.loader import load_pack
from agent_assist.rules.model import Examples, RulePack

PACKS = Path(__file__).resolve().parents[2] / "data" / "packs"


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(PACKS / "mini-zh")


@pytest.fixture(scope="module")
def explainer(pack: RulePack) -> Explainer:
    return Explainer(pack)


def test_a_firing_rule_with_its_span_kind_and_pattern(explainer: Explainer) -> None:
    text = "我 明天 就 去 你 单位 闹"

    explained = explainer.explain(text, "agent")

    assert explained.cancelled == ()
    [fired] = explained.fired
    assert fired.rule_id == "zh.agent.threat.visit_workplace"
    assert (fired.start, fired.end) == (text.index("去"), len(text))
    assert fired.matched_text == "去 你 单位 闹"
    assert fired.kind == "exact"
    assert fired.pattern == "去 … [你|您] … [单位|公司] … [闹|找]"
    assert fired.pattern_line == 4
    assert fired.explanation == "威胁到单位或上门闹事属于暴力、恐吓催收。"


def test_the_second_pattern_is_named_when_it_is_the_one_that_matched(
    explainer: Explainer,
) -> None:
    [fired] = explainer.explain("再不还钱我们就上门找你", "agent").fired

    assert fired.pattern == "[上门|到家] … 找 [你|您]"
    assert fired.matched_text == "上门找你"


def test_a_homophone_is_reported_as_such(explainer: Explainer) -> None:
    found = explainer.explain("我 下 刚 了", "debtor").fired  # 下岗 misheard as 下 刚
    assert [(f.rule_id, f.kind, f.matched_text) for f in found] == [
        ("zh.debtor.hardship.job_loss", "homophone", "下 刚 了")
    ]


def test_a_negated_sentence_does_not_fire_and_names_the_exclusion(explainer: Explainer) -> None:
    text = "我们 不会 去 您 单位 闹 的"

    explained = explainer.explain(text, "agent")

    assert explained.fired == ()
    [cancelled] = explained.cancelled
    assert cancelled.rule_id == "zh.agent.threat.visit_workplace"
    assert cancelled.matched_text == "去 您 单位 闹"
    assert cancelled.exclusion == "before: 不会, 不是 (window 4)"
    assert cancelled.pattern == "去 … [你|您] … [单位|公司] … [闹|找]"


def test_an_utterance_exclusion_is_named(explainer: Explainer) -> None:
    [cancelled] = explainer.explain("我们 会 依法 去 你 单位 找 你", "agent").cancelled

    assert cancelled.exclusion == "utterance: 依法, 法院 判决"


def test_the_speaker_decides_which_rules_apply(explainer: Explainer) -> None:
    assert explainer.explain("你 就是 个 老赖", "debtor").fired == ()
    assert [f.rule_id for f in explainer.explain("你 就是 个 老赖", "agent").fired] == [
        "zh.agent.insult.deadbeat"
    ]
    with pytest.raises(ValueError, match="speaker"):
        explainer.explain("老赖", "any")


def test_examples_pass_and_fail_per_example(pack: RulePack) -> None:
    visit = pack.rules[0]
    broken = replace(
        visit,
        examples=Examples(
            should_flag=(*visit.examples.should_flag, "您好 我 是 银行 的"),
            should_not_flag=(*visit.examples.should_not_flag, "我 去 你 单位 闹"),
        ),
    )
    results = run_examples(replace(pack, rules=(broken, *pack.rules[1:])))

    assert [(r.expected, r.text, r.passed) for r in results] == [
        ("should_flag", "我 明天 就 去 你 单位 闹", True),
        ("should_flag", "您好 我 是 银行 的", False),
        ("should_not_flag", "我们 不会 去 您 单位 的", True),
        ("should_not_flag", "我 去 你 单位 闹", False),
    ]
    assert {(r.rule_id, r.file, r.line) for r in results} == {
        ("zh.agent.threat.visit_workplace", "rules/agent.yaml", 1)
    }


def test_describe_exclusion_without_window_for_utterance(pack: RulePack) -> None:
    kinds = {describe_exclusion(x).split(":")[0] for x in pack.rules[0].exclusions}
    assert kinds == {"utterance", "before"}


def test_a_draft_differing_in_lines_only_shares_the_compiled_pack(pack: RulePack) -> None:
    first = Explainer(pack)
    compiled = first.matcher
    lower = tuple(replace(rule, line=rule.line + 1) for rule in pack.rules)

    moved = first.over(replace(pack, rules=lower, path="elsewhere"))
    assert moved.matcher is compiled
    assert moved.pack.rules[0].line == pack.rules[0].line + 1
    [fired] = moved.explain("我 明天 就 去 你 单位 闹", "agent").fired
    assert fired.rule_id == "zh.agent.threat.visit_workplace"

    visit = pack.rules[0]
    fewer = replace(visit, patterns=visit.patterns[1:])
    changed = first.over(replace(pack, rules=(fewer, *pack.rules[1:])))
    assert changed.digest != first.digest
    assert changed.matcher is not compiled
    assert changed.explain("我 明天 就 去 你 单位 闹", "agent").fired == ()
