"""What a template may say: its ``{variables}``, and where in the file a wrong one is written.

A problem is reported at the very character where it is written in the YAML
file, in one-line and block texts alike, so an editor jumps straight to it.
"""

from __future__ import annotations

import difflib
import re

from yaml import Node

from agent_assist.rules.yamlfile import YamlFile

# What a template may say; render.py fills each one.
VARIABLES = (
    "debtor_name",
    "product",
    "overdue_amount",
    "currency",
    "due_date",
    "promise_amount",
    "promise_date",
    "bank_name",
    "hotline",
)
TOKEN = re.compile(r"\{([^{}]*)\}")


def variables_in(f: YamlFile, node: Node, text: str, source: str) -> tuple[str, ...]:
    """The variables ``text`` uses; unknown ones and lone braces are reported where written."""
    problems = _brace_problems(text)
    written = source[node.start_mark.index : node.end_mark.index]
    located = _brace_problems(written)
    if [m for _, m in located] == [m for _, m in problems]:
        for offset, message in located:
            before = written[:offset].split("\n")
            line = node.start_mark.line + len(before)
            col = (node.start_mark.column if len(before) == 1 else 0) + len(before[-1]) + 1
            f.report_at(line, col, message)
    else:  # escape sequences hide where they are: the text's start is the best we know
        for _, message in problems:
            f.report(node, message)
    names = (match[1] for match in TOKEN.finditer(text))
    return tuple(dict.fromkeys(name for name in names if name in VARIABLES))


def _brace_problems(text: str) -> list[tuple[int, str]]:
    """(offset, message) of each unknown variable and lone brace in ``text``."""
    found: list[tuple[int, str]] = []
    for match in TOKEN.finditer(text):
        name = match[1]
        if name not in VARIABLES:
            close = difflib.get_close_matches(name, VARIABLES, n=1)
            hint = f" (did you mean {{{close[0]}}}?)" if close else ""
            known = ", ".join(VARIABLES)
            found.append((match.start(), f"unknown variable {{{name}}}{hint}; known: {known}"))
    # Blank out the variables (same length) so that only lone braces are left.
    rest = TOKEN.sub(lambda match: " " * len(match[0]), text)
    for offset, char in enumerate(rest):
        if char in "{}":
            message = f"a lone `{char}`: variables are written {{name}}, e.g. {{debtor_name}}"
            found.append((offset, message))
    return sorted(found)


def source_of(f: YamlFile) -> str:
    try:
        return f.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""  # compose() has reported it
