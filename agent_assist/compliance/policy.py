"""A pack's contact policy (``contact_policy.yaml``): when a debtor may be called.

Every number here depends on law, so it comes from the pack, never from code.
The file is read node by node through :class:`~agent_assist.rules.yamlfile.YamlFile`
so each problem is reported as ``file:line:col: message``; a file with any
problem raises :class:`PolicyError` listing them all, never a half-loaded policy.
Format: ``docs/compliance.md``.
"""

from __future__ import annotations

import re
import string
import zoneinfo
from dataclasses import dataclass
from datetime import time
from functools import cache
from pathlib import Path

import holidays
from yaml import Node, SequenceNode

from agent_assist.errors import UserError
from agent_assist.rules.yamlfile import Problem, YamlFile
from agent_assist.store.cases_repo import CASE_STATUSES

FILE = "contact_policy.yaml"
HOLIDAY_COUNTRIES = ("CN",)  # countries calendar.py knows how to read
# The placeholders each message may use (check.py fills them in).
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "hours": ("start", "end", "local", "zone"),
    "holiday": ("date", "name"),
    "calendar_unknown": ("date", "year"),
    "daily_cap": ("count", "cap"),
    "rolling_cap": ("count", "cap", "days"),
    "after_conversation": ("days", "last"),
}
_TOP_REQUIRED = ("hours", "time_zones", "statuses")
_TOP_OPTIONAL = ("sms_hours", "holidays", "daily_cap", "rolling_cap", "after_conversation")
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class Window:
    """Local clock times [start, end): a call at exactly ``end`` is already too late."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class HoursRule:
    window: Window
    overridable: bool
    message: str


@dataclass(frozen=True)
class HolidayRule:
    country: str
    language: str | None  # for holiday names, as the ``holidays`` package spells it
    overridable: bool
    message: str
    unknown_message: str


@dataclass(frozen=True)
class DailyCap:
    attempts: int  # call attempts per case and debtor-local day
    overridable: bool
    message: str


@dataclass(frozen=True)
class RollingCap:
    attempts: int  # at most this many call attempts …
    days: int  # … within any window of this many 24-hour days
    overridable: bool
    message: str


@dataclass(frozen=True)
class ConversationRest:
    days: int  # no call this long after a conversation
    not_conversation: frozenset[str]  # call outcomes in which nobody talked with the debtor
    overridable: bool
    message: str


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    zones: tuple[str, ...]  # several: the call must suit every one of them


@dataclass(frozen=True)
class ContactPolicy:
    hours: HoursRule
    default_zones: tuple[str, ...]
    regions: tuple[Region, ...]
    statuses: tuple[tuple[str, str], ...]  # (blocked case status, message for the collector)
    sms_hours: Window | None = None
    holidays: HolidayRule | None = None
    daily_cap: DailyCap | None = None
    rolling_cap: RollingCap | None = None
    after_conversation: ConversationRest | None = None

    def status_message(self, status: str) -> str | None:
        """Why a case in ``status`` may not be called, or None when it may."""
        return dict(self.statuses).get(status)


class PolicyError(UserError):
    """A contact policy file with problems; ``problems`` lists them all in line order."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        lines = "\n".join(str(problem) for problem in problems)
        super().__init__(f"contact policy {path} was not loaded ({count}):\n{lines}")


def load_policy(folder: Path) -> ContactPolicy:
    """The contact policy of the pack in ``folder``; raises :class:`PolicyError`."""
    source = YamlFile(folder, FILE)
    root = source.compose()
    if root is None and not source.problems:
        source.report_at(1, 1, "the file is empty; see docs/compliance.md for its format")
    policy = _Reader(source).policy(root) if root is not None else None
    problems = source.sorted_problems()
    if problems or policy is None:
        raise PolicyError(source.path, problems)
    return policy


@cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class _Reader:
    def __init__(self, source: YamlFile) -> None:
        self.f = source

    def policy(self, root: Node) -> ContactPolicy:
        top = self.f.mapping(root, "the contact policy", _TOP_REQUIRED, _TOP_OPTIONAL)
        hours = self._hours(top.get("hours"))
        zones = self.f.mapping(top.get("time_zones"), "time_zones", ("default",), ("regions",))
        return ContactPolicy(
            hours=hours,
            default_zones=self._zones(zones.get("default"), "time_zones.default"),
            regions=self._regions(zones.get("regions")),
            statuses=self._statuses(top.get("statuses")),
            sms_hours=self._window(top["sms_hours"], "sms_hours") if "sms_hours" in top else None,
            holidays=self._holidays(top.get("holidays")),
            daily_cap=self._daily_cap(top.get("daily_cap")),
            rolling_cap=self._rolling_cap(top.get("rolling_cap")),
            after_conversation=self._rest(top.get("after_conversation")),
        )

    def _hours(self, node: Node | None) -> HoursRule:
        fields = self.f.mapping(node, "hours", ("start", "end", "overridable", "message"), ())
        return HoursRule(
            self._window(node, "hours", fields),
            self._flag(fields, "overridable"),
            self._message(fields, "message", "hours"),
        )

    def _window(
        self, node: Node | None, what: str, fields: dict[str, Node] | None = None
    ) -> Window:
        if fields is None:
            fields = self.f.mapping(node, what, ("start", "end"), ())
        start = self._clock(fields.get("start"), f"{what}.start")
        end = self._clock(fields.get("end"), f"{what}.end")
        if start is not None and end is not None and start >= end:
            self.f.report(fields["end"], f"{what}.end must be later than {what}.start")
        return Window(start or time(0), end or time(0))

    def _clock(self, node: Node | None, what: str) -> time | None:
        if node is None:
            return None
        # raw: YAML 1.1 reads an unquoted 21:00 as a base-60 number; keep it as written
        text = self.f.text(node, what, raw=True)
        match = _CLOCK.fullmatch(text)
        if match is None:
            if text:
                self.f.report(node, f'{what} must be a time of day such as "08:00", not {text!r}')
            return None
        return time(int(match[1]), int(match[2]))

    def _zones(self, node: Node | None, what: str) -> tuple[str, ...]:
        names = self.f.texts(node, what)
        empty = isinstance(node, SequenceNode) and not node.value
        if node is not None and (empty or self.f.is_null(node)):
            self.f.report(node, f"{what} needs at least one time zone")
        for name, item in names:
            if name not in known_zones():
                self.f.report(
                    item,
                    f"{name!r} is not a time zone; use an IANA name such as "
                    "Asia/Shanghai or America/New_York",
                )
        return tuple(name for name, _ in names)

    def _regions(self, node: Node | None) -> tuple[Region, ...]:
        regions: list[Region] = []
        seen: dict[str, int] = {}
        for item in self.f.items(node, "time_zones.regions") or []:
            fields = self.f.mapping(item, "a region", ("code", "name", "zones"), ())
            code = self.f.get_text(fields, "code", blank=False)
            name = self.f.get_text(fields, "name", blank=False)
            for key in ("code", "name"):
                label = region_key(code if key == "code" else name)
                if label and label in seen:
                    self.f.report(
                        fields[key],
                        f"region {label!r} is listed twice (first at line {seen[label]})",
                    )
                elif label:
                    seen[label] = self.f.line(fields[key])
            zones = self._zones(fields.get("zones"), f"the zones of {name or 'a region'}")
            regions.append(Region(code, name, zones))
        return tuple(regions)

    def _statuses(self, node: Node | None) -> tuple[tuple[str, str], ...]:
        fields = self.f.mapping(node, "statuses", (), CASE_STATUSES)
        return tuple(
            (status, self.f.text(value, f"the message for {status}", blank=False))
            for status, value in fields.items()
        )

    def _holidays(self, node: Node | None) -> HolidayRule | None:
        if node is None:
            return None
        keys = ("country", "overridable", "message", "unknown_message")
        fields = self.f.mapping(node, "holidays", keys, ("language",))
        country = self.f.pick(fields, "country", HOLIDAY_COUNTRIES, HOLIDAY_COUNTRIES[0])
        language = None
        if "language" in fields:
            known = holidays.country_holidays(country).supported_languages
            language = self.f.choice(fields["language"], "holidays.language", tuple(known))
        return HolidayRule(
            country,
            language,
            self._flag(fields, "overridable"),
            self._message(fields, "message", "holiday"),
            self._message(fields, "unknown_message", "calendar_unknown"),
        )

    def _daily_cap(self, node: Node | None) -> DailyCap | None:
        if node is None:
            return None
        fields = self.f.mapping(node, "daily_cap", ("attempts", "overridable", "message"), ())
        return DailyCap(
            self._count(fields, "attempts"),
            self._flag(fields, "overridable"),
            self._message(fields, "message", "daily_cap"),
        )

    def _rolling_cap(self, node: Node | None) -> RollingCap | None:
        if node is None:
            return None
        keys = ("attempts", "days", "overridable", "message")
        fields = self.f.mapping(node, "rolling_cap", keys, ())
        return RollingCap(
            self._count(fields, "attempts"),
            self._count(fields, "days"),
            self._flag(fields, "overridable"),
            self._message(fields, "message", "rolling_cap"),
        )

    def _rest(self, node: Node | None) -> ConversationRest | None:
        if node is None:
            return None
        keys = ("days", "not_conversation", "overridable", "message")
        fields = self.f.mapping(node, "after_conversation", keys, ())
        outcomes = self.f.strings(fields.get("not_conversation"), "not_conversation")
        if "not_conversation" in fields and not outcomes:
            self.f.report(
                fields["not_conversation"],
                "not_conversation lists no call outcome; "
                "without it every unanswered call would count as a conversation",
            )
        return ConversationRest(
            self._count(fields, "days"),
            frozenset(outcomes),
            self._flag(fields, "overridable"),
            self._message(fields, "message", "after_conversation"),
        )

    def _count(self, fields: dict[str, Node], key: str) -> int:
        return self.f.integer(fields[key], key, minimum=1, default=1) if key in fields else 1

    def _flag(self, fields: dict[str, Node], key: str) -> bool:
        return self.f.flag(fields[key], key) if key in fields else False

    def _message(self, fields: dict[str, Node], key: str, rule: str) -> str:
        if key not in fields:
            return ""
        node = fields[key]
        text = self.f.text(node, key, blank=False)
        allowed = PLACEHOLDERS[rule]
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError as exc:
            self.f.report(node, f"{key}: {exc}; write a literal brace as {{{{ or }}}}")
            return text
        for _, name, spec, conversion in parsed:
            if name is None:
                continue
            if name not in allowed or spec or conversion:
                places = ", ".join(f"{{{p}}}" for p in allowed)
                self.f.report(node, f"{key}: unknown placeholder {{{name}}}; use {places}")
        return text


def region_key(text: str) -> str:
    """A region name or code as compared: case, spaces and punctuation ignored."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())
