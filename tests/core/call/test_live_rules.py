"""The live rule engine inside a call: flags, missing statements, in stream order."""

from __future__ import annotations

import json

from agent_assist import app
from agent_assist.call.session import CallSession
from agent_assist.events import CallEnded, Event, Final, Flag, RequirementMissed, to_dict
from tests.support.fakes import ListSource, WordRecognizer, silent, voiced

THREAT = ["我们", "明天", "就", "去", "你", "单位", "闹"]


def run_call(words: list[str]) -> list[Event]:
    """One collector utterance of these words (one per 100 ms), then silence."""
    frames = [voiced("agent", i * 1600) for i in range(len(words))]
    frames.append(silent("agent", len(words) * 1600))

    def recognizer(rate: int) -> WordRecognizer:
        return WordRecognizer(rate, words)

    session = CallSession(
        ListSource(frames, ("agent",)),
        recognizer,
        model_name="fake",
        level_interval_ms=0,
        analyzers=app.live_analyzers("zh-CN"),
    )
    session.start()
    return list(session.events(timeout=10))


def test_a_threat_is_raised_from_partials_confirmed_by_the_final() -> None:
    events = run_call(THREAT)
    flags = [e for e in events if isinstance(e, Flag)]
    assert [f.state for f in flags] == ["raised", "confirmed"]
    assert {f.category for f in flags} == {"agent.threat"}
    raised_at = events.index(flags[0])
    final_at = next(i for i, e in enumerate(events) if isinstance(e, Final))
    assert raised_at < final_at < events.index(flags[1])  # raised before the final
    confirmed = flags[1]
    assert "单位" in confirmed.text[confirmed.start : confirmed.end]
    # a 0.8 s call in which the collector never said who they are
    missed = [e for e in events if isinstance(e, RequirementMissed)]
    assert missed
    assert all(events.index(m) < len(events) - 1 for m in missed)
    assert isinstance(events[-1], CallEnded)
    for event in events:
        json.dumps(to_dict(event), ensure_ascii=False)


def test_a_negated_threat_is_not_flagged() -> None:
    events = run_call(["我们", "不会", "去", "您", "单位", "的"])
    assert not [e for e in events if isinstance(e, Flag)]
