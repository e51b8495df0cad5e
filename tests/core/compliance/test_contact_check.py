"""The pre-dial check with the bundled policies: hours, statuses, caps, holidays, every reason."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from agent_assist.compliance.calendar import NoHolidays
from agent_assist.compliance.check import CaseFacts, check, lookback
from agent_assist.compliance.policy import ContactPolicy
from tests.core.compliance.contact_policies import (
    CN,
    CN_CALENDAR,
    NEW_YORK,
    SHANGHAI,
    US,
    calls,
    codes,
    utc,
    verdict,
)

PHOENIX = ("America/Phoenix",)
TEXAS = ("America/Chicago", "America/Denver")
SECOND = timedelta(seconds=1)
WEEK = timedelta(days=7)


@pytest.mark.parametrize(
    ("policy", "zones", "when", "allowed", "next_allowed"),
    [
        # Shanghai is UTC+8: 08:00 local is 00:00 UTC, 21:00 local is 13:00 UTC.
        (CN, SHANGHAI, utc(2026, 11, 25, 23, 59, 59), False, utc(2026, 11, 26, 0)),
        (CN, SHANGHAI, utc(2026, 11, 26, 0), True, utc(2026, 11, 26, 0)),
        (CN, SHANGHAI, utc(2026, 11, 26, 12, 59, 59), True, utc(2026, 11, 26, 12, 59, 59)),
        (CN, SHANGHAI, utc(2026, 11, 26, 13), False, utc(2026, 11, 27, 0)),
        # New York springs forward on 2026-03-08: 08:00 is 12:00 UTC (EDT), the evening
        # before 21:00 was 02:00 UTC (EST).
        (US, NEW_YORK, utc(2026, 3, 8, 2), False, utc(2026, 3, 8, 12)),
        (US, NEW_YORK, utc(2026, 3, 8, 11, 59), False, utc(2026, 3, 8, 12)),
        (US, NEW_YORK, utc(2026, 3, 8, 12), True, utc(2026, 3, 8, 12)),
        (US, NEW_YORK, utc(2026, 3, 9, 0, 59), True, utc(2026, 3, 9, 0, 59)),
        (US, NEW_YORK, utc(2026, 3, 9, 1), False, utc(2026, 3, 9, 12)),
        # … and falls back on 2026-11-01: 21:00 EDT on the 31st is 01:00 UTC, 08:00 EST 13:00.
        (US, NEW_YORK, utc(2026, 11, 1, 1), False, utc(2026, 11, 1, 13)),
        (US, NEW_YORK, utc(2026, 11, 1, 12, 59), False, utc(2026, 11, 1, 13)),
        (US, NEW_YORK, utc(2026, 11, 2, 1, 59), True, utc(2026, 11, 2, 1, 59)),
        (US, NEW_YORK, utc(2026, 11, 2, 2), False, utc(2026, 11, 2, 13)),
        # Phoenix keeps MST all year: 08:00 is 15:00 UTC on both change days.
        (US, PHOENIX, utc(2026, 3, 8, 14, 59), False, utc(2026, 3, 8, 15)),
        (US, PHOENIX, utc(2026, 11, 1, 14, 59), False, utc(2026, 11, 1, 15)),
        # Texas spans Central and Mountain time: 08:30 CDT is 07:30 MDT, so wait for
        # 08:00 MDT; at 21:00 CDT (20:00 MDT) Central has closed.
        (US, TEXAS, utc(2026, 6, 1, 13, 30), False, utc(2026, 6, 1, 14)),
        (US, TEXAS, utc(2026, 6, 2, 2), False, utc(2026, 6, 2, 14)),
        (US, TEXAS, utc(2026, 6, 2, 1, 59), True, utc(2026, 6, 2, 1, 59)),
    ],
)
def test_calling_hours_in_debtor_local_time(
    policy: ContactPolicy,
    zones: tuple[str, ...],
    when: datetime,
    allowed: bool,
    next_allowed: datetime,
) -> None:
    result = verdict(policy, when, zones=zones)

    assert result.allowed is allowed
    assert codes(result) == ([] if allowed else ["outside_hours"])
    assert result.next_allowed == next_allowed
    assert [t.utcoffset() for t in result.local_times] == [
        when.astimezone(t.tzinfo).utcoffset() for t in result.local_times
    ]


def test_the_hours_message_names_the_local_time_and_zone() -> None:
    (reason,) = verdict(CN, utc(2026, 11, 26, 14, 15)).reasons

    assert (
        reason.message
        == "不在可拨打时段：债务人当地时间 22:15，仅 08:00–21:00 可拨打（Asia/Shanghai）"
    )
    assert reason.overridable


@pytest.mark.parametrize("policy", [CN, US], ids=["CN", "US"])
@pytest.mark.parametrize(
    "status",
    ["cease_requested", "attorney_represented", "disputed", "deceased", "bankrupt", "closed"],
)
def test_blocked_statuses_wait_for_a_status_change(policy: ContactPolicy, status: str) -> None:
    when = utc(2026, 11, 26, 15) if policy is US else utc(2026, 11, 26, 2)  # 10:00 local

    result = verdict(policy, when, status=status)

    assert not result.allowed
    (reason,) = result.reasons
    assert reason.code == f"status.{status}"
    assert reason.message == policy.status_message(status)
    assert not reason.overridable
    assert result.next_allowed is None


def test_an_active_case_in_hours_is_allowed() -> None:
    result = verdict(US, utc(2026, 11, 26, 15))

    assert (result.allowed, result.reasons, result.next_allowed) == (
        True,
        (),
        utc(2026, 11, 26, 15),
    )
    assert result.local_time.isoformat() == "2026-11-26T10:00:00-05:00"


def test_every_reason_is_given_not_only_the_first() -> None:
    # National Day, 22:00 in Shanghai, three calls already that day, and a cease request.
    night = utc(2026, 10, 1, 14)
    history = calls(utc(2026, 10, 1, 2), utc(2026, 10, 1, 3), utc(2026, 10, 1, 4))
    cn = verdict(CN, night, history, status="cease_requested")

    assert codes(cn) == ["status.cease_requested", "outside_hours", "holiday", "daily_cap"]
    # A dispute, 22:00 in New York, 7 calls this week, the last one a conversation.
    week = [utc(2026, 11, 20 + d, 15) for d in range(6)]
    history = [*calls(*week), *calls(utc(2026, 11, 26, 16), outcome="promise_to_pay")]
    us = verdict(US, utc(2026, 11, 27, 3), history, status="disputed")

    assert codes(us) == ["status.disputed", "outside_hours", "rolling_cap", "after_conversation"]
    assert not us.overridable


# ---- Regulation F: 7 calls within 7 days ------------------------------------------------


def test_the_seventh_call_of_seven_days_is_allowed_the_eighth_blocked() -> None:
    week = [utc(2026, 11, 16 + d, 15) for d in range(7)]  # 10:00 EST, Monday to Sunday

    assert verdict(US, utc(2026, 11, 22, 16), calls(*week[:6])).allowed
    eighth = verdict(US, utc(2026, 11, 22, 17), calls(*week))

    assert codes(eighth) == ["rolling_cap"]
    assert eighth.reasons[0].message == (
        "7 call attempts in the last 7 days: more than 7 is presumed harassment "
        "(Reg F §1006.14(b)(2)(i)(A))"
    )
    assert eighth.next_allowed == week[0] + WEEK  # the oldest leaves the window


def test_the_cap_lifts_exactly_when_the_oldest_call_leaves_the_window() -> None:
    week = calls(*(utc(2026, 11, 16, 14 + h) for h in range(7)))  # all on one Monday
    lifts = utc(2026, 11, 23, 14)

    assert codes(verdict(US, lifts - SECOND, week)) == ["rolling_cap"]
    assert verdict(US, lifts - SECOND, week).next_allowed == lifts
    assert verdict(US, lifts, week).allowed


def test_over_the_cap_it_lifts_when_enough_calls_have_left_the_window() -> None:
    # 9 calls in a week (two overridden): 3 must leave before a call is allowed again.
    nine = [utc(2026, 11, 16, 14 + h) for h in range(9)]

    result = verdict(US, utc(2026, 11, 17, 15), calls(*nine))

    assert result.reasons[0].message.startswith("9 call attempts in the last 7 days")
    assert result.next_allowed == nine[2] + WEEK


def test_a_cap_lifting_at_night_waits_for_the_morning() -> None:
    # The oldest of 7 calls was at 21:30 EST (the collector overrode the hours).
    week = calls(utc(2026, 11, 16, 2, 30), *(utc(2026, 11, 16 + d, 15) for d in range(6)))

    result = verdict(US, utc(2026, 11, 22, 18), week)

    assert result.next_allowed == utc(2026, 11, 23, 13)  # 08:00 EST, not 21:30 on the 22nd


# ---- Regulation F: 7 days after a conversation -----------------------------------------


def test_no_call_within_seven_days_after_a_conversation() -> None:
    talk = utc(2026, 11, 16, 15)
    history = calls(talk, outcome="promise_to_pay")

    early = verdict(US, talk + timedelta(days=6, hours=23), history)
    assert codes(early) == ["after_conversation"]
    assert early.reasons[0].message.startswith("Spoke with the debtor on 2026-11-16 10:00")
    assert early.next_allowed == talk + WEEK
    assert verdict(US, talk + WEEK, history).allowed


@pytest.mark.parametrize(
    ("outcome", "is_conversation"),
    [
        ("no_answer", False),
        ("busy", False),
        ("voicemail", False),
        ("wrong_number", False),
        ("third_party", False),
        ("promise_to_pay", True),
        ("refused", True),
        ("hung_up", True),  # not listed: counts as a conversation (the stricter reading)
    ],
)
def test_which_outcomes_are_conversations(outcome: str, is_conversation: bool) -> None:
    history = calls(utc(2026, 11, 16, 15), outcome=outcome)

    result = verdict(US, utc(2026, 11, 17, 15), history)

    assert codes(result) == (["after_conversation"] if is_conversation else [])


def test_the_latest_conversation_counts() -> None:
    history = [
        *calls(utc(2026, 11, 10, 15), outcome="promise_to_pay"),
        *calls(utc(2026, 11, 12, 15), outcome="callback"),
    ]

    assert verdict(US, utc(2026, 11, 18, 15), history).next_allowed == utc(2026, 11, 19, 15)


# ---- China: daily cap -------------------------------------------------------------------


def test_the_cn_daily_cap_resets_at_local_midnight() -> None:
    day = calls(utc(2026, 11, 26, 2), utc(2026, 11, 26, 3))  # 10:00 and 11:00 in Shanghai

    assert verdict(CN, utc(2026, 11, 26, 4), day).allowed  # the third call
    day += calls(utc(2026, 11, 26, 4))
    fourth = verdict(CN, utc(2026, 11, 26, 5), day)
    assert codes(fourth) == ["daily_cap"]
    assert fourth.reasons[0].message == "今日已拨打 3 次，已达每日上限 3 次"
    assert fourth.next_allowed == utc(2026, 11, 27, 0)  # 08:00 the next day
    # At local midnight the count starts again; only the hours still block.
    assert codes(verdict(CN, utc(2026, 11, 26, 16), day)) == ["outside_hours"]


def test_the_daily_cap_counts_the_debtors_day_not_utcs() -> None:
    # 00:30–01:30 on the 27th in Shanghai, still the 26th in UTC
    night = calls(utc(2026, 11, 26, 16, 30), utc(2026, 11, 26, 17), utc(2026, 11, 26, 17, 30))

    result = verdict(CN, utc(2026, 11, 27, 2), night)

    assert codes(result) == ["daily_cap"]
    assert result.next_allowed == utc(2026, 11, 28, 0)


def test_attempts_after_the_checked_instant_are_ignored() -> None:
    later = calls(utc(2026, 11, 26, 5), utc(2026, 11, 26, 6), utc(2026, 11, 26, 7))

    assert verdict(CN, utc(2026, 11, 26, 3), later).allowed


# ---- China: statutory holidays ----------------------------------------------------------


def test_no_cn_calls_on_a_statutory_holiday() -> None:
    result = verdict(CN, utc(2026, 10, 1, 2))  # 10:00 on National Day

    assert codes(result) == ["holiday"]
    assert result.reasons[0].message == "法定节假日（国庆节，2026-10-01）不得催收"
    assert not result.reasons[0].overridable
    assert result.next_allowed == utc(2026, 10, 8, 0)  # 08:00 after the 1–7 October break
    assert codes(verdict(CN, utc(2026, 10, 4, 2))) == ["holiday"]  # the Sunday inside it
    assert verdict(CN, utc(2026, 10, 10, 2)).allowed  # Saturday, a make-up workday


def test_an_unannounced_year_must_be_confirmed_by_hand() -> None:
    result = verdict(CN, utc(2028, 3, 1, 2))

    assert codes(result) == ["calendar_unknown"]
    (reason,) = result.reasons
    assert reason.overridable
    assert "2028年的节假日安排尚未公布" in reason.message
    assert "请人工确认" in reason.message
    assert result.next_allowed is None  # waiting does not make the year known
    # The evening before a year nobody announced yet: no next instant either.
    last_evening = verdict(CN, utc(2026, 12, 31, 14))
    assert (codes(last_evening), last_evening.next_allowed) == (["outside_hours"], None)


def test_us_calls_ignore_public_holidays() -> None:
    assert verdict(US, utc(2026, 7, 4, 15)).allowed  # Independence Day, 11:00 EDT
    assert verdict(US, utc(2026, 12, 25, 15)).allowed


def test_the_holiday_rule_is_the_policys_not_the_calendars() -> None:
    # Handing the US policy China's calendar changes nothing: it has no holiday rule.
    facts = CaseFacts("active", NEW_YORK)

    assert check(US, CN_CALENDAR, facts, [], utc(2026, 10, 1, 15)).allowed
    assert check(US, NoHolidays(), facts, [], utc(2026, 10, 1, 15)).allowed


# ---- the function's contract ------------------------------------------------------------


def test_an_instant_without_zone_or_a_debtor_without_zones_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        check(CN, CN_CALENDAR, CaseFacts("active", SHANGHAI), [], datetime(2026, 11, 26, 10))
    with pytest.raises(ValueError, match="time zone"):
        check(CN, CN_CALENDAR, CaseFacts("active", ()), [], utc(2026, 11, 26, 2))


def test_lookback_covers_every_window() -> None:
    assert lookback(CN) == timedelta(days=2)
    assert lookback(US) == timedelta(days=8)


def test_overridable_only_when_every_reason_is() -> None:
    assert verdict(CN, utc(2026, 11, 26, 14)).overridable
    assert not verdict(CN, utc(2026, 11, 26, 14), status="closed").overridable
    assert not verdict(CN, utc(2026, 11, 26, 2)).overridable  # allowed: nothing to override
