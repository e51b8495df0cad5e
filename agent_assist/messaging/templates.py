"""Follow-up message templates: one YAML file per language, validated node by node.

A library (``resources/scripts/<language>/messages.yaml``, format in
``docs/messages.md``) holds the templates of one language and the sending rules
that depend on law there (SMS hours, case statuses that forbid contact), so no
such number lives in code. Every problem is reported as ``file:line:col:
message``; a file with any problem is not loaded at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from yaml import Node, ScalarNode

from agent_assist.errors import UserError
from agent_assist.importing.case_values import STAGES as CASE_STAGES
from agent_assist.importing.case_values import parse_stage
from agent_assist.messaging.variables import TOKEN, source_of, variables_in
from agent_assist.paths import resources_dir
from agent_assist.rules.yamlfile import Problem, YamlFile
from agent_assist.store.cases_repo import CASE_STATUSES

Stage = Literal["early", "mid", "late", "legal"]
Purpose = Literal["reminder", "promise_confirmation", "payment_thanks", "repayment_plan"]
STAGES: tuple[Stage, ...] = get_args(Stage)
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)
DATE_PARTS = ("year", "month", "day", "month_name")
FILE_NAME = "messages.yaml"
_LANGUAGE = re.compile(r"[a-z]{2}-[A-Z]{2}")
_HOUR = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
# A spreadsheet runs a cell starting with one of these as a formula (CSV export).
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    id: str
    stages: tuple[Stage, ...]
    purpose: Purpose
    language: str
    text: str
    variables: tuple[str, ...]  # in order of first use
    line: int = 0


@dataclass(frozen=True, slots=True)
class MessageLibrary:
    language: str  # e.g. zh-CN: also names the rule pack that checks its texts
    version: str
    time_zone: str  # for a debtor whose own zone is unknown
    sms_hours: tuple[time, time]  # debtor local time, start inclusive, end exclusive
    date_format: str
    month_names: tuple[str, ...]
    stage_buckets: tuple[tuple[Stage, tuple[str, ...]], ...]  # call stage → case stages
    blocked_statuses: tuple[tuple[str, str], ...]  # case status → why no message is sent
    templates: tuple[MessageTemplate, ...]
    path: str = ""

    @property
    def region(self) -> str:
        """The country part of the language: where personal numbers are read (masking)."""
        return self.language.split("-")[1]

    def template(self, template_id: str) -> MessageTemplate:
        for template in self.templates:
            if template.id == template_id:
                return template
        known = ", ".join(t.id for t in self.templates)
        raise UserError(f"no message template {template_id!r} in {self.language}; known: {known}")

    def call_stage(self, case_stage: str) -> Stage | None:
        """The call stage (early … legal) a case stage (M0 … M6+) belongs to, if any."""
        try:
            bucket = parse_stage(case_stage)  # as the import reads it: M6, M7 … are M6+
        except ValueError:
            return None
        for stage, buckets in self.stage_buckets:
            if bucket in buckets:
                return stage
        return None

    def blocked(self) -> Mapping[str, str]:
        return dict(self.blocked_statuses)


class TemplateError(UserError):
    """A library file with problems; ``problems`` lists every one, in line order."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"message templates {path} were not loaded ({count}):\n{lines}")


def libraries_dir() -> Path:
    return resources_dir() / "scripts"


def bundled_libraries() -> dict[str, MessageLibrary]:
    """Every bundled library by language; raises :class:`TemplateError` on the first bad one."""
    folder = libraries_dir()
    paths = sorted(folder.glob(f"*/{FILE_NAME}")) if folder.is_dir() else []
    libraries = [load_library(path) for path in paths]
    return {library.language: library for library in libraries}


def load_library(path: Path) -> MessageLibrary:
    """Validate and load one library file; raises :class:`TemplateError` listing every problem."""
    f = YamlFile(path.parent, path.name)
    root = f.compose()
    if root is None and not f.problems:
        f.report_at(1, 1, f"{path.name} is empty")
    fields = f.mapping(root, path.name, ("library", "stages", "templates"), ("blocked_statuses",))
    head = _Head(f, fields.get("library"))
    stages = _stage_buckets(f, fields.get("stages"))
    blocked = _blocked_statuses(f, fields.get("blocked_statuses"))
    source = source_of(f)
    templates: list[MessageTemplate] = []
    first_line: dict[str, int] = {}
    for node in f.items(fields.get("templates"), "templates") or []:
        template = _template(f, node, head.language, source, first_line)
        if template is not None:
            templates.append(template)
    if "templates" in fields and not templates and not f.problems:
        f.report(fields["templates"], "templates is empty: add at least one template")
    head.check_date_format()
    problems = f.sorted_problems()
    if problems:
        raise TemplateError(path, problems)
    return MessageLibrary(
        language=head.language,
        version=head.version,
        time_zone=head.time_zone,
        sms_hours=head.hours,
        date_format=head.date_format,
        month_names=head.month_names,
        stage_buckets=stages,
        blocked_statuses=blocked,
        templates=tuple(templates),
        path=str(path),
    )


class _Head:
    """The ``library`` section."""

    def __init__(self, f: YamlFile, node: Node | None) -> None:
        self._f = f
        keys = ("language", "version", "time_zone", "sms_hours", "date_format")
        fields = f.mapping(node, "the `library` section", keys, ("month_names",))
        self._fields = fields
        self.language = f.get_text(fields, "language")
        language = fields.get("language")
        if (
            language is not None
            and f.is_string(language)
            and not _LANGUAGE.fullmatch(self.language)
        ):
            f.report(language, "language must look like zh-CN or en-US")
        self.version = f.get_text(fields, "version", raw=True, blank=False)
        self.time_zone = f.get_text(fields, "time_zone", blank=False)
        if self.time_zone and not _zone_exists(self.time_zone):
            f.report(
                fields["time_zone"],
                f"unknown time zone {self.time_zone!r} (IANA, e.g. Asia/Shanghai)",
            )
        self.hours = _hours(f, fields.get("sms_hours"))
        self.date_format = f.get_text(fields, "date_format", blank=False)
        self.month_names = f.strings(fields.get("month_names"), "month_names")
        if "month_names" in fields and len(self.month_names) != 12:
            f.report(fields["month_names"], "month_names must list the 12 months, January first")

    def check_date_format(self) -> None:
        node = self._fields.get("date_format")
        if node is None or not self._f.is_string(node):
            return
        for name in TOKEN.findall(self.date_format):
            if name not in DATE_PARTS:
                self._f.report(
                    node, f"unknown date part {{{name}}}; allowed: {', '.join(DATE_PARTS)}"
                )
        if "{month_name}" in self.date_format and not self.month_names:
            self._f.report(node, "the date format uses {month_name}: add `month_names`")


def _zone_exists(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _hours(f: YamlFile, node: Node | None) -> tuple[time, time]:
    unset = (time(0), time(0))  # only ever returned with a problem reported
    items = f.items(node, "sms_hours")
    if node is None or items is None:
        return unset
    if len(items) != 2:
        f.report(node, 'sms_hours must be two times ["HH:MM", "HH:MM"]: start and end')
        return unset
    times: list[time] = []
    for item in items:
        value = f.text(item, "each time of sms_hours")
        match = _HOUR.fullmatch(value)
        if match is None:
            if f.is_string(item):
                f.report(item, f"{value!r} is not a time of day as HH:MM (24-hour clock)")
            return unset
        times.append(time(int(match[1]), int(match[2])))
    if times[0] >= times[1]:
        f.report(node, "sms_hours must end after they start, on the same day")
        return unset
    return times[0], times[1]


def _stage_buckets(f: YamlFile, node: Node | None) -> tuple[tuple[Stage, tuple[str, ...]], ...]:
    fields = f.mapping(node, "stages", (), STAGES)
    seen: dict[str, str] = {}
    found: list[tuple[Stage, tuple[str, ...]]] = []
    for stage in STAGES:
        buckets: list[str] = []
        for value, item in f.texts(fields.get(stage), stage):
            if value not in CASE_STAGES:
                f.report(item, f"case stage {value!r} is not one of {', '.join(CASE_STAGES)}")
            elif value in seen:
                f.report(item, f"case stage {value} is already in the {seen[value]} stage")
            else:
                seen[value] = stage
                buckets.append(value)
        found.append((stage, tuple(buckets)))
    return tuple(found)


def _blocked_statuses(f: YamlFile, node: Node | None) -> tuple[tuple[str, str], ...]:
    fields = f.mapping(node, "blocked_statuses", (), CASE_STATUSES)
    return tuple((status, f.text(value, status, blank=False)) for status, value in fields.items())


def _template(
    f: YamlFile, node: Node, language: str, source: str, first_line: dict[str, int]
) -> MessageTemplate | None:
    fields = f.mapping(node, "a template", ("id", "stage", "purpose", "text"), ("note",))
    template_id = f.get_text(fields, "id", blank=False)
    if template_id in first_line:
        f.report(
            fields["id"],
            f"duplicate template id {template_id!r} (first at line {first_line[template_id]})",
        )
    elif template_id:
        first_line[template_id] = f.line(fields["id"])
    stages = _template_stages(f, fields.get("stage"))
    purpose = f.choice(fields["purpose"], "purpose", PURPOSES) if "purpose" in fields else None
    text = f.get_text(fields, "text", blank=False)
    if "note" in fields:
        f.text(fields["note"], "note")
    variables = variables_in(f, fields["text"], text, source) if "text" in fields else ()
    if text.lstrip().startswith(_FORMULA_START):
        f.report(fields["text"], "a message must not start with = + - or @ (spreadsheets run it)")
    if not (template_id and stages and purpose and text.strip()):
        return None
    return MessageTemplate(
        id=template_id,
        stages=stages,
        purpose=purpose,  # type: ignore[arg-type]  # checked by choice()
        language=language,
        text=text,
        variables=variables,
        line=f.line(node),
    )


def _template_stages(f: YamlFile, node: Node | None) -> tuple[Stage, ...]:
    """``stage: early`` or ``stage: [mid, late]``."""
    if node is None:
        return ()
    if isinstance(node, ScalarNode):
        value = f.choice(node, "stage", STAGES)
        return (value,) if value else ()  # type: ignore[return-value]
    items = f.items(node, "stage") or []
    if not items and not f.is_null(node):
        f.report(node, "stage is empty")
    chosen = [f.choice(item, "each stage", STAGES) for item in items]
    return tuple(dict.fromkeys(s for s in chosen if s))  # type: ignore[misc]
