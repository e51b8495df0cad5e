from agent_assist.events import AudioLevel, CallEnded, Final, Partial
from agent_assist.rules.model import Pattern, RequiredStatement
from agent_assist.rules.required import RequirementTracker, said_in_time
from tests.core.rules.test_live import M


class Says:
    def __init__(self, phrase: str, rule_id: str) -> None:
        self.phrase, self.rule_id = phrase, rule_id

    def match(self, text: str, speaker: str) -> list[M]:
        at = text.find(self.phrase)
        return [M(self.rule_id, "required", "warning", at, at + 1)] if at >= 0 else []


REQ = RequiredStatement(
    id="us.mini_miranda",
    speaker="agent",
    within_s=60,
    patterns=(Pattern((("attempt to collect a debt",),), 3, "attempt to collect a debt"),),
    explanation="Say the mini-Miranda.",
)


def tracker() -> RequirementTracker:
    return RequirementTracker([REQ], Says("attempt to collect a debt", REQ.id))


def level(t_ms: int) -> AudioLevel:
    return AudioLevel("debtor", t_ms, -30.0, -20.0)


def test_said_in_time_is_never_reported() -> None:
    t = tracker()
    assert (
        t.on_event(Final("agent", 0, "this is an attempt to collect a debt", 2_000, 5_000, 5_000))
        == []
    )
    assert t.on_event(level(70_000)) == []
    assert t.on_event(CallEnded("completed", 90_000)) == []


def test_missing_is_reported_once_at_the_deadline() -> None:
    t = tracker()
    assert t.on_event(level(59_000)) == []
    missed = t.on_event(level(60_000))
    assert [m.requirement_id for m in missed] == ["us.mini_miranda"]
    assert missed[0].t_ms == 60_000
    assert t.on_event(level(61_000)) == []
    assert t.on_event(CallEnded("completed", 90_000)) == []


def test_an_utterance_in_progress_at_the_deadline_gets_its_chance() -> None:
    t = tracker()
    t.on_event(Partial("agent", 3, "this is an attempt", 58_000, 59_500))
    assert t.on_event(level(61_000)) == []
    done = Final("agent", 3, "this is an attempt to collect a debt", 58_000, 62_000, 62_000)
    assert t.on_event(done) == []
    assert t.on_event(level(63_000)) == []


def test_said_too_late_is_still_missed() -> None:
    t = tracker()
    late = Final("agent", 9, "this is an attempt to collect a debt", 75_000, 78_000, 78_000)
    assert [m.requirement_id for m in t.on_event(late)] == ["us.mini_miranda"]


def test_a_call_that_ends_early_without_it_reports_it() -> None:
    t = tracker()
    assert [m.t_ms for m in t.on_event(CallEnded("stopped", 20_000))] == [20_000]


def test_the_debtor_saying_it_does_not_count() -> None:
    t = RequirementTracker([REQ], Says("attempt to collect a debt", REQ.id))
    t.on_event(Final("debtor", 0, "is this an attempt to collect a debt", 1_000, 2_000, 2_000))
    # the fake matcher ignores speakers; the tracker must not: only agent finals satisfy
    assert t.on_event(level(60_000)) != []


def test_said_in_time_names_what_its_speaker_said_before_the_deadline() -> None:
    says = Says("attempt to collect a debt", REQ.id)

    def said(speaker: str, start_ms: int, known: bool = True) -> list[RequiredStatement]:
        final = Final(
            speaker,
            0,
            "this is an attempt to collect a debt",
            start_ms,
            start_ms + 2_000,
            start_ms + 2_000,
        )
        return list(said_in_time(final, says, {REQ.id: REQ} if known else {}))

    assert said("agent", 60_000) == [REQ]
    assert said("agent", 60_001) == []  # begun after the deadline
    assert said("debtor", 1_000) == []  # the fake matcher ignores speakers
    assert said("agent", 1_000, known=False) == []
