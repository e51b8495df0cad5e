"""The pre-dial check: may this case's debtor be called at this instant, and if not, when?

Pure: the policy, the calendar, the case's facts and its call history come in,
a :class:`Verdict` goes out; nothing is read from a database or a clock.

Each time-based rule, when it blocks an instant ``t``, also says the earliest
instant ≥ ``t`` at which *it* could pass. The earliest instant every rule
passes is never before the latest of those, so jumping there and asking
again reaches it exactly, without skipping an allowed instant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agent_assist.compliance.calendar import HolidayCalendar
from agent_assist.compliance.local_time import first_instant, next_midnight, zone_info
from agent_assist.compliance.policy import ContactPolicy

OUTSIDE_HOURS = "outside_hours"
HOLIDAY = "holiday"
CALENDAR_UNKNOWN = "calendar_unknown"
DAILY_CAP = "daily_cap"
ROLLING_CAP = "rolling_cap"
AFTER_CONVERSATION = "after_conversation"
STATUS_PREFIX = "status."  # + the case status, e.g. status.cease_requested
# Beyond this, waiting does not help (a calendar not announced that far ahead).
HORIZON = timedelta(days=400)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Attempt:
    """One call attempt of the case."""

    at: datetime  # aware
    outcome: str


@dataclass(frozen=True)
class CaseFacts:
    status: str
    zones: tuple[str, ...]  # IANA names; the call must suit each (local_time.debtor_zones)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    overridable: bool = False  # may a person lift it with a written reason


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reasons: tuple[Reason, ...]  # every rule that blocks, not only the first
    local_times: tuple[datetime, ...]  # the instant in each of the debtor's zones
    # The earliest instant ≥ the checked one at which every time-based rule passes
    # (the checked instant itself when allowed); None when waiting cannot help.
    next_allowed: datetime | None

    @property
    def local_time(self) -> datetime:
        return self.local_times[0]

    @property
    def overridable(self) -> bool:
        return bool(self.reasons) and all(reason.overridable for reason in self.reasons)


def check(
    policy: ContactPolicy,
    calendar: HolidayCalendar,
    facts: CaseFacts,
    history: Iterable[Attempt],
    when: datetime,
) -> Verdict:
    """The verdict for calling the debtor at ``when``; attempts after ``when`` are ignored."""
    if when.tzinfo is None:
        raise ValueError("the instant to check needs a time zone")
    if not facts.zones:
        raise ValueError("the debtor needs at least one time zone")
    now = when.astimezone(UTC)
    rules = _Rules(policy, calendar, tuple(zone_info(z) for z in facts.zones), history, now)
    reasons: list[Reason] = []
    blocked_status = policy.status_message(facts.status)
    if blocked_status is not None:
        reasons.append(Reason(STATUS_PREFIX + facts.status, blocked_status))
    reasons.extend(rules.reason(block) for block in rules.blocks(now))
    return Verdict(
        allowed=not reasons,
        reasons=tuple(reasons),
        local_times=tuple(now.astimezone(zone) for zone in rules.zones),
        next_allowed=None if blocked_status is not None else rules.next_allowed(now),
    )


def lookback(policy: ContactPolicy) -> timedelta:
    """How much call history the check needs before the instant it checks."""
    days = [1]
    if policy.rolling_cap:
        days.append(policy.rolling_cap.days)
    if policy.after_conversation:
        days.append(policy.after_conversation.days)
    return timedelta(days=max(days) + 1)  # + a day: local days are up to 26 hours from UTC


@dataclass(frozen=True)
class _Block:
    code: str
    until: datetime  # the earliest instant this rule alone could pass
    values: Mapping[str, str]  # for the message


class _Rules:
    def __init__(
        self,
        policy: ContactPolicy,
        calendar: HolidayCalendar,
        zones: tuple[ZoneInfo, ...],
        history: Iterable[Attempt],
        now: datetime,
    ) -> None:
        self.policy, self.calendar, self.zones = policy, calendar, zones
        past = sorted((a for a in history if a.at <= now), key=lambda a: a.at)
        self.calls = [a.at.astimezone(UTC) for a in past]
        rest = policy.after_conversation
        talks = [a.at for a in past if rest and a.outcome not in rest.not_conversation]
        self.last_talk = talks[-1].astimezone(UTC) if talks else None

    def blocks(self, t: datetime) -> list[_Block]:
        found = (self._hours(t), self._calendar(t), self._daily(t), self._rolling(t), self._rest(t))
        return [block for block in found if block is not None]

    def next_allowed(self, now: datetime) -> datetime | None:
        t = now
        while blocks := self.blocks(t):
            later = max(block.until for block in blocks)
            if later - now > HORIZON:
                return None
            t = max(later, t + timedelta(microseconds=1))  # always move on
        return t

    def reason(self, block: _Block) -> Reason:
        policy = self.policy
        rules = {
            OUTSIDE_HOURS: policy.hours,
            HOLIDAY: policy.holidays,
            DAILY_CAP: policy.daily_cap,
            ROLLING_CAP: policy.rolling_cap,
            AFTER_CONVERSATION: policy.after_conversation,
        }
        if block.code == CALENDAR_UNKNOWN:
            assert policy.holidays is not None
            # Overridable: the override is the manual confirmation the message asks for.
            return Reason(
                block.code, policy.holidays.unknown_message.format_map(block.values), True
            )
        rule = rules[block.code]
        assert rule is not None
        return Reason(block.code, rule.message.format_map(block.values), rule.overridable)

    def _hours(self, t: datetime) -> _Block | None:
        window = self.policy.hours.window
        for zone in self.zones:
            local = t.astimezone(zone)
            if window.contains(local.time()):
                continue
            day = local.date() if local.time() < window.start else local.date() + _DAY
            until = first_instant(zone, datetime.combine(day, window.start), t)
            values = {"start": _hm(window.start), "end": _hm(window.end)}
            return _Block(OUTSIDE_HOURS, until, values | {"local": _hm(local), "zone": zone.key})
        return None

    def _calendar(self, t: datetime) -> _Block | None:
        if self.policy.holidays is None:
            return None
        for zone in self.zones:
            day = t.astimezone(zone).date()
            entry = self.calendar.day(day)
            if entry.kind == "unknown":
                values = {"date": day.isoformat(), "year": str(day.year)}
                return _Block(CALENDAR_UNKNOWN, next_midnight(zone, t), values)
            if entry.kind == "holiday":
                values = {"date": day.isoformat(), "name": entry.name}
                return _Block(HOLIDAY, next_midnight(zone, t), values)
        return None

    def _daily(self, t: datetime) -> _Block | None:
        cap = self.policy.daily_cap
        if cap is None:
            return None
        for zone in self.zones:
            day = t.astimezone(zone).date()
            count = sum(1 for at in self.calls if at.astimezone(zone).date() == day)
            if count >= cap.attempts:
                values = {"count": str(count), "cap": str(cap.attempts)}
                return _Block(DAILY_CAP, next_midnight(zone, t), values)
        return None

    def _rolling(self, t: datetime) -> _Block | None:
        cap = self.policy.rolling_cap
        if cap is None:
            return None
        window = timedelta(days=cap.days)
        inside = [at for at in self.calls if at > t - window]  # all are ≤ now ≤ t
        if len(inside) < cap.attempts:
            return None
        # Enough of the oldest must leave the window to let one more call in.
        until = inside[len(inside) - cap.attempts] + window
        values = {"count": str(len(inside)), "cap": str(cap.attempts), "days": str(cap.days)}
        return _Block(ROLLING_CAP, until, values)

    def _rest(self, t: datetime) -> _Block | None:
        rest = self.policy.after_conversation
        if rest is None or self.last_talk is None:
            return None
        until = self.last_talk + timedelta(days=rest.days)
        if t >= until:
            return None
        last = self.last_talk.astimezone(self.zones[0])
        return _Block(AFTER_CONVERSATION, until, {"days": str(rest.days), "last": _stamp(last)})


def _hm(moment: time | datetime) -> str:
    return moment.strftime("%H:%M")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")
