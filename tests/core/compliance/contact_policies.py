"""The bundled contact policies and small builders for the pre-dial check tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from agent_assist.compliance.calendar import ChinaHolidays, NoHolidays
from agent_assist.compliance.check import Attempt, CaseFacts, Verdict, check
from agent_assist.compliance.policy import ContactPolicy, load_policy
from agent_assist.rules.registry import packs_dir

CN = load_policy(packs_dir() / "zh-CN")
US = load_policy(packs_dir() / "en-US")
CN_CALENDAR = ChinaHolidays("zh_CN")
SHANGHAI = ("Asia/Shanghai",)
NEW_YORK = ("America/New_York",)


def utc(year: int, month: int, day: int, *clock: int) -> datetime:
    """An instant in UTC; ``clock`` is hour, minute, second."""
    hour, minute, second = (*clock, 0, 0, 0)[:3]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def calls(*instants: datetime, outcome: str = "no_answer") -> list[Attempt]:
    return [Attempt(at, outcome) for at in instants]


def verdict(
    policy: ContactPolicy,
    when: datetime,
    history: Iterable[Attempt] = (),
    *,
    zones: tuple[str, ...] | None = None,
    status: str = "active",
) -> Verdict:
    calendar = CN_CALENDAR if policy is CN else NoHolidays()
    zones = zones or (SHANGHAI if policy is CN else NEW_YORK)
    return check(policy, calendar, CaseFacts(status, zones), list(history), when)


def codes(result: Verdict) -> list[str]:
    return [reason.code for reason in result.reasons]
