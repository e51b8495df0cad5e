"""The common edits of one rule in a rules file's text, keeping everything else as written.

The trainer's form reads the rule under the cursor and writes it back. Only that rule's
lines are replaced; ruamel.yaml's round trip keeps its comments, its quoting and the
``{pattern: …, within: N}`` entries whose text is unchanged. Keys the form does not show
(``exclude``, ``tolerant``, ``speaker``…) are left alone.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

_BEFORE_COMMENT = re.compile(r"\s+#")


@dataclass(frozen=True, slots=True)
class RuleFields:
    """What the form edits. Empty ``severity`` means the category's default."""

    id: str = ""
    category: str = ""
    severity: str = ""
    patterns: tuple[str, ...] = ()
    explain: str = ""
    reply: str = ""
    should_flag: tuple[str, ...] = ()
    should_not_flag: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleAt:
    index: int  # in the file's list of rules
    first_line: int  # 1-based, the rule's `- id:` line
    fields: RuleFields


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    # The packs' style: nested lists indented under their key, long lines never folded.
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000
    yaml.preserve_quotes = True
    return yaml


def _rules(text: str) -> CommentedSeq | None:
    try:
        data = _yaml().load(text)
    except YAMLError:
        return None
    return data if isinstance(data, CommentedSeq) else None


def rule_at(text: str, line: int) -> RuleAt | None:
    """The rule whose lines hold ``line`` (1-based); None outside rules or in broken YAML."""
    rules = _rules(text)
    if not rules:
        return None
    starts = [rules.lc.item(i)[0] + 1 for i in range(len(rules))]
    index = max((i for i, start in enumerate(starts) if start <= line), default=None)
    if index is None or not isinstance(rules[index], CommentedMap):
        return None
    return RuleAt(index, starts[index], _fields(rules[index]))


def rewrite_rule(text: str, index: int, fields: RuleFields) -> str:
    """``text`` with rule ``index`` carrying ``fields``; its other lines stay as they were."""
    rules = _rules(text)
    if rules is None or not 0 <= index < len(rules) or not isinstance(rules[index], CommentedMap):
        raise ValueError(f"no rule {index} in this text")
    return _rewrite(text, rules, index, fields)


def rewrite_rule_at(text: str, rule: RuleAt, fields: RuleFields) -> str | None:
    """``text`` with the rule ``rule`` was read from carrying ``fields``, the text parsed once;
    None when that rule no longer starts at its line (the text changed since) or the YAML
    is broken."""
    rules = _rules(text)
    index = rule.index
    if (
        rules is None
        or not 0 <= index < len(rules)
        or not isinstance(rules[index], CommentedMap)
        or rules.lc.item(index)[0] + 1 != rule.first_line
    ):
        return None
    return _rewrite(text, rules, index, fields)


def _rewrite(text: str, rules: CommentedSeq, index: int, fields: RuleFields) -> str:
    rule: CommentedMap = rules[index]
    _apply(rule, fields)
    out = io.StringIO()
    _yaml().dump(rule, out)
    dumped = out.getvalue().splitlines(keepends=True)
    # Dumped on its own the rule starts at column 0; in the file it is a list item. Comment
    # lines keep the column they had in the file, so only the others move in.
    item = [f"- {dumped[0]}"] + [
        f"  {line}" if line.strip() and not line.lstrip().startswith("#") else line
        for line in dumped[1:]
    ]
    lines = text.splitlines(keepends=True)
    start = rules.lc.item(index)[0]
    end = rules.lc.item(index + 1)[0] if index + 1 < len(rules) else len(lines)
    # An end-of-line comment keeps its column from the file, which the indent above moved:
    # a line that is unchanged but for that space is taken from the file as it was.
    kept = {_squeezed(line): line for line in lines[start:end]}
    item = [kept.get(_squeezed(line), line) for line in item]
    # The blank lines before the next rule belong to the last key: keep them if it went.
    while item and not item[-1].strip():
        item.pop()
    blank = len(lines[start:end]) - len(_without_blank_end(lines[start:end]))
    item += ["\n"] * blank
    if end == len(lines) and lines and not lines[-1].endswith("\n") and item:
        item[-1] = item[-1].rstrip("\n")  # the file had no final newline: keep it so
    return "".join(lines[:start] + item + lines[end:])


def _without_blank_end(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def _squeezed(line: str) -> str:
    return _BEFORE_COMMENT.sub(" #", line.rstrip("\n"))


def _fields(rule: CommentedMap) -> RuleFields:
    examples = rule.get("examples")
    examples = examples if isinstance(examples, dict) else {}
    return RuleFields(
        id=_text(rule.get("id")),
        category=_text(rule.get("category")),
        severity=_text(rule.get("severity")),
        patterns=tuple(_pattern_text(p) for p in _list(rule.get("patterns"))),
        explain=_text(rule.get("explain")),
        reply=_text(rule.get("reply")),
        should_flag=tuple(_text(x) for x in _list(examples.get("should_flag"))),
        should_not_flag=tuple(_text(x) for x in _list(examples.get("should_not_flag"))),
    )


def _apply(rule: CommentedMap, fields: RuleFields) -> None:
    now = _fields(rule)
    for key in ("id", "category", "explain"):
        if getattr(now, key) != getattr(fields, key):
            _set(rule, key, getattr(fields, key), after=("id", "category"))
    if now.severity != fields.severity:
        _set(rule, "severity", fields.severity or None, after=("id", "category"))
    if now.reply != fields.reply:
        _set(rule, "reply", fields.reply or None, after=("explain",))
    if now.patterns != fields.patterns:
        rule["patterns"] = _patterns(rule.get("patterns"), fields.patterns)
    if (now.should_flag, now.should_not_flag) != (fields.should_flag, fields.should_not_flag):
        _set_examples(rule, fields)


def _set(rule: CommentedMap, key: str, value: str | None, after: tuple[str, ...]) -> None:
    """Set, add (after the last of ``after`` present) or, for None, remove a key."""
    if value is None:
        rule.pop(key, None)
    elif key in rule:
        rule[key] = value
    else:
        keys = list(rule)
        at = max((keys.index(k) + 1 for k in after if k in rule), default=len(keys))
        rule.insert(at, key, value)


def _patterns(old: Any, texts: tuple[str, ...]) -> CommentedSeq:
    """The new pattern list, reusing the old entries (quotes, ``within``) whose text is kept."""
    kept: dict[str, list[Any]] = {}
    for entry in _list(old):
        kept.setdefault(_pattern_text(entry), []).append(entry)
    return _reuse(old, [kept[t].pop(0) if kept.get(t) else t for t in texts])


def _reuse(old: Any, entries: list[Any] | tuple[str, ...]) -> CommentedSeq:
    """The old list object changed item by item, so comments stay with the items they follow."""
    if not isinstance(old, CommentedSeq):
        return CommentedSeq(entries)
    before = [_pattern_text(e) for e in old]
    after = [_pattern_text(e) for e in entries]
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if op == "equal":
            continue
        for _ in range(i1, i2):
            del old[i1]
        for offset, entry in enumerate(entries[j1:j2]):
            old.insert(i1 + offset, entry)
    return old


def _set_examples(rule: CommentedMap, fields: RuleFields) -> None:
    examples = rule.get("examples")
    if not isinstance(examples, CommentedMap):
        examples = CommentedMap()
    for key, values in (
        ("should_flag", fields.should_flag),
        ("should_not_flag", fields.should_not_flag),
    ):
        if values:
            examples[key] = _reuse(examples.get(key), values)
        else:
            examples.pop(key, None)
    if examples:
        _set_value(rule, "examples", examples)
    else:
        rule.pop("examples", None)


def _set_value(rule: CommentedMap, key: str, value: Any) -> None:
    if key not in rule:
        rule.insert(len(rule), key, value)
    else:
        rule[key] = value


def _pattern_text(entry: Any) -> str:
    if isinstance(entry, dict):
        return _text(entry.get("pattern"))
    return _text(entry)


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _text(value: Any) -> str:
    return "" if value is None else str(value)
