"""China's holiday calendar against the State Council's announcements for 2024–2026."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from agent_assist.compliance.calendar import ChinaHolidays, NoHolidays, calendar_for
from tests.core.compliance.contact_policies import CN, US

# (break, first day off, last day off, make-up workdays) as announced in the State
# Council General Office's notices 关于2024年/2025年/2026年部分节假日安排的通知.
OFFICIAL = [
    ("2024 Spring Festival", "2024-02-10", "2024-02-17", ("2024-02-04", "2024-02-18")),
    ("2024 National Day", "2024-10-01", "2024-10-07", ("2024-09-29", "2024-10-12")),
    ("2025 Spring Festival", "2025-01-28", "2025-02-04", ("2025-01-26", "2025-02-08")),
    ("2025 National Day", "2025-10-01", "2025-10-08", ("2025-09-28", "2025-10-11")),
    ("2026 Spring Festival", "2026-02-15", "2026-02-23", ("2026-02-14", "2026-02-28")),
    ("2026 National Day", "2026-10-01", "2026-10-07", ("2026-09-20", "2026-10-10")),
]
CALENDAR = ChinaHolidays()


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("name", "start", "end", "made_up"), OFFICIAL, ids=[o[0] for o in OFFICIAL]
)
def test_every_day_of_an_announced_break_is_a_holiday(
    name: str, start: str, end: str, made_up: tuple[str, ...]
) -> None:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    workdays = [date.fromisoformat(day) for day in made_up]
    kinds = {day: CALENDAR.day(day).kind for day in _days(first, last)}

    assert set(kinds.values()) == {"holiday"}, kinds
    # The days around the break are worked, and so are its make-up weekend days.
    for day in (first - timedelta(days=1), last + timedelta(days=1), *workdays):
        assert CALENDAR.day(day).kind == "workday", day
    assert all(day.weekday() >= 5 for day in workdays)  # the table's own sanity


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2026, 11, 28), "workday"),  # an ordinary Saturday: calls allowed
        (date(2026, 11, 29), "workday"),
        (date(2026, 6, 20), "holiday"),  # Dragon Boat Festival 19–21 June 2026
        (date(2026, 6, 22), "workday"),
        (date(2023, 12, 30), "holiday"),  # 2024 New Year: 30 Dec 2023 – 1 Jan 2024
        (date(2024, 1, 2), "workday"),
        (date(2027, 2, 6), "unknown"),  # the package's guess for 2027, not an announcement
        (date(2028, 1, 1), "unknown"),
        (date(2028, 7, 12), "unknown"),
    ],
)
def test_other_days(day: date, kind: str) -> None:
    assert CALENDAR.day(day).kind == kind


def test_holiday_names_come_in_the_policys_language() -> None:
    assert ChinaHolidays("zh_CN").day(date(2026, 10, 1)).name == "国庆节"
    assert ChinaHolidays("en_US").day(date(2026, 10, 1)).name == "National Day"
    # A weekend day inside a break is named after the holiday it joins.
    assert ChinaHolidays("zh_CN").day(date(2026, 10, 4)).name == "国庆节"


def test_the_policy_chooses_the_calendar() -> None:
    assert isinstance(calendar_for(CN), ChinaHolidays)
    assert isinstance(calendar_for(US), NoHolidays)
    assert NoHolidays().day(date(2026, 10, 1)).kind == "workday"
