"""Reading the amount and the date out of what a debtor promised.

Works on the rule engine's normalised text (numbers as digits, Chinese
spaces removed, English lower case), so "下 周五 还 五百 块", "下周5还500块"
and "i'll pay fifty dollars on friday" read the same way. The collector
confirms what is proposed; nothing here is stored unseen.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from agent_assist.rules.normalize import normalize_text

DateRule = Callable[[re.Match[str], date], date | None]


@dataclass(frozen=True)
class PromiseTerms:
    amount: Decimal | None
    due: date | None


_ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_WEEKDAY |= {str(i + 1): i for i in range(7)}
_ZH_RELATIVE = {"今天": 0, "今儿": 0, "明天": 1, "明儿": 1, "后天": 2, "大后天": 3}
_EN_WEEKDAY = {name: i for i, name in enumerate(calendar.day_name[i].lower() for i in range(7))}
_EN_MONTH = {calendar.month_name[i].lower(): i for i in range(1, 13)}
_EN_MONTH |= {calendar.month_abbr[i].lower(): i for i in range(1, 13)}

# A number that is a date or a time, not money.
_ZH_NOT_MONEY = re.compile(r"\d+(?=[号日月点周天年岁个期])|(?<=[周期拜])\d")
_ZH_MONEY = re.compile(r"(\d+(?:\.\d+)?)(万|千)?(?:元|块|块钱|rmb|人民币)?")
_EN_MONEY = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)(?!\s*(?:st|nd|rd|th|am|pm|o'clock|days?|weeks?|months?)\b)"
)


def promise_terms(text: str, language: str, today: date) -> PromiseTerms:
    """The amount and due date a promise names, each None when it names none."""
    norm = normalize_text(text, "zh" if language.startswith("zh") else "en")
    if language.startswith("zh"):
        return PromiseTerms(_zh_amount(norm), _zh_date(norm, today))
    return PromiseTerms(_en_amount(norm), _en_date(norm, today))


def _zh_amount(text: str) -> Decimal | None:
    masked = _ZH_NOT_MONEY.sub(lambda m: "#" * len(m.group()), text)
    best: Decimal | None = None
    for match in _ZH_MONEY.finditer(masked):
        value = Decimal(match.group(1))
        value *= {"万": 10_000, "千": 1_000}.get(match.group(2) or "", 1)
        best = value if best is None else max(best, value)
    return best if best else None


def _zh_date(text: str, today: date) -> date | None:
    for word, days in sorted(_ZH_RELATIVE.items(), key=lambda kv: -len(kv[0])):
        if word in text:
            return today + timedelta(days=days)
    return _first(text, today, _ZH_DATES)


_ZH_WEEK = r"(?:周|星期|礼拜)([一二三四五六日天1-7])"
_ZH_DATES: list[tuple[str, DateRule]] = [
    (
        r"下(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])",
        lambda m, t: _next_week(t, _ZH_WEEKDAY[m[1]]),
    ),
    (r"(?:周|星期|礼拜)([一二三四五六日天1-7])", lambda m, t: _upcoming(t, _ZH_WEEKDAY[m[1]])),
    (r"(\d{1,2})月(\d{1,2})[号日]", lambda m, t: _this_or_next_year(t, int(m[1]), int(m[2]))),
    (r"下(?:个)?月(\d{1,2})[号日]", lambda m, t: _in_month(_add_month(t), int(m[1]))),
    (r"(\d{1,2})[号日]", lambda m, t: _day_of_month(t, int(m[1]))),
    (r"下(?:个)?月底", lambda m, t: _month_end(_add_month(t))),
    (r"月底", lambda m, t: _month_end(t)),
    (r"月初", lambda m, t: _add_month(t)),
]


def _first(text: str, today: date, rules: list[tuple[str, DateRule]]) -> date | None:
    for pattern, rule in rules:
        if match := re.search(pattern, text):
            return rule(match, today)
    return None


def _en_amount(text: str) -> Decimal | None:
    money = re.search(r"(\d+(?:\.\d+)?)\s*(?:dollars?|bucks?|usd)\b", text)
    if money:
        return Decimal(money.group(1))
    candidates = [Decimal(m.group(1)) for m in _EN_MONEY.finditer(text)]
    return max(candidates) if candidates else None


def _en_date(text: str, today: date) -> date | None:
    return _first(text, today, _EN_DATES)


_MONTHS = "|".join(sorted(_EN_MONTH, key=len, reverse=True))
_WEEKDAYS = "|".join(_EN_WEEKDAY)
_EN_DATES: list[tuple[str, DateRule]] = [
    (r"\b(?:today|tonight)\b", lambda m, t: t),
    (r"\btomorrow\b", lambda m, t: t + timedelta(days=1)),
    (rf"\bnext ({_WEEKDAYS})\b", lambda m, t: _next_week(t, _EN_WEEKDAY[m[1]])),
    (rf"\b({_WEEKDAYS})\b", lambda m, t: _upcoming(t, _EN_WEEKDAY[m[1]])),
    (
        rf"\b({_MONTHS})\.? (?:the )?(\d{{1,2}})(?:st|nd|rd|th)?\b",
        lambda m, t: _this_or_next_year(t, _EN_MONTH[m[1]], int(m[2])),
    ),
    (r"\bthe (\d{1,2})(?:st|nd|rd|th)\b", lambda m, t: _day_of_month(t, int(m[1]))),
    (r"\bend of next month\b", lambda m, t: _month_end(_add_month(t))),
    (r"\bend of (?:the |this )?month\b", lambda m, t: _month_end(t)),
]


def _upcoming(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _next_week(today: date, weekday: int) -> date:
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    return monday + timedelta(days=weekday)


def _add_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, 1)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _in_month(first: date, day: int) -> date | None:
    last = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=day) if 1 <= day <= last else None


def _day_of_month(today: date, day: int) -> date | None:
    this_month = _in_month(today.replace(day=1), day)
    if this_month is not None and this_month >= today:
        return this_month
    return _in_month(_add_month(today), day)


def _this_or_next_year(today: date, month: int, day: int) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None
