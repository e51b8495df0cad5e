"""Reading one YAML file of a rule pack node by node, reporting problems at their positions.

The readers never raise on bad input: they record a :class:`Problem` at the
offending node and return a harmless placeholder, so a whole pack is checked
in one pass and every problem is reported. The caller discards the result if
any problem was recorded.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml import MappingNode, Node, ScalarNode, SequenceNode
from yaml.constructor import SafeConstructor

# libyaml composes several times faster than the pure-Python parser; same nodes and marks.
_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)
_TAG = "tag:yaml.org,2002:"
_KIND = {"str": "a string", "int": "an integer", "float": "a number", "bool": "true/false"}
_KIND |= {"null": "empty", "timestamp": "a date"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a pack file; ``str()`` gives the ``file:line:col: message`` editors parse."""

    path: Path
    line: int  # 1-based
    col: int  # 1-based, in characters
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class YamlFile:
    def __init__(self, folder: Path, rel: str) -> None:
        self.rel = rel  # relative to the pack folder, with forward slashes
        self.path = folder / rel
        self.problems: list[Problem] = []
        self._construct = SafeConstructor()  # only its scalar converters, which keep no state

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda problem: (problem.line, problem.col))

    def compose(self) -> Node | None:
        """The document's root node, or None when the file is empty or unreadable (reported)."""
        try:
            return yaml.compose(self.path.read_text(encoding="utf-8-sig"), Loader=_LOADER)
        except FileNotFoundError:
            self.report_at(1, 1, f"missing {self.path.name}")
        except OSError as exc:
            self.report_at(1, 1, f"cannot read the file: {exc.strerror or exc}")
        except UnicodeDecodeError:
            self.report_at(1, 1, "the file is not UTF-8 text: save it as UTF-8")
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = f"YAML syntax error: {exc.problem or exc.context}"
            if exc.context and exc.problem:
                start = exc.context_mark
                at = (
                    f" started at {start.line + 1}:{start.column + 1}"
                    if start and start != mark
                    else ""
                )
                message += f" ({exc.context}{at})"
            if mark is not None and "[" in self._source_line(mark.line):
                message += "; quote a value that starts with `[` but is not a list"
            self.report_at(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message)
        except yaml.YAMLError as exc:
            self.report_at(1, 1, f"YAML error: {exc}")
        return None

    def report(self, node: Node, message: str, offset: int = 0) -> None:
        """Record a problem at ``node``; ``offset`` indexes into a one-line scalar's text."""
        mark = node.start_mark
        col = mark.column + 1
        # An offset is only exact for one-line plain or quoted scalars without escapes.
        if offset and isinstance(node, ScalarNode) and node.end_mark.line == mark.line:
            if node.style in (None, ""):
                col += offset
            elif node.style in ('"', "'"):
                col += offset + 1
        self.report_at(mark.line + 1, col, message)

    def report_at(self, line: int, col: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, col, message))

    @staticmethod
    def line(node: Node) -> int:
        return int(node.start_mark.line) + 1

    @staticmethod
    def is_null(node: Node | None) -> bool:
        return isinstance(node, ScalarNode) and node.tag == _TAG + "null"

    @staticmethod
    def is_string(node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.tag == _TAG + "str"

    def mapping(
        self, node: Node | None, what: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, Node]:
        """The values of a mapping by key; reports unknown, duplicate and missing keys."""
        if node is None:
            return {}
        found: dict[str, Node] = {}
        if isinstance(node, MappingNode):
            allowed = (*required, *optional)
            for key, value in node.value:
                name = key.value if isinstance(key, ScalarNode) else None
                if not isinstance(name, str):
                    self.report(
                        key, f"a key in {what} must be a word; quote values starting with `[`"
                    )
                elif name in found:
                    self.report(key, f"duplicate key {name!r} in {what}")
                elif name not in allowed:
                    self.report(key, _unknown_key(name, what, allowed))
                else:
                    found[name] = value
        elif not self.is_null(node):
            self._wrong(node, what, "a mapping (`key: value` lines)")
            return {}
        missing = [name for name in required if name not in found]
        if missing:
            keys = ", ".join(f"`{name}`" for name in missing)
            self.report(node, f"{what} is missing {'keys' if len(missing) > 1 else 'key'} {keys}")
        return found

    def items(self, node: Node | None, what: str) -> list[Node] | None:
        """A sequence's items; [] when absent or empty; None (reported) when not a list."""
        if node is None or self.is_null(node):
            return []
        if isinstance(node, SequenceNode):
            return list(node.value)
        self._wrong(node, what, "a list")
        return None

    def text(self, node: Node, what: str, *, raw: bool = False, blank: bool = True) -> str:
        """A string; with ``raw``, any scalar as written (a version like 1.0 stays "1.0")."""
        if isinstance(node, ScalarNode) and (
            node.tag == _TAG + "str" or (raw and not self.is_null(node))
        ):
            if not blank and not str(node.value).strip():
                self.report(node, f"{what} is empty")
            return str(node.value)
        self._wrong(node, what, "a string")
        return ""

    def get_text(
        self, fields: dict[str, Node], key: str, *, raw: bool = False, blank: bool = True
    ) -> str:
        return self.text(fields[key], key, raw=raw, blank=blank) if key in fields else ""

    def texts(self, node: Node | None, what: str) -> list[tuple[str, Node]]:
        """A list of strings with their nodes; every item that is not a string is reported."""
        found: list[tuple[str, Node]] = []
        for item in self.items(node, what) or []:
            if self.is_string(item):
                found.append((str(item.value), item))
            else:
                self._wrong(item, f"each item of {what}", "a string")
        return found

    def strings(self, node: Node | None, what: str) -> tuple[str, ...]:
        return tuple(value for value, _ in self.texts(node, what))

    def choice(self, node: Node, what: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text(node, what)
        if value in allowed:
            return value
        if self.is_string(node):
            self.report(node, f"{what} must be one of {', '.join(allowed)}, not {value!r}")
        return None

    def pick(
        self, fields: dict[str, Node], key: str, allowed: tuple[str, ...], default: str
    ) -> str:
        """``fields[key]`` if present and allowed (else reported), otherwise ``default``."""
        return (self.choice(fields[key], key, allowed) if key in fields else None) or default

    def flag(self, node: Node, what: str) -> bool:
        if isinstance(node, ScalarNode) and node.tag == _TAG + "bool":
            return self._construct.construct_yaml_bool(node)
        self._wrong(node, what, "true or false")
        return True

    def integer(self, node: Node, what: str, *, minimum: int, default: int) -> int:
        if not (isinstance(node, ScalarNode) and node.tag == _TAG + "int"):
            self._wrong(node, what, "a whole number")
            return default
        value = self._construct.construct_yaml_int(node)
        if value < minimum:
            self.report(node, f"{what} must be {minimum} or more, not {value}")
            return default
        return value

    def number(self, node: Node, what: str, *, positive: bool = False) -> float:
        """A finite number, at least 0 (above 0 with ``positive``)."""
        if not (isinstance(node, ScalarNode) and node.tag in (_TAG + "int", _TAG + "float")):
            self._wrong(node, what, "a number")
            return 0.0
        if node.tag == _TAG + "int":
            value = float(self._construct.construct_yaml_int(node))
        else:
            value = self._construct.construct_yaml_float(node)
        if not math.isfinite(value) or value < 0 or (positive and value == 0):
            bound = "greater than 0" if positive else "0 or more"
            self.report(node, f"{what} must be {bound}, not {node.value}")
        return value

    def _wrong(self, node: Node, what: str, expected: str) -> None:
        if isinstance(node, ScalarNode):
            got = _KIND.get(node.tag.removeprefix(_TAG), "another type")
        else:
            got = "a list" if isinstance(node, SequenceNode) else "a mapping"
        self.report(node, f"{what} must be {expected}, not {got}")

    def _source_line(self, index: int) -> str:
        try:
            lines = self.path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            return ""
        return lines[index] if 0 <= index < len(lines) else ""


def _unknown_key(name: str, what: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {name!r} in {what}{hint}; allowed: {', '.join(allowed)}"
