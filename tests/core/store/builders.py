"""Events and people for store tests."""

from __future__ import annotations

from agent_assist.events import CallEnded, CallStarted, Final, Flag
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.records import UserRecord


def started(call_id: str = "c1") -> CallStarted:
    return CallStarted(
        call_id=call_id,
        speakers=("agent", "debtor"),
        source="test",
        model="test-model",
        sample_rate=16000,
        started_at="2026-11-02T09:30:00.000+00:00",
    )


def final(utterance: int, text: str, speaker: str = "agent") -> Final:
    return Final(
        speaker=speaker,
        utterance=utterance,
        text=text,
        start_ms=utterance * 1000,
        end_ms=utterance * 1000 + 800,
        t_ms=utterance * 1000 + 900,
        confidence=0.9,
    )


def flag(flag_id: str, state: str = "confirmed", *, severity: str = "critical") -> Flag:
    text = "我们明天就去你单位找你领导"
    return Flag(
        flag_id=flag_id,
        state=state,  # type: ignore[arg-type]
        rule_id="zh.agent.threat.visit_workplace",
        category="agent.threat",
        severity=severity,
        speaker="agent",
        utterance=1,
        text=text,
        start=4,
        end=9,
        kind="exact",
        score=1.0,
        explanation="why",
        reply=None,
        t_ms=1500,
    )


def ended(t_ms: int = 5000) -> CallEnded:
    return CallEnded(reason="completed", t_ms=t_ms)


def team_of(db: Database) -> tuple[UserRecord, UserRecord, UserRecord, UserRecord, UserRecord]:
    """(collector, colleague, lead, other team's lead, trainer)."""
    people = PeopleRepository(db)
    red = people.ensure_team(SYSTEM, "red")
    blue = people.ensure_team(SYSTEM, "blue")
    return (
        people.add_user(SYSTEM, "ann", "Ann", "collector", team_id=red),
        people.add_user(SYSTEM, "bo", "Bo", "collector", team_id=red),
        people.add_user(SYSTEM, "lee", "Lee", "team_lead", team_id=red),
        people.add_user(SYSTEM, "kim", "Kim", "team_lead", team_id=blue),
        people.add_user(SYSTEM, "tia", "Tia", "trainer"),
    )
