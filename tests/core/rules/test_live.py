"""Live flag tracking over partial and final results (with a substring matcher)."""

from __future__ import annotations

from dataclasses import dataclass

from agent_assist.events import Final, Flag, MatchKind, Partial
from agent_assist.rules.live import LiveFlagger


@dataclass(frozen=True)
class M:
    rule_id: str
    category: str
    severity: str
    start: int
    end: int
    kind: MatchKind = "exact"
    score: float = 1.0
    explanation: str = "why"
    reply: str | None = None


class Substrings:
    """Matches each phrase anywhere in the text; agent-only rules."""

    def __init__(self, **phrases: str) -> None:
        self.phrases = phrases

    def match(self, text: str, speaker: str) -> list[M]:
        found = []
        for rule_id, phrase in self.phrases.items():
            at = text.find(phrase)
            if at >= 0 and speaker == "agent":
                found.append(M(rule_id, "agent.threat", "critical", at, at + len(phrase)))
        return found


def partial(text: str, utt: int = 0, t: int = 100, speaker: str = "agent") -> Partial:
    return Partial(speaker, utt, text, 0, t)


def final(text: str, utt: int = 0, t: int = 500, speaker: str = "agent") -> Final:
    return Final(speaker, utt, text, 0, t, t)


def states(flags: list[Flag]) -> list[tuple[str, str]]:
    return [(f.rule_id, f.state) for f in flags]


def test_raised_once_from_a_growing_partial_then_confirmed() -> None:
    live = LiveFlagger(Substrings(visit="去 你 单位"))
    assert live.on_event(partial("我们 去")) == []
    first = live.on_event(partial("我们 去 你 单位", t=200))
    assert states(first) == [("visit", "raised")]
    assert first[0].text[first[0].start : first[0].end] == "去 你 单位"
    assert live.on_event(partial("我们 去 你 单位 找", t=300)) == []
    done = live.on_event(final("我们 去 你 单位 找 你"))
    assert states(done) == [("visit", "confirmed")]
    assert done[0].flag_id == first[0].flag_id


def test_retracted_when_the_final_does_not_say_it() -> None:
    live = LiveFlagger(Substrings(visit="去 你 单位"))
    raised = live.on_event(partial("我们 去 你 单位"))
    done = live.on_event(final("我们 去 您 的 网点"))
    assert states(done) == [("visit", "retracted")]
    assert done[0].flag_id == raised[0].flag_id


def test_empty_final_retracts_everything_raised() -> None:
    live = LiveFlagger(Substrings(a="x", b="y"))
    assert len(live.on_event(partial("x y"))) == 2
    assert states(live.on_event(final(""))) == [("a", "retracted"), ("b", "retracted")]


def test_said_only_in_the_final_arrives_confirmed() -> None:
    live = LiveFlagger(Substrings(visit="单位"))
    assert states(live.on_event(final("去 你 单位"))) == [("visit", "confirmed")]


def test_cooldown_keeps_a_confirmed_rule_quiet_then_lets_it_back() -> None:
    live = LiveFlagger(Substrings(visit="单位"), cooldown_s=10)
    live.on_event(final("单位", utt=0, t=1_000))
    assert live.on_event(partial("单位", utt=1, t=5_000)) == []
    assert live.on_event(final("单位", utt=1, t=6_000)) == []
    assert states(live.on_event(partial("单位", utt=2, t=11_500))) == [("visit", "raised")]


def test_retracted_flags_do_not_start_a_cooldown() -> None:
    live = LiveFlagger(Substrings(visit="单位"), cooldown_s=10)
    live.on_event(partial("单位", utt=0, t=100))
    live.on_event(final("网点", utt=0, t=500))
    assert states(live.on_event(partial("单位", utt=1, t=900))) == [("visit", "raised")]


def test_speakers_are_tracked_separately() -> None:
    live = LiveFlagger(Substrings(visit="单位"))
    assert live.on_event(partial("单位", speaker="debtor")) == []
    raised = live.on_event(partial("单位", speaker="agent"))
    # the debtor's final does not close the agent's utterance
    assert live.on_event(final("单位", speaker="debtor")) == []
    assert states(live.on_event(final("单位", speaker="agent"))) == [("visit", "confirmed")]
    assert raised[0].speaker == "agent"
