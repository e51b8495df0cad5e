"""Statutory holiday calendars: is a debtor-local day a holiday, a workday, or not yet known?

Mainland China moves its holidays every year: the State Council announces the
days off (放假) and the weekend days worked in exchange (调休上班) each
November or December for the next year. The ``holidays`` package records the
announced years; for other years it only guesses from the lunar calendar. So
a year counts as announced only when the package lists make-up workdays for it
(every announced year has them), and a day of any other year is ``unknown``:
the collector confirms it by hand (an override), the guard never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Protocol

import holidays

from agent_assist.compliance.policy import ContactPolicy

DayKind = Literal["workday", "holiday", "unknown"]
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CalendarDay:
    kind: DayKind
    name: str = ""  # the holiday's name, for holidays


class HolidayCalendar(Protocol):
    def day(self, day: date) -> CalendarDay: ...


class NoHolidays:
    """A jurisdiction whose calling rules ignore public holidays."""

    def day(self, day: date) -> CalendarDay:
        return CalendarDay("workday")


class ChinaHolidays:
    """The announced holiday breaks of mainland China, weekends inside them included.

    A day off in the package (a statutory holiday or a rest day moved onto a
    weekday) is a holiday, and so is a weekend day joined to one by other days
    off: the announcement gives a break as one run (2026 National Day: 1–7
    October, Sunday the 4th included). A make-up workday is an ordinary day; so
    is any weekend not joined to a holiday.
    """

    def __init__(self, language: str | None = None) -> None:
        self._language = language
        self._years: dict[int, holidays.HolidayBase | None] = {}

    def day(self, day: date) -> CalendarDay:
        year = self._year(day.year)
        if year is None:
            return CalendarDay("unknown")
        if day in year:
            return CalendarDay("holiday", year.get(day) or "")
        if not self._rest_day(year, day):
            return CalendarDay("workday")
        for step in (-_DAY, _DAY):  # walk the run of days off this weekend belongs to
            other = day + step
            while True:
                around = self._year(other.year)
                if around is None:
                    return CalendarDay("unknown")  # the run may reach into next year's break
                if other in around:
                    return CalendarDay("holiday", around.get(other) or "")
                if not self._rest_day(around, other):
                    break
                other += step
        return CalendarDay("workday")

    @staticmethod
    def _rest_day(year: holidays.HolidayBase, day: date) -> bool:
        """A weekend day that is not worked (package holidays are checked before)."""
        return day.weekday() in year.weekend and day not in year.weekend_workdays

    def _year(self, number: int) -> holidays.HolidayBase | None:
        """The package's calendar of an announced year, else None."""
        if number not in self._years:
            found = holidays.country_holidays(
                "CN", years=number, language=self._language, expand=False
            )
            announced = any(day.year == number for day in found.weekend_workdays)
            self._years[number] = found if announced else None
        return self._years[number]


def calendar_for(policy: ContactPolicy) -> HolidayCalendar:
    """The holiday calendar a policy calls for."""
    rule = policy.holidays
    if rule is None:
        return NoHolidays()
    # The loader accepts only countries listed in policy.HOLIDAY_COUNTRIES.
    return ChinaHolidays(rule.language)
