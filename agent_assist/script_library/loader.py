"""Reading a script library (``resources/scripts/<language>/scripts.yaml``) node by node.

Every problem is reported as ``file:line:col: message`` (a wrong variable at the very
character it is written), and a file with any problem is not loaded at all, so a
collector never sees half a library. Format: docs/script-library.md.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from pathlib import Path

from yaml import Node, ScalarNode

from agent_assist.compliance.risk_model import SEGMENTS
from agent_assist.errors import UserError
from agent_assist.paths import resources_dir
from agent_assist.rules.yamlfile import Problem, YamlFile
from agent_assist.script_library.model import (
    ANY,
    PURPOSES,
    STAGES,
    VARIABLES,
    Script,
    ScriptLibrary,
)

FILE_NAME = "scripts.yaml"
DATE_PARTS = ("year", "month", "day", "month_name")
_LANGUAGE = re.compile(r"[a-z]{2}-[A-Z]{2}")
_TOKEN = re.compile(r"\{([^{}]*)\}")


class ScriptLibraryError(UserError):
    """A library file with problems; ``problems`` lists every one, in line order."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"script library {path} was not loaded ({count}):\n{lines}")


def library_path(language: str) -> Path:
    return resources_dir() / "scripts" / language / FILE_NAME


def load_library(path: Path, cue_ids: Collection[str]) -> ScriptLibrary:
    """Validate and load one library; ``cue_ids`` are the taxonomy's category ids.

    Raises :class:`ScriptLibraryError` listing every problem.
    """
    f = YamlFile(path.parent, path.name)
    root = f.compose()
    if root is None and not f.problems:
        f.report_at(1, 1, f"{path.name} is empty")
    fields = f.mapping(root, path.name, ("library", "scripts"), ())
    head = _Head(f, fields.get("library"))
    source = _source(f)
    scripts: list[Script] = []
    first_line: dict[str, int] = {}
    for node in f.items(fields.get("scripts"), "scripts") or []:
        script = _script(f, node, source, cue_ids, first_line)
        if script is not None:
            scripts.append(script)
    if "scripts" in fields and not scripts and not f.problems:
        f.report(fields["scripts"], "scripts is empty: add at least one script")
    problems = f.sorted_problems()
    if problems:
        raise ScriptLibraryError(path, problems)
    return ScriptLibrary(
        language=head.language,
        version=head.version,
        date_format=head.date_format,
        month_names=head.month_names,
        placeholders=head.placeholders,
        scripts=tuple(scripts),
        path=str(path),
    )


class _Head:
    """The ``library`` section."""

    def __init__(self, f: YamlFile, node: Node | None) -> None:
        required = ("language", "version", "date_format")
        fields = f.mapping(node, "the `library` section", required, ("month_names", "placeholders"))
        self.language = f.get_text(fields, "language")
        language = fields.get("language")
        if (
            language is not None
            and f.is_string(language)
            and not _LANGUAGE.fullmatch(self.language)
        ):
            f.report(language, "language must look like zh-CN or en-US")
        self.version = f.get_text(fields, "version", raw=True, blank=False)
        self.date_format = f.get_text(fields, "date_format", blank=False)
        self.month_names = f.strings(fields.get("month_names"), "month_names")
        if "month_names" in fields and len(self.month_names) != 12:
            f.report(fields["month_names"], "month_names must list the 12 months, January first")
        node_format = fields.get("date_format")
        if node_format is not None and f.is_string(node_format):
            for name in _TOKEN.findall(self.date_format):
                if name not in DATE_PARTS:
                    parts = ", ".join(DATE_PARTS)
                    f.report(node_format, f"unknown date part {{{name}}}; allowed: {parts}")
            if "{month_name}" in self.date_format and not self.month_names:
                f.report(node_format, "the date format uses {month_name}: add `month_names`")
        shown = f.mapping(fields.get("placeholders"), "placeholders", (), VARIABLES)
        self.placeholders = tuple(
            (name, f.text(value, name, blank=False)) for name, value in shown.items()
        )


def _script(
    f: YamlFile, node: Node, source: str, cue_ids: Collection[str], first_line: dict[str, int]
) -> Script | None:
    fields = f.mapping(
        node, "a script", ("id", "stage", "segments", "purpose", "lines"), ("cues", "note")
    )
    script_id = f.get_text(fields, "id", blank=False)
    if script_id in first_line:
        f.report(
            fields["id"],
            f"duplicate script id {script_id!r} (first at line {first_line[script_id]})",
        )
    elif script_id:
        first_line[script_id] = f.line(fields["id"])
    stages = _any_or_list(f, fields.get("stage"), "stage", STAGES)
    segments = _any_or_list(f, fields.get("segments"), "segments", SEGMENTS)
    cues = _cues(f, fields.get("cues"), cue_ids)
    purpose = f.choice(fields["purpose"], "purpose", PURPOSES) if "purpose" in fields else None
    if "note" in fields:
        f.text(fields["note"], "note")
    lines: list[str] = []
    variables: list[str] = []
    items = f.items(fields.get("lines"), "lines")
    if "lines" in fields and items == []:
        f.report(fields["lines"], "lines is empty: give at least one line the collector can say")
    for item in items or []:
        text = f.text(item, "each line", blank=False)
        if text.strip():
            lines.append(text.strip())
            variables.extend(_variables(f, item, text, source))
    if not (script_id and stages is not None and segments is not None and cues is not None):
        return None
    if purpose is None or not lines or len(lines) != len(items or []):
        return None
    return Script(
        id=script_id,
        stages=stages,  # type: ignore[arg-type]  # checked against STAGES
        segments=segments,
        cues=cues,
        purpose=purpose,  # type: ignore[arg-type]  # checked by choice()
        lines=tuple(lines),
        variables=tuple(dict.fromkeys(variables)),
        line=f.line(node),
    )


def _any_or_list(
    f: YamlFile, node: Node | None, what: str, allowed: tuple[str, ...]
) -> tuple[str, ...] | None:
    """``any`` → (), ``early`` → (early,), ``[mid, late]`` → (mid, late); None if reported."""
    if node is None:
        return None  # the missing key is reported by mapping()
    if isinstance(node, ScalarNode):
        value = f.choice(node, what, (ANY, *allowed))
        return None if value is None else () if value == ANY else (value,)
    items = f.items(node, what)
    if items == []:
        f.report(node, f"{what} is empty: write `{what}: any` or list them")
    chosen = [f.choice(item, f"each of {what}", allowed) for item in items or []]
    if not chosen or None in chosen:
        return None
    return tuple(dict.fromkeys(value for value in chosen if value))


def _cues(f: YamlFile, node: Node | None, cue_ids: Collection[str]) -> tuple[str, ...] | None:
    """The taxonomy ids a script answers; None when any is reported."""
    items = f.items(node, "cues")
    if items is None:
        return None
    found: list[str] = []
    ok = True
    for item in items:
        value = f.text(item, "each cue")
        if value in cue_ids:
            found.append(value)
            continue
        ok = False
        if f.is_string(item):
            close = difflib.get_close_matches(value, list(cue_ids), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            f.report(item, f"unknown cue {value!r}{hint}: cues are ids of resources/taxonomy.yaml")
    return tuple(dict.fromkeys(found)) if ok else None


def _variables(f: YamlFile, node: Node, text: str, source: str) -> list[str]:
    """The variables of a line; unknown ones and lone braces reported where written."""
    problems = _brace_problems(text)
    written = source[node.start_mark.index : node.end_mark.index]
    located = _brace_problems(written)
    if [m for _, m in located] == [m for _, m in problems]:
        for offset, message in located:
            before = written[:offset].split("\n")
            line = node.start_mark.line + len(before)
            col = (node.start_mark.column if len(before) == 1 else 0) + len(before[-1]) + 1
            f.report_at(line, col, message)
    else:  # escape sequences hide where a problem is: the line's start is the best we know
        for _, message in problems:
            f.report(node, message)
    return [match[1] for match in _TOKEN.finditer(text) if match[1] in VARIABLES]


def _brace_problems(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for match in _TOKEN.finditer(text):
        name = match[1]
        if name not in VARIABLES:
            close = difflib.get_close_matches(name, VARIABLES, n=1)
            hint = f" (did you mean {{{close[0]}}}?)" if close else ""
            known = ", ".join(VARIABLES)
            found.append((match.start(), f"unknown variable {{{name}}}{hint}; known: {known}"))
    rest = _TOKEN.sub(lambda match: " " * len(match[0]), text)  # same length: offsets hold
    for offset, char in enumerate(rest):
        if char in "{}":
            message = f"a lone `{char}`: variables are written {{name}}, e.g. {{debtor_name}}"
            found.append((offset, message))
    return sorted(found)


def _source(f: YamlFile) -> str:
    try:
        return f.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""  # compose() has reported it


def bundled_library(language: str, cue_ids: Collection[str]) -> ScriptLibrary:
    """The bundled library of ``language`` (zh-CN, en-US)."""
    path = library_path(language)
    if not path.is_file():
        raise UserError(
            f"no bundled script library for {language!r}: expected {path}; "
            "choose zh-CN or en-US, or add the library"
        )
    return load_library(path, cue_ids)


def bundled_library_or_none(language: str, cue_ids: Collection[str]) -> ScriptLibrary | None:
    """The bundled library of ``language``; None when the app ships none for it."""
    return bundled_library(language, cue_ids) if library_path(language).is_file() else None
