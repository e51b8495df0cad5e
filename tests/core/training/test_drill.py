"""A drill played through the live rule engine: what scores high, what scores low and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_assist import app
from agent_assist.errors import UserError
from agent_assist.events import Final, Word
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import bundled_library
from agent_assist.training.drill import Drill, DrillRules, Turn
from agent_assist.training.report import Mode
from agent_assist.training.scenario import Scenario, find_scenario, load_scenario
from tests.core.training.test_scenario import GOOD

CUES = load_taxonomy().keys()

ZH_GOOD = (
    "您好，我是华信银行信用卡中心的李明，工号8023，本次通话会录音。请问是王磊本人吗？",
    "好的，不耽误您。我简单说一句：是关于您的信用卡还款的事。",
    "您的信用卡逾期12天，应还金额是3200元。",
    "好的，我跟您确认一下：您在周五之前还款3200元，对吗？",
)
EN_GOOD = (
    "Hello, my name is Sam calling from Harbor Bank. This is an attempt to collect a debt "
    "and any information obtained will be used for that purpose.",
    "I'm sorry to hear that, and thank you for telling me. What amount could you manage "
    "each month? I can request a payment plan for you.",
    "That works. We can set up a payment plan of two hundred each month.",
    "Great, let me confirm. You'll pay two hundred by the tenth, is that right?",
)


def drill_of(scenario: Scenario, turns: list[Turn] | None = None, mode: Mode = "typed") -> Drill:
    pack, flags, required = app.compiled_pack(scenario.pack_spec())
    library = bundled_library(scenario.language, CUES) if scenario.language != "ko-KR" else None
    sink = turns.append if turns is not None else (lambda turn: None)
    return Drill(
        scenario, DrillRules(pack, flags, required), library=library, mode=mode, on_turn=sink
    )


def play(drill: Drill, answers: tuple[str, ...]) -> list[str]:
    heard = [drill.begin()]
    for answer in answers:
        result = drill.answer(answer)
        if result.next_line is not None:
            heard.append(result.next_line)
        if result.finished:
            break
    return heard


def test_a_compliant_mandarin_run_scores_high() -> None:
    drill = drill_of(find_scenario("zh.short_overdue", CUES))
    play(drill, ZH_GOOD)
    report = drill.report()
    assert report.complete
    assert report.score >= 90
    assert report.component("compliance").score == 100
    assert report.component("required").score == 100
    assert report.component("tone").score is None  # typed: nothing to hear
    assert {(n.cue, n.used) for n in report.replies} == {
        ("debtor.evasion", True),
        ("debtor.promise_to_pay", True),
    }
    assert not report.flags
    assert not report.practise


def test_a_suggested_reply_is_filled_from_the_scenarios_brief() -> None:
    drill = drill_of(find_scenario("zh.short_overdue", CUES))
    play(drill, (ZH_GOOD[0], "我简单说一句。"))  # the debtor's evasion, half answered
    (evasion,) = (n for n in drill.report().replies if n.cue == "debtor.evasion")
    assert "{" not in evasion.best_line, "no variable is left unfilled the brief knows"
    assert "信用卡" in evasion.best_line  # the brief's product


def test_a_compliant_english_run_scores_high() -> None:
    drill = drill_of(find_scenario("en.business_failure", CUES))
    play(drill, EN_GOOD)
    report = drill.report()
    assert report.complete
    assert report.score >= 90, report.practise
    hardship = next(n for n in report.replies if n.cue == "debtor.hardship")
    assert hardship.used
    assert "en.reply.hardship_plan" in hardship.scripts


def test_a_threat_scores_low_names_the_flag_and_the_debtor_hangs_up() -> None:
    turns: list[Turn] = []
    drill = drill_of(find_scenario("zh.short_overdue", CUES), turns)
    heard = play(drill, (ZH_GOOD[0], "你再不还钱我们就上门找你，让你全家不得安宁", "还钱"))
    report = drill.report()
    assert heard[-1] == "你这是什么态度？我要投诉你们。"  # the branch for a threat
    assert drill.finished
    assert len(turns) == 5
    assert report.score <= 40
    assert [f.category for f in report.flags] == ["agent.threat"]
    rule = report.flags[0].rule_id
    assert report.component("compliance").score == 50
    assert any(rule in advice for advice in report.practise)
    assert turns[3].speaker == "agent"
    assert {f.rule_id for f in turns[3].flags} == {rule}


def test_each_line_reaches_the_sink_as_it_is_said() -> None:
    turns: list[Turn] = []
    drill = drill_of(find_scenario("en.wrong_party", CUES), turns)
    first = drill.begin()
    assert [(t.number, t.speaker, t.text) for t in turns] == [(1, "debtor", first)]
    drill.answer("Hi, this is Sam calling from Harbor Bank, may I speak with Laura?")
    assert [t.speaker for t in turns] == ["debtor", "agent", "debtor"]
    assert turns[2].flags
    assert turns[2].flags[0].category == "debtor.wrong_party"
    assert turns[1].t_ms < turns[2].t_ms  # one call timeline


def test_an_interrupted_drill_gives_a_partial_report() -> None:
    drill = drill_of(find_scenario("zh.business_failure", CUES))
    drill.begin()
    drill.answer("您好，我是华信银行的李明，工号8023。")
    report = drill.report()
    assert not report.complete
    assert len(report.lines) == 3
    assert any("Finish the scenario" in advice for advice in report.practise)
    assert report.component("required").detail == "2 of 4 said"


def covered(tmp_path: Path, scenario: str, answers: tuple[str, ...]) -> dict[str, bool]:
    """Which required lines a drill of ``scenario`` (YAML) counts as said."""
    path = tmp_path / "one.yaml"
    path.write_text(scenario, encoding="utf-8")
    drill = drill_of(load_scenario(path, CUES))
    play(drill, answers)
    return {n.id: n.covered for n in drill.report().required}


def test_a_line_said_after_its_turn_does_not_count(tmp_path: Path) -> None:
    scenario = GOOD.replace("by_turn: 2", "by_turn: 1")
    assert covered(tmp_path, scenario, ("我叫李明", "您欠一百元")) == {
        "zh.required.identify_agent": True,
        "t.amount": False,
    }


def test_the_debtor_saying_a_required_line_does_not_cover_it(tmp_path: Path) -> None:
    scenario = GOOD.replace("say: 喂？", "say: 喂？我叫李明")
    assert covered(tmp_path, scenario, ("您好", "您欠一百元")) == {
        "zh.required.identify_agent": False,
        "t.amount": True,
    }


def test_a_heard_branch_follows_what_the_trainee_said(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(GOOD, encoding="utf-8")
    drill = drill_of(load_scenario(path, CUES))
    heard = play(drill, ("我们明天上门去找你",))
    assert heard == ["喂？", "你威胁我"]
    assert drill.finished


def spoken(text: str, start_ms: int, seconds: float, utterance: int = 1) -> Final:
    step = int(seconds * 1000 / len(text))
    words = tuple(
        Word(ch, start_ms + i * step, start_ms + (i + 1) * step) for i, ch in enumerate(text)
    )
    end = words[-1].end_ms
    return Final("agent", utterance, " ".join(text), start_ms, end, end, words=words)


def test_spoken_answers_are_judged_for_tone_and_the_pack_deadline() -> None:
    drill = drill_of(find_scenario("zh.vulnerable_debtor", CUES), mode="voice")
    drill.begin()
    # Said 70 s into the call: past the pack's one-minute deadline for naming the bank.
    late = "您好我是华信银行信用卡中心的李明工号八零二三请问是周芳本人吗我们今天"
    result = drill.answer_final(spoken(late, 70_000, 3.5))  # ~10 characters a second
    assert [cue.kind for cue in result.tone] == ["fast_speech"]
    report = drill.report()
    assert report.mode == "voice"
    assert report.component("tone").score == 75
    covered = {n.id: n.covered for n in report.required}
    assert covered["zh.required.identify_institution"] is False
    assert covered["zh.required.identify_agent"] is False


def test_misuse_is_refused() -> None:
    drill = drill_of(find_scenario("en.short_overdue", CUES))
    with pytest.raises(RuntimeError):
        drill.answer("hello")
    drill.begin()
    with pytest.raises(ValueError, match="words"):
        drill.answer("   ")


def test_a_scenario_naming_a_statement_its_pack_lacks_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(GOOD.replace("zh.required.identify_agent", "zh.required.nope"), "utf-8")
    with pytest.raises(UserError, match=r"line 21: 'zh.required.nope'.*the pack has:"):
        drill_of(load_scenario(path, CUES))
