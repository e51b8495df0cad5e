"""Properties of the check for random instants, zones and call histories, DST days included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_assist.compliance.check import Attempt, Verdict
from agent_assist.compliance.policy import ContactPolicy
from tests.core.compliance.contact_policies import CN, CN_CALENDAR, US, calls, utc, verdict

US_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",  # no DST
    "America/Los_Angeles",
)
DST_CHANGES = (utc(2026, 3, 8, 7), utc(2026, 11, 1, 6))  # about 02:00 in the zones that change
OUTCOMES = ("no_answer", "busy", "voicemail", "promise_to_pay", "refused", "hung_up")
GRID = timedelta(minutes=15)


@dataclass(frozen=True)
class Case:
    policy: ContactPolicy
    zones: tuple[str, ...]
    when: datetime
    history: tuple[Attempt, ...]

    def at(self, when: datetime) -> Verdict:
        return verdict(self.policy, when, self.history, zones=self.zones)


near_dst = st.builds(
    lambda change, minutes: change + timedelta(minutes=minutes),
    st.sampled_from(DST_CHANGES),
    st.integers(-3 * 24 * 60, 3 * 24 * 60),
)
# China's calendar is announced up to 2026: stay where every day is known.
any_day = st.datetimes(datetime(2024, 1, 1), datetime(2026, 12, 15), timezones=st.just(UTC))
instants = st.one_of(near_dst, any_day)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    china = draw(st.booleans())
    when = draw(instants)
    zones: tuple[str, ...] = ("Asia/Shanghai",)
    policy = CN
    if not china:
        zones = tuple(
            draw(st.lists(st.sampled_from(US_ZONES), min_size=1, max_size=2, unique=True))
        )
        policy = US
    back = st.integers(1, 8 * 24 * 60)  # minutes before ``when``
    pairs = draw(st.lists(st.tuples(back, st.sampled_from(OUTCOMES)), max_size=9))
    history = tuple(Attempt(when - timedelta(minutes=m), outcome) for m, outcome in pairs)
    return Case(policy, zones, when, history)


def _in_hours(policy: ContactPolicy, local: datetime) -> bool:
    return policy.hours.window.contains(local.time())


@given(cases())
@settings(max_examples=300, deadline=None)
def test_allowed_means_within_hours_on_a_workday_everywhere(case: Case) -> None:
    result = case.at(case.when)

    assert result.allowed == (not result.reasons)
    assert len({r.code for r in result.reasons}) == len(result.reasons)
    if result.allowed:
        for local in result.local_times:
            assert _in_hours(case.policy, local), local
            if case.policy is CN:
                assert CN_CALENDAR.day(local.date()).kind == "workday"
    else:
        assert any(not _in_hours(case.policy, t) for t in result.local_times) == (
            "outside_hours" in [r.code for r in result.reasons]
        )


@given(cases())
@settings(max_examples=150, deadline=None)
def test_next_allowed_is_the_first_allowed_instant(case: Case) -> None:
    result = case.at(case.when)
    first = result.next_allowed

    assert first is not None
    assert first >= case.when
    assert case.at(first).allowed
    if result.allowed:
        assert first == case.when
    else:  # nothing earlier is allowed: not on a 15-minute grid, not a second before
        moment = case.when
        while moment < first:
            assert not case.at(moment).allowed, moment
            moment += GRID
        if first - timedelta(seconds=1) >= case.when:
            assert not case.at(first - timedelta(seconds=1)).allowed


@pytest.mark.parametrize("zone", US_ZONES)
@pytest.mark.parametrize("change", DST_CHANGES, ids=["spring", "fall"])
def test_every_quarter_hour_around_a_dst_change(zone: str, change: datetime) -> None:
    # Two days either side, every 15 minutes: allowed exactly when the local clock is in hours.
    for step in range(-2 * 96, 2 * 96):
        moment = change + step * GRID
        result = verdict(US, moment, zones=(zone,))
        local = result.local_time
        assert result.allowed == (time(8) <= local.time() < time(21)), local
        if not result.allowed:
            assert result.next_allowed is not None
            assert result.next_allowed.astimezone(local.tzinfo).time() == time(8)


def test_a_full_week_of_calls_never_allows_an_eighth_in_any_7_days() -> None:
    # Call whenever the check allows, for three weeks: no 7-day window ever holds 8.
    moment, made = utc(2026, 2, 28, 12), list[datetime]()
    while moment < utc(2026, 3, 21):
        result = verdict(US, moment, calls(*made))
        if result.allowed:
            made.append(moment)
        moment += GRID
    assert len(made) >= 7
    for first in made:
        assert sum(1 for m in made if first <= m < first + timedelta(days=7)) <= 7
